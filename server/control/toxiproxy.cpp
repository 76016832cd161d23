// Toxiproxy's API on the control port (docs/toxiproxy.md): a proxy is a fauxgres listener
// (upstream "fake": the built-in responder), a toxic is a rule matched to that listener.
// Shapes, defaults, status codes and error texts follow Shopify/toxiproxy's api.go.
#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>

#include "config/error.hpp"
#include "config/values.hpp"
#include "control/handlers.hpp"
#include "control/rule_json.hpp"
#include "control/toxics.hpp"

namespace fauxgres::control {

namespace json = boost::json;

namespace {

constexpr std::string_view fake_upstream = "fake";

struct listen_address {
  std::string host;  // as bind_tcp takes it: an IP literal, "localhost" or "*" (every address)
  std::uint16_t port = 0;
};

// Toxiproxy's `listen`: HOST:PORT, [IPv6]:PORT, or :PORT for every address; empty is
// 127.0.0.1:0 here (a free port on loopback).
listen_address parse_listen(const std::string& text) {
  if (text.empty()) return {"127.0.0.1", 0};
  if (text.front() == ':') return {"*", config::parse_port(text.substr(1), "listen")};
  const auto hp = config::parse_host_port(text, "listen");
  if (!hp.port) throw config::error("listen", text, "needs a port, as in 127.0.0.1:0");
  return {hp.host, *hp.port};
}

std::string normalized_host(const std::string& host) {
  if (host == "localhost") return "127.0.0.1";
  if (host == "*") return "0.0.0.0";
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (ec) return host;
  return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}

// Whether `listen` asks for another address than the listener has (port 0: any port).
bool listen_differs(const net::listener_snapshot& current, const std::string& listen) {
  if (current.unix_socket) return listen != current.address;
  const auto wanted = parse_listen(listen);
  const auto colon = current.address.rfind(':');
  const std::string host = current.address.substr(0, colon);
  const std::string port = current.address.substr(colon + 1);
  if (normalized_host(wanted.host) != host) return true;
  return wanted.port != 0 && std::to_string(wanted.port) != port;
}

config::listener_config tcp_listener(const std::string& name, const std::string& listen) {
  const auto address = parse_listen(listen);
  config::listener_config l;
  l.type = config::listener_config::kind::tcp;
  l.name = name;
  l.address = address.host;
  l.port = address.port;
  l.port_explicit = true;
  return l;
}

std::string text_field(const json::object& body, std::string_view key) {
  const auto* value = body.if_contains(key);
  if (!value || value->is_null()) return {};
  if (!value->is_string())
    throw api_error(400, "bad request body: " + std::string(key) + " must be a string");
  return std::string(value->get_string());
}

std::optional<bool> bool_field(const json::object& body, std::string_view key) {
  const auto* value = body.if_contains(key);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_bool())
    throw api_error(400, "bad request body: " + std::string(key) + " must be true or false");
  return value->get_bool();
}

void check_upstream(const std::string& upstream) {
  if (upstream != fake_upstream)
    throw api_error(400, "upstream \"" + upstream +
                             "\": only \"fake\" (fauxgres' built-in PostgreSQL responder) is "
                             "supported for now");
}

void check_proxy_name(const std::string& name) {
  if (name == "tcp" || name == "unix")
    throw api_error(400, "name \"" + name + "\" is reserved: in rules, listener=" + name +
                             " matches every listener of that kind");
}

}  // namespace

// --- Proxies ----------------------------------------------------------------------------------

const net::listener_snapshot* handlers::find_proxy(const std::vector<net::listener_snapshot>& all,
                                                   std::string_view name) const {
  for (const auto& l : all)
    if (l.name == name) return &l;
  return nullptr;
}

const net::listener_snapshot& handlers::proxy_or_404(const std::vector<net::listener_snapshot>& all,
                                                     std::string_view name) const {
  const auto* l = find_proxy(all, name);
  if (!l) throw api_error(404, "proxy not found");
  return *l;
}

json::object handlers::proxy_json(const net::listener_snapshot& l) const {
  return {{"name", l.name},
          {"listen", l.address},
          {"upstream", fake_upstream},
          {"enabled", l.enabled},
          {"toxics", toxics_json(l.name)}};
}

response handlers::list_proxies() const {
  json::object out;
  for (const auto& l : server_.listeners()) out[l.name] = proxy_json(l);
  return json_response(200, out);
}

