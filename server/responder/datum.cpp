// Input/output functions and casts for the evaluator; see datum.hpp. Types fauxgres does
// not compute with (uuid, json, dates, ...) travel as text validated and canonicalised by
// types/values.hpp.
#include "responder/datum.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "responder/datetime.hpp"
#include "responder/expr_parser.hpp"
#include "responder/guc_values.hpp"
#include "responder/lexer.hpp"
#include "responder/numeric.hpp"
#include "responder/pg_error.hpp"
#include "types/catalog.hpp"
#include "types/time_zone.hpp"
#include "types/timestamps.hpp"
#include "types/values.hpp"

namespace fauxgres::responder {
namespace {

namespace oid = types::oid;
constexpr std::uint32_t regclass_oid = 2205, regproc_oid = 24, regnamespace_oid = 4089,
                        regrole_oid = 4096, timetz_oid = 1266;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_reg_type(std::uint32_t t) {
  return t == oid::regtype || t == regclass_oid || t == regproc_oid || t == regnamespace_oid ||
         t == regrole_oid;
}

bool is_datetime(std::uint32_t t) {
  return t == oid::date || t == oid::time || t == oid::timestamp || t == oid::timestamptz ||
         t == timetz_oid || t == oid::interval;
}

protocol::error_fields invalid_syntax(std::uint32_t type, std::string_view text, int position) {
  return protocol::errors::invalid_input_syntax(format_type(type), text, position);
}

std::optional<protocol::error_fields> input_integer(std::string_view text, std::uint32_t type,
                                                    int position, datum& out) {
  // pg_strtoint16/32/64: spaces, sign, digits, spaces; overflow is reported as soon as it
  // happens.
  std::size_t p = 0;
  while (p < text.size() && is_space(text[p])) ++p;
  bool negative = false;
  if (p < text.size() && (text[p] == '+' || text[p] == '-')) negative = text[p++] == '-';
  const std::uint64_t limit =
      negative ? 9223372036854775808ULL : 9223372036854775807ULL;  // |INT64_MIN| / INT64_MAX
  std::uint64_t mag = 0;
  std::size_t digits = 0;
  bool overflow = false;
  for (; p < text.size() && text[p] >= '0' && text[p] <= '9'; ++p, ++digits) {
    const auto d = static_cast<std::uint64_t>(text[p] - '0');
    if (mag > (limit - d) / 10) {
      overflow = true;
      break;
    }
    mag = mag * 10 + d;
  }
  std::int64_t v = 0;
  if (!overflow) {
    v = negative ? static_cast<std::int64_t>(0 - mag) : static_cast<std::int64_t>(mag);
    overflow = !fits_integer_type(v, type);
  }
  if (overflow) {
    return pg_error("22003", "value \"" + std::string(text) + "\" is out of range for type " +
                                 format_type(type));
  }
  while (p < text.size() && is_space(text[p])) ++p;
  if (digits == 0 || p != text.size()) return invalid_syntax(type, text, position);
  out.null = false;
  out.type = type;
  out.i = v;
  return std::nullopt;
}

std::optional<protocol::error_fields> input_float(std::string_view text, std::uint32_t type,
                                                  int position, datum& out) {
  const std::string t(trim(text));
  double v = 0;
  auto lower_eq = [&](std::string_view w) {
    if (t.size() != w.size()) return false;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(t[i])) != w[i]) return false;
    }
    return true;
  };
  if (lower_eq("nan")) {
    v = std::numeric_limits<double>::quiet_NaN();
  } else if (lower_eq("infinity") || lower_eq("+infinity") || lower_eq("inf") || lower_eq("+inf")) {
    v = HUGE_VAL;
  } else if (lower_eq("-infinity") || lower_eq("-inf")) {
    v = -HUGE_VAL;
  } else {
    if (t.empty()) return invalid_syntax(type, text, position);
    char* end = nullptr;
    errno = 0;
    v = std::strtod(t.c_str(), &end);
    if (end == t.c_str() || *end != '\0' || std::isnan(v) || std::isinf(v)) {
      if (errno != ERANGE || *end != '\0') return invalid_syntax(type, text, position);
    }
    const bool out_of_range =
        (errno == ERANGE && (v == 0 || std::isinf(v))) ||
        (type == oid::float4 && std::isfinite(v) &&
         (std::fabs(v) > std::numeric_limits<float>::max() ||
          (v != 0 && std::fabs(v) < std::numeric_limits<float>::denorm_min())));
    if (out_of_range) {
      return pg_error(
          "22003", "\"" + std::string(text) + "\" is out of range for type " + format_type(type));
    }
  }
  out.null = false;
  out.type = type;
  out.f = type == oid::float4 ? static_cast<double>(static_cast<float>(v)) : v;
  return std::nullopt;
}

