// The fauxgres endpoints of the control API: rules, actions, connections, listeners, stats,
// events, metrics, version and reset (docs/api.md). Toxiproxy's are in toxiproxy.cpp.
#include "control/handlers.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <unordered_map>

#include "config/error.hpp"
#include "config/url.hpp"
#include "control/metrics.hpp"
#include "control/rule_json.hpp"

namespace fauxgres::control {

namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

std::uint64_t number_param(const std::string& text, const std::string& what) {
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    throw api_error(400, what + ": expected a whole number (got \"" + text + "\")");
  return n;
}

std::uint64_t query_number(const route& r, std::string_view key, std::uint64_t fallback) {
  const auto it = r.query.find(key);
  if (it == r.query.end() || it->second.empty()) return fallback;
  return number_param(it->second, std::string(key));
}

// Index of the first event after `cursor` in the engine's log (sequence numbers increase).
std::size_t first_after(const std::deque<faults::fired_event>& events, std::uint64_t cursor) {
  const auto it = std::partition_point(events.begin(), events.end(),
                                       [cursor](const auto& e) { return e.sequence <= cursor; });
  return static_cast<std::size_t>(it - events.begin());
}

// Events with sequence numbers between `cursor` and the first one still in the log.
std::uint64_t dropped_before(const std::deque<faults::fired_event>& events, std::size_t index,
                             std::uint64_t cursor) {
  if (index != 0 || events.empty() || events.front().sequence <= cursor + 1) return 0;
  return events.front().sequence - cursor - 1;
}

json::object listener_json(const net::listener_snapshot& l) {
  return {{"name", l.name},       {"type", l.unix_socket ? "unix" : "tcp"},
          {"address", l.address}, {"enabled", l.enabled},
          {"open", l.open},       {"connections", l.connections}};
}

// A connection as GET /connections lists it; `applied`: its fired events.
json::object connection_json(const net::connection_snapshot& c, json::array applied) {
  return {{"id", c.id},
          {"pid", c.pid},
          {"listener", c.listener},
          {"peer", c.peer},
          {"user", c.user},
          {"database", c.database},
          {"application_name", c.application_name},
          {"state", c.state},
          {"transaction_status", std::string(1, c.transaction_status)},
          {"age_ms", c.age.count()},
          {"idle_ms", c.idle.count()},
          {"bytes_in", c.bytes_in},
          {"bytes_out", c.bytes_out},
          {"rules_applied", std::move(applied)}};
}

}  // namespace

handlers::handlers(net::server& server, const config::server_config& config, observe::logger& log)
    : server_(server), config_(config), log_(log) {}

response handlers::handle(const request& req) {
  try {
    const routing routed = match_route(req.method, req.target);
    if (routed.found) return dispatch(*routed.found, req);
    const std::string path = req.target.substr(0, req.target.find('?'));
    if (routed.allow.empty()) return error_response(404, "no such endpoint: " + path);
    response r = error_response(
        405, req.method + " is not allowed on " + path + " (allowed: " + routed.allow + ")");
    r.headers.emplace_back("Allow", routed.allow);
    return r;
  } catch (const api_error& e) {
    return error_response(e.status(), e.what());
  } catch (const config::error& e) {
    return error_response(400, e.what());
  } catch (const std::exception& e) {
    return error_response(500, e.what());
  }
}