response handlers::show_proxy(const std::string& name) const {
  const auto all = server_.listeners();
  return json_response(200, proxy_json(proxy_or_404(all, name)));
}

void handlers::rebind(const net::listener_snapshot& current, const std::string& listen) {
  if (current.unix_socket)
    throw api_error(400, "listen: a Unix socket listener's address cannot be changed");
  auto wanted = tcp_listener(current.name, listen);
  auto before = tcp_listener(current.name, current.address);
  for (const auto& configured : config_.listeners) {  // keep its own TLS and auth settings
    if (configured.name != current.name) continue;
    wanted.ssl = before.ssl = configured.ssl;
    wanted.auth = before.auth = configured.auth;
  }
  server_.remove_listener(current.name);
  try {
    server_.add_listener(wanted);
  } catch (const std::exception& e) {
    try {
      server_.add_listener(before);  // back where it was
    } catch (const std::exception&) {
    }
    throw api_error(500, e.what());
  }
}

net::listener_snapshot handlers::apply_proxy(const json::object& body, bool replace_existing,
                                             bool& created) {
  const std::string name = text_field(body, "name");
  const std::string upstream = text_field(body, "upstream");
  if (name.empty()) throw api_error(400, "missing required field: name");
  if (upstream.empty()) throw api_error(400, "missing required field: upstream");
  check_upstream(upstream);
  check_proxy_name(name);
  const std::string listen = text_field(body, "listen");
  const bool enabled = bool_field(body, "enabled").value_or(true);
  const auto all = server_.listeners();
  created = false;
  if (const auto* existing = find_proxy(all, name)) {
    if (!replace_existing) throw api_error(409, "proxy already exists");
    if (!listen.empty() && listen_differs(*existing, listen)) rebind(*existing, listen);
  } else {
    const auto l = tcp_listener(name, listen);
    try {
      server_.add_listener(l);
    } catch (const std::exception& e) {
      throw api_error(500, e.what());
    }
    created = true;
    log_.log(observe::level::info, "api: proxy created", {{"proxy", name}});
  }
  server_.set_listener_enabled(name, enabled);
  const auto now = server_.listeners();
  return proxy_or_404(now, name);
}

response handlers::create_proxy(const request& req) {
  bool created = false;
  const auto l = apply_proxy(parse_body(req.body), false, created);
  return json_response(201, proxy_json(l));
}

response handlers::populate(const request& req) {
  boost::system::error_code ec;
  const json::value body = json::parse(req.body, ec);
  if (ec) throw api_error(400, "bad request body: " + ec.message());
  if (!body.is_array()) throw api_error(400, "bad request body: expected a list of proxies");
  const auto& list = body.get_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = " at proxy " + std::to_string(i + 1);
    if (!list[i].is_object()) throw api_error(400, "bad request body: expected a proxy" + at);
    if (text_field(list[i].get_object(), "name").empty())
      throw api_error(400, "missing required field: name" + at);
    if (text_field(list[i].get_object(), "upstream").empty())
      throw api_error(400, "missing required field: upstream" + at);
  }
  json::array done;
  for (const auto& item : list) {
    try {
      bool created = false;
      done.push_back(proxy_json(apply_proxy(item.get_object(), true, created)));
    } catch (const api_error& e) {
      return json_response(
          e.status(),
          json::object{{"error", e.what()}, {"status", e.status()}, {"proxies", std::move(done)}});
    }
  }
  return json_response(201, json::object{{"proxies", std::move(done)}});
}

response handlers::update_proxy(const std::string& name, const request& req) {
  const auto all = server_.listeners();
  const auto& current = proxy_or_404(all, name);
  const json::object body = parse_body(req.body);
  if (const auto upstream = text_field(body, "upstream"); !upstream.empty())
    check_upstream(upstream);
  const std::string listen = text_field(body, "listen");
  const auto enabled = bool_field(body, "enabled");
  if (!listen.empty() && listen_differs(current, listen)) {
    rebind(current, listen);
    server_.set_listener_enabled(name, enabled.value_or(current.enabled));
  } else if (enabled && *enabled != current.enabled) {
    server_.set_listener_enabled(name, *enabled);
  }
  const auto now = server_.listeners();
  return json_response(200, proxy_json(proxy_or_404(now, name)));
}

response handlers::delete_proxy(const std::string& name) {
  if (!server_.remove_listener(name)) throw api_error(404, "proxy not found");
  std::vector<std::string> toxics;
  for (const auto& r : server_.rules().rules())
    if (r.match.listener == name) toxics.push_back(r.name);
  for (const auto& rule : toxics) {
    server_.rules().remove_rule(rule);
    toxic_streams_.erase(rule);
  }
  changed();
  log_.log(observe::level::info, "api: proxy deleted", {{"proxy", name}});
  return no_content();
}

