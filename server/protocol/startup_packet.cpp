// Startup-phase packets (no type byte): framing and decoding with PostgreSQL 15's rules
// from ProcessStartupPacket, as observed on 15.20.
#include <algorithm>
#include <cctype>
#include <string>

#include "protocol/frontend.hpp"

namespace fauxgres::protocol {
namespace {

std::int32_t read_int32(std::string_view b, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return static_cast<std::int32_t>(v);
}

startup_rejection silent_close() {
  return {startup_rejection::action::silent_close, {}};
}

startup_rejection fatal(error_fields e) {
  return {startup_rejection::action::fatal, std::move(e)};
}

bool prefix_of(std::string_view value, std::string_view word) {
  if (value.empty() || value.size() > word.size()) return false;
  return std::equal(value.begin(), value.end(), word.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == b;
  });
}

// PG's parse_bool: case-insensitive unique prefixes of true/false/yes/no, "on", "of[f]",
// and the single digits 1/0.
bool valid_bool(std::string_view v) {
  if (v == "1" || v == "0") return true;
  if (v.empty()) return false;
  switch (std::tolower(static_cast<unsigned char>(v[0]))) {
    case 't':
      return prefix_of(v, "true");
    case 'f':
      return prefix_of(v, "false");
    case 'y':
      return prefix_of(v, "yes");
    case 'n':
      return prefix_of(v, "no");
    case 'o':
      return v.size() >= 2 && (prefix_of(v, "on") || prefix_of(v, "off"));
    default:
      return false;
  }
}

// Protocols below 3 (but not 0, which PG treats as "not yet known") get PG's protocol-2
// error text; everything else that is not 3.x gets a v3 ErrorResponse.
startup_rejection unsupported(std::uint32_t code) {
  const auto major = static_cast<int>(code >> 16);
  const auto minor = static_cast<int>(code & 0xffff);
  error_fields e = errors::unsupported_protocol(major, minor);
  if (major >= 3 || code == 0) return fatal(std::move(e));
  e.message = e.severity + ":  " + e.message;
  return {startup_rejection::action::v2_fatal, std::move(e)};
}

// The name/value pairs after the protocol word, checked in PG's order: a bad replication
// value as soon as its pair is read, then the terminator, then the user name.
startup_packet decode_parameters(std::int32_t version, std::string_view rest) {
  startup_message m;
  m.protocol_version = version;
  std::size_t offset = 0;
  while (offset < rest.size()) {
    if (rest[offset] == '\0') break;  // the terminator
    const std::string_view name = rest.substr(offset, rest.find('\0', offset) - offset);
    const std::size_t value_at = offset + name.size() + 1;
    if (value_at >= rest.size()) break;  // a name without a value
    // PG pads the packet with a NUL, so an unterminated value ends at the packet's end.
    const std::string_view value = rest.substr(value_at, rest.find('\0', value_at) - value_at);
    if (name == "replication" && value != "database" && !valid_bool(value)) {
      return fatal(errors::invalid_replication_value(value));
    }
    m.parameters.emplace_back(name, value);
    offset = value_at + value.size() + 1;
  }
  if (offset + 1 != rest.size()) return fatal(errors::invalid_startup_packet_layout());
  const auto user = std::find_if(m.parameters.rbegin(), m.parameters.rend(),
                                 [](const auto& p) { return p.first == "user"; });
  if (user == m.parameters.rend() || user->second.empty()) return fatal(errors::no_user_name());
  return m;
}

}  // namespace

startup_frame frame_startup_packet(std::string_view buffer) {
  if (buffer.size() < 4) return {};
  const std::int32_t len = read_int32(buffer, 0);
  // The length counts itself and must leave room for the 4-byte code; the body is at
  // most 10000 bytes.
  if (len < 8 || len > static_cast<std::int32_t>(max_startup_packet_length + 4)) {
    return {startup_frame::status::bad_length, 0};
  }
  if (buffer.size() < static_cast<std::size_t>(len)) return {};
  return {startup_frame::status::complete, static_cast<std::size_t>(len)};
}

startup_packet decode_startup_packet(std::string_view packet) {
  return decode_startup_packet(packet, startup_options{});
}

startup_packet decode_startup_packet(std::string_view packet, startup_options done) {
  if (packet.size() < 8) return silent_close();
  const std::int32_t code = read_int32(packet, 4);
  if (code == cancel_request_code) {
    // PG: "invalid length of startup packet" (logged only) for any size but 16.
    if (packet.size() != 16) return silent_close();
    return cancel_request{read_int32(packet, 8), read_int32(packet, 12)};
  }
  // PG does not check the length of encryption requests (a 12-byte SSLRequest gets 'N').
  if (code == ssl_request_code && !done.ssl_done) return ssl_request{};
  if (code == gssenc_request_code && !done.gss_done) return gssenc_request{};
  if ((static_cast<std::uint32_t>(code) >> 16) != 3) {
    return unsupported(static_cast<std::uint32_t>(code));
  }
  return decode_parameters(code, packet.substr(8));
}

}  // namespace fauxgres::protocol