response handlers::dispatch(const route& r, const request& req) {
  const auto param = [&r](std::size_t i) -> const std::string& { return r.params.at(i); };
  switch (r.what) {
    case endpoint::rules_list:
      return list_rules();
    case endpoint::rule_create:
      return create_rule(req);
    case endpoint::rule_show:
      return show_rule(param(0));
    case endpoint::rule_replace:
      return replace_rule(param(0), req);
    case endpoint::rule_patch:
      return patch_rule(param(0), req);
    case endpoint::rule_delete:
      return delete_rule(param(0));
    case endpoint::action_kill_all:
      return action("kill_all", req);
    case endpoint::action_restart:
      return action("restart", req);
    case endpoint::action_shutdown:
      return action("shutdown", req);
    case endpoint::action_failover:
      return action("failover", req);
    case endpoint::connections_list:
      return list_connections();
    case endpoint::connection_show:
      return show_connection(param(0));
    case endpoint::connection_terminate:
      return terminate(param(0), req.method == "POST");
    case endpoint::listeners_list:
      return list_listeners();
    case endpoint::listener_enable:
      return set_listener(param(0), true);
    case endpoint::listener_disable:
      return set_listener(param(0), false);
    case endpoint::stats_show: {
      response out;
      out.body = server_.stats_json() + "\n";
      return out;
    }
    case endpoint::stats_reset:
      return stats_reset();
    case endpoint::events_list:
      return list_events(r);
    case endpoint::events_stream:
      return stream_events(r);
    case endpoint::metrics: {
      response out;
      out.content_type = "text/plain; version=0.0.4; charset=utf-8";
      out.body = render_metrics(server_.stats(), server_.rules(), server_.uptime());
      return out;
    }
    case endpoint::version:
      return version();
    case endpoint::reset:
      return reset();
    case endpoint::proxies_list:
      return list_proxies();
    case endpoint::proxy_create:
      return create_proxy(req);
    case endpoint::populate:
      return populate(req);
    case endpoint::proxy_show:
      return show_proxy(param(0));
    case endpoint::proxy_update:
      return update_proxy(param(0), req);
    case endpoint::proxy_delete:
      return delete_proxy(param(0));
    case endpoint::toxics_list:
      return list_toxics(param(0));
    case endpoint::toxic_create:
      return create_toxic(param(0), req);
    case endpoint::toxic_show:
      return show_toxic(param(0), param(1));
    case endpoint::toxic_update:
      return update_toxic(param(0), param(1), req);
    case endpoint::toxic_delete:
      return delete_toxic(param(0), param(1));
  }
  return error_response(404, "no such endpoint");
}

void handlers::changed() {
  server_.rules_changed();
}

// --- Rules ----------------------------------------------------------------------------------

response handlers::list_rules() const {
  const auto& engine = server_.rules();
  json::array rules;
  for (const auto& r : engine.rules()) rules.push_back(rule_to_json(r, engine.fired(r.name)));
  return json_response(200, json::object{{"rules", std::move(rules)}, {"seed", engine.seed()}});
}

response handlers::show_rule(const std::string& name) const {
  const auto* r = server_.rules().find(name);
  if (!r) throw api_error(404, "rule \"" + name + "\" not found");
  return json_response(200, rule_to_json(*r, server_.rules().fired(name)));
}

response handlers::create_rule(const request& req) {
  const std::string field = "rules[new]";
  const rule_input input = rule_input_from_json(parse_body(req.body), field);
  if (const auto name = input.keys.find("name");
      name != input.keys.end() && server_.rules().find(name->second))
    throw api_error(409, field + ".name: a rule named \"" + name->second + "\" exists");
  const auto& added = server_.rules().add_rule(build_rule(input, field));
  changed();
  log_.log(observe::level::info, "api: rule added", {{"rule", added.name}, {"type", added.type}});
  response out = json_response(201, rule_to_json(added, 0));
  out.headers.emplace_back("Location", "/rules/" + config::percent_encode(added.name));
  return out;
}

