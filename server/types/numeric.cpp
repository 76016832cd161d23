// numeric: PG's text syntax and its binary form (int16 ndigits, int16 weight, uint16 sign,
// uint16 dscale, then base-10000 digits), following numeric_in / numeric_send.
#include <cstdint>
#include <vector>

#include "types/codecs.hpp"
#include "types/wire.hpp"

namespace fauxgres::types::detail {
namespace {

constexpr std::uint16_t sign_pos = 0x0000, sign_neg = 0x4000, sign_nan = 0xC000, sign_pinf = 0xD000,
                        sign_ninf = 0xF000;
constexpr int max_dscale = 0x3FFF;              // NUMERIC_DSCALE_MAX
constexpr std::size_t max_int_digits = 131072;  // (NUMERIC_WEIGHT_MAX + 1) * DEC_DIGITS
constexpr long max_exponent = 1000000;          // bounds the digits an exponent can create

// A finite decimal: value = int_digits.frac_digits, frac_digits has exactly dscale digits.
struct decimal {
  bool negative = false;
  std::string int_digits;  // no leading zeros
  std::string frac_digits;
};

std::string header(std::int16_t ndigits, std::int16_t weight, std::uint16_t sign,
                   std::uint16_t dscale) {
  std::string out;
  put_be(out, ndigits);
  put_be(out, weight);
  put_be(out, sign);
  put_be(out, dscale);
  return out;
}

// NaN / Infinity; the dscale PG sends for them comes from the special header bits.
maybe_string special(std::string_view s) {
  if (iequals(s, "NaN")) return header(0, 0, sign_nan, 0);
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (iequals(s, "Infinity") || iequals(s, "inf")) {
    return header(0, 0, neg ? sign_ninf : sign_pinf, 32);
  }
  return std::nullopt;
}

std::optional<long> parse_exponent(std::string_view& s) {
  if (s.empty() || (s[0] != 'e' && s[0] != 'E')) return 0;
  s.remove_prefix(1);
  while (!s.empty() && is_space(s[0])) s.remove_prefix(1);  // PG reads it with strtol
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || !is_digit(s[0])) return std::nullopt;
  long e = 0;
  while (!s.empty() && is_digit(s[0])) {
    e = e * 10 + (s[0] - '0');
    if (e > max_exponent) return std::nullopt;
    s.remove_prefix(1);
  }
  return neg ? -e : e;
}

std::optional<decimal> parse_decimal(std::string_view s) {
  decimal d;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    d.negative = s[0] == '-';
    s.remove_prefix(1);
  }
  std::string digits;
  long point = -1;
  while (!s.empty() && (is_digit(s[0]) || (s[0] == '.' && point < 0))) {
    if (s[0] == '.') {
      point = static_cast<long>(digits.size());
    } else {
      digits.push_back(s[0]);
    }
    s.remove_prefix(1);
  }
  if (digits.empty()) return std::nullopt;
  const long int_len = point < 0 ? static_cast<long>(digits.size()) : point;
  const long frac_len = static_cast<long>(digits.size()) - int_len;
  const auto exponent = parse_exponent(s);
  if (!exponent || !s.empty()) return std::nullopt;
  const long dscale = std::max(0L, frac_len - *exponent);
  const long split = int_len + *exponent;  // digits before the decimal point
  if (dscale > max_dscale || split > static_cast<long>(max_int_digits + digits.size())) {
    return std::nullopt;
  }
  if (split <= 0) {
    d.frac_digits = std::string(static_cast<std::size_t>(-split), '0') + digits;
  } else if (split >= static_cast<long>(digits.size())) {
    d.int_digits = digits + std::string(static_cast<std::size_t>(split) - digits.size(), '0');
  } else {
    d.int_digits = digits.substr(0, static_cast<std::size_t>(split));
    d.frac_digits = digits.substr(static_cast<std::size_t>(split));
  }
  d.frac_digits.resize(static_cast<std::size_t>(dscale), '0');
  d.int_digits.erase(0, d.int_digits.find_first_not_of('0'));
  if (d.int_digits.size() > max_int_digits) return std::nullopt;
  return d;
}

std::string encode(const decimal& d) {
  std::string int_part = d.int_digits, frac_part = d.frac_digits;
  int_part.insert(0, (4 - int_part.size() % 4) % 4, '0');
  frac_part.append((4 - frac_part.size() % 4) % 4, '0');
  std::vector<std::int16_t> groups;
  const std::string all = int_part + frac_part;
  for (std::size_t i = 0; i < all.size(); i += 4) {
    groups.push_back(static_cast<std::int16_t>(std::stoi(all.substr(i, 4))));
  }
  int weight = static_cast<int>(int_part.size() / 4) - 1;
  std::size_t first = 0;
  while (first < groups.size() && groups[first] == 0) {
    ++first;
    --weight;
  }
  std::size_t last = groups.size();
  while (last > first && groups[last - 1] == 0) --last;
  const auto dscale = static_cast<std::uint16_t>(d.frac_digits.size());
  if (first == last) return header(0, 0, sign_pos, dscale);  // zero is never negative
  std::string out =
      header(static_cast<std::int16_t>(last - first), static_cast<std::int16_t>(weight),
             d.negative ? sign_neg : sign_pos, dscale);
  for (std::size_t i = first; i < last; ++i) put_be(out, groups[i]);
  return out;
}

std::string four_digits(int g) {
  std::string s = std::to_string(g);
  return std::string(4 - s.size(), '0') + s;
}

}  // namespace

maybe_string numeric_to_binary(std::string_view text) {
  const std::string_view s = trim(text);
  if (auto sp = special(s)) return sp;
  const auto d = parse_decimal(s);
  if (!d) return std::nullopt;
  return encode(*d);
}

maybe_string numeric_to_text(std::string_view b) {
  if (b.size() < 8) return std::nullopt;
  const auto ndigits = get_be<std::uint16_t>(b, 0);
  const auto weight = get_be<std::int16_t>(b, 2);
  const auto sign = get_be<std::uint16_t>(b, 4);
  const auto dscale = get_be<std::uint16_t>(b, 6);
  if (b.size() != 8 + 2 * static_cast<std::size_t>(ndigits)) return std::nullopt;
  if (sign == sign_nan) return "NaN";
  if (sign == sign_pinf) return "Infinity";
  if (sign == sign_ninf) return "-Infinity";
  if ((sign != sign_pos && sign != sign_neg) || dscale > max_dscale) return std::nullopt;
  std::vector<int> digits(ndigits);
  for (std::size_t i = 0; i < ndigits; ++i) {
    digits[i] = get_be<std::int16_t>(b, 8 + 2 * i);
    if (digits[i] < 0 || digits[i] > 9999) return std::nullopt;
  }
  auto group = [&](long i) {
    return i >= 0 && i < ndigits ? digits[static_cast<std::size_t>(i)] : 0;
  };
  std::string out = sign == sign_neg ? "-" : "";
  if (weight < 0) {
    out += "0";
  } else {
    out += std::to_string(group(0));
    for (long i = 1; i <= weight; ++i) out += four_digits(group(i));
  }
  if (dscale > 0) {
    std::string frac;
    for (long i = weight + 1; frac.size() < dscale; ++i) frac += four_digits(group(i));
    out += "." + frac.substr(0, dscale);
  }
  return out;
}

}  // namespace fauxgres::types::detail
