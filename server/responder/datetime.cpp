// Date/time and float formatting; see datetime.hpp.
#include "responder/datetime.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace fauxgres::responder {
namespace {

struct civil {
  long long year;
  unsigned month, day;
};

// Days since 1970-01-01 → proleptic Gregorian date (the standard era-based algorithm).
civil civil_from_days(long long z) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {m <= 2 ? y + 1 : y, m, d};
}

struct broken_down {
  civil date;
  int hour, minute, second;
  long long micros;
};

broken_down split(std::chrono::system_clock::time_point t, int offset_seconds) {
  using namespace std::chrono;
  const long long us = duration_cast<microseconds>(t.time_since_epoch()).count() +
                       static_cast<long long>(offset_seconds) * 1000000LL;
  long long days = us / 86400000000LL;
  long long rem = us % 86400000000LL;
  if (rem < 0) {
    rem += 86400000000LL;
    --days;
  }
  broken_down out{};
  out.date = civil_from_days(days);
  out.micros = rem % 1000000;
  const long long secs = rem / 1000000;
  out.hour = static_cast<int>(secs / 3600);
  out.minute = static_cast<int>((secs / 60) % 60);
  out.second = static_cast<int>(secs % 60);
  return out;
}

std::string date_text(const civil& d) {
  char buf[32];
  if (d.year > 0) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", d.year, d.month, d.day);
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u BC", 1 - d.year, d.month, d.day);
  }
  return buf;
}

std::string time_text(const broken_down& b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", b.hour, b.minute, b.second);
  std::string out = buf;
  if (b.micros != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", b.micros);
    std::string frac = buf;
    while (frac.back() == '0') frac.pop_back();
    out += frac;
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Parses "[+-]hh[:mm[:ss]]" at `s`; returns seconds, advancing `s`.
std::optional<int> parse_hms(std::string_view& s) {
  int sign = 1;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  int parts[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    int v = 0, digits = 0;
    while (!s.empty() && s[0] >= '0' && s[0] <= '9') {
      v = v * 10 + (s[0] - '0');
      s.remove_prefix(1);
      ++digits;
    }
    if (digits == 0) {
      if (i == 0) return std::nullopt;
      break;
    }
    parts[i] = v;
    if (s.empty() || s[0] != ':') break;
    s.remove_prefix(1);
  }
  return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
}

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

int timezone_offset_seconds(std::string_view tz) {
  static constexpr std::string_view utc_names[] = {
      "utc",       "etc/utc",       "gmt",     "etc/gmt",   "z",         "zulu",          "uct",
      "universal", "etc/universal", "etc/uct", "etc/zulu",  "greenwich", "etc/greenwich", "gmt0",
      "etc/gmt0",  "gmt+0",         "gmt-0",   "etc/gmt+0", "etc/gmt-0"};
  for (auto n : utc_names) {
    if (iequals(tz, n)) return 0;
  }
  // POSIX: "<+05:30>-05:30", "EST5", "Etc/GMT-3": the number is hours WEST of UTC.
  std::string_view s = tz;
  if (s.size() > 4 && iequals(s.substr(0, 4), "etc/")) s.remove_prefix(4);
  if (!s.empty() && s[0] == '<') {
    const std::size_t close = s.find('>');
    if (close == std::string_view::npos) return 0;
    s.remove_prefix(close + 1);
  } else {
    while (!s.empty() && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
      s.remove_prefix(1);
    }
  }
  if (s.empty()) return 0;
  std::string_view rest = s;
  auto west = parse_hms(rest);
  if (!west) return 0;
  return -*west;
}

std::string format_utc_offset(int offset_seconds) {
  const char sign = offset_seconds < 0 ? '-' : '+';
  int v = offset_seconds < 0 ? -offset_seconds : offset_seconds;
  char buf[32];
  const int h = v / 3600, m = (v / 60) % 60, s = v % 60;
  if (s != 0)
    std::snprintf(buf, sizeof buf, "%c%02d:%02d:%02d", sign, h, m, s);
  else if (m != 0)
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, h, m);
  else
    std::snprintf(buf, sizeof buf, "%c%02d", sign, h);
  return buf;
}

std::string format_timestamptz(std::chrono::system_clock::time_point t, int offset_seconds) {
  const broken_down b = split(t, offset_seconds);
  std::string out = date_text(b.date);
  const bool bc = out.size() > 3 && out.compare(out.size() - 3, 3, " BC") == 0;
  if (bc) out.resize(out.size() - 3);
  out += ' ';
  out += time_text(b);
  out += format_utc_offset(offset_seconds);
  if (bc) out += " BC";
  return out;
}

std::string format_timestamp(std::chrono::system_clock::time_point t, int offset_seconds) {
  const broken_down b = split(t, offset_seconds);
  std::string out = date_text(b.date);
  const bool bc = out.size() > 3 && out.compare(out.size() - 3, 3, " BC") == 0;
  if (bc) out.resize(out.size() - 3);
  out += ' ';
  out += time_text(b);
  if (bc) out += " BC";
  return out;
}

std::string format_date(std::chrono::system_clock::time_point t, int offset_seconds) {
  return date_text(split(t, offset_seconds).date);
}

std::string format_time(std::chrono::system_clock::time_point t, int offset_seconds,
                        bool with_zone) {
  std::string out = time_text(split(t, offset_seconds));
  if (with_zone) out += format_utc_offset(offset_seconds);
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