response handlers::replace_rule(const std::string& name, const request& req) {
  const std::string field = "rules[" + name + "]";
  rule_input input = rule_input_from_json(parse_body(req.body), field);
  if (const auto given = input.keys.find("name");
      given != input.keys.end() && given->second != name)
    throw api_error(400, field + ".name: differs from the rule in the path (\"" + given->second +
                             "\"); rules are not renamed");
  input.keys["name"] = name;
  faults::rule rule = build_rule(input, field);
  auto& engine = server_.rules();
  if (!engine.find(name)) {
    const auto& added = engine.add_rule(std::move(rule));
    changed();
    response out = json_response(201, rule_to_json(added, 0));
    out.headers.emplace_back("Location", "/rules/" + config::percent_encode(added.name));
    return out;
  }
  const auto* replaced = engine.replace_rule(name, std::move(rule));
  changed();
  log_.log(observe::level::info, "api: rule replaced", {{"rule", name}});
  return json_response(200, rule_to_json(*replaced, engine.fired(name)));
}

response handlers::patch_rule(const std::string& name, const request& req) {
  const std::string field = "rules[" + name + "]";
  auto& engine = server_.rules();
  const auto* existing = engine.find(name);
  if (!existing) throw api_error(404, "rule \"" + name + "\" not found");
  const json::object body = parse_body(req.body);
  rule_input input;
  input.type = existing->type;
  input.keys = existing->given;
  for (const auto& [key, value] : body) {
    const std::string k(key);
    if (k == "fired") continue;
    if (value.is_null()) {
      if (k == "type" || k == "name") throw api_error(400, field + "." + k + ": cannot be removed");
      input.keys.erase(k);
      continue;
    }
    const std::string text = scalar_text(value, field + "." + k);
    if (k == "type") {
      input.type = text;
    } else if (k == "name" && text != name) {
      throw api_error(400, field + ".name: rules are not renamed");
    } else {
      input.keys[k] = text;
    }
  }
  input.keys["name"] = name;
  const auto* replaced = engine.replace_rule(name, build_rule(input, field));
  changed();
  log_.log(observe::level::info, "api: rule changed", {{"rule", name}});
  return json_response(200, rule_to_json(*replaced, engine.fired(name)));
}

response handlers::delete_rule(const std::string& name) {
  if (!server_.rules().remove_rule(name)) throw api_error(404, "rule \"" + name + "\" not found");
  toxic_streams_.erase(name);
  changed();
  log_.log(observe::level::info, "api: rule removed", {{"rule", name}});
  return no_content();
}

// --- Actions --------------------------------------------------------------------------------

response handlers::action(std::string_view what, const request& req) {
  const json::object body = parse_body(req.body);
  const bool timed = what == "restart" || what == "failover";
  milliseconds down_for{1000};
  for (const auto& [key, value] : body) {
    const std::string field = "actions." + std::string(what) + "." + std::string(key);
    if (!timed || key != "duration")
      throw api_error(400, field + ": unknown key" + (timed ? " (expected duration)" : ""));
    down_for = faults::parse_duration(scalar_text(value, field), field);
  }
  const auto open = static_cast<std::uint64_t>(server_.connections().size());
  const auto kind = *faults::server_action_kind(what);
  std::string description(what);
  if (timed) description += " " + std::to_string(down_for.count()) + "ms";
  server_.rules().record_action("api", kind, server_.uptime(), description);
  if (what == "kill_all") {
    server_.kill_all("api");
  } else if (what == "restart") {
    server_.restart(down_for, "api");
  } else if (what == "shutdown") {
    server_.shutdown_smart("api");
  } else {
    server_.failover(down_for, "api");
  }
  json::object out{{"action", what}, {"connections", open}};
  if (timed) out["duration_ms"] = down_for.count();
  return json_response(200, out);
}

// --- Connections and listeners --------------------------------------------------------------

response handlers::list_connections() const {
  const auto connections = server_.connections();
  // One pass over the event log for every connection.
  std::unordered_map<std::uint64_t, json::array> applied;
  for (const auto& c : connections) applied[c.id];
  for (const auto& e : server_.rules().events())
    if (auto it = applied.find(e.connection); it != applied.end())
      it->second.push_back(event_to_json(e));
  json::array out;
  for (const auto& c : connections) out.push_back(connection_json(c, std::move(applied[c.id])));
  return json_response(200, json::object{{"connections", std::move(out)}});
}

