// The per-connection coroutine; see connection.hpp.
#include "net/connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/rand.h>
#include <sys/socket.h>

#include <cstring>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "net/network_state.hpp"
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
      client_address_(client_address_of(peer_)),
      id_(id),
      session_(owner.context_,
               {&listener, peer_, listener.type == config::listener_config::kind::unix_socket,
                client_address_, id, owner.uptime()},
               pid, key, fill_random, [] { return std::chrono::system_clock::now(); }),
      wait_timer_(socket_.get_executor()),
      deadline_timer_(socket_.get_executor()),
      opened_(std::chrono::steady_clock::now()) {}

connection::~connection() {
  if (net_) net_->engine->forget_network(id_);
}

void connection::interrupt() {
  boost::system::error_code ignored;
  socket_.cancel(ignored);
  wait_timer_.cancel();
  if (net_) net_->timer.cancel();
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

void connection::request_drop() {
  drop_requested_ = true;
  interrupt();
}

void connection::rule_moment(std::string_view rule) {
  // Decided now, for the session as it is now; carried out as pg_terminate_backend is,
  // even in the middle of a statement.
  auto v = session_.moment_verdict(rule);
  if (v.what == faults::verdict::kind::fatal) request_terminate(v.error);
}

connection_snapshot connection::snapshot() const {
  connection_snapshot s;
  s.id = id_;
  s.pid = session_.backend_pid();
  s.listener = listener_.name;
  s.peer = peer_;
  s.user = session_.user();
  s.database = session_.database();
  s.application_name = session_.application_name();
  s.state = std::string(session::to_string(session_.current_state()));
  s.transaction_status = session_.transaction_status();
  auto now = server_.uptime();
  s.age = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                opened_);
  if (auto since = session_.idle_since()) s.idle = now - *since;  // 0 while busy
  s.bytes_in = session_.bytes_received();
  s.bytes_out = session_.bytes_sent();
  return s;
}

