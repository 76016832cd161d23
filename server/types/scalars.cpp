// Codecs of the simple built-in types (bool, integers, oid, floats, text-like, "char",
// bytea, uuid, void, regtype) and the table that maps every scalar oid to its codec.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <type_traits>

#include "types/catalog.hpp"
#include "types/codecs.hpp"
#include "types/wire.hpp"

namespace fauxgres::types::detail {
namespace {

// ---- integers: PG's pg_strtoint (spaces around, optional sign, decimal digits only).

std::optional<std::int64_t> parse_int(std::string_view text, std::int64_t min, std::int64_t max) {
  std::string_view s = trim(text);
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  const std::uint64_t limit =
      neg ? static_cast<std::uint64_t>(-(min + 1)) + 1 : static_cast<std::uint64_t>(max);
  std::uint64_t mag = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (mag > (limit - d) / 10) return std::nullopt;
    mag = mag * 10 + d;
  }
  return neg ? static_cast<std::int64_t>(0 - mag) : static_cast<std::int64_t>(mag);
}

template <typename T>
maybe_string int_to_binary(std::string_view text) {
  const auto v = parse_int(text, std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
  if (!v) return std::nullopt;
  return be(static_cast<T>(*v));
}

template <typename T>
maybe_string int_to_text(std::string_view b) {
  const auto v = exact_be<T>(b);
  if (!v) return std::nullopt;
  return std::to_string(*v);
}

// oidin: -2147483648..4294967295, negative values wrap as in PG.
maybe_string oid_to_binary(std::string_view text) {
  const auto v = parse_int(text, std::numeric_limits<std::int32_t>::min(),
                           std::numeric_limits<std::uint32_t>::max());
  if (!v) return std::nullopt;
  return be(static_cast<std::uint32_t>(*v));
}

maybe_string oid_to_text(std::string_view b) {
  const auto v = exact_be<std::uint32_t>(b);
  if (!v) return std::nullopt;
  return std::to_string(*v);
}

// ---- bool: PG's parse_bool after trimming spaces.

std::optional<bool> parse_bool(std::string_view text) {
  const std::string_view v = trim(text);
  auto prefix_of = [&v](std::string_view word) {
    return !v.empty() && v.size() <= word.size() && iequals(v, word.substr(0, v.size()));
  };
  if (v == "1") return true;
  if (v == "0") return false;
  if (prefix_of("true")) return true;
  if (prefix_of("false")) return false;
  if (prefix_of("yes")) return true;
  if (prefix_of("no")) return false;
  if (v.size() >= 2 && prefix_of("on")) return true;
  if (v.size() >= 2 && prefix_of("off")) return false;
  return std::nullopt;
}

maybe_string bool_to_binary(std::string_view text) {
  const auto v = parse_bool(text);
  if (!v) return std::nullopt;
  return std::string(1, *v ? '\1' : '\0');
}

maybe_string bool_to_text(std::string_view b) {
  if (b.size() != 1) return std::nullopt;
  return b[0] != 0 ? "t" : "f";
}

// ---- float4 / float8: shortest round-trip digits, laid out as PG does (exponent form
// below 1e-4 or from 1e15 / 1e6, two-digit exponents).

template <typename F>
std::optional<F> parse_float(std::string_view text) {
  std::string_view s = trim(text);
  bool neg = false;
  std::string_view body = s;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (iequals(s, "nan")) return std::numeric_limits<F>::quiet_NaN();
  if (iequals(body, "infinity") || iequals(body, "inf")) {
    return neg ? -std::numeric_limits<F>::infinity() : std::numeric_limits<F>::infinity();
  }
  if (body.empty() || body[0] == '+' || body[0] == '-' || !(is_digit(body[0]) || body[0] == '.')) {
    return std::nullopt;
  }
  F v{};
  const auto r =
      std::from_chars(body.data(), body.data() + body.size(), v, std::chars_format::general);
  if (r.ec != std::errc{} || r.ptr != body.data() + body.size() || std::isinf(v)) {
    return std::nullopt;  // garbage, overflow, or underflow to zero: PG's "out of range"
  }
  return neg ? -v : v;
}

// Whether the scientific decimal `text` ("-d.ddde±x") is exactly a rounding boundary of v
// (the midpoint to a neighbour). Only a dyadic decimal can be, and then it is exact in
// long double; anything else is not a boundary.
template <typename F>
bool is_boundary(F v, std::string_view text) {
  const auto e_at = text.find('e');
  std::uint64_t d = 0;
  int digits = 0;
  for (char c : text.substr(0, e_at)) {
    if (!is_digit(c)) continue;
    if (++digits > 19) return false;
    d = d * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (d == 0) return false;
  int k = std::atoi(std::string(text.substr(e_at + 1)).c_str()) - (digits - 1);  // d * 10^k
  for (; d % 10 == 0; d /= 10) ++k;  // padding zeros would only overflow below
  const int e2 = k;                  // d * 5^k * 2^k
  for (; k < 0; ++k) {
    if (d % 5 != 0) return false;  // not dyadic
    d /= 5;
  }
  for (; k > 0; --k) {
    if (__builtin_mul_overflow(d, std::uint64_t{5}, &d)) return false;  // too many bits
  }
  const long double x = std::ldexp(static_cast<long double>(d), e2);
  const long double lv = std::fabs(static_cast<long double>(v));
  const F av = std::fabs(v);
  const long double lo = (lv + std::nextafter(av, F{0})) / 2;
  const long double hi = (lv + std::nextafter(av, std::numeric_limits<F>::infinity())) / 2;
  return x == lo || x == hi;
}

// PG's Ryu output never uses a boundary itself (a tie that reads back as v only through
// round-to-even), where std::to_chars may: such a candidate is not acceptable.
template <typename F>
bool acceptable(F v, const std::string& text) {
  F back{};
  const auto r = std::from_chars(text.data(), text.data() + text.size(), back);
  return r.ec == std::errc{} && back == v && !is_boundary(v, text);
}

// Shortest scientific digits of v that PG's float output would choose.
template <typename F>
std::string shortest_scientific(F v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  for (int precision = 1; !acceptable(v, sci) && precision < 20; ++precision) {
    r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific, precision);
    sci.assign(buf, r.ptr);
  }
  // Trailing zeros of the mantissa carry no information.
  const auto e_at = sci.find('e');
  auto last = sci.find_last_not_of('0', e_at - 1);
  if (sci[last] == '.') --last;
  return sci.substr(0, last + 1) + sci.substr(e_at);
}

template <typename F>
std::string float_text(F v, int fixed_below) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  const std::string sci_text = shortest_scientific(v);
  const std::string_view sci = sci_text;
  const auto e_at = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_at)) {
    if (is_digit(c)) digits.push_back(c);
  }
  const int exp = std::atoi(std::string(sci.substr(e_at + 1)).c_str());
  std::string out = v < 0 ? "-" : "";
  if (exp < -4 || exp >= fixed_below) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    const int mag = std::abs(exp);
    return out + (exp < 0 ? "e-" : "e+") + (mag < 10 ? "0" : "") + std::to_string(mag);
  }
  if (exp < 0) return out + "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
  const auto int_len = static_cast<std::size_t>(exp) + 1;
  if (digits.size() <= int_len) return out + digits + std::string(int_len - digits.size(), '0');
  return out + digits.substr(0, int_len) + "." + digits.substr(int_len);
}

