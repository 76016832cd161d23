// Partial SASLprep: see saslprep.hpp for what is covered.
#include "auth/saslprep.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace fauxgres::auth {
namespace {

using range = std::pair<char32_t, char32_t>;

// RFC 3454 C.1.2: non-ASCII space characters, mapped to U+0020.
constexpr range non_ascii_spaces[] = {{0x00A0, 0x00A0}, {0x1680, 0x1680}, {0x2000, 0x200B},
                                      {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}};

// RFC 3454 B.1: commonly mapped to nothing.
constexpr range mapped_to_nothing[] = {{0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x1806, 0x1806},
                                       {0x180B, 0x180D}, {0x200B, 0x200D}, {0x2060, 0x2060},
                                       {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF}};

// RFC 3454 C.2.1 to C.9 (controls, private use, non-characters, surrogates, ...).
constexpr range prohibited[] = {
    {0x0000, 0x001F},   {0x007F, 0x009F},   {0x0340, 0x0341},   {0x06DD, 0x06DD},
    {0x070F, 0x070F},   {0x180E, 0x180E},   {0x200C, 0x200F},   {0x2028, 0x202E},
    {0x2060, 0x2063},   {0x206A, 0x206F},   {0x2FF0, 0x2FFB},   {0xD800, 0xF8FF},
    {0xFDD0, 0xFDEF},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFF},   {0x1D173, 0x1D17A},
    {0xE0001, 0xE0001}, {0xE0020, 0xE007F}, {0xF0000, 0x10FFFF}};

template <std::size_t n>
bool in(const range (&table)[n], char32_t c) {
  return std::any_of(std::begin(table), std::end(table),
                     [c](const range& r) { return c >= r.first && c <= r.second; });
}

bool is_non_character(char32_t c) {
  return (c & 0xFFFE) == 0xFFFE;
}  // U+nFFFE, U+nFFFF

int continuation_bytes(unsigned char lead) {
  if (lead < 0x80) return 0;
  if ((lead & 0xE0) == 0xC0) return 1;
  if ((lead & 0xF0) == 0xE0) return 2;
  if ((lead & 0xF8) == 0xF0) return 3;
  return -1;
}

// Strict UTF-8 decoding; nullopt for malformed, overlong or surrogate sequences.
std::optional<std::vector<char32_t>> decode_utf8(std::string_view s) {
  static constexpr char32_t minimum[] = {0, 0x80, 0x800, 0x10000};
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const int extra = continuation_bytes(lead);
    if (extra < 0 || i + static_cast<std::size_t>(extra) >= s.size() + (extra == 0)) {
      return std::nullopt;
    }
    char32_t c = extra == 0 ? lead : lead & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((b & 0xC0) != 0x80) return std::nullopt;
      c = (c << 6) | (b & 0x3F);
    }
    if (c < minimum[extra] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return std::nullopt;
    out.push_back(c);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace

std::string saslprep_or_raw(std::string_view password) {
  if (std::all_of(password.begin(), password.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return std::string(password);
  }
  const auto chars = decode_utf8(password);
  if (!chars) return std::string(password);
  std::string out;
  for (char32_t c : *chars) {
    if (in(non_ascii_spaces, c)) {
      out.push_back(' ');
    } else if (in(mapped_to_nothing, c)) {
      continue;
    } else if (in(prohibited, c) || is_non_character(c)) {
      return std::string(password);
    } else {
      append_utf8(out, c);
    }
  }
  return out;
}

}  // namespace fauxgres::auth
