// The session's core: input dispatch by state, state transitions, closing, timers.
#include "session/session_parts.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

namespace fauxgres::session {

std::string_view to_string(state s) {
  switch (s) {
    case state::startup:
      return "startup";
    case state::tls_handshake:
      return "tls_handshake";
    case state::authenticating:
      return "authenticating";
    case state::ready:
      return "ready";
    case state::waiting:
      return "waiting";
    case state::hung:
      return "hung";
    case state::closed:
      return "closed";
  }
  return "unknown";
}

session::session(const server_context& server, connection_info connection, std::int32_t backend_pid,
                 std::int32_t secret_key, random_source random, clock_source clock)
    : server_(server),
      connection_(std::move(connection)),
      pid_(backend_pid),
      secret_(secret_key),
      random_(std::move(random)),
      clock_(std::move(clock)) {}

session::~session() = default;

void session::receive(std::string_view bytes) {
  if (state_ == state::closed || state_ == state::hung) return;
  bytes_received_ += bytes.size();
  idle_since_.reset();
  // reset_after bytes=: the read that reaches the limit is not answered.
  if (rules_listen(faults::hook::message) && act_on(ask_faults(faults::hook::message))) return;
  if (!in_.empty()) {
    in_.append(bytes);
    return process();
  }
  // Most reads hold whole messages: parse them in place, and keep only a partial one.
  borrowed_ = bytes;
  process();
}

void session::process() {
  if (state_ == state::closed) return keep_unconsumed_input();
  next_ = {};
  for (bool progressed = true; progressed && next_.what == action::kind::read;) {
    switch (state_) {
      case state::startup:
        progressed = process_startup_packet();
        break;
      case state::authenticating:
        progressed = process_auth_message();
        break;
      case state::ready:
        progressed = process_message();
        break;
      default:
        progressed = false;
        break;  // input is held while waiting or in TLS setup
    }
  }
  // Like PG's 8 KB output buffer: a long pipeline without Flush still gets sent.
  if (unflushed() > 8192) make_sendable();
  keep_unconsumed_input();
}

void session::keep_unconsumed_input() {
  exchange_input_ = nullptr;  // it pointed into the input of this process() call
  if (borrowed_.data()) {
    in_.assign(borrowed_.substr(in_pos_));
    borrowed_ = {};
    in_pos_ = 0;
  } else if (in_pos_ == in_.size()) {
    // Idle sessions hold no buffers: thousands of pooled connections stay cheap.
    std::string().swap(in_);
    in_pos_ = 0;
  } else if (in_pos_ > 0) {
    in_.erase(0, in_pos_);
    in_pos_ = 0;
  }
}

void session::make_sendable() {
  if (unflushed() == 0) return;
  if (flushes_ == flush_ends_.size())
    flush_ends_.back() = out_.size();
  else
    flush_ends_[flushes_++] = out_.size();
}

namespace {

// One spare output buffer per thread: a session borrows it while it answers and gives it
// back once the answer is sent, so no reply allocates and idle sessions hold nothing.
thread_local std::string spare_output;
constexpr std::size_t largest_spare_bytes = 64 * 1024;

}  // namespace

void session::borrow_output_buffer() {
  if (out_.empty() && spare_output.capacity() >= typical_answer_bytes)
    out_.swap(spare_output);
  else
    out_.reserve(typical_answer_bytes);  // once, instead of several times as it grows
}

void session::output_sent() {
  if (flushes_ == 0) return;
  const auto sent = flush_ends_[0];
  bytes_sent_ += sent - piece_sent_;
  piece_sent_ = 0;
  if (sent == out_.size()) {
    out_.clear();
    if (out_.capacity() > spare_output.capacity() && out_.capacity() <= largest_spare_bytes)
      out_.swap(spare_output);  // the spare keeps the larger buffer
    std::string().swap(out_);   // frees what is left
  } else {
    out_.erase(0, sent);
  }
  for (std::size_t i = 1; i < flushes_; ++i) flush_ends_[i - 1] = flush_ends_[i] - sent;
  --flushes_;
}

// Nothing moves until the piece is whole: a large reply goes out without being copied
// down at every partial send.
void session::output_sent(std::size_t bytes) {
  if (flushes_ == 0) return;
  if (piece_sent_ + bytes >= flush_ends_[0]) return output_sent();
  piece_sent_ += bytes;
  bytes_sent_ += bytes;
}

void session::transition(state to) {
  state_ = to;
}

void session::close_with(const protocol::error_fields* error, std::string_view reason,
                         action::kind how) {
  if (state_ == state::closed) return;
  if (error) {
    auto w = writer();
    if (error->severity == "WARNING" || error->severity == "NOTICE") {
      w.notice_response(*error);
    } else {
      w.error_response(*error);
      events_.push_back({event::kind::error_sent, error->sqlstate});
    }
  }
  make_sendable();
  transition(state::closed);
  next_ = {how, {}};
  events_.push_back({event::kind::closing, std::string(reason)});
}

// PG reads its socket 8 KB at a time and exits on a bad length: bytes beyond what it read
// are still unread in the kernel, so its close becomes an RST.
action::kind session::close_like_pg() const {
  return input().size() > 8192 ? action::kind::reset : action::kind::close;
}

void session::authentication_timeout() {
  if (state_ == state::startup || state_ == state::authenticating || state_ == state::tls_handshake)
    close_with(nullptr, "authentication timeout");
}

void session::terminate(const protocol::error_fields& why) {
  if (state_ == state::closed) return;
  if (state_ == state::hung) return close_with(nullptr, why.message);
  // During startup and authentication PG sends nothing from interrupts.
  if (!logged_in()) return close_with(nullptr, why.message);
  close_with(&why, why.message);
}

void session::drop() {
  if (state_ != state::closed) close_with(nullptr, "dropped by the control API");
}

void session::idle_timeout() {
  if (state_ != state::ready) return;
  if (tx_status_ != 'I')
    terminate(protocol::errors::idle_in_transaction_timeout());
  else
    terminate(protocol::errors::idle_session_timeout());
}

namespace {

// A GUC time value in milliseconds: "0", "1500", "2s", "5min", "250ms", "1h".
std::chrono::milliseconds parse_guc_milliseconds(std::string_view text) {
  std::int64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number <= 0) return std::chrono::milliseconds(0);
  std::string_view unit(end, text.data() + text.size() - end);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  if (unit.empty() || unit == "ms") return std::chrono::milliseconds(number);
  if (unit == "s") return std::chrono::seconds(number);
  if (unit == "min") return std::chrono::minutes(number);
  if (unit == "h") return std::chrono::hours(number);
  if (unit == "d") return std::chrono::hours(24 * number);
  if (unit == "us") return std::chrono::milliseconds(number / 1000);
  return std::chrono::milliseconds(0);
}

}  // namespace

