// Encoding of backend (server → client) messages, byte for byte as PostgreSQL 15 writes them.
#include "protocol/backend.hpp"

#include <cstring>

namespace fauxgres::protocol {

std::size_t backend_writer::begin(char type) {
  out_.push_back(type);
  const std::size_t at = out_.size();
  out_.append(4, '\0');
  return at;
}

// Patches the length word: everything after the type byte, the word included.
void backend_writer::end(std::size_t length_at) {
  const auto len = static_cast<std::uint32_t>(out_.size() - length_at);
  for (int i = 0; i < 4; ++i) {
    out_[length_at + static_cast<std::size_t>(i)] = static_cast<char>(len >> (24 - 8 * i));
  }
}

void backend_writer::put_int16(std::int16_t v) {
  const auto u = static_cast<std::uint16_t>(v);
  const char bytes[2] = {static_cast<char>(u >> 8), static_cast<char>(u & 0xff)};
  out_.append(bytes, sizeof bytes);
}

void backend_writer::put_int32(std::int32_t v) {
  const auto u = static_cast<std::uint32_t>(v);
  const char bytes[4] = {static_cast<char>(u >> 24), static_cast<char>(u >> 16),
                         static_cast<char>(u >> 8), static_cast<char>(u)};
  out_.append(bytes, sizeof bytes);
}

void backend_writer::put_cstring(std::string_view s) {
  out_.append(s);
  out_.push_back('\0');
}

void backend_writer::encryption_response(char answer) {
  out_.push_back(answer);
}

void backend_writer::authentication_ok() {
  const auto at = begin('R');
  put_int32(0);
  end(at);
}

void backend_writer::authentication_cleartext_password() {
  const auto at = begin('R');
  put_int32(3);
  end(at);
}

void backend_writer::authentication_md5_password(std::span<const std::uint8_t, 4> salt) {
  const auto at = begin('R');
  put_int32(5);
  for (std::uint8_t b : salt) out_.push_back(static_cast<char>(b));
  end(at);
}

void backend_writer::authentication_sasl(std::span<const std::string_view> mechanisms) {
  const auto at = begin('R');
  put_int32(10);
  for (std::string_view m : mechanisms) put_cstring(m);
  out_.push_back('\0');
  end(at);
}

void backend_writer::authentication_sasl_continue(std::string_view data) {
  const auto at = begin('R');
  put_int32(11);
  out_.append(data);
  end(at);
}

void backend_writer::authentication_sasl_final(std::string_view data) {
  const auto at = begin('R');
  put_int32(12);
  out_.append(data);
  end(at);
}

void backend_writer::parameter_status(std::string_view name, std::string_view value) {
  const auto at = begin('S');
  put_cstring(name);
  put_cstring(value);
  end(at);
}

void backend_writer::backend_key_data(std::int32_t pid, std::int32_t secret) {
  const auto at = begin('K');
  put_int32(pid);
  put_int32(secret);
  end(at);
}

void backend_writer::ready_for_query(char status) {
  const auto at = begin('Z');
  out_.push_back(status);
  end(at);
}

void backend_writer::negotiate_protocol_version(std::int32_t newest_supported,
                                                std::span<const std::string> unrecognized) {
  const auto at = begin('v');
  put_int32(newest_supported);
  put_int32(static_cast<std::int32_t>(unrecognized.size()));
  for (const auto& name : unrecognized) put_cstring(name);
  end(at);
}

void backend_writer::row_description(std::span<const field_description> fields) {
  const auto at = begin('T');
  put_int16(static_cast<std::int16_t>(fields.size()));
  for (const auto& f : fields) {
    put_cstring(f.name);
    put_int32(static_cast<std::int32_t>(f.table_oid));
    put_int16(f.column_attr);
    put_int32(static_cast<std::int32_t>(f.type_oid));
    put_int16(f.type_len);
    put_int32(f.type_mod);
    put_int16(f.format);
  }
  end(at);
}

void backend_writer::data_row(std::span<const std::optional<std::string>> values) {
  const auto at = begin('D');
  put_int16(static_cast<std::int16_t>(values.size()));
  for (const auto& v : values) {
    if (!v) {
      put_int32(-1);
      continue;
    }
    put_int32(static_cast<std::int32_t>(v->size()));
    out_.append(*v);
  }
  end(at);
}

void backend_writer::command_complete(std::string_view tag) {
  const auto at = begin('C');
  put_cstring(tag);
  end(at);
}

void backend_writer::empty_query_response() {
  end(begin('I'));
}

// Field order as PG 15 emits it: S V C M [D] [H] [P] [W] F L R, then a terminating NUL.
void backend_writer::put_fields(char type, const error_fields& e) {
  const auto at = begin(type);
  auto field = [this](char code, std::string_view value) {
    out_.push_back(code);
    put_cstring(value);
  };
  field('S', e.severity);
  field('V', e.severity);
  field('C', e.sqlstate);
  field('M', e.message);
  if (!e.detail.empty()) field('D', e.detail);
  if (!e.hint.empty()) field('H', e.hint);
  if (e.position != 0) field('P', std::to_string(e.position));
  if (!e.where.empty()) field('W', e.where);
  if (!e.file.empty()) {
    field('F', e.file);
    field('L', std::to_string(e.line));
    field('R', e.routine);
  }
  out_.push_back('\0');
  end(at);
}

void backend_writer::error_response(const error_fields& e) {
  put_fields('E', e);
}

void backend_writer::notice_response(const error_fields& e) {
  put_fields('N', e);
}

void backend_writer::notification_response(std::int32_t pid, std::string_view channel,
                                           std::string_view payload) {
  const auto at = begin('A');
  put_int32(pid);
  put_cstring(channel);
  put_cstring(payload);
  end(at);
}

void backend_writer::parse_complete() {
  end(begin('1'));
}
void backend_writer::bind_complete() {
  end(begin('2'));
}
void backend_writer::close_complete() {
  end(begin('3'));
}
void backend_writer::no_data() {
  end(begin('n'));
}
void backend_writer::portal_suspended() {
  end(begin('s'));
}

void backend_writer::parameter_description(std::span<const std::uint32_t> oids) {
  const auto at = begin('t');
  put_int16(static_cast<std::int16_t>(oids.size()));
  for (std::uint32_t oid : oids) put_int32(static_cast<std::int32_t>(oid));
  end(at);
}

void backend_writer::v2_error(std::string_view message) {
  out_.push_back('E');
  out_.append(message);
  out_.push_back('\n');
  out_.push_back('\0');
}

}  // namespace fauxgres::protocol