void connection::handle_interrupts() {
  if (drop_requested_) {
    drop_requested_ = false;
    session_.drop();
  }
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
  auto& stats = server_.stats_;
  // Faults fired for this connection since the last drain (nothing else runs in between):
  // one that ended it before login is why it was turned away.
  const auto& fired = server_.faults_.events();
  auto fresh = fired.size();
  while (fresh > 0 && fired[fresh - 1].sequence > server_.logged_fault_events_) --fresh;
  for (; fresh < fired.size(); ++fresh) {
    const auto& e = fired[fresh];
    if (e.connection != id_) continue;
    const std::string_view action = e.action;
    const bool ends =
        action.starts_with("fatal") || action == "close" || action == "reset" || action == "hang";
    stats.fault_fired(id_, e.type, ends);
  }
  server_.log_fault_events();
  for (auto& e : session_.take_events()) {
    using kind = session::event::kind;
    switch (e.what) {
      case kind::startup:
        stats.connection_started(id_, session_.user(), session_.application_name());
        log.log(observe::level::info, "connect",
                {{"id", static_cast<std::int64_t>(id_)},
                 {"listener", listener_.name},
                 {"peer", peer_},
                 {"user", session_.user()},
                 {"database", session_.database()},
                 {"application_name", session_.application_name()}});
        break;
      case kind::auth_ok:
        stats.connection_logged_in(id_);
        log.log(observe::level::info, "authenticated",
                {{"id", static_cast<std::int64_t>(id_)}, {"user", session_.user()}});
        break;
      case kind::auth_failed:
        stats.authentication_failed(id_);
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
        stats.cancel_request(id_);
        server_.cancel(e.cancel_pid, e.cancel_key);
        break;
      case kind::closing:
        close_reason_ = e.text;
        break;
      case kind::error_sent:
        stats.error_sent(id_, e.text);
        break;
    }
  }
  // Only a change of idle state costs a clock read and a counter lookup.
  if (session_.logged_in() && session_.idle_since() != reported_idle_since_) {
    reported_idle_since_ = session_.idle_since();
    stats.idle(id_, reported_idle_since_, server_.uptime());
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
  while (!terminate_ && !drop_requested_) {
    wait_timer_.expires_after(std::chrono::hours(24));
    co_await wait_timer_.async_wait(use_tuple);
  }
  terminate_.reset();
  co_await close(false);
}

// Plain sockets: each piece the session flushed gets its own send, so segments fall as
// PG's do, as long as the socket takes them. A full socket leaves the rest for later.
void connection::write_what_fits(boost::system::error_code& ec) {
  for (auto out = session_.output(); !out.empty(); out = session_.output()) {
    const std::size_t written = socket_.write_some(asio::buffer(out), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      ec = {};
      return;
    }
    if (ec) return;
    if (written < out.size()) {
      session_.output_sent(written);
      return;
    }
    session_.output_sent();
  }
}

bool connection::flushed_without_waiting() {
  if (tls_ || shaping()) return false;
  boost::system::error_code ec;
  write_what_fits(ec);
  return !ec && session_.output().empty();  // else flush() waits, or meets the error again
}

awaitable<bool> connection::flush() {
  if (session_.output().empty() && !net_) co_return true;
  if (shaping()) co_return co_await flush_shaped();  // network faults in effect
  if (tls_) {
    for (auto out = session_.output(); !out.empty(); out = session_.output()) {
      auto [ec, n] = co_await asio::async_write(tls_->stream, asio::buffer(out), use_tuple);
      if (ec) co_return false;
      session_.output_sent();
    }
    co_return true;
  }
  while (true) {
    boost::system::error_code ec;
    write_what_fits(ec);
    if (ec) co_return false;
    if (session_.output().empty()) co_return true;
    std::tie(ec) = co_await socket_.async_wait(socket_type::wait_write, use_tuple);
    if (ec) co_return false;
  }
}

std::string_view connection::with_rest_of_read(std::size_t n) {
  // The inline buffer filled up: more may be waiting. Read it behind a copy in the shared
  // buffer, so the session sees one read as large as PG's would be.
  auto& buffer = server_.read_buffer_;
  std::memcpy(buffer.data(), inbox_.data(), n);
  boost::system::error_code ec;
  auto more = socket_.read_some(asio::buffer(buffer.data() + n, buffer.size() - n), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    more = 0;
  } else if (ec) {
    more = 0;
    deferred_outcome_ = outcome_of(ec);  // given on the next read, after these bytes
  }
  return {buffer.data(), n + more};
}

bool connection::reads_plainly() {
  return !tls_ && !interrupt_pending() && deferred_outcome_ == read_outcome::data && !shaping();
}

// Read into a small inline buffer, which holds a typical query: unlike async_wait,
// async_read_some needs no epoll_ctl per read. Bigger reads continue in the server's
// shared buffer, so an idle connection keeps no large buffer.
connection::read_outcome connection::received_plainly(const boost::system::error_code& ec,
                                                      std::size_t n) {
  if (ec) return outcome_of(ec);
  session_.receive(n < inbox_.size() ? std::string_view(inbox_.data(), n) : with_rest_of_read(n));
  return read_outcome::data;
}

// The reads run() does not do itself (see reads_plainly): a pending interrupt or end,
// network faults in effect, or else TLS.
awaitable<connection::read_outcome> connection::read_more() {
  // An interrupt that came while nothing waited (during a write) is handled first.
  if (interrupt_pending()) co_return read_outcome::interrupted;
  if (deferred_outcome_ != read_outcome::data)
    co_return std::exchange(deferred_outcome_, read_outcome::data);
  if (shaping()) co_return co_await read_more_shaped();
  reading_ = true;
  auto [ec, n] = co_await tls_->stream.async_read_some(asio::buffer(tls_->buffer), use_tuple);
  reading_ = false;
  if (ec) co_return outcome_of(ec);
  session_.receive(std::string_view(tls_->buffer.data(), n));
  co_return read_outcome::data;
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
  tls_ = std::make_unique<tls_session>(shaped_stream(*this, socket_), *setup->context);
  std::tie(ec) = co_await tls_->stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
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

awaitable<void> connection::close(bool reset, bool peer_closed) {
  boost::system::error_code ignored;
  deadline_timer_.cancel();
  if (!socket_.is_open()) co_return;
  if (net_) net_->closing = true;
  if (reset) {
    socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  } else if (tls_) {
    // close_notify first, as PG; don't wait long for the peer's.
    wait_timer_.expires_after(std::chrono::milliseconds(50));
    wait_timer_.async_wait([self = weak_from_this()](boost::system::error_code ec) {
      if (auto c = self.lock(); c && !ec) c->socket_.cancel();
    });
    co_await tls_->stream.async_shutdown(use_tuple);
    wait_timer_.cancel();
  }
  if (net_ && shaping()) co_await slow_close(peer_closed);  // the FIN (or RST) waits
  if (socket_.is_open()) socket_.close(ignored);
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
    if (!flushed_without_waiting() && !co_await flush()) {
      if (!net_ || net_->ended_by.empty()) close_reason_ = "could not send data to client";
      break;  // (a network fault that ended the connection said why)
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
    read_outcome outcome;
    if (reads_plainly()) {
      reading_ = true;
      auto [ec, n] = co_await socket_.async_read_some(asio::buffer(inbox_), use_tuple);
      reading_ = false;
      outcome = received_plainly(ec, n);
    } else {
      outcome = co_await read_more();
    }
    if (session_.logged_in()) deadline_timer_.cancel();
    if (outcome == read_outcome::interrupted) {
      handle_interrupts();
    } else if (outcome == read_outcome::ended) {
      break;  // a network fault closed or reset it
    } else if (outcome != read_outcome::data) {
      peer_gone = true;
      close_reason_ = outcome == read_outcome::reset ? "client reset the connection"
                                                     : "client closed the connection";
      break;
    }
  }
  if (peer_gone) co_await close(false, true);
  deadline_timer_.cancel();
  wait_timer_.cancel();
  drain_events();

  auto lifetime = std::chrono::duration<double>(std::chrono::steady_clock::now() - opened_);
  server_.log_.log(observe::level::info, "disconnect",
                   {{"id", static_cast<std::int64_t>(id_)},
                    {"user", session_.user()},
                    {"duration_s", lifetime.count()},
                    {"reason", close_reason_}});
  observe::closing how;
  how.client_gone = peer_gone || close_reason_ == "could not send data to client";
  how.timed_out = auth_timed_out_;
  how.server_stopping = server_.stopping_;
  how.tls_failed = close_reason_.starts_with("TLS handshake failed") ||
                   close_reason_ == "plaintext after SSL accepted";
  server_.stats_.connection_closed(id_, server_.uptime(),
                                   std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::steady_clock::now() - opened_),
                                   how);
  server_.forget(session_.backend_pid());
}

}  // namespace fauxgres::net
