// Encoding of backend (server → client) messages, byte for byte as PostgreSQL 15 writes them.
#include "protocol/backend.hpp"

#include <charconv>
#include <cstring>
#include <utility>

namespace fauxgres::protocol {

// Writes into bytes already reserved by message(): no capacity checks per field.
class backend_writer::body_cursor {
 public:
  explicit body_cursor(char* at) : at_(at) {}

  void byte(char c) { *at_++ = c; }
  void int16(std::int16_t v) {
    const auto u = static_cast<std::uint16_t>(v);
    at_[0] = static_cast<char>(u >> 8);
    at_[1] = static_cast<char>(u);
    at_ += 2;
  }
  void int32(std::int32_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    for (int i = 0; i < 4; ++i) at_[i] = static_cast<char>(u >> (24 - 8 * i));
    at_ += 4;
  }
  void bytes(std::string_view s) {
    if (!s.empty()) std::memcpy(at_, s.data(), s.size());
    at_ += s.size();
  }
  void cstring(std::string_view s) {
    bytes(s);
    byte('\0');
  }

 private:
  char* at_;
};

backend_writer::body_cursor backend_writer::message(char type, std::size_t body) {
  const std::size_t at = out_.size();
  out_.resize(at + 5 + body);
  body_cursor c(out_.data() + at);
  c.byte(type);
  c.int32(static_cast<std::int32_t>(4 + body));  // the length word counts itself
  return c;
}

void backend_writer::empty_message(char type) {
  message(type, 0);
}

void backend_writer::encryption_response(char answer) {
  out_.push_back(answer);
}

namespace {
constexpr std::size_t int16_size = 2;
constexpr std::size_t int32_size = 4;
std::size_t cstring_size(std::string_view s) {
  return s.size() + 1;
}
}  // namespace

void backend_writer::authentication_ok() {
  message('R', int32_size).int32(0);
}

void backend_writer::authentication_cleartext_password() {
  message('R', int32_size).int32(3);
}

void backend_writer::authentication_md5_password(std::span<const std::uint8_t, 4> salt) {
  auto c = message('R', int32_size + salt.size());
  c.int32(5);
  for (std::uint8_t b : salt) c.byte(static_cast<char>(b));
}

void backend_writer::authentication_sasl(std::span<const std::string_view> mechanisms) {
  std::size_t body = int32_size + 1;
  for (std::string_view m : mechanisms) body += cstring_size(m);
  auto c = message('R', body);
  c.int32(10);
  for (std::string_view m : mechanisms) c.cstring(m);
  c.byte('\0');
}

void backend_writer::authentication_sasl_continue(std::string_view data) {
  auto c = message('R', int32_size + data.size());
  c.int32(11);
  c.bytes(data);
}

void backend_writer::authentication_sasl_final(std::string_view data) {
  auto c = message('R', int32_size + data.size());
  c.int32(12);
  c.bytes(data);
}

void backend_writer::parameter_status(std::string_view name, std::string_view value) {
  auto c = message('S', cstring_size(name) + cstring_size(value));
  c.cstring(name);
  c.cstring(value);
}

void backend_writer::backend_key_data(std::int32_t pid, std::int32_t secret) {
  auto c = message('K', 2 * int32_size);
  c.int32(pid);
  c.int32(secret);
}

void backend_writer::ready_for_query(char status) {
  message('Z', 1).byte(status);
}

void backend_writer::negotiate_protocol_version(std::int32_t newest_supported,
                                                std::span<const std::string> unrecognized) {
  std::size_t body = 2 * int32_size;
  for (const auto& name : unrecognized) body += cstring_size(name);
  auto c = message('v', body);
  c.int32(newest_supported);
  c.int32(static_cast<std::int32_t>(unrecognized.size()));
  for (const auto& name : unrecognized) c.cstring(name);
}

void backend_writer::row_description(std::span<const field_description> fields) {
  constexpr std::size_t per_field = 3 * int32_size + 3 * int16_size;
  std::size_t body = int16_size;
  for (const auto& f : fields) body += cstring_size(f.name) + per_field;
  auto c = message('T', body);
  c.int16(static_cast<std::int16_t>(fields.size()));
  for (const auto& f : fields) {
    c.cstring(f.name);
    c.int32(static_cast<std::int32_t>(f.table_oid));
    c.int16(f.column_attr);
    c.int32(static_cast<std::int32_t>(f.type_oid));
    c.int16(f.type_len);
    c.int32(f.type_mod);
    c.int16(f.format);
  }
}

void backend_writer::data_row(std::span<const std::optional<std::string>> values) {
  std::size_t body = int16_size + values.size() * int32_size;
  for (const auto& v : values) body += v ? v->size() : 0;
  auto c = message('D', body);
  c.int16(static_cast<std::int16_t>(values.size()));
  for (const auto& v : values) {
    c.int32(v ? static_cast<std::int32_t>(v->size()) : -1);
    if (v) c.bytes(*v);
  }
}

void backend_writer::command_complete(std::string_view tag) {
  message('C', cstring_size(tag)).cstring(tag);
}

void backend_writer::command_complete(std::string_view tag, std::uint64_t rows) {
  char digits[20];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, rows);
  const std::string_view count(digits, static_cast<std::size_t>(end - digits));
  auto c = message('C', tag.size() + 1 + cstring_size(count));
  c.bytes(tag);
  c.byte(' ');
  c.cstring(count);
}

