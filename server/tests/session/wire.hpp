// Test helpers: build frontend messages as raw bytes and split backend output into
// (type, body) messages, so session tests read like protocol traces.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fauxgres::test {

inline void put32(std::string& s, std::int32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s.push_back(static_cast<char>((v >> shift) & 0xff));
}
inline void put16(std::string& s, std::int16_t v) {
  s.push_back(static_cast<char>((v >> 8) & 0xff));
  s.push_back(static_cast<char>(v & 0xff));
}
inline std::int32_t get32(std::string_view s, std::size_t at = 0) {
  return static_cast<std::int32_t>(
      (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
      (static_cast<unsigned char>(s[at + 1]) << 16) | (static_cast<unsigned char>(s[at + 2]) << 8) |
      static_cast<unsigned char>(s[at + 3]));
}

inline std::string message(char type, std::string_view body) {
  std::string s(1, type);
  put32(s, static_cast<std::int32_t>(body.size() + 4));
  s.append(body);
  return s;
}

inline std::string startup(std::initializer_list<std::pair<std::string, std::string>> params,
                           std::int32_t version = 196608) {
  std::string body;
  put32(body, version);
  for (const auto& [k, v] : params) {
    body += k;
    body.push_back('\0');
    body += v;
    body.push_back('\0');
  }
  body.push_back('\0');
  std::string s;
  put32(s, static_cast<std::int32_t>(body.size() + 4));
  return s + body;
}

inline std::string ssl_request() {
  std::string s;
  put32(s, 8);
  put32(s, 80877103);
  return s;
}

inline std::string cstr(std::string_view v) {
  return std::string(v) + '\0';
}

inline std::string query(std::string_view sql) {
  return message('Q', cstr(sql));
}
inline std::string sync_message() {
  return message('S', "");
}
inline std::string flush_message() {
  return message('H', "");
}
inline std::string terminate_message() {
  return message('X', "");
}

inline std::string parse(std::string_view name, std::string_view sql,
                         std::vector<std::int32_t> types = {}) {
  std::string body = cstr(name) + cstr(sql);
  put16(body, static_cast<std::int16_t>(types.size()));
  for (auto t : types) put32(body, t);
  return message('P', body);
}

inline std::string bind(std::string_view portal, std::string_view statement,
                        std::vector<std::optional<std::string>> params = {},
                        std::vector<std::int16_t> param_formats = {},
                        std::vector<std::int16_t> result_formats = {}) {
  std::string body = cstr(portal) + cstr(statement);
  put16(body, static_cast<std::int16_t>(param_formats.size()));
  for (auto f : param_formats) put16(body, f);
  put16(body, static_cast<std::int16_t>(params.size()));
  for (const auto& p : params) {
    put32(body, p ? static_cast<std::int32_t>(p->size()) : -1);
    if (p) body += *p;
  }
  put16(body, static_cast<std::int16_t>(result_formats.size()));
  for (auto f : result_formats) put16(body, f);
  return message('B', body);
}

inline std::string describe(char kind, std::string_view name) {
  return message('D', std::string(1, kind) + cstr(name));
}
inline std::string execute(std::string_view portal, std::int32_t max_rows = 0) {
  std::string body = cstr(portal);
  put32(body, max_rows);
  return message('E', body);
}
inline std::string password(std::string_view pw) {
  return message('p', cstr(pw));
}

struct backend_message {
  char type;
  std::string body;
};

// Splits a backend byte stream; single-byte SSL answers come out as type 'N'/'S' with
// an empty body only when `ssl_answer` is set.
inline std::vector<backend_message> split(std::string_view bytes) {
  std::vector<backend_message> out;
  while (bytes.size() >= 5) {
    auto length = static_cast<std::size_t>(get32(bytes, 1));
    out.push_back({bytes[0], std::string(bytes.substr(5, length - 4))});
    bytes.remove_prefix(1 + length);
  }
  return out;
}

inline std::string types_of(const std::vector<backend_message>& messages) {
  std::string s;
  for (const auto& m : messages) s.push_back(m.type);
  return s;
}

// The value of field `code` in an ErrorResponse/NoticeResponse body.
inline std::string error_field(const backend_message& m, char code) {
  std::string_view b = m.body;
  while (!b.empty() && b[0] != '\0') {
    char c = b[0];
    auto end = b.find('\0', 1);
    if (c == code) return std::string(b.substr(1, end - 1));
    b.remove_prefix(end + 1);
  }
  return {};
}

// The cells of a DataRow body; nullopt for NULL.
inline std::vector<std::optional<std::string>> data_row_cells(const backend_message& m) {
  std::vector<std::optional<std::string>> cells;
  std::string_view b = std::string_view(m.body).substr(2);
  while (b.size() >= 4) {
    const std::int32_t length = get32(b);
    b.remove_prefix(4);
    if (length < 0) {
      cells.emplace_back();
      continue;
    }
    cells.emplace_back(std::string(b.substr(0, static_cast<std::size_t>(length))));
    b.remove_prefix(static_cast<std::size_t>(length));
  }
  return cells;
}

struct described_column {
  std::string name;
  std::uint32_t table_oid = 0;
  std::int16_t column_attr = 0;
  std::uint32_t type_oid = 0;
};

// The columns of a RowDescription body.
inline std::vector<described_column> row_description_columns(const backend_message& m) {
  std::vector<described_column> columns;
  std::string_view b = std::string_view(m.body).substr(2);
  while (!b.empty()) {
    const auto end = b.find('\0');
    if (end == std::string_view::npos || b.size() < end + 1 + 18) break;
    described_column c;
    c.name = std::string(b.substr(0, end));
    b.remove_prefix(end + 1);
    c.table_oid = static_cast<std::uint32_t>(get32(b));
    c.column_attr = static_cast<std::int16_t>((static_cast<unsigned char>(b[4]) << 8) |
                                              static_cast<unsigned char>(b[5]));
    c.type_oid = static_cast<std::uint32_t>(get32(b, 6));
    b.remove_prefix(18);
    columns.push_back(std::move(c));
  }
  return columns;
}

}  // namespace fauxgres::test
