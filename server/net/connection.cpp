// The per-connection coroutine; see connection.hpp.
#include "net/connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/rand.h>
#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "net/server.hpp"

namespace fauxgres::net {

namespace asio = boost::asio;
using asio::awaitable;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

// "127.0.0.1:5000" → "127.0.0.1", "[::1]:5000" → "::1", "[local]" stays.
std::string client_address_of(const std::string& peer) {
  if (peer == "[local]") return peer;
  auto colon = peer.rfind(':');
  auto host = colon == std::string::npos ? peer : peer.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return host;
}

void fill_random(std::span<std::uint8_t> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1)
    throw std::runtime_error("RAND_bytes failed");
}

}  // namespace

connection::connection(server& owner, socket_type socket, const config::listener_config& listener,
                       std::string peer, std::uint64_t id, std::int32_t pid, std::int32_t key)
    : server_(owner),
      socket_(std::move(socket)),
      listener_(listener),
      peer_(std::move(peer)),
      id_(id),
      session_(owner.context_,
               {&listener, peer_, listener.type == config::listener_config::kind::unix_socket,
                client_address_of(peer_), id, owner.uptime()},
               pid, key, fill_random, [] { return std::chrono::system_clock::now(); }),
      wait_timer_(socket_.get_executor()),
      deadline_timer_(socket_.get_executor()),
      opened_(std::chrono::steady_clock::now()) {}

connection::~connection() = default;

void connection::interrupt() {
  boost::system::error_code ignored;
  socket_.cancel(ignored);
  wait_timer_.cancel();
}

void connection::request_cancel(std::int32_t key) {
  if (key != session_.secret_key()) return;  // wrong key: silently ignored, as PG
  cancel_requested_ = true;
  wait_timer_.cancel();
}

void connection::request_terminate(const protocol::error_fields& why) {
  terminate_ = std::make_unique<protocol::error_fields>(why);
  interrupt();
}

void connection::handle_interrupts() {
  if (terminate_) {
    session_.terminate(*terminate_);
    terminate_.reset();
  }
  if (auth_timed_out_) session_.authentication_timeout();
  if (deadline_fired_) {
    deadline_fired_ = false;
    session_.deadline_reached();
  }
  if (cancel_requested_) {
    cancel_requested_ = false;
    session_.cancel();
  }
}

void connection::drain_events() {
  auto& log = server_.log_;
  server_.log_fault_events();
  for (auto& e : session_.take_events()) {
    using kind = session::event::kind;
    switch (e.what) {
      case kind::startup:
        log.log(observe::level::info, "connect",
                {{"id", static_cast<std::int64_t>(id_)},
                 {"listener", listener_.name},
                 {"peer", peer_},
                 {"user", session_.user()},
                 {"database", session_.database()},
                 {"application_name", session_.application_name()}});
        break;
      case kind::auth_ok:
        ++server_.stats_.logins;
        log.log(observe::level::info, "authenticated",
                {{"id", static_cast<std::int64_t>(id_)}, {"user", session_.user()}});
        break;
      case kind::auth_failed:
        ++server_.stats_.auth_failures;
        log.log(observe::level::info, "authentication failed",
                {{"id", static_cast<std::int64_t>(id_)},
                 {"user", session_.user()},
                 {"reason", e.text}});
        break;
      case kind::statement:
        log.log(observe::level::debug, "statement",
                {{"id", static_cast<std::int64_t>(id_)}, {"sql", e.text}});
        break;
      case kind::cancel_request:
        server_.cancel(e.cancel_pid, e.cancel_key);
        break;
      case kind::closing:
        close_reason_ = e.text;
        break;
    }
  }
}

void connection::arm_deadline() {
  auto limit = session_.deadline();
  if (limit.count() <= 0) return;
  deadline_timer_.expires_after(limit);
  deadline_timer_.async_wait([self = weak_from_this()](boost::system::error_code ec) {
    auto c = self.lock();
    if (ec || !c) return;
    c->deadline_fired_ = true;
    c->interrupt();
  });
}

awaitable<void> connection::hang() {
  // A black hole: the socket stays open, nothing is read or sent, until the server
  // terminates the connection or shuts down.
  while (!terminate_) {
    wait_timer_.expires_after(std::chrono::hours(24));
    co_await wait_timer_.async_wait(use_tuple);
  }
  terminate_.reset();
  co_await close(false);
}

awaitable<bool> connection::flush() {
  auto out = session_.output();
  if (out.empty()) co_return true;
  boost::system::error_code ec;
  if (tls_) {
    std::tie(ec, std::ignore) = co_await asio::async_write(*tls_, asio::buffer(out), use_tuple);
  } else {
    // Most replies fit the socket buffer: write directly, fall back to waiting.
    std::size_t written = socket_.write_some(asio::buffer(out), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      written = 0;
      ec = {};
    }
    if (!ec && written < out.size())
      std::tie(ec, std::ignore) =
          co_await asio::async_write(socket_, asio::buffer(out.substr(written)), use_tuple);
  }
  if (ec) co_return false;
  session_.output_sent();
  co_return true;
}

