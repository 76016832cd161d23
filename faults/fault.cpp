// Hook names, verdict descriptions for events, and verdict shorthands.
#include "faults/fault.hpp"

#include <cstdio>

namespace fauxgres::faults {
namespace {

// 250ms, 5s, 5m, 1h: the largest unit that divides evenly, as durations are written.
std::string duration_text(milliseconds d) {
  const auto ms = d.count();
  if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms != 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::string byte_text(char byte) {
  const auto b = static_cast<unsigned char>(byte);
  if (b > 0x20 && b < 0x7f) return std::string("'") + byte + "'";
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", b);
  return hex;
}

verdict of(verdict::kind what) {
  verdict v;
  v.what = what;
  return v;
}

}  // namespace

std::string_view to_string(hook h) {
  switch (h) {
    case hook::accept:
      return "accept";
    case hook::ssl_request:
      return "ssl_request";
    case hook::startup:
      return "startup";
    case hook::auth:
      return "auth";
    case hook::ready:
      return "ready";
    case hook::query:
      return "query";
    case hook::message:
      return "message";
    case hook::moment:
      return "moment";
    case hook::server:
      return "server";
    case hook::data:
      return "data";
  }
  return "unknown";
}

std::string_view to_string(server_action::kind k) {
  switch (k) {
    case server_action::kind::kill_all:
      return "kill_all";
    case server_action::kind::restart:
      return "restart";
    case server_action::kind::shutdown:
      return "shutdown";
    case server_action::kind::failover:
      return "failover";
  }
  return "unknown";
}

std::optional<server_action::kind> server_action_kind(std::string_view name) {
  using k = server_action::kind;
  for (k kind : {k::kill_all, k::restart, k::shutdown, k::failover}) {
    if (to_string(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string verdict::describe() const {
  using k = verdict::kind;
  switch (what) {
    case k::none:
      return "none";
    case k::close:
      return "close";
    case k::reset:
      return "reset";
    case k::hang:
      return "hang";
    case k::fatal:
      return "fatal " + error.sqlstate;
    case k::error:
      return "error " + error.sqlstate;
    case k::delay:
      return "delay " + duration_text(after);
    case k::timeout:
      return "timeout " + duration_text(after);
    case k::ssl_answer:
      return "ssl_answer " + byte_text(byte) +
             (certificate.empty() ? "" : " certificate " + certificate);
    case k::deadline:
      return "deadline " + duration_text(after) + (then ? " then " + then->describe() : "");
    case k::reset_after_rows:
      return "reset after " + std::to_string(rows) + " rows";
  }
  return "unknown";
}

namespace verdicts {

verdict close() {
  return of(verdict::kind::close);
}
verdict reset() {
  return of(verdict::kind::reset);
}
verdict hang() {
  return of(verdict::kind::hang);
}

verdict fatal(protocol::error_fields error) {
  verdict v = of(verdict::kind::fatal);
  v.error = std::move(error);
  return v;
}

verdict error(protocol::error_fields error) {
  verdict v = of(verdict::kind::error);
  v.error = std::move(error);
  return v;
}

verdict delay(milliseconds after) {
  verdict v = of(verdict::kind::delay);
  v.after = after;
  return v;
}

verdict timeout(milliseconds after) {
  verdict v = of(verdict::kind::timeout);
  v.after = after;
  return v;
}

verdict ssl_answer(char byte) {
  verdict v = of(verdict::kind::ssl_answer);
  v.byte = byte;
  return v;
}

verdict deadline(milliseconds after, verdict then) {
  verdict v = of(verdict::kind::deadline);
  v.after = after < milliseconds(0) ? milliseconds(0) : after;
  v.then = std::make_shared<const verdict>(std::move(then));
  return v;
}

verdict reset_after_rows(std::uint64_t rows) {
  verdict v = of(verdict::kind::reset_after_rows);
  v.rows = rows;
  return v;
}

}  // namespace verdicts
}  // namespace fauxgres::faults