// --- Toxics -----------------------------------------------------------------------------------

std::string handlers::toxic_name(const faults::rule& r, std::string_view proxy) const {
  const std::string prefix = std::string(proxy) + "/";
  return r.name.starts_with(prefix) ? r.name.substr(prefix.size()) : r.name;
}

const faults::rule* handlers::find_toxic(std::string_view proxy, std::string_view toxic) const {
  for (const auto& r : server_.rules().rules())
    if (r.match.listener == proxy && toxic_name(r, proxy) == toxic) return &r;
  return nullptr;
}

json::array handlers::toxics_json(std::string_view proxy) const {
  json::array out;
  for (const auto& r : server_.rules().rules()) {
    if (r.match.listener != proxy) continue;
    const auto stream = toxic_streams_.find(r.name);
    out.push_back(toxic_to_json(r, toxic_name(r, proxy),
                                stream == toxic_streams_.end() ? "downstream" : stream->second));
  }
  return out;
}

response handlers::list_toxics(const std::string& proxy) const {
  const auto all = server_.listeners();
  proxy_or_404(all, proxy);
  return json_response(200, toxics_json(proxy));
}

response handlers::create_toxic(const std::string& proxy, const request& req) {
  const auto all = server_.listeners();
  proxy_or_404(all, proxy);
  const toxic_request toxic = toxic_from_json(parse_body(req.body));
  if (find_toxic(proxy, toxic.name)) throw api_error(409, "toxic already exists");
  // Rule names are server-wide, toxic names per proxy: a name another listener's rule has
  // becomes <proxy>/<name>.
  std::string rule_name = toxic.name;
  if (server_.rules().find(rule_name)) rule_name = proxy + "/" + toxic.name;
  if (server_.rules().find(rule_name)) throw api_error(409, "toxic already exists");
  rule_input input;
  input.type = toxic.type;
  input.keys = toxic_rule_keys(toxic, proxy, rule_name);
  const auto& added = server_.rules().add_rule(build_rule(input, "toxics[" + toxic.name + "]"));
  if (!added.impl || !added.impl->network()) toxic_streams_[added.name] = toxic.stream;
  changed();
  log_.log(observe::level::info, "api: toxic added",
           {{"proxy", proxy}, {"toxic", toxic.name}, {"type", toxic.type}});
  return json_response(200, toxic_to_json(added, toxic.name, toxic.stream));
}

response handlers::show_toxic(const std::string& proxy, const std::string& toxic) const {
  const auto all = server_.listeners();
  proxy_or_404(all, proxy);
  const auto* r = find_toxic(proxy, toxic);
  if (!r) throw api_error(404, "toxic not found");
  const auto stream = toxic_streams_.find(r->name);
  return json_response(
      200,
      toxic_to_json(*r, toxic, stream == toxic_streams_.end() ? "downstream" : stream->second));
}

response handlers::update_toxic(const std::string& proxy, const std::string& toxic,
                                const request& req) {
  const auto all = server_.listeners();
  proxy_or_404(all, proxy);
  const auto* r = find_toxic(proxy, toxic);
  if (!r) throw api_error(404, "toxic not found");
  rule_input input;
  input.type = r->type;
  input.keys = updated_toxic_keys(*r, parse_body(req.body));
  const std::string rule_name = r->name;
  const auto* replaced =
      server_.rules().replace_rule(rule_name, build_rule(input, "toxics[" + toxic + "]"));
  changed();
  const auto stream = toxic_streams_.find(rule_name);
  return json_response(
      200, toxic_to_json(*replaced, toxic,
                         stream == toxic_streams_.end() ? "downstream" : stream->second));
}

response handlers::delete_toxic(const std::string& proxy, const std::string& toxic) {
  const auto all = server_.listeners();
  proxy_or_404(all, proxy);
  const auto* r = find_toxic(proxy, toxic);
  if (!r) throw api_error(404, "toxic not found");
  const std::string rule_name = r->name;
  server_.rules().remove_rule(rule_name);
  toxic_streams_.erase(rule_name);
  changed();
  log_.log(observe::level::info, "api: toxic removed", {{"proxy", proxy}, {"toxic", toxic}});
  return no_content();
}

}  // namespace fauxgres::control