awaitable<connection::read_outcome> connection::read_more() {
  boost::system::error_code ec;
  std::size_t n = 0;
  if (tls_) {
    if (tls_buffer_.empty()) tls_buffer_.resize(16384);
    std::tie(ec, n) = co_await tls_->async_read_some(asio::buffer(tls_buffer_), use_tuple);
    if (!ec) session_.receive(std::string_view(tls_buffer_.data(), n));
  } else {
    // Wait for readability, then read into the server's shared buffer: an idle
    // connection holds no read buffer of its own.
    std::tie(ec) = co_await socket_.async_wait(socket_type::wait_read, use_tuple);
    if (!ec) {
      auto& buffer = server_.read_buffer_;
      n = socket_.read_some(asio::buffer(buffer), ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again)
        co_return read_outcome::data;
      if (!ec) session_.receive(std::string_view(buffer.data(), n));
    }
  }
  if (!ec) co_return read_outcome::data;
  if (ec == asio::error::operation_aborted) co_return read_outcome::interrupted;
  if (ec == asio::error::connection_reset) co_return read_outcome::reset;
  co_return read_outcome::closed;
}

awaitable<bool> connection::start_tls() {
  // PG answers plaintext after 'S' with an RST and no TLS alert: look before handshaking.
  auto [ec] = co_await socket_.async_wait(socket_type::wait_read, use_tuple);
  if (ec) co_return false;
  unsigned char first = 0;
  auto peeked = ::recv(socket_.native_handle(), &first, 1, MSG_PEEK);
  if (peeked <= 0) co_return false;
  if (first != 0x16) {
    co_await close(true);
    close_reason_ = "plaintext after SSL accepted";
    co_return false;
  }
  const tls_setup* setup = &*server_.tls_;
  if (const auto& name = session_.tls_certificate(); !name.empty() && server_.test_certificates_) {
    if (auto it = server_.test_certificates_->by_name.find(name);
        it != server_.test_certificates_->by_name.end())
      setup = &it->second;
  }
  tls_ = std::make_unique<asio::ssl::stream<socket_type&>>(socket_, *setup->context);
  std::tie(ec) = co_await tls_->async_handshake(asio::ssl::stream_base::server, use_tuple);
  if (ec) {
    close_reason_ = "TLS handshake failed: " + ec.message();
    co_return false;
  }
  session_.tls_established(setup->end_point_hash);
  co_return true;
}

awaitable<void> connection::wait(std::chrono::milliseconds duration) {
  wait_timer_.expires_after(duration);
  auto [ec] = co_await wait_timer_.async_wait(use_tuple);
  if (ec == asio::error::operation_aborted)
    handle_interrupts();
  else
    session_.wait_finished();
}

awaitable<void> connection::close(bool reset) {
  boost::system::error_code ignored;
  deadline_timer_.cancel();
  if (!socket_.is_open()) co_return;
  if (reset) {
    socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  } else if (tls_) {
    // close_notify first, as PG; don't wait long for the peer's.
    wait_timer_.expires_after(std::chrono::milliseconds(50));
    wait_timer_.async_wait([self = weak_from_this()](boost::system::error_code ec) {
      if (auto c = self.lock(); c && !ec) c->socket_.cancel();
    });
    co_await tls_->async_shutdown(use_tuple);
    wait_timer_.cancel();
  }
  socket_.close(ignored);
}

awaitable<void> connection::run() {
  auto self = shared_from_this();
  socket_.non_blocking(true);
  if (listener_.type == config::listener_config::kind::tcp) {
    boost::system::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  }
  deadline_timer_.expires_after(server_.config_.authentication_timeout);
  deadline_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto c = weak.lock();
    if (ec || !c || c->session_.logged_in()) return;
    c->auth_timed_out_ = true;
    c->interrupt();
  });

  session_.accepted();
  bool peer_gone = false;
  while (true) {
    drain_events();
    if (!co_await flush()) {
      close_reason_ = "could not send data to client";
      break;
    }
    auto next = session_.next_action();
    using kind = session::action::kind;
    if (next.what == kind::close || next.what == kind::reset) {
      co_await close(next.what == kind::reset);
      break;
    }
    if (next.what == kind::hang) {
      co_await hang();
      break;
    }
    if (next.what == kind::start_tls) {
      if (!co_await start_tls()) break;
      continue;
    }
    if (next.what == kind::wait) {
      co_await wait(next.wait_for);
      continue;
    }
    if (session_.logged_in()) arm_deadline();
    auto outcome = co_await read_more();
    if (session_.logged_in()) deadline_timer_.cancel();
    if (outcome == read_outcome::interrupted) {
      handle_interrupts();
    } else if (outcome != read_outcome::data) {
      peer_gone = true;
      close_reason_ = outcome == read_outcome::reset ? "client reset the connection"
                                                     : "client closed the connection";
      break;
    }
  }
  if (peer_gone) co_await close(false);
  deadline_timer_.cancel();
  wait_timer_.cancel();
  drain_events();

  auto lifetime = std::chrono::duration<double>(std::chrono::steady_clock::now() - opened_);
  server_.log_.log(observe::level::info, "disconnect",
                   {{"id", static_cast<std::int64_t>(id_)},
                    {"user", session_.user()},
                    {"duration_s", lifetime.count()},
                    {"reason", close_reason_}});
  server_.stats_.connection_closed(listener_.name);
  server_.forget(session_.backend_pid());
}

}  // namespace fauxgres::net