std::optional<protocol::error_fields> input_oid(std::string_view text, int position, datum& out) {
  const std::string t(trim(text));
  if (t.empty()) return invalid_syntax(oid::oid, text, position);
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(t.c_str(), &end, 10);
  if (*end != '\0' || end == t.c_str()) return invalid_syntax(oid::oid, text, position);
  if (errno == ERANGE || v > 4294967295LL || v < -2147483648LL) {
    return pg_error("22003", "value \"" + std::string(text) + "\" is out of range for type oid");
  }
  out.null = false;
  out.type = oid::oid;
  out.i = v < 0 ? v + 4294967296LL : v;
  return std::nullopt;
}

std::optional<protocol::error_fields> input_regtype(std::string_view text, int position,
                                                    datum& out) {
  const std::string_view t = trim(text);
  if (!t.empty() && t.find_first_not_of("0123456789") == std::string_view::npos) {
    auto error = input_oid(t, position, out);
    out.type = oid::regtype;
    return error;
  }
  if (t == "-") {
    out.null = false;
    out.type = oid::regtype;
    out.i = 0;
    return std::nullopt;
  }
  auto resolved = type_from_text(t);
  if (!resolved) {
    return pg_error("42704", "type \"" + std::string(t) + "\" does not exist");
  }
  out.null = false;
  out.type = oid::regtype;
  out.i = resolved->oid;
  return std::nullopt;
}

// Length in characters of UTF-8 text, and the byte offset of character n.
std::size_t char_count(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::size_t byte_offset_of_char(std::string_view s, std::size_t chars) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == chars) return i;
      ++n;
    }
  }
  return s.size();
}

// varchar(n) / bpchar(n) / name length rules for an explicit cast.
void apply_string_typmod(datum& d, std::int32_t typmod) {
  if (d.type == oid::name && d.s.size() > 63) {
    std::size_t n = 63;
    while (n > 0 && (static_cast<unsigned char>(d.s[n]) & 0xC0) == 0x80) --n;
    d.s.resize(n);
  }
  if (typmod < 4 || (d.type != oid::varchar && d.type != oid::bpchar)) return;
  const std::size_t max = static_cast<std::size_t>(typmod - 4);
  const std::size_t len = char_count(d.s);
  if (len > max) d.s.resize(byte_offset_of_char(d.s, max));
  if (d.type == oid::bpchar && len < max) d.s.append(max - len, ' ');
}

// numeric(p,s): round to s digits, then check the integer digits fit.
std::optional<protocol::error_fields> apply_numeric_typmod(datum& d, std::int32_t typmod) {
  if (typmod < 4) return std::nullopt;
  const int precision = ((typmod - 4) >> 16) & 0xffff;
  int scale = (typmod - 4) & 0x7ff;
  if (scale > 1000) scale -= 2048;  // negative scales are stored in 11 bits
  auto value = decimal::parse(d.s);
  if (!value || value->is_nan()) return std::nullopt;
  const decimal r = value->rounded(scale);
  if (!r.is_zero() && r.integer_digits() > precision - scale) {
    const int magnitude = precision - scale;
    std::string detail = "A field with precision " + std::to_string(precision) + ", scale " +
                         std::to_string(scale) + " must round to an absolute value less than ";
    detail += magnitude > 0 ? "10^" + std::to_string(magnitude) : "1";
    detail += ".";
    return with_detail(pg_error("22003", "numeric field overflow"), detail);
  }
  d.s = r.to_string();
  return std::nullopt;
}

