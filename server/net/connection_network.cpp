// Network faults on a connection (Toxiproxy's toxics, faults/toxic.hpp): the engine says which
// are in effect now, each direction's stream shaper plans when bytes pass, and this file
// waits, writes, delivers, holds, closes and resets accordingly. TLS connections shape the
// encrypted bytes (shaped_stream). Nothing here runs while no network rule exists.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstring>
#include <limits>

#include "net/connection.hpp"
#include "net/network_state.hpp"
#include "net/server.hpp"

namespace fauxgres::net {

namespace asio = boost::asio;
using asio::awaitable;
using faults::flow;
using std::chrono::microseconds;
using std::chrono::milliseconds;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t max_held = 16 << 20;  // bytes a timeout toxic holds before reads stop

// A plan for the bytes of `d` not passed yet, made at `now`.
void plan_pending(network_direction& d, std::uint64_t version, microseconds now) {
  d.plan = d.shaper.shape(d.pending().size(), now);
  d.planned = true;
  d.next = 0;
  d.planned_with = version;
}

}  // namespace

bool connection::shaping() {
  if (!net_ && server_.faults_.generation() == net_generation_) return false;
  return refresh_network();
}

microseconds connection::network_now() const {
  return std::chrono::duration_cast<microseconds>(std::chrono::steady_clock::now() -
                                                  server_.started_);
}

bool connection::interrupt_pending() const {
  return terminate_ || cancel_requested_ || deadline_fired_ || drop_requested_;
}

// Asks the engine again when its rules changed, the user became known or a rule's window
// opened or closed. True while toxics apply or bytes wait in either direction.
bool connection::refresh_network() {
  auto& engine = server_.faults_;
  if (server_.stopping_) return false;  // fast shutdown: the network faults stand aside
  const auto generation = engine.generation();
  if (!net_) {
    net_generation_ = generation;
    if (!engine.has_network_rules()) return false;
    net_ = std::make_unique<network_state>(socket_.get_executor(), engine,
                                           engine.seed() ^ (id_ * 0x9e3779b97f4a7c15ull));
    net_->recheck_at = microseconds(0);  // ask now
  }
  auto& net = *net_;
  const bool user_known = !session_.user().empty();
  const auto now = network_now();
  if (generation != net_generation_ || user_known != net.user_known || now >= net.recheck_at) {
    net_generation_ = generation;
    net.user_known = user_known;
    const std::string application = session_.application_name();
    faults::connection_facts facts;
    facts.listener = listener_.name;
    facts.unix_socket = listener_.type == config::listener_config::kind::unix_socket;
    facts.client_address = client_address_;
    facts.ordinal = id_;
    facts.user = session_.user();
    facts.database = session_.database();
    facts.application_name = application;
    const auto answer = engine.network(facts, id_, std::chrono::duration_cast<milliseconds>(now));
    net.recheck_at =
        answer.recheck_at == milliseconds::max() ? faults::never : microseconds(answer.recheck_at);
    const bool up = net.up.shaper.update(answer.toxics, now);
    const bool down = net.down.shaper.update(answer.toxics, now);
    if (up || down) ++net.version;
  }
  return !net.up.shaper.empty() || !net.down.shaper.empty() || !net.up.empty() || !net.down.empty();
}

microseconds connection::network_deadline() const {
  return std::min(net_->up.shaper.deadline(), net_->down.shaper.deadline());
}

awaitable<bool> connection::network_sleep(microseconds until) {
  auto& timer = net_->timer;
  timer.expires_at(server_.started_ + until);
  auto [ec] = co_await timer.async_wait(use_tuple);
  co_return !ec;
}

connection::error_code connection::end_by_network(bool reset, std::string_view by) {
  net_->ended_by = std::string(by);
  close_reason_ = "network fault: " + net_->ended_by;
  error_code ignored;
  deadline_timer_.cancel();
  if (socket_.is_open()) {
    if (reset) socket_.set_option(asio::socket_base::linger(true, 0), ignored);
    socket_.close(ignored);
  }
  if (reset) return asio::error::connection_reset;
  return asio::error::eof;
}

void connection::network_rules_changed(bool network_rules) {
  if (!net_ && !network_rules) return;
  if (net_) net_->timer.cancel();  // plans and slow closes look again
  if (reading_) {
    error_code ignored;
    socket_.cancel(ignored);  // the read looks again
  }
}

connection::read_outcome connection::outcome_of(const error_code& ec) const {
  if (net_ && !net_->ended_by.empty()) return read_outcome::ended;
  if (ec == asio::error::operation_aborted) return read_outcome::interrupted;
  if (ec == asio::error::connection_reset) return read_outcome::reset;
  return read_outcome::closed;
}

