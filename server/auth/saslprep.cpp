// SASLprep (RFC 4013) as PostgreSQL 15 applies it to SCRAM passwords (see saslprep.hpp).
#include "auth/saslprep.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

namespace fauxgres::auth {
namespace {

struct code_range {
  char32_t first, last;
};

#include "auth/stringprep_tables.inc"

template <std::size_t n>
bool in(const code_range (&table)[n], char32_t c) {
  auto it = std::lower_bound(std::begin(table), std::end(table), c,
                             [](const code_range& r, char32_t v) { return r.last < v; });
  return it != std::end(table) && c >= it->first;
}

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

// NFKC, as PG's unicode_normalize(UNICODE_NFKC, ...); ICU's tables are a later Unicode
// version, which only matters for characters that step 3 rejects anyway (unassigned in 3.2).
std::string nfkc(const std::vector<char32_t>& chars) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFKC normalizer unavailable");
  icu::UnicodeString text;
  for (char32_t c : chars) text.append(static_cast<UChar32>(c));
  icu::UnicodeString normalized = normalizer->normalize(text, status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFKC normalization failed");
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

// RFC 3454 section 6: a string with a right-to-left character has no left-to-right one,
// and starts and ends with right-to-left characters.
bool bidi_ok(const std::vector<char32_t>& chars) {
  if (std::none_of(chars.begin(), chars.end(), [](char32_t c) { return in(rand_al_cat, c); }))
    return true;
  if (std::any_of(chars.begin(), chars.end(), [](char32_t c) { return in(l_cat, c); }))
    return false;
  return in(rand_al_cat, chars.front()) && in(rand_al_cat, chars.back());
}

}  // namespace

std::string saslprep_or_raw(std::string_view password) {
  if (std::all_of(password.begin(), password.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return std::string(password);
  }
  const auto input = decode_utf8(password);
  if (!input) return std::string(password);
  // 1. Map.
  std::vector<char32_t> mapped;
  mapped.reserve(input->size());
  for (char32_t c : *input) {
    if (in(non_ascii_spaces, c))
      mapped.push_back(U' ');
    else if (!in(mapped_to_nothing, c))
      mapped.push_back(c);
  }
  if (mapped.empty()) return std::string(password);  // PG allows no empty password
  // 3 and 4. Prohibit and check bidi. PG checks the mapped characters, not the
  // normalized ones; so does this, so that the same passwords fall back to raw bytes.
  for (char32_t c : mapped)
    if (in(prohibited, c) || in(unassigned, c)) return std::string(password);
  if (!bidi_ok(mapped)) return std::string(password);
  // 2. Normalize.
  return nfkc(mapped);
}

}  // namespace fauxgres::auth