std::optional<protocol::error_fields> apply_typmod(datum& d, std::int32_t typmod) {
  if (d.null) return std::nullopt;
  if (d.type == oid::numeric) return apply_numeric_typmod(d, typmod);
  apply_string_typmod(d, typmod);
  return std::nullopt;
}

std::optional<protocol::error_fields> numeric_to_number(const datum& in, std::uint32_t target,
                                                        datum& out) {
  auto value = decimal::parse(in.s);
  if (!value) return pg_error("22P02", "invalid input syntax for type numeric: \"" + in.s + "\"");
  out.null = false;
  out.type = target;
  if (is_float_type(target)) {
    out.f = value->to_double();
    if (target == oid::float4) out.f = static_cast<double>(static_cast<float>(out.f));
    return std::nullopt;
  }
  if (value->is_nan()) {
    return pg_error("0A000", "cannot convert NaN to " + format_type(target));
  }
  auto v = value->to_int();
  if (!v || !fits_integer_type(*v, target)) return integer_out_of_range(target);
  out.i = *v;
  return std::nullopt;
}

std::optional<protocol::error_fields> number_to_number(const datum& in, std::uint32_t target,
                                                       datum& out) {
  out.null = false;
  out.type = target;
  if (in.type == oid::numeric) return numeric_to_number(in, target, out);
  if (target == oid::numeric) {
    if (stored_as_int(in.type)) {
      out.s = decimal::from_int(in.i).to_string();
    } else {
      auto d = decimal::from_double(in.f);
      out.s = d ? d->to_string() : "NaN";
    }
    return std::nullopt;
  }
  if (stored_as_int(in.type)) {
    if (is_float_type(target)) {
      out.f = static_cast<double>(in.i);
      if (target == oid::float4) out.f = static_cast<double>(static_cast<float>(out.f));
      return std::nullopt;
    }
    if (!fits_integer_type(in.i, target)) return integer_out_of_range(target);
    out.i = in.i;
    return std::nullopt;
  }
  // from float
  if (is_float_type(target)) {
    out.f = in.f;
    if (target == oid::float4) {
      if (std::isfinite(in.f) && std::fabs(in.f) > std::numeric_limits<float>::max()) {
        return pg_error("22003", "value out of range: overflow");
      }
      out.f = static_cast<double>(static_cast<float>(in.f));
    }
    return std::nullopt;
  }
  const double r = std::rint(in.f);
  if (std::isnan(r) || r < -9223372036854775808.0 || r >= 9223372036854775808.0 ||
      !fits_integer_type(static_cast<std::int64_t>(r), target)) {
    return integer_out_of_range(target);
  }
  out.i = static_cast<std::int64_t>(r);
  return std::nullopt;
}

// Timestamp casts on ISO text: the date part for ::date, the time part for ::time, the
// local date and time without the offset for timestamptz::timestamp.
std::string datetime_part(const std::string& text, std::uint32_t from, std::uint32_t to) {
  const bool from_timestamp = from == oid::timestamp || from == oid::timestamptz;
  const std::size_t space = text.find(' ');
  if (!from_timestamp || space == std::string::npos) return text;
  const bool bc = text.size() > 3 && text.compare(text.size() - 3, 3, " BC") == 0;
  std::string time = text.substr(space + 1, bc ? text.size() - space - 4 : std::string::npos);
  if (from == oid::timestamptz) {
    const std::size_t offset = time.find_first_of("+-");
    if (offset != std::string::npos) time.resize(offset);
  }
  if (to == oid::date) return text.substr(0, space) + (bc ? " BC" : "");
  if (to == oid::time) return time;
  if (to == oid::timestamp) return text.substr(0, space) + " " + time + (bc ? " BC" : "");
  return text;
}

}  // namespace

bool stored_as_int(std::uint32_t type) {
  return type == oid::bool_ || is_integer_type(type) || type == oid::oid || is_reg_type(type);
}

bool stored_as_float(std::uint32_t type) {
  return is_float_type(type);
}