// Downstream: `bytes` through the downstream toxics, waiting as planned. Bytes held by a
// timeout toxic go first once it is gone; while it stays, new bytes join them.
awaitable<connection::error_code> connection::write_shaped(std::string_view bytes) {
  auto& net = *net_;
  auto& d = net.down;
  std::string released;
  std::string_view data = bytes;
  if (d.held) {
    d.bytes.append(bytes);
    if (d.shaper.holds() && !server_.stopping_) co_return error_code{};
    released = std::string(d.pending());
    d.clear();
    data = released;
  }
  if (data.empty()) co_return error_code{};
  auto now = network_now();
  const auto stamp = released.empty() && net.down_stamp <= now ? net.down_stamp : now;
  flow plan = d.shaper.shape(data.size(), now, stamp);
  auto version = net.version;
  std::size_t offset = 0;
  std::size_t next = 0;
  for (;;) {
    now = network_now();
    if (server_.stopping_) {  // fast shutdown: what is left goes now
      auto [ec, n] =
          co_await asio::async_write(socket_, asio::buffer(data.substr(offset)), use_tuple);
      co_return ec;
    }
    if (network_deadline() <= now) co_return end_by_network(false, "timeout");
    refresh_network();
    if (version != net.version) {  // the chain changed: the rest goes through the new one
      plan = d.shaper.shape(data.size() - offset, now);
      version = net.version;
      next = 0;
    }
    if (next < plan.pieces.size()) {
      const auto& piece = plan.pieces[next];
      if (piece.at > now) {
        co_await network_sleep(std::min(piece.at, network_deadline()));
        continue;  // early (an interrupt, a rules change): look again
      }
      auto [ec, n] = co_await asio::async_write(
          socket_, asio::buffer(data.substr(offset, piece.size)), use_tuple);
      if (ec) co_return ec;
      offset += piece.size;
      ++next;
      continue;
    }
    switch (plan.end) {
      case flow::ending::none:
        co_return error_code{};
      case flow::ending::hold:
        d.bytes.assign(data.substr(offset));
        d.offset = 0;
        d.held = true;
        co_return error_code{};
      case flow::ending::close:
      case flow::ending::reset:
        if (plan.end_at > now) {
          co_await network_sleep(std::min(plan.end_at, network_deadline()));
          continue;
        }
        co_return end_by_network(plan.end == flow::ending::reset, plan.end_by);
    }
  }
}

// Upstream: the next bytes the client sent that the upstream toxics let through, at most
// `max`; valid until the next call. Errors: operation_aborted (an interrupt), eof and
// connection_reset (the client, or a network fault: then net_->ended_by is set).
awaitable<std::pair<connection::error_code, std::string_view>> connection::read_shaped(
    std::size_t max) {
  using result = std::pair<error_code, std::string_view>;
  auto& net = *net_;
  auto& engine = server_.faults_;
  auto& u = net.up;
  if (u.offset > 0 && u.empty()) {  // what the last call returned is consumed now
    u.bytes.clear();
    u.offset = 0;
  }
  for (;;) {
    if (interrupt_pending()) co_return result{asio::error::operation_aborted, {}};
    if (net.closing) co_return result{asio::error::eof, {}};
    refresh_network();
    // Downstream bytes a timeout toxic held may go now (during a TLS handshake too).
    if (net.down.held && !net.down.shaper.holds()) {
      if (auto ec = co_await write_shaped({})) co_return result{ec, {}};
      continue;
    }
    const auto now = network_now();
    if (network_deadline() <= now) co_return result{end_by_network(false, "timeout"), {}};
    if (u.planned) {
      if (u.planned_with != net.version) {  // the chain changed: the rest goes through the new one
        plan_pending(u, net.version, now);
        continue;
      }
      const auto generation = engine.generation();
      if (u.next < u.plan.pieces.size()) {
        auto& piece = u.plan.pieces[u.next];
        if (piece.size == 0) {
          ++u.next;
          continue;
        }
        if (piece.at > now) {
          if (!co_await network_sleep(std::min(piece.at, network_deadline())) &&
              engine.generation() == generation) {
            co_return result{asio::error::operation_aborted, {}};
          }
          continue;
        }
        const std::size_t n = std::min(piece.size, max);
        const std::string_view out = std::string_view(u.bytes).substr(u.offset, n);
        u.offset += n;
        piece.size -= n;
        if (piece.size == 0) ++u.next;
        if (u.next == u.plan.pieces.size() && u.plan.end == flow::ending::none) u.planned = false;
        co_return result{error_code{}, out};
      }
      switch (u.plan.end) {
        case flow::ending::none:
          u.planned = false;
          continue;
        case flow::ending::hold:
          u.planned = false;
          u.held = true;
          continue;
        case flow::ending::close:
        case flow::ending::reset:
          if (u.plan.end_at > now) {
            if (!co_await network_sleep(std::min(u.plan.end_at, network_deadline())) &&
                engine.generation() == generation) {
              co_return result{asio::error::operation_aborted, {}};
            }
            continue;
          }
          co_return result{end_by_network(u.plan.end == flow::ending::reset, u.plan.end_by), {}};
      }
    }
    if (u.held && !u.shaper.holds()) {  // the timeout toxic went: held bytes go on
      u.held = false;
      plan_pending(u, net.version, now);
      continue;
    }
    // Nothing on its way: wait for the client, a deadline or a window edge.
    const auto wake_at = std::min(network_deadline(), net.recheck_at);
    if (u.pending().size() + net.down.pending().size() > max_held) {
      // Enough held: stop reading, so the client's own buffers fill (Toxiproxy drops).
      const auto generation = engine.generation();
      const auto until = wake_at == faults::never ? now + std::chrono::hours(1) : wake_at;
      if (!co_await network_sleep(until) && engine.generation() == generation) {
        co_return result{asio::error::operation_aborted, {}};
      }
      continue;
    }
    if (wake_at != faults::never) {
      net.timer.expires_at(server_.started_ + wake_at);
      net.timer.async_wait([weak = weak_from_this()](error_code ec) {
        auto c = weak.lock();
        if (!ec && c && c->reading_) c->socket_.cancel();
      });
    }
    const auto generation = engine.generation();
    reading_ = true;
    auto [ec] = co_await socket_.async_wait(socket_type::wait_read, use_tuple);
    reading_ = false;
    net.timer.cancel();
    if (ec == asio::error::operation_aborted &&
        (engine.generation() != generation || network_now() >= wake_at)) {
      continue;
    }
    if (ec) co_return result{ec, {}};
    auto& buffer = server_.read_buffer_;
    const std::size_t n =
        socket_.read_some(asio::buffer(buffer.data(), std::min(buffer.size(), max)), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) continue;
    if (ec) co_return result{ec, {}};
    if (u.held) {  // behind what is held
      u.bytes.append(buffer.data(), n);
      continue;
    }
    const auto read_at = network_now();
    flow plan = u.shaper.shape(n, read_at);
    if (plan.end == flow::ending::none && plan.pieces.size() == 1 && plan.pieces[0].at <= read_at) {
      co_return result{error_code{}, std::string_view(buffer.data(), n)};  // nothing to wait for
    }
    u.bytes.assign(buffer.data(), n);
    u.offset = 0;
    u.plan = std::move(plan);
    u.planned = true;
    u.next = 0;
    u.planned_with = net.version;
  }
}

