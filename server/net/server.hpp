// The network server: listeners, TLS, one coroutine per connection, the registry used for
// cancel requests and shutdown, and signal handling. The only module that does I/O.
#pragma once

#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/server_config.hpp"
#include "config/url.hpp"
#include "faults/rules.hpp"
#include "net/listeners.hpp"
#include "net/tls.hpp"
#include "observe/logger.hpp"
#include "observe/stats.hpp"
#include "responder/fixtures.hpp"
#include "session/session.hpp"

namespace fauxgres::net {

class connection;

// One open connection, as the control API lists it.
struct connection_snapshot {
  std::uint64_t id = 0;
  std::int32_t pid = 0;
  std::string listener;
  std::string peer;
  std::string user;
  std::string database;
  std::string application_name;
  std::string state;              // session::to_string(state)
  char transaction_status = 'I';  // I, T or E
  std::chrono::milliseconds age{0};
  std::chrono::milliseconds idle{0};  // since its last ReadyForQuery; 0 while a statement runs
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
};

// One listener, as the control API lists it.
struct listener_snapshot {
  std::string name;
  bool unix_socket = false;
  std::string address;  // "127.0.0.1:5432", "[::1]:5432" or the socket file path
  bool enabled = true;
  bool open = true;  // accepting now (a disabled listener, a fault or a restart closes it)
  std::uint64_t connections = 0;
};

class server {
 public:
  server(const config::server_config& config, const responder::fixtures& fixtures,
         faults::engine& rules, observe::logger& log);
  ~server();

  // Binds every listener and prepares TLS. Throws std::runtime_error naming what failed.
  void start();
  // One line: where it listens and a connection URL.
  std::string ready_line() const;
  // Where clients are pointed: the first TCP listener, else the first Unix socket.
  config::endpoint client_endpoint() const;
  // Serves until SIGINT/SIGTERM (fast shutdown) and returns the exit status.
  int run();
  // Fast shutdown as PG: 57P01 to every session, listeners closed, socket files removed.
  void shutdown_fast();

  // --- Control: the HTTP API, scheduled action rules and `fauxgres run` use these. All run
  // on the server's io_context thread, the only thread there is.
  boost::asio::io_context& io() { return io_; }
  faults::engine& rules() { return faults_; }
  // Call after changing rules(): re-plans listener windows and scheduled actions, and
  // prepares TLS for `ssl` rules.
  void rules_changed();
  // Server-wide actions (57P01 to every session; restart = that, then refused for
  // `down_for`; smart shutdown; failover = restart, then read-only). `source` names who
  // asked, for the event log ("api", a rule's name, "scenario").
  void kill_all(std::string_view source);
  void restart(std::chrono::milliseconds down_for, std::string_view source);
  void shutdown_smart(std::string_view source);
  void failover(std::chrono::milliseconds down_for, std::string_view source);
  // Terminates one connection by id with 57P01, as pg_terminate_backend; false if unknown.
  bool terminate(std::uint64_t connection_id);
  // Disabling closes the listener and drops its connections (FIN, no message), like a
  // disabled Toxiproxy proxy. False if there is no such listener.
  bool set_listener_enabled(std::string_view name, bool enabled);
  // A listener added at runtime (a Toxiproxy proxy); throws std::runtime_error if it
  // cannot bind or the name is taken. remove_listener closes it and drops its connections.
  listener_snapshot add_listener(config::listener_config listener);
  bool remove_listener(std::string_view name);
  // Clears every rule and mode: listeners enabled, not read-only, not shutting down.
  // Connections stay.
  void reset();
  std::vector<connection_snapshot> connections() const;
  std::vector<listener_snapshot> listeners() const;
  bool read_only() const { return context_.read_only; }
  bool shutting_down() const { return context_.shutting_down; }
  // Whether the process exits when a smart shutdown completes (not when the API is on).
  void keep_running_after_shutdown(bool keep) { keep_running_after_shutdown_ = keep; }
  // Called when the fast shutdown begins, so what else runs on io() (the control API)
  // closes its sockets and run() can return.
  void on_stop(std::function<void()> callback) { on_stop_.push_back(std::move(callback)); }

  const observe::stats& stats() const { return stats_; }
  observe::stats& stats() { return stats_; }
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
  void forget(std::int32_t pid);  // a connection ended
  void log_fault_events();
  void schedule_listener_states();
  void apply_listener_states();
  void apply_tcp_state(tcp_listener& l, bool open);
  void apply_unix_state(unix_listener& l, bool open);
  bool listener_down() const;
  void schedule_actions();
  void run_action(const faults::server_action& action, std::string_view source);
  void rule_moment(const std::string& rule);  // put the rule to every open connection
  void connection_closed();
  void drop_listener_connections(std::string_view name);
  void prepare_tls_for_rules();

  const config::server_config& config_;
  faults::engine& faults_;
  observe::logger& log_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::size_t logged_fault_events_ = 0;
  // One thread does all the work, so Asio's scheduler and reactor need no locks.
  boost::asio::io_context io_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE};
  boost::asio::signal_set signals_{io_};
  // Declared after io_: timers must be destroyed before their io_context.
  std::vector<std::unique_ptr<boost::asio::steady_timer>> schedule_;
  std::vector<std::unique_ptr<boost::asio::steady_timer>> action_timers_;
  std::vector<std::pair<std::string, std::chrono::milliseconds>> scheduled_actions_;
  std::unique_ptr<boost::asio::steady_timer> restart_timer_;
  std::list<config::listener_config> added_listeners_;  // stable: connections point in
  session::server_context context_;
  std::optional<tls_setup> tls_;
  std::optional<test_certificates> test_certificates_;  // for `ssl` fault rules
  std::list<tcp_listener> tcp_;                         // lists: accept handlers hold references
  std::list<unix_listener> unix_;
  std::unordered_map<std::int32_t, std::weak_ptr<connection>> connections_;
  observe::stats stats_;
  std::uint64_t next_id_ = 1;
  std::int32_t next_pid_;
  std::uint64_t key_state_;
  std::vector<char> read_buffer_;  // shared by plain-socket reads: connections keep none
  bool stopping_ = false;
  bool down_ = false;               // restart / failover: refusing until restart_timer_
  bool shutdown_complete_ = false;  // smart shutdown ended: listeners closed
  bool keep_running_after_shutdown_ = false;
  std::vector<std::function<void()>> on_stop_;
};

}  // namespace fauxgres::net