bool fits_integer_type(std::int64_t v, std::uint32_t type) {
  switch (type) {
    case oid::int2:
      return v >= -32768 && v <= 32767;
    case oid::int4:
      return v >= -2147483648LL && v <= 2147483647LL;
    default:
      return true;
  }
}

protocol::error_fields integer_out_of_range(std::uint32_t type) {
  switch (type) {
    case oid::int2:
      return pg_error("22003", "smallint out of range");
    case oid::int8:
      return pg_error("22003", "bigint out of range");
    case oid::oid:
      return pg_error("22003", "OID out of range");
    default:
      return pg_error("22003", "integer out of range");
  }
}

std::string datum_text(const datum& d, int extra_float_digits) {
  if (d.type == oid::bool_) return d.i != 0 ? "t" : "f";
  if (d.type == oid::regtype) {
    if (d.i == 0) return "-";
    if (types::find_type(static_cast<std::uint32_t>(d.i)) == nullptr) return std::to_string(d.i);
    return format_type(static_cast<std::uint32_t>(d.i));
  }
  if (stored_as_int(d.type)) return std::to_string(d.i);
  if (d.type == oid::float8) return format_float8(d.f, extra_float_digits);
  if (d.type == oid::float4) return format_float4(static_cast<float>(d.f), extra_float_digits);
  return d.s;
}

std::optional<protocol::error_fields> input_datum(std::string_view text, sql_type target,
                                                  int position, datum& out,
                                                  const types::time_zone* zone) {
  out = datum{};
  out.type = target.oid;
  std::optional<protocol::error_fields> error;
  switch (target.oid) {
    case oid::int2:
    case oid::int4:
    case oid::int8:
      return input_integer(text, target.oid, position, out);
    case oid::float4:
    case oid::float8:
      return input_float(text, target.oid, position, out);
    case oid::oid:
      return input_oid(text, position, out);
    case oid::regtype:
      return input_regtype(text, position, out);
    case oid::bool_: {
      auto b = parse_guc_bool(text);
      if (!b) return invalid_syntax(oid::bool_, text, position);
      out.null = false;
      out.i = *b ? 1 : 0;
      return std::nullopt;
    }
    case oid::numeric: {
      auto d = decimal::parse(text);
      if (!d) return invalid_syntax(oid::numeric, text, position);
      out.null = false;
      out.s = d->to_string();
      return apply_typmod(out, target.typmod);
    }
    case oid::text:
    case oid::varchar:
    case oid::bpchar:
    case oid::name:
    case oid::unknown:
    case oid::void_:
      out.null = false;
      out.s = std::string(text);
      return apply_typmod(out, target.typmod);
    case oid::char_:
      out.null = false;
      out.s = text.empty() ? std::string() : std::string(1, text[0]);
      return std::nullopt;
    case oid::timestamptz: {
      const types::time_zone& in_zone = zone != nullptr ? *zone : types::utc_zone();
      const auto t = types::timestamptz_in(text, in_zone);
      if (!t) return invalid_syntax(target.oid, text, position);
      out.null = false;
      out.s = types::timestamptz_out(*t, in_zone);
      return std::nullopt;
    }
    default:
      break;
  }
  if (!types::valid_text_input(target.oid, text)) return invalid_syntax(target.oid, text, position);
  out.null = false;
  out.s = types::canonical_text(target.oid, text).value_or(std::string(text));
  return error;
}

bool can_cast(std::uint32_t from, std::uint32_t to) {
  if (from == to || from == oid::unknown) return true;
  if (is_string_type(from) || is_string_type(to) || from == oid::char_ || to == oid::char_) {
    return true;  // I/O conversion casts
  }
  if (is_numeric_type(from) && is_numeric_type(to)) return true;
  if ((from == oid::int4 && to == oid::bool_) || (from == oid::bool_ && to == oid::int4)) {
    return true;
  }
  const bool from_oidlike = from == oid::oid || is_reg_type(from);
  const bool to_oidlike = to == oid::oid || is_reg_type(to);
  if ((from_oidlike || is_integer_type(from)) && to_oidlike) return true;
  if (from_oidlike && (to == oid::int4 || to == oid::int8)) return true;
  if ((from == oid::json && to == oid::jsonb) || (from == oid::jsonb && to == oid::json)) {
    return true;
  }
  if (from == oid::date && (to == oid::timestamp || to == oid::timestamptz)) return true;
  if ((from == oid::timestamp || from == oid::timestamptz) &&
      (to == oid::timestamp || to == oid::timestamptz || to == oid::date || to == oid::time)) {
    return true;
  }
  if (from == oid::timestamptz && to == timetz_oid) return true;
  return false;
}