template <typename F, typename Bits>
maybe_string float_to_binary(std::string_view text) {
  const auto v = parse_float<F>(text);
  if (!v) return std::nullopt;
  Bits bits;
  std::memcpy(&bits, &*v, sizeof bits);
  return be(bits);
}

template <typename F, typename Bits>
maybe_string float_to_text(std::string_view b) {
  const auto bits = exact_be<Bits>(b);
  if (!bits) return std::nullopt;
  F v;
  std::memcpy(&v, &*bits, sizeof v);
  return float_text(v, std::is_same_v<F, float> ? 6 : 15);
}

// ---- text-like: the bytes themselves, valid UTF-8; name is cut to 63 bytes.

maybe_string text_codec(std::string_view s) {
  if (!valid_utf8(s)) return std::nullopt;
  return std::string(s);
}

maybe_string name_to_binary(std::string_view text) {
  if (!valid_utf8(text)) return std::nullopt;
  std::size_t len = std::min<std::size_t>(text.size(), 63);
  while (len > 0 && len < text.size() && (static_cast<unsigned char>(text[len]) & 0xC0) == 0x80) {
    --len;  // do not cut a multibyte character
  }
  return std::string(text.substr(0, len));
}

maybe_string name_to_text(std::string_view b) {
  if (b.size() >= 64) return std::nullopt;
  return text_codec(b);
}

