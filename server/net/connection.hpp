// One client connection: owns its socket and its session, runs as one coroutine, and
// carries out the session's actions (send, read, TLS, wait, close by FIN or RST).
#pragma once

#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "net/shaped_stream.hpp"
#include "session/session.hpp"

namespace fauxgres::net {

class server;
struct network_state;
struct connection_snapshot;

class connection : public std::enable_shared_from_this<connection> {
 public:
  using socket_type = boost::asio::generic::stream_protocol::socket;

  connection(server& owner, socket_type socket, const config::listener_config& listener,
             std::string peer, std::uint64_t id, std::int32_t pid, std::int32_t key);
  ~connection();

  boost::asio::awaitable<void> run();
  void request_cancel(std::int32_t key);
  void request_terminate(const protocol::error_fields& why);
  void request_drop();  // close at once, no message (a listener disabled by the API)
  void rule_moment(std::string_view rule);  // a rule's moment came (terminate at=)
  connection_snapshot snapshot() const;
  const std::string& listener_name() const { return listener_.name; }
  std::uint64_t id() const { return id_; }
  // The rules changed (control API): network rules may now apply to this connection, or
  // no longer, even while it waits. `network_rules`: the engine has some.
  void network_rules_changed(bool network_rules);

 private:
  friend class shaped_stream;
  // `ended`: a network fault closed or reset the connection.
  enum class read_outcome { data, interrupted, closed, reset, ended };
  // The common cases run in run() itself, without a coroutine frame of their own: replies
  // that fit the socket, and plain reads. flush() and read_more() handle the rest.
  bool flushed_without_waiting();
  bool reads_plainly();
  read_outcome received_plainly(const boost::system::error_code& ec, std::size_t n);
  void write_what_fits(boost::system::error_code& ec);
  boost::asio::awaitable<bool> flush();
  boost::asio::awaitable<read_outcome> read_more();
  boost::asio::awaitable<bool> start_tls();
  boost::asio::awaitable<void> wait(std::chrono::milliseconds duration);
  boost::asio::awaitable<void> close(bool reset, bool peer_closed = false);
  void interrupt();
  void handle_interrupts();
  void drain_events();
  void arm_deadline();
  boost::asio::awaitable<void> hang();

  // Network faults (connection_network.cpp): bytes through the toxics in effect.
  using error_code = boost::system::error_code;
  bool shaping();  // cheap when no network rule exists
  bool refresh_network();
  bool interrupt_pending() const;
  std::chrono::microseconds network_now() const;
  std::chrono::microseconds network_deadline() const;
  boost::asio::awaitable<bool> network_sleep(std::chrono::microseconds until);
  boost::asio::awaitable<bool> flush_shaped();
  boost::asio::awaitable<bool> flush_shaped_now();
  boost::asio::awaitable<read_outcome> read_more_shaped();
  boost::asio::awaitable<std::pair<error_code, std::string_view>> read_shaped(std::size_t max);
  boost::asio::awaitable<error_code> write_shaped(std::string_view bytes);
  error_code end_by_network(bool reset, std::string_view by);  // closes now
  boost::asio::awaitable<void> slow_close(bool peer_closed);
  read_outcome outcome_of(const error_code& ec) const;
  std::string_view with_rest_of_read(std::size_t n);  // after a full inline read

  server& server_;
  socket_type socket_;
  const config::listener_config& listener_;
  std::string peer_;
  std::string client_address_;  // peer_ without the port: "127.0.0.1", "::1", "[local]"
  std::uint64_t id_;
  session::session session_;
  struct tls_session {
    tls_session(shaped_stream next, boost::asio::ssl::context& context)
        : stream(std::move(next), context) {}
    boost::asio::ssl::stream<shaped_stream> stream;
    std::array<char, 16384> buffer;
  };
  std::unique_ptr<tls_session> tls_;  // once TLS is negotiated
  boost::asio::steady_timer wait_timer_;
  boost::asio::steady_timer deadline_timer_;  // authentication_timeout, then session deadlines
  std::chrono::steady_clock::time_point opened_;
  std::string close_reason_;
  std::unique_ptr<protocol::error_fields> terminate_;  // rare: kept off the connection
  bool cancel_requested_ = false;
  bool drop_requested_ = false;
  std::optional<std::chrono::milliseconds> reported_idle_since_;  // last given to the stats
  bool auth_timed_out_ = false;
  bool deadline_fired_ = false;
  bool reading_ = false;  // waiting for the client's bytes: a rules change may wake it
  read_outcome deferred_outcome_ = read_outcome::data;  // an end met after data
  std::uint64_t net_generation_ = ~std::uint64_t(0);    // the engine's rules last looked at
  std::unique_ptr<network_state> net_;                  // only once a network rule existed
  std::array<char, 64> inbox_;  // a typical request (P B D E S of "SELECT 1;": 53); see read_more
};

}  // namespace fauxgres::net
