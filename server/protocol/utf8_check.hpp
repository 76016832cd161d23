// Internal: PG's UTF-8 verification of message strings (pg_verify_mbstr), which runs on
// every string read with pq_getmsgstring while the client and database encodings are UTF8.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace fauxgres::protocol::detail {

// PG's pg_utf_mblen: the length a lead byte announces (1 for anything unexpected).
inline std::size_t utf8_length(unsigned char c) {
  if ((c & 0x80) == 0) return 1;
  if ((c & 0xe0) == 0xc0) return 2;
  if ((c & 0xf0) == 0xe0) return 3;
  if ((c & 0xf8) == 0xf0) return 4;
  return 1;
}

// PG's pg_utf8_islegal for one character of `n` bytes.
inline bool utf8_legal(const unsigned char* s, std::size_t n) {
  auto in = [](unsigned char b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
  if (n == 4 && !in(s[3], 0x80, 0xbf)) return false;
  if (n >= 3 && !in(s[2], 0x80, 0xbf)) return false;
  if (n >= 2) {
    switch (s[0]) {
      case 0xe0:
        if (!in(s[1], 0xa0, 0xbf)) return false;
        break;
      case 0xed:
        if (!in(s[1], 0x80, 0x9f)) return false;
        break;
      case 0xf0:
        if (!in(s[1], 0x90, 0xbf)) return false;
        break;
      case 0xf4:
        if (!in(s[1], 0x80, 0x8f)) return false;
        break;
      default:
        if (!in(s[1], 0x80, 0xbf)) return false;
    }
  }
  if (n > 4 || (s[0] >= 0x80 && s[0] < 0xc2) || s[0] > 0xf4) return false;
  return true;
}

// Offset of the first character PG would reject, if any: a NUL byte is one.
inline std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    if (s[i] < 0x80) {
      if (s[i] == 0) return i;
      ++i;
      continue;
    }
    const std::size_t n = utf8_length(s[i]);
    if (n > text.size() - i || !utf8_legal(s + i, n)) return i;
    i += n;
  }
  return std::nullopt;
}

}  // namespace fauxgres::protocol::detail