// ---- "char": one byte; "\ooo" in and out for bytes with the high bit set.

bool is_octal(char c) {
  return c >= '0' && c <= '7';
}

maybe_string char_to_binary(std::string_view text) {
  if (text.size() == 4 && text[0] == '\\' && is_octal(text[1]) && is_octal(text[2]) &&
      is_octal(text[3])) {
    return std::string(
        1, static_cast<char>(((text[1] - '0') << 6) | ((text[2] - '0') << 3) | (text[3] - '0')));
  }
  return std::string(1, text.empty() ? '\0' : text[0]);
}

maybe_string char_to_text(std::string_view b) {
  if (b.size() != 1) return std::nullopt;
  const auto c = static_cast<unsigned char>(b[0]);
  if (c == 0) return "";
  if (c < 0x80) return std::string(1, static_cast<char>(c));
  return std::string{'\\', static_cast<char>('0' + (c >> 6)),
                     static_cast<char>('0' + ((c >> 3) & 7)), static_cast<char>('0' + (c & 7))};
}

// ---- bytea: "\x" hex output; hex (spaces allowed between bytes) or escape input.

int hex_value(char c) {
  const char l = lower(c);
  if (is_digit(l)) return l - '0';
  if (l >= 'a' && l <= 'f') return l - 'a' + 10;
  return -1;
}

maybe_string bytea_to_binary(std::string_view text) {
  std::string out;
  if (text.starts_with("\\x")) {
    for (std::size_t i = 2; i < text.size();) {
      if (is_space(text[i])) {
        ++i;
        continue;
      }
      if (i + 1 >= text.size()) return std::nullopt;  // odd number of digits
      const int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    }
    return out;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out.push_back(text[i]);
    } else if (i + 1 < text.size() && text[i + 1] == '\\') {
      out.push_back('\\');
      ++i;
    } else if (i + 3 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '3' &&
               is_octal(text[i + 2]) && is_octal(text[i + 3])) {
      out.push_back(static_cast<char>(((text[i + 1] - '0') << 6) | ((text[i + 2] - '0') << 3) |
                                      (text[i + 3] - '0')));
      i += 3;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

maybe_string bytea_to_text(std::string_view b) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\\x";
  for (char c : b) {
    out.push_back(hex[(static_cast<unsigned char>(c) >> 4) & 0xF]);
    out.push_back(hex[c & 0xF]);
  }
  return out;
}

// ---- uuid: 32 hex digits, a '-' allowed after any group of four, optional braces.

maybe_string uuid_to_binary(std::string_view s) {
  const bool braces = !s.empty() && s[0] == '{';
  if (braces) s.remove_prefix(1);
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (s.size() < 2 || hex_value(s[0]) < 0 || hex_value(s[1]) < 0) return std::nullopt;
    out.push_back(static_cast<char>(hex_value(s[0]) * 16 + hex_value(s[1])));
    s.remove_prefix(2);
    if (i % 2 == 1 && i < 15 && !s.empty() && s[0] == '-') s.remove_prefix(1);
  }
  if (braces) {
    if (s.empty() || s[0] != '}') return std::nullopt;
    s.remove_prefix(1);
  }
  if (!s.empty()) return std::nullopt;
  return out;
}