response handlers::show_connection(const std::string& id) const {
  const auto wanted = number_param(id, "connection id");
  for (const auto& c : server_.connections())
    if (c.id == wanted) {
      json::array applied;
      for (const auto& e : server_.rules().events())
        if (e.connection == c.id) applied.push_back(event_to_json(e));
      return json_response(200, connection_json(c, std::move(applied)));
    }
  throw api_error(404, "connection " + id + " not found");
}

response handlers::terminate(const std::string& id, bool with_body) {
  const auto wanted = number_param(id, "connection id");
  if (!server_.terminate(wanted)) throw api_error(404, "connection " + id + " not found");
  log_.log(observe::level::info, "api: connection terminated",
           {{"id", static_cast<std::int64_t>(wanted)}});
  if (!with_body) return no_content();
  return json_response(200, json::object{{"terminated", wanted}});
}

response handlers::list_listeners() const {
  json::array out;
  for (const auto& l : server_.listeners()) out.push_back(listener_json(l));
  return json_response(200, json::object{{"listeners", std::move(out)}});
}

response handlers::set_listener(const std::string& name, bool enabled) {
  if (!server_.set_listener_enabled(name, enabled))
    throw api_error(404, "listener \"" + name + "\" not found");
  for (const auto& l : server_.listeners())
    if (l.name == name) return json_response(200, listener_json(l));
  throw api_error(404, "listener \"" + name + "\" not found");
}

// --- Stats, events, version, reset ------------------------------------------------------------

response handlers::stats_reset() {
  server_.stats().reset(server_.uptime());
  server_.rules().reset_counts();
  log_.log(observe::level::info, "api: stats reset", {});
  return no_content();
}

response handlers::list_events(const route& r) const {
  const std::uint64_t since = query_number(r, "since", 0);
  const std::uint64_t limit =
      std::clamp<std::uint64_t>(query_number(r, "limit", 1000), 1, faults::engine::max_events);
  const auto& events = server_.rules().events();
  std::size_t i = first_after(events, since);
  json::object out;
  out["dropped"] = dropped_before(events, i, since);
  json::array list;
  std::uint64_t next = since;
  for (; i < events.size() && list.size() < limit; ++i) {
    list.push_back(event_to_json(events[i]));
    next = events[i].sequence;
  }
  out["events"] = std::move(list);
  out["next"] = next;
  out["more"] = i < events.size();
  return json_response(200, out);
}

response handlers::stream_events(const route& r) const {
  response out;
  out.content_type = "application/x-ndjson";
  out.stream_events_after = query_number(r, "since", last_event());
  return out;
}

std::uint64_t handlers::last_event() const {
  const auto& events = server_.rules().events();
  return events.empty() ? 0 : events.back().sequence;
}

std::string handlers::event_lines(std::uint64_t& cursor, std::size_t max) const {
  const auto& events = server_.rules().events();
  std::size_t i = first_after(events, cursor);
  std::string out;
  if (const auto dropped = dropped_before(events, i, cursor); dropped > 0) {
    out += json::serialize(json::object{{"dropped", dropped}}) + "\n";
    cursor = events.front().sequence - 1;
  }
  for (std::size_t n = 0; i < events.size() && n < max; ++i, ++n) {
    out += json::serialize(event_to_json(events[i])) + "\n";
    cursor = events[i].sequence;
  }
  return out;
}

response handlers::version() const {
  response out = json_response(200, json::object{{"version", FAUXGRES_VERSION},
                                                 {"name", "fauxgres"},
                                                 {"server_version", config_.server_version}});
  out.content_type = "application/json;charset=utf-8";
  return out;
}

response handlers::reset() {
  server_.reset();
  toxic_streams_.clear();
  log_.log(observe::level::info, "api: reset", {});
  return no_content();
}

}  // namespace fauxgres::control
