// The network server: listeners, TLS, one coroutine per connection, the registry used for
// cancel requests and shutdown, and signal handling. The only module that does I/O.
#pragma once

#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/server_config.hpp"
#include "faults/rules.hpp"
#include "net/listeners.hpp"
#include "net/tls.hpp"
#include "observe/logger.hpp"
#include "observe/stats.hpp"
#include "responder/fixtures.hpp"
#include "session/session.hpp"

namespace fauxgres::net {

class connection;

class server {
 public:
  server(const config::server_config& config, const responder::fixtures& fixtures,
         faults::engine& rules, observe::logger& log);
  ~server();

  // Binds every listener and prepares TLS. Throws std::runtime_error naming what failed.
  void start();
  // One line: where it listens and a connection URL.
  std::string ready_line() const;
  // Serves until SIGINT/SIGTERM (fast shutdown) and returns the exit status.
  int run();
  // Fast shutdown as PG: 57P01 to every session, listeners closed, socket files removed.
  void shutdown_fast();

  const observe::stats& stats() const { return stats_; }
  // The counters and fired faults as JSON (for --stats-file).
  std::string stats_json() const;
  std::chrono::milliseconds uptime() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 started_);
  }

 private:
  friend class connection;
  void accept_tcp(tcp_listener& listener);
  void accept_unix(unix_listener& listener);
  void adopt(boost::asio::generic::stream_protocol::socket socket,
             const config::listener_config& listener, std::string peer);
  void cancel(std::int32_t pid, std::int32_t key);
  void forget(std::int32_t pid) { connections_.erase(pid); }
  void log_fault_events();
  void schedule_listener_states();
  void apply_listener_states();

  const config::server_config& config_;
  faults::engine& faults_;
  observe::logger& log_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::size_t logged_fault_events_ = 0;
  boost::asio::io_context io_{1};
  boost::asio::signal_set signals_{io_};
  // Declared after io_: timers must be destroyed before their io_context.
  std::vector<std::unique_ptr<boost::asio::steady_timer>> schedule_;
  session::server_context context_;
  std::optional<tls_setup> tls_;
  std::optional<test_certificates> test_certificates_;  // for `ssl` fault rules
  std::vector<tcp_listener> tcp_;
  std::vector<unix_listener> unix_;
  std::unordered_map<std::int32_t, std::weak_ptr<connection>> connections_;
  observe::stats stats_;
  std::uint64_t next_id_ = 1;
  std::int32_t next_pid_;
  std::uint64_t key_state_;
  std::vector<char> read_buffer_;  // shared by plain-socket reads: connections keep none
  bool stopping_ = false;
};

}  // namespace fauxgres::net