void backend_writer::empty_query_response() {
  empty_message('I');
}

// Field order as PG 15 emits it: S V C M [D] [H] [P] [W] F L R, then a terminating NUL.
void backend_writer::put_fields(char type, const error_fields& e) {
  const std::string position = e.position != 0 ? std::to_string(e.position) : std::string();
  const std::string line = !e.file.empty() ? std::to_string(e.line) : std::string();
  const std::pair<char, std::string_view> fields[] = {
      {'S', e.severity}, {'V', e.severity}, {'C', e.sqlstate}, {'M', e.message},
      {'D', e.detail},   {'H', e.hint},     {'P', position},   {'W', e.where},
      {'F', e.file},     {'L', line},       {'R', e.routine}};
  // S V C M always; F L R together when there is a file; the others when they have a value.
  auto sent = [&](std::size_t i) {
    return i < 4 || (i >= 8 ? !e.file.empty() : !fields[i].second.empty());
  };
  std::size_t body = 1;
  for (std::size_t i = 0; i < std::size(fields); ++i)
    if (sent(i)) body += 1 + cstring_size(fields[i].second);
  auto c = message(type, body);
  for (std::size_t i = 0; i < std::size(fields); ++i) {
    if (!sent(i)) continue;
    c.byte(fields[i].first);
    c.cstring(fields[i].second);
  }
  c.byte('\0');
}

void backend_writer::error_response(const error_fields& e) {
  put_fields('E', e);
}

void backend_writer::notice_response(const error_fields& e) {
  put_fields('N', e);
}

void backend_writer::notification_response(std::int32_t pid, std::string_view channel,
                                           std::string_view payload) {
  auto c = message('A', int32_size + cstring_size(channel) + cstring_size(payload));
  c.int32(pid);
  c.cstring(channel);
  c.cstring(payload);
}

void backend_writer::parse_complete() {
  empty_message('1');
}
void backend_writer::bind_complete() {
  empty_message('2');
}
void backend_writer::close_complete() {
  empty_message('3');
}
void backend_writer::no_data() {
  empty_message('n');
}
void backend_writer::portal_suspended() {
  empty_message('s');
}

void backend_writer::parameter_description(std::span<const std::uint32_t> oids) {
  auto c = message('t', int16_size + oids.size() * int32_size);
  c.int16(static_cast<std::int16_t>(oids.size()));
  for (std::uint32_t oid : oids) c.int32(static_cast<std::int32_t>(oid));
}

void backend_writer::v2_error(std::string_view message_text) {
  out_.append(1, 'E').append(message_text).append("\n", 2);  // text, newline, NUL
}

}  // namespace fauxgres::protocol
