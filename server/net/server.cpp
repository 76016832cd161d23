// Server start-up, accept loops, cancel routing and fast shutdown.
#include "net/server.hpp"

#include <openssl/rand.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "auth/scram.hpp"
#include "config/url.hpp"
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
  context_.faults = &faults_;
  context_.stats = &stats_;
  context_.uptime = [this] { return uptime(); };
}

server::~server() = default;

void server::start() {
  if (config_.tls.enabled) {
    tls_ = make_tls(config_.tls.cert_file, config_.tls.key_file);
    context_.tls_ready = true;
  }
  prepare_tls_for_rules();
  if (!config_.test_ca_file.empty()) {
    if (!test_certificates_) test_certificates_ = make_test_certificates();
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
  schedule_actions();
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
  config::client_identity who;
  if (!config_.users.empty()) who.user = config_.users.front().name;
  if (!config_.databases.empty()) who.database = config_.databases.front();
  return line + " (url: " + config::database_url(client_endpoint(), who) + ")";
}

config::endpoint server::client_endpoint() const {
  config::endpoint where;
  if (!tcp_.empty()) {
    where.host = tcp_.front().address.to_string();
    where.port = tcp_.front().port;
  } else if (!unix_.empty()) {
    where.unix_socket = true;
    where.host = unix_.front().config->address;
    where.port = unix_.front().config->port;
  }
  return where;
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
  stats_.connection_opened(c->id(), listener.name, uptime());
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
  schedule_.clear();  // pending waits end with operation_aborted
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
  const bool down = listener_down();
  for (auto& l : tcp_)
    apply_tcp_state(l, !down && l.enabled && !faults_.listener_closed(l.config->name, false, now));
  for (auto& l : unix_)
    apply_unix_state(l, !down && l.enabled && !faults_.listener_closed(l.config->name, true, now));
}

void server::apply_tcp_state(tcp_listener& l, bool open) {
  open = open && !l.removed;
  if (!open && l.acceptor.is_open()) {
    l.acceptor.close();
    log_.log(observe::level::info, "listener closed", {{"listener", l.config->name}});
  } else if (open && !l.acceptor.is_open()) {
    try {
      l.acceptor = bind_tcp(io_, *l.config, l.port).acceptor;
      accept_tcp(l);
      log_.log(observe::level::info, "listener open", {{"listener", l.config->name}});
    } catch (const std::exception& e) {
      log_.log(observe::level::error, "listener reopen failed", {{"error", e.what()}});
    }
  }
}

void server::apply_unix_state(unix_listener& l, bool open) {
  open = open && !l.removed;
  if (!open && l.acceptor.is_open()) {
    l.acceptor.close();
    std::error_code ignored;
    std::filesystem::remove(l.path, ignored);  // a missing socket file is PG being down
    log_.log(observe::level::info, "listener closed", {{"listener", l.config->name}});
  } else if (open && !l.acceptor.is_open()) {
    try {
      l.acceptor = bind_unix(io_, *l.config).acceptor;
      accept_unix(l);
      log_.log(observe::level::info, "listener open", {{"listener", l.config->name}});
    } catch (const std::exception& e) {
      log_.log(observe::level::error, "listener reopen failed", {{"error", e.what()}});
    }
  }
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
  for (auto& timer : action_timers_) timer->cancel();
  if (restart_timer_) restart_timer_->cancel();
  for (auto& stopped : on_stop_) stopped();
  auto why = protocol::errors::admin_terminate();
  auto snapshot = connections_;
  for (auto& [pid, weak] : snapshot)
    if (auto c = weak.lock()) c->request_terminate(why);
}

}  // namespace fauxgres::net