const session::timeout_settings& session::timeouts() const {
  if (timeouts_.settings_version != settings_->version()) {
    auto read = [&](std::string_view name) {
      auto ms = parse_guc_milliseconds(settings_->get(name).value_or("0")).count();
      return static_cast<std::int32_t>(
          std::min<std::int64_t>(ms, std::numeric_limits<std::int32_t>::max()));
    };
    timeouts_.statement = read("statement_timeout");
    timeouts_.idle_session = read("idle_session_timeout");
    timeouts_.idle_in_transaction = read("idle_in_transaction_session_timeout");
    timeouts_.settings_version = settings_->version();
  }
  return timeouts_;
}

std::chrono::milliseconds session::idle_limit() const {
  if (state_ != state::ready || !settings_) return std::chrono::milliseconds(0);
  const auto& t = timeouts();
  return std::chrono::milliseconds(tx_status_ == 'I' ? t.idle_session : t.idle_in_transaction);
}

std::chrono::milliseconds session::statement_timeout() const {
  if (!settings_) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(timeouts().statement);
}

std::string session::application_name() const {
  if (settings_) return settings_->get("application_name").value_or("");
  for (const auto& [name, value] : startup_options_)
    if (name == "application_name") return value;
  return {};
}

}  // namespace fauxgres::session
