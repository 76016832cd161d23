// Date/time and float formatting; see datetime.hpp.
#include "responder/datetime.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "types/time_zone.hpp"
#include "types/timestamps.hpp"

namespace fauxgres::responder {
namespace {

std::string trim_zeros_exponent(const char* mantissa_and_exp) {
  // "1.5e+20" style from to_chars scientific: make the exponent at least two digits.
  std::string s = mantissa_and_exp;
  const std::size_t e = s.find('e');
  if (e == std::string::npos) return s;
  std::string exp = s.substr(e + 1);
  char sign = '+';
  if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) {
    sign = exp[0];
    exp.erase(0, 1);
  }
  if (exp.size() < 2) exp.insert(0, 2 - exp.size(), '0');
  return s.substr(0, e) + "e" + sign + exp;
}

// Shortest digits, printed like printf's %g with precision `max_fixed_exponent` (PG's
// ryu-based output switches to exponential form outside -4 <= exp < that bound).
template <typename F>
std::string shortest(F v, int max_fixed_exponent) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  *r.ptr = '\0';
  // buf: "d[.ddd]e[+-]x"
  const char* e = std::strchr(buf, 'e');
  const int exponent = std::atoi(e + 1);
  if (exponent < -4 || exponent >= max_fixed_exponent) return trim_zeros_exponent(buf);
  r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  *r.ptr = '\0';
  return buf;
}

std::string special_float(double v) {
  if (std::isnan(v)) return "NaN";
  return v > 0 ? "Infinity" : "-Infinity";
}

}  // namespace

namespace {

std::int64_t pg_usecs(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  return duration_cast<microseconds>(t.time_since_epoch()).count() -
         types::pg_epoch_unix_seconds * 1'000'000;
}

}  // namespace

std::string format_timestamptz(std::chrono::system_clock::time_point t,
                               const types::time_zone& zone) {
  return types::timestamptz_out(pg_usecs(t), zone);
}

std::string format_timestamp(std::chrono::system_clock::time_point t,
                             const types::time_zone& zone) {
  return types::local_timestamp_out(pg_usecs(t), zone);
}

std::string format_date(std::chrono::system_clock::time_point t, const types::time_zone& zone) {
  const std::string local = format_timestamp(t, zone);
  return local.substr(0, local.find(' '));
}

std::string format_time(std::chrono::system_clock::time_point t, const types::time_zone& zone,
                        bool with_zone) {
  const std::string local = format_timestamp(t, zone);
  std::string out = local.substr(local.find(' ') + 1);
  if (with_zone) {
    using namespace std::chrono;
    const auto seconds = duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    out += types::format_utc_offset(zone.offset_at(seconds));
  }
  return out;
}

std::string format_float8(double v, int extra_float_digits) {
  if (std::isnan(v) || std::isinf(v)) return special_float(v);
  if (extra_float_digits > 0) return shortest(v, 15);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", 15 + extra_float_digits, v);
  return buf;
}

std::string format_float4(float v, int extra_float_digits) {
  if (std::isnan(v) || std::isinf(v)) return special_float(v);
  if (extra_float_digits > 0) return shortest(v, 6);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", 6 + extra_float_digits, static_cast<double>(v));
  return buf;
}

}  // namespace fauxgres::responder