maybe_string uuid_to_text(std::string_view b) {
  if (b.size() != 16) return std::nullopt;
  std::string hex = bytea_to_text(b)->substr(2);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

// ---- void, regtype, json, jsonb.

maybe_string void_to_binary(std::string_view) {
  return std::string();
}
maybe_string void_to_text(std::string_view b) {
  if (!b.empty()) return std::nullopt;
  return std::string();
}

maybe_string regtype_to_binary(std::string_view text) {
  const std::string_view s = trim(text);
  if (s == "-") return be<std::uint32_t>(0);
  if (!s.empty() && std::all_of(s.begin(), s.end(), is_digit)) return oid_to_binary(s);
  const type_info* t = find_type_by_name(s);
  if (!t) return std::nullopt;
  return be(t->oid);
}

maybe_string regtype_to_text(std::string_view b) {
  const auto v = exact_be<std::uint32_t>(b);
  if (!v) return std::nullopt;
  return *v == 0 ? "-" : format_type(*v);
}

maybe_string jsonb_to_binary(std::string_view text) {
  auto normalized = jsonb_normalize(text);
  if (!normalized) return std::nullopt;
  return "\1" + *normalized;
}

maybe_string jsonb_to_text(std::string_view b) {
  if (b.empty() || b[0] != 1) return std::nullopt;  // version 1 is the only one
  return jsonb_normalize(b.substr(1));
}

struct scalar_codec {
  std::uint32_t oid;
  maybe_string (*to_binary)(std::string_view);
  maybe_string (*to_text)(std::string_view);
};

constexpr scalar_codec scalar_codecs[] = {
    {oid::bool_, bool_to_binary, bool_to_text},
    {oid::bytea, bytea_to_binary, bytea_to_text},
    {oid::char_, char_to_binary, char_to_text},
    {oid::name, name_to_binary, name_to_text},
    {oid::int8, int_to_binary<std::int64_t>, int_to_text<std::int64_t>},
    {oid::int2, int_to_binary<std::int16_t>, int_to_text<std::int16_t>},
    {oid::int4, int_to_binary<std::int32_t>, int_to_text<std::int32_t>},
    {oid::text, text_codec, text_codec},
    {oid::oid, oid_to_binary, oid_to_text},
    {oid::json, json_validate, json_validate},
    {oid::float4, float_to_binary<float, std::uint32_t>, float_to_text<float, std::uint32_t>},
    {oid::float8, float_to_binary<double, std::uint64_t>, float_to_text<double, std::uint64_t>},
    {oid::unknown, text_codec, text_codec},
    {oid::bpchar, text_codec, text_codec},
    {oid::varchar, text_codec, text_codec},
    {oid::date, date_to_binary, date_to_text},
    {oid::time, time_to_binary, time_to_text},
    {oid::timestamp, timestamp_to_binary, timestamp_to_text},
    {oid::timestamptz, timestamptz_to_binary, timestamptz_to_text},
    {oid::interval, interval_to_binary, interval_to_text},
    {oid::numeric, numeric_to_binary, numeric_to_text},
    {oid::regtype, regtype_to_binary, regtype_to_text},
    {oid::void_, void_to_binary, void_to_text},
    {oid::uuid, uuid_to_binary, uuid_to_text},
    {oid::jsonb, jsonb_to_binary, jsonb_to_text},
};

const scalar_codec* find_codec(std::uint32_t oid) {
  for (const auto& c : scalar_codecs) {
    if (c.oid == oid) return &c;
  }
  return nullptr;
}

}  // namespace

bool has_scalar_codec(std::uint32_t oid) {
  return find_codec(oid) != nullptr;
}

maybe_string scalar_to_binary(std::uint32_t oid, std::string_view text) {
  const scalar_codec* c = find_codec(oid);
  return c ? c->to_binary(text) : std::nullopt;
}

maybe_string scalar_to_text(std::uint32_t oid, std::string_view binary) {
  const scalar_codec* c = find_codec(oid);
  return c ? c->to_text(binary) : std::nullopt;
}

}  // namespace fauxgres::types::detail
