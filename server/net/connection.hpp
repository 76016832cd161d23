// One client connection: owns its socket and its session, runs as one coroutine, and
// carries out the session's actions (send, read, TLS, wait, close by FIN or RST).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "session/session.hpp"

namespace fauxgres::net {

class server;

class connection : public std::enable_shared_from_this<connection> {
 public:
  using socket_type = boost::asio::generic::stream_protocol::socket;

  connection(server& owner, socket_type socket, const config::listener_config& listener,
             std::string peer, std::uint64_t id, std::int32_t pid, std::int32_t key);
  ~connection();

  boost::asio::awaitable<void> run();
  void request_cancel(std::int32_t key);
  void request_terminate(const protocol::error_fields& why);

 private:
  enum class read_outcome { data, interrupted, closed, reset };
  boost::asio::awaitable<bool> flush();
  boost::asio::awaitable<read_outcome> read_more();
  boost::asio::awaitable<bool> start_tls();
  boost::asio::awaitable<void> wait(std::chrono::milliseconds duration);
  boost::asio::awaitable<void> close(bool reset);
  void interrupt();
  void handle_interrupts();
  void drain_events();
  void arm_deadline();
  boost::asio::awaitable<void> hang();

  server& server_;
  socket_type socket_;
  const config::listener_config& listener_;
  std::string peer_;
  std::uint64_t id_;
  session::session session_;
  std::unique_ptr<boost::asio::ssl::stream<socket_type&>> tls_;
  std::vector<char> tls_buffer_;
  boost::asio::steady_timer wait_timer_;
  boost::asio::steady_timer deadline_timer_;  // authentication_timeout, then session deadlines
  std::chrono::steady_clock::time_point opened_;
  std::string close_reason_;
  std::unique_ptr<protocol::error_fields> terminate_;  // rare: kept off the connection
  bool cancel_requested_ = false;
  bool auth_timed_out_ = false;
  bool deadline_fired_ = false;
};

}  // namespace fauxgres::net