awaitable<bool> connection::flush_shaped() {
  auto& net = *net_;
  net.down_stamp = network_now();
  const bool sent = co_await flush_shaped_now();
  net.down_stamp = faults::never;
  co_return sent;
}

awaitable<bool> connection::flush_shaped_now() {
  auto& net = *net_;
  // An upstream toxic that let its last bytes through ends the connection before any answer.
  const auto& u = net.up;
  if (u.planned && u.next >= u.plan.pieces.size() && u.plan.end_at <= net.down_stamp &&
      (u.plan.end == flow::ending::close || u.plan.end == flow::ending::reset)) {
    end_by_network(u.plan.end == flow::ending::reset, u.plan.end_by);
    co_return false;
  }
  if (net.down.held && co_await write_shaped({})) co_return false;
  for (auto out = session_.output(); !out.empty(); out = session_.output()) {
    error_code ec;
    if (tls_)
      std::tie(ec, std::ignore) =
          co_await asio::async_write(tls_->stream, asio::buffer(out), use_tuple);
    else
      ec = co_await write_shaped(out);
    if (ec) co_return false;
    session_.output_sent();
  }
  co_return true;
}

awaitable<connection::read_outcome> connection::read_more_shaped() {
  if (tls_) {
    auto [ec, n] = co_await tls_->stream.async_read_some(asio::buffer(tls_->buffer), use_tuple);
    if (ec) co_return outcome_of(ec);
    session_.receive(std::string_view(tls_->buffer.data(), n));
    co_return read_outcome::data;
  }
  auto [ec, data] = co_await read_shaped(std::numeric_limits<std::size_t>::max());
  if (ec) co_return outcome_of(ec);
  session_.receive(data);
  co_return read_outcome::data;
}

// slow_close: the close waits for the downstream toxics' delays (and the upstream ones' when
// the client closed first: Toxiproxy closes the server side after them, then the client's).
awaitable<void> connection::slow_close(bool peer_closed) {
  auto& net = *net_;
  const auto start = network_now();
  for (;;) {
    if (!refresh_network()) co_return;
    auto delay = net.down.shaper.close_delay();
    if (peer_closed) delay += net.up.shaper.close_delay();
    if (start + delay <= network_now()) co_return;
    co_await network_sleep(start + delay);
  }
}

bool shaped_stream::shaping() {
  return owner_.shaping();
}

awaitable<shaped_stream::result> shaped_stream::read(asio::mutable_buffer into) {
  auto [ec, data] = co_await owner_.read_shaped(into.size());
  if (ec) co_return result{ec, 0};
  std::memcpy(into.data(), data.data(), data.size());
  co_return result{boost::system::error_code{}, data.size()};
}

awaitable<shaped_stream::result> shaped_stream::write(asio::const_buffer from) {
  auto ec = co_await owner_.write_shaped(
      std::string_view(static_cast<const char*>(from.data()), from.size()));
  co_return result{ec, ec ? 0 : from.size()};
}

}  // namespace fauxgres::net
