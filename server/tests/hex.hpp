// Test helper: hex strings (spaces allowed) ⇄ bytes, so vectors read like the references.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace fauxgres::test {

inline std::string unhex(std::string_view h) {
  auto nibble = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::invalid_argument("bad hex digit");
  };
  std::string out;
  int pending = -1;
  for (char c : h) {
    if (c == ' ' || c == '\n') continue;
    if (pending < 0) {
      pending = nibble(c);
    } else {
      out.push_back(static_cast<char>(pending * 16 + nibble(c)));
      pending = -1;
    }
  }
  if (pending >= 0) throw std::invalid_argument("odd hex length");
  return out;
}

inline std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    out.push_back(digits[(static_cast<unsigned char>(c) >> 4) & 0xF]);
    out.push_back(digits[c & 0xF]);
  }
  return out;
}

}  // namespace fauxgres::test