bool can_coerce_implicitly(std::uint32_t from, std::uint32_t to) {
  if (from == to || from == oid::unknown) return true;
  if (is_numeric_type(from) && is_numeric_type(to)) {
    return numeric_rank(from) <= numeric_rank(to);
  }
  if (is_string_type(from) && to == oid::text) return true;
  if (from == oid::text && (to == oid::varchar || to == oid::bpchar || to == oid::name)) {
    return true;
  }
  if (is_integer_type(from) && (to == oid::oid || is_reg_type(to))) return true;
  if ((from == oid::oid || is_reg_type(from)) && (to == oid::oid || is_reg_type(to))) return true;
  if (from == oid::date && (to == oid::timestamp || to == oid::timestamptz)) return true;
  if (from == oid::timestamp && to == oid::timestamptz) return true;
  return false;
}

std::optional<protocol::error_fields> cast_datum(const datum& in, sql_type target,
                                                 int extra_float_digits,
                                                 const types::time_zone& zone, datum& out) {
  if (in.null) {
    out = datum::null_of(target.oid);
    return std::nullopt;
  }
  const std::uint32_t from = in.type;
  if (from == target.oid) {
    out = in;
    return apply_typmod(out, target.typmod);
  }
  if (is_string_type(from) || from == oid::char_) {
    return input_datum(in.s, target, 0, out, &zone);
  }
  if (is_string_type(target.oid) || target.oid == oid::char_) {
    return input_datum(datum_text(in, extra_float_digits), target, 0, out);
  }
  if (is_numeric_type(from) && is_numeric_type(target.oid)) {
    if (auto error = number_to_number(in, target.oid, out)) return error;
    return apply_typmod(out, target.typmod);
  }
  out = datum{};
  out.null = false;
  out.type = target.oid;
  if (from == oid::bool_ && target.oid == oid::int4) {
    out.i = in.i;
    return std::nullopt;
  }
  if (from == oid::int4 && target.oid == oid::bool_) {
    out.i = in.i != 0 ? 1 : 0;
    return std::nullopt;
  }
  if (stored_as_int(from) && (target.oid == oid::oid || is_reg_type(target.oid))) {
    if (from == oid::int8 && (in.i < 0 || in.i > 4294967295LL)) {
      return integer_out_of_range(oid::oid);
    }
    out.i = in.i < 0 ? in.i + 4294967296LL : in.i;
    return std::nullopt;
  }
  if ((from == oid::oid || is_reg_type(from)) && is_integer_type(target.oid)) {
    out.i = (target.oid == oid::int4 && in.i > 2147483647LL) ? in.i - 4294967296LL : in.i;
    return std::nullopt;
  }
  if (from == oid::timestamptz &&
      (target.oid == oid::date || target.oid == oid::time || target.oid == oid::timestamp)) {
    // The wall-clock time in the session's zone, then cut like a timestamp.
    const auto t = types::timestamptz_in(in.s, zone);
    const std::string local = t ? types::local_timestamp_out(*t, zone) : in.s;
    return input_datum(datetime_part(local, oid::timestamp, target.oid), target, 0, out, &zone);
  }
  if (is_datetime(from) && is_datetime(target.oid)) {
    return input_datum(datetime_part(in.s, from, target.oid), target, 0, out, &zone);
  }
  if (is_datetime(from) || is_datetime(target.oid) || from == oid::json || from == oid::jsonb) {
    return input_datum(in.s, target, 0, out);
  }
  return pg_error("42846",
                  "cannot cast type " + format_type(from) + " to " + format_type(target.oid));
}

}  // namespace fauxgres::responder
