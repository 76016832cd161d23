// Server start-up, accept loops, cancel routing and fast shutdown.
#include "net/server.hpp"

#include <openssl/rand.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "auth/scram.hpp"
#include "net/connection.hpp"

namespace fauxgres::net {

namespace asio = boost::asio;
using generic_socket = asio::generic::stream_protocol::socket;

namespace {

std::string random_text(std::size_t bytes) {
  std::vector<std::uint8_t> raw(bytes);
  RAND_bytes(raw.data(), static_cast<int>(raw.size()));
  return std::string(raw.begin(), raw.end());
}

std::string percent_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace

server::server(const config::server_config& config, const responder::fixtures& fixtures,
               faults::engine& rules, observe::logger& log)
    : config_(config), faults_(rules), log_(log), read_buffer_(65536) {
  std::random_device entropy;
  next_pid_ = 10000 + static_cast<std::int32_t>(entropy() % 50000);
  key_state_ = (static_cast<std::uint64_t>(entropy()) << 32) | entropy();
  context_.config = &config_;
  context_.fixtures = &fixtures;
  context_.server_secret = random_text(32);
  context_.log_statements = log_.enabled(observe::level::debug);
  context_.faults = rules.rules().empty() ? nullptr : &faults_;
  context_.stats = &stats_;
  context_.uptime = [this] { return uptime(); };
}

server::~server() = default;

void server::start() {
  // `ssl` fault rules may offer TLS even when the server's own TLS is off.
  bool ssl_rules = false;
  for (const auto& rule : faults_.rules()) ssl_rules |= rule.type == "ssl";
  if (config_.tls.enabled || ssl_rules) {
    tls_ = make_tls(config_.tls.cert_file, config_.tls.key_file);
    context_.tls_ready = true;
  }
  if (ssl_rules || !config_.test_ca_file.empty()) test_certificates_ = make_test_certificates();
  if (!config_.test_ca_file.empty()) {
    std::ofstream out(config_.test_ca_file);
    out << test_certificates_->ca_pem;
    if (!out)
      throw std::runtime_error("--test-ca-file: cannot write \"" + config_.test_ca_file + "\"");
  }
  for (const auto& user : config_.users) {
    std::vector<std::uint8_t> salt(16);
    RAND_bytes(salt.data(), static_cast<int>(salt.size()));
    context_.scram_secrets.emplace(user.name, auth::make_scram_secret(user.password, salt));
  }
  for (const auto& listener : config_.listeners) {
    if (listener.type == config::listener_config::kind::tcp)
      tcp_.push_back(bind_tcp(io_, listener));
    else
      unix_.push_back(bind_unix(io_, listener));
  }
  for (auto& l : tcp_) accept_tcp(l);
  for (auto& l : unix_) accept_unix(l);
  schedule_listener_states();
  signals_.add(SIGINT);
  signals_.add(SIGTERM);
  signals_.async_wait([this](boost::system::error_code ec, int signal) {
    if (ec) return;
    log_.log(observe::level::info, "shutdown",
             {{"signal", static_cast<std::int64_t>(signal)}, {"mode", "fast"}});
    shutdown_fast();
  });
}

std::string server::ready_line() const {
  std::string line = "fauxgres ready on ";
  bool first = true;
  for (const auto& l : tcp_) {
    line += (first ? "" : ", ") + std::string("tcp ");
    auto host = l.address;
    line += host.is_v6() ? "[" + host.to_string() + "]" : host.to_string();
    line += ":" + std::to_string(l.port);
    first = false;
  }
  for (const auto& l : unix_) {
    line += (first ? "" : ", ") + std::string("unix ") + l.path;
    first = false;
  }
  std::string user = config_.users.empty() ? "postgres" : config_.users.front().name;
  std::string database = config_.databases.empty() ? "postgres" : config_.databases.front();
  std::string url = "postgresql://" + percent_encode(user) + "@";
  if (!tcp_.empty()) {
    auto host = tcp_.front().address;
    url += (host.is_v6() ? "[" + host.to_string() + "]" : host.to_string()) + ":" +
           std::to_string(tcp_.front().port) + "/" + percent_encode(database);
  } else if (!unix_.empty()) {
    url += "/" + percent_encode(database) +
           "?host=" + percent_encode(unix_.front().config->address) +
           "&port=" + std::to_string(unix_.front().config->port);
  }
  return line + " (url: " + url + ")";
}

int server::run() {
  io_.run();
  return 0;
}

void server::accept_tcp(tcp_listener& listener) {
  listener.acceptor.async_accept([this, &listener](boost::system::error_code ec,
                                                   asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || stopping_) return;
    if (!ec) {
      auto remote = socket.remote_endpoint(ec);
      std::string peer =
          ec ? "?" : remote.address().to_string() + ":" + std::to_string(remote.port());
      auto protocol = socket.local_endpoint().protocol();
      generic_socket generic(io_, asio::generic::stream_protocol(protocol.family(), IPPROTO_TCP),
                             socket.release());
      adopt(std::move(generic), *listener.config, std::move(peer));
    } else {
      log_.log(observe::level::warn, "accept failed", {{"error", ec.message()}});
    }
    accept_tcp(listener);
  });
}

void server::accept_unix(unix_listener& listener) {
  listener.acceptor.async_accept(
      [this, &listener](boost::system::error_code ec, asio::local::stream_protocol::socket socket) {
        if (ec == asio::error::operation_aborted || stopping_) return;
        if (!ec) {
          generic_socket generic(io_, asio::generic::stream_protocol(AF_UNIX, 0), socket.release());
          adopt(std::move(generic), *listener.config, "[local]");
        } else {
          log_.log(observe::level::warn, "accept failed", {{"error", ec.message()}});
        }
        accept_unix(listener);
      });
}

void server::adopt(generic_socket socket, const config::listener_config& listener,
                   std::string peer) {
  auto pid = next_pid_++;
  key_state_ = key_state_ * 6364136223846793005ULL + 1442695040888963407ULL;  // LCG step
  auto c =
      std::make_shared<connection>(*this, std::move(socket), listener, std::move(peer), next_id_++,
                                   pid, static_cast<std::int32_t>(key_state_ >> 32));
  connections_[pid] = c;
  stats_.connection_opened(listener.name);
  asio::co_spawn(io_, c->run(), asio::detached);
}

void server::log_fault_events() {
  const auto& events = faults_.events();
  if (events.empty() || events.back().sequence <= logged_fault_events_) return;
  for (const auto& e : events) {
    if (e.sequence <= logged_fault_events_) continue;
    log_.log(observe::level::info, "fault",
             {{"id", static_cast<std::int64_t>(e.connection)},
              {"rule", e.rule},
              {"type", e.type},
              {"hook", faults::to_string(e.where)},
              {"action", e.action},
              {"at_ms", static_cast<std::int64_t>(e.at.count())}});
  }
  logged_fault_events_ = events.back().sequence;
}

// `refuse mode=closed` closes a listener's socket for the rule's window, so connects
// are really refused, and opens it again on the same port afterwards.
void server::schedule_listener_states() {
  apply_listener_states();
  for (auto at : faults_.boundaries()) {
    auto timer = std::make_unique<asio::steady_timer>(io_, started_ + at);
    timer->async_wait([this](boost::system::error_code ec) {
      if (!ec) apply_listener_states();
    });
    schedule_.push_back(std::move(timer));
  }
}

void server::apply_listener_states() {
  if (stopping_) return;
  auto now = uptime();
  for (auto& l : tcp_) {
    bool closed = faults_.listener_closed(l.config->name, false, now);
    if (closed && l.acceptor.is_open()) {
      l.acceptor.close();
      log_.log(observe::level::info, "listener closed", {{"listener", l.config->name}});
    } else if (!closed && !l.acceptor.is_open()) {
      try {
        l.acceptor = bind_tcp(io_, *l.config, l.port).acceptor;
        accept_tcp(l);
        log_.log(observe::level::info, "listener open", {{"listener", l.config->name}});
      } catch (const std::exception& e) {
        log_.log(observe::level::error, "listener reopen failed", {{"error", e.what()}});
      }
    }
  }
  for (auto& l : unix_) {
    bool closed = faults_.listener_closed(l.config->name, true, now);
    if (closed && l.acceptor.is_open()) {
      l.acceptor.close();
      std::error_code ignored;
      std::filesystem::remove(l.path, ignored);  // a missing socket file is PG being down
      log_.log(observe::level::info, "listener closed", {{"listener", l.config->name}});
    } else if (!closed && !l.acceptor.is_open()) {
      try {
        l.acceptor = bind_unix(io_, *l.config).acceptor;
        accept_unix(l);
        log_.log(observe::level::info, "listener open", {{"listener", l.config->name}});
      } catch (const std::exception& e) {
        log_.log(observe::level::error, "listener reopen failed", {{"error", e.what()}});
      }
    }
  }
}

std::string server::stats_json() const {
  boost::json::object connections{
      {"accepted", stats_.accepted}, {"current", stats_.current},
      {"peak", stats_.peak},         {"closed", stats_.closed},
      {"logins", stats_.logins},     {"auth_failures", stats_.auth_failures}};
  boost::json::object by_listener;
  for (const auto& [name, peak] : stats_.peak_by_listener) by_listener[name] = peak;
  connections["peak_by_listener"] = std::move(by_listener);
  boost::json::object fired;
  for (const auto& r : faults_.rules()) fired[r.name] = faults_.fired(r.name);
  boost::json::array events;
  for (const auto& e : faults_.events())
    events.push_back({{"sequence", e.sequence},
                      {"at_ms", e.at.count()},
                      {"connection", e.connection},
                      {"rule", e.rule},
                      {"type", e.type},
                      {"hook", faults::to_string(e.where)},
                      {"action", e.action}});
  boost::json::object root{{"seed", faults_.seed()},
                           {"uptime_ms", uptime().count()},
                           {"connections", std::move(connections)},
                           {"fired", std::move(fired)},
                           {"events", std::move(events)}};
  return boost::json::serialize(root);
}

void server::cancel(std::int32_t pid, std::int32_t key) {
  auto it = connections_.find(pid);
  if (it == connections_.end()) return;
  if (auto c = it->second.lock()) c->request_cancel(key);
}

void server::shutdown_fast() {
  if (stopping_) return;
  stopping_ = true;
  boost::system::error_code ignored;
  for (auto& l : tcp_) l.acceptor.close(ignored);
  for (auto& l : unix_) {
    l.acceptor.close(ignored);
    std::error_code fs_ignored;
    std::filesystem::remove(l.path, fs_ignored);
  }
  signals_.cancel(ignored);
  for (auto& timer : schedule_) timer->cancel();
  auto why = protocol::errors::admin_terminate();
  auto snapshot = connections_;
  for (auto& [pid, weak] : snapshot)
    if (auto c = weak.lock()) c->request_terminate(why);
}

}  // namespace fauxgres::net
