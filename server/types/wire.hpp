// Internal: big-endian integers and small text helpers shared by the value codecs.
#pragma once

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fauxgres::types::detail {

template <typename T>
void put_be(std::string& out, T v) {
  using U = std::make_unsigned_t<T>;
  const auto u = static_cast<U>(v);
  for (int shift = 8 * static_cast<int>(sizeof(T)) - 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((u >> shift) & 0xff));
  }
}

template <typename T>
std::string be(T v) {
  std::string out;
  put_be(out, v);
  return out;
}

// Reads a T at `at`; the caller checks the size first.
template <typename T>
T get_be(std::string_view b, std::size_t at = 0) {
  using U = std::make_unsigned_t<T>;
  U u = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    u = static_cast<U>((u << 8) | static_cast<unsigned char>(b[at + i]));
  }
  return static_cast<T>(u);
}

// A binary value of exactly sizeof(T) bytes, as PG's fixed-size receive functions need.
template <typename T>
std::optional<T> exact_be(std::string_view b) {
  if (b.size() != sizeof(T)) return std::nullopt;
  return get_be<T>(b);
}

inline bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

inline char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Well-formed UTF-8 without NUL bytes: what PG accepts as text in a UTF8 database.
bool valid_utf8(std::string_view s);

}  // namespace fauxgres::types::detail
