// interval: PG's binary form (int64 microseconds, int32 days, int32 months), the
// 'postgres' IntervalStyle output, and input as PG 15's DecodeInterval reads it ("1 day
// 02:00", "1.5 hours", "2 weeks ago", "@ 1 minute", ISO 8601 "P1Y2M3DT4H"), including
// its double arithmetic for fractions so that results match to the microsecond.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <vector>

#include "types/codecs.hpp"
#include "types/wire.hpp"

namespace fauxgres::types::detail {
namespace {

constexpr std::int64_t usecs_per_sec = 1'000'000;
constexpr std::int64_t usecs_per_day = 86'400 * usecs_per_sec;

// PG's pg_itm_in: every step is overflow-checked; `ok` turns false on overflow.
struct interval_sum {
  std::int64_t usecs = 0;
  std::int32_t days = 0;
  std::int32_t months = 0;
  std::int32_t years = 0;
  bool ok = true;

  void add_usecs(std::int64_t v) { ok = ok && !__builtin_add_overflow(usecs, v, &usecs); }
  void add_scaled_usecs(std::int64_t v, std::int64_t scale) {
    std::int64_t product = 0;
    ok = ok && !__builtin_mul_overflow(v, scale, &product);
    add_usecs(product);
  }
  void add_int32(std::int32_t& field, std::int64_t v, std::int64_t scale) {
    std::int64_t product = 0, sum = 0;
    ok = ok && !__builtin_mul_overflow(v, scale, &product) &&
         !__builtin_add_overflow(static_cast<std::int64_t>(field), product, &sum) &&
         sum >= std::numeric_limits<std::int32_t>::min() &&
         sum <= std::numeric_limits<std::int32_t>::max();
    if (ok) field = static_cast<std::int32_t>(sum);
  }
  // AdjustFractMicroseconds / AdjustFractDays / AdjustFractYears.
  void fract_usecs(double frac, std::int64_t scale) {
    if (frac == 0) return;
    frac *= static_cast<double>(scale);
    auto usec = static_cast<std::int64_t>(frac);
    frac -= static_cast<double>(usec);
    usec += static_cast<std::int64_t>(std::rint(frac));
    add_usecs(usec);
  }
  void fract_days(double frac, int scale) {
    if (frac == 0) return;
    frac *= scale;
    const auto extra = static_cast<std::int32_t>(frac);
    add_int32(days, extra, 1);
    fract_usecs(frac - extra, usecs_per_day);
  }
  void fract_years(double frac, int scale) {
    add_int32(months, static_cast<std::int64_t>(std::rint(frac * scale * 12)), 1);
  }
};

enum class unit {
  usec,
  msec,
  sec,
  minute,
  hour,
  day,
  week,
  month,
  year,
  decade,
  century,
  millennium
};

struct unit_name {
  std::string_view name;
  unit u;
};

constexpr unit_name unit_names[] = {
    {"microsecond", unit::usec},
    {"microseconds", unit::usec},
    {"usec", unit::usec},
    {"usecs", unit::usec},
    {"us", unit::usec},
    {"millisecond", unit::msec},
    {"milliseconds", unit::msec},
    {"msec", unit::msec},
    {"msecs", unit::msec},
    {"ms", unit::msec},
    {"second", unit::sec},
    {"seconds", unit::sec},
    {"sec", unit::sec},
    {"secs", unit::sec},
    {"s", unit::sec},
    {"minute", unit::minute},
    {"minutes", unit::minute},
    {"min", unit::minute},
    {"mins", unit::minute},
    {"m", unit::minute},
    {"hour", unit::hour},
    {"hours", unit::hour},
    {"hr", unit::hour},
    {"hrs", unit::hour},
    {"h", unit::hour},
    {"day", unit::day},
    {"days", unit::day},
    {"d", unit::day},
    {"week", unit::week},
    {"weeks", unit::week},
    {"w", unit::week},
    {"month", unit::month},
    {"months", unit::month},
    {"mon", unit::month},
    {"mons", unit::month},
    {"year", unit::year},
    {"years", unit::year},
    {"yr", unit::year},
    {"yrs", unit::year},
    {"y", unit::year},
    {"decade", unit::decade},
    {"decades", unit::decade},
    {"century", unit::century},
    {"centuries", unit::century},
    {"millennium", unit::millennium},
    {"millennia", unit::millennium},
};

std::optional<unit> find_unit(std::string_view word) {
  for (const auto& n : unit_names) {
    if (iequals(word, n.name)) return n.u;
  }
  return std::nullopt;
}

// A number as PG 15 splits it: the integer part (int64, via strtoi64) and the fraction
// (a double, via strtod), both carrying the sign.
struct number {
  std::int64_t whole = 0;
  double frac = 0;
};

std::optional<number> parse_number(std::string_view t) {
  bool neg = false;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
    neg = t[0] == '-';
    t.remove_prefix(1);
  }
  const auto dot = t.find('.');
  const std::string_view int_part = t.substr(0, dot);
  if (!std::all_of(int_part.begin(), int_part.end(), is_digit)) return std::nullopt;
  number n;
  for (char c : int_part) {
    if (__builtin_mul_overflow(n.whole, 10, &n.whole) ||
        __builtin_add_overflow(n.whole, c - '0', &n.whole)) {
      return std::nullopt;
    }
  }
  if (dot != std::string_view::npos) {
    const std::string_view f = t.substr(dot + 1);
    if (!std::all_of(f.begin(), f.end(), is_digit))
      return std::nullopt;  // "5." and "." are 0 fraction
    n.frac = std::strtod(("0." + std::string(f)).c_str(), nullptr);
  } else if (int_part.empty()) {
    return std::nullopt;
  }
  if (neg) n = {-n.whole, -n.frac};
  return n;
}

// Adds one "number unit" field the way DecodeInterval does.
void add(interval_sum& sum, unit u, const number& n) {
  auto time = [&](std::int64_t scale) {
    sum.add_scaled_usecs(n.whole, scale);
    sum.fract_usecs(n.frac, scale);
  };
  auto years = [&](int scale) {
    sum.add_int32(sum.years, n.whole, scale);
    sum.fract_years(n.frac, scale);
  };
  switch (u) {
    case unit::usec:
      time(1);
      break;
    case unit::msec:
      time(1000);
      break;
    case unit::sec:
      time(usecs_per_sec);
      break;
    case unit::minute:
      time(60 * usecs_per_sec);
      break;
    case unit::hour:
      time(3600 * usecs_per_sec);
      break;
    case unit::day:
      sum.add_int32(sum.days, n.whole, 1);
      sum.fract_usecs(n.frac, usecs_per_day);
      break;
    case unit::week:
      sum.add_int32(sum.days, n.whole, 7);
      sum.fract_days(n.frac, 7);
      break;
    case unit::month:
      sum.add_int32(sum.months, n.whole, 1);
      sum.fract_days(n.frac, 30);
      break;
    case unit::year:
      years(1);
      break;
    case unit::decade:
      years(10);
      break;
    case unit::century:
      years(100);
      break;
    case unit::millennium:
      years(1000);
      break;
  }
}

// [+-]H:M[:S[.f]], H:M, or M:S.f → microseconds; minutes ≤ 59, seconds ≤ 60.
std::optional<std::int64_t> parse_clock(std::string_view t) {
  bool neg = false;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
    neg = t[0] == '-';
    t.remove_prefix(1);
  }
  const auto dot = t.find('.');
  std::string_view whole = t.substr(0, dot);
  std::int64_t fields[3] = {0, 0, 0};
  std::size_t count = 0;
  while (true) {
    const auto colon = whole.find(':');
    const std::string_view part = whole.substr(0, colon);
    if (count == 3 || part.size() > 10 || !std::all_of(part.begin(), part.end(), is_digit)) {
      return std::nullopt;
    }
    for (char c : part) fields[count] = fields[count] * 10 + (c - '0');
    ++count;
    if (colon == std::string_view::npos) break;
    whole.remove_prefix(colon + 1);
  }
  if (count < 2 || fields[0] > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
  std::int64_t frac = 0;
  if (dot != std::string_view::npos) {
    frac = static_cast<std::int64_t>(
        std::rint(std::strtod(("0" + std::string(t.substr(dot))).c_str(), nullptr) * 1e6));
    if (count == 2) {  // mm:ss.f
      fields[2] = fields[1];
      fields[1] = fields[0];
      fields[0] = 0;
    }
  }
  if (fields[1] > 59 || fields[2] > 60 || frac > usecs_per_sec) return std::nullopt;
  const std::int64_t usecs = ((fields[0] * 60 + fields[1]) * 60 + fields[2]) * usecs_per_sec + frac;
  return neg ? -usecs : usecs;
}

// The fields each unit fills; PG rejects a field given twice ("1 day 2 days").
enum field : unsigned {
  f_year = 1,
  f_month = 2,
  f_day = 4,
  f_hour = 8,
  f_minute = 16,
  f_second = 32,
  f_msec = 64,
  f_usec = 128,
  f_week = 256,
  f_decade = 512,
  f_century = 1024,
  f_millennium = 2048,
  f_all_seconds = f_second | f_msec | f_usec,
  f_clock = f_hour | f_minute | f_all_seconds,
};

unsigned field_of(unit u, bool fractional) {
  switch (u) {
    case unit::usec:
      return f_usec;
    case unit::msec:
      return f_msec;
    case unit::sec:
      return fractional ? f_all_seconds : f_second;
    case unit::minute:
      return f_minute;
    case unit::hour:
      return f_hour;
    case unit::day:
      return f_day;
    case unit::week:
      return f_week;
    case unit::month:
      return f_month;
    case unit::year:
      return f_year;
    case unit::decade:
      return f_decade;
    case unit::century:
      return f_century;
    case unit::millennium:
      return f_millennium;
  }
  return 0;
}

// Splits "1day 02:00 ago" into "1", "day", "02:00", "ago"; '@' is noise.
std::optional<std::vector<std::string_view>> tokens(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    std::size_t n = i;
    if (is_space(c) || c == '@') {
      ++i;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      while (n < s.size() && std::isalpha(static_cast<unsigned char>(s[n]))) ++n;
    } else if (is_digit(c) || c == '+' || c == '-' || c == '.') {
      ++n;
      while (n < s.size() && (is_digit(s[n]) || s[n] == '.' || s[n] == ':')) ++n;
    } else {
      return std::nullopt;
    }
    out.push_back(s.substr(i, n - i));
    i = n;
  }
  return out;
}

// Fields are read right to left, so a number takes the unit written after it; a trailing
// bare number is seconds, and one before a clock or an hour count is days.
bool parse_postgres(std::string_view s, interval_sum& sum) {
  const auto toks = tokens(s);
  if (!toks) return false;
  std::optional<unit> type;
  bool after_ago = false, ago = false;
  unsigned fmask = 0;
  for (auto it = toks->rbegin(); it != toks->rend(); ++it) {
    const std::string_view t = *it;
    unsigned tmask = 0;
    if (std::isalpha(static_cast<unsigned char>(t[0]))) {
      after_ago = iequals(t, "ago");
      if (after_ago) {
        ago = true;
        continue;
      }
      type = find_unit(t);
      if (!type) return false;
      continue;
    }
    if (t.find(':') != std::string_view::npos) {
      auto usecs = parse_clock(t);
      if (!usecs) return false;
      sum.add_usecs(*usecs);
      tmask = f_clock;
      type = unit::day;
    } else {
      if (after_ago) return false;  // "5 ago": a number needs a unit
      auto n = parse_number(t);
      if (!n) return false;
      const unit u = type.value_or(unit::sec);
      add(sum, u, *n);
      tmask = field_of(u, n->frac != 0);
      type = u == unit::hour ? unit::day : u;
    }
    after_ago = false;
    if (tmask & fmask) return false;
    fmask |= tmask;
  }
  if (fmask == 0) return false;
  if (ago) {
    sum.ok = sum.ok && sum.usecs != std::numeric_limits<std::int64_t>::min();
    sum.usecs = -sum.usecs;
    sum.days = -sum.days;
    sum.months = -sum.months;
    sum.years = -sum.years;
  }
  return true;
}

// P[nY][nM][nW][nD][T[nH][nM][nS]], numbers possibly fractional.
bool parse_iso(std::string_view s, interval_sum& sum) {
  s.remove_prefix(1);  // 'P'
  bool in_time = false, any = false;
  while (!s.empty()) {
    if (s[0] == 'T' || s[0] == 't') {
      in_time = true;
      s.remove_prefix(1);
      continue;
    }
    std::size_t n = 0;
    while (n < s.size() && (is_digit(s[n]) || s[n] == '.' || s[n] == '-' || s[n] == '+')) ++n;
    const auto v = parse_number(s.substr(0, n));
    if (!v || n >= s.size()) return false;
    const char designator = static_cast<char>(std::toupper(static_cast<unsigned char>(s[n])));
    s.remove_prefix(n + 1);
    switch (designator) {
      case 'Y':
        add(sum, unit::year, *v);
        break;
      case 'M':
        add(sum, in_time ? unit::minute : unit::month, *v);
        break;
      case 'W':
        add(sum, unit::week, *v);
        break;
      case 'D':
        add(sum, unit::day, *v);
        break;
      case 'H':
        add(sum, unit::hour, *v);
        break;
      case 'S':
        add(sum, unit::sec, *v);
        break;
      default:
        return false;
    }
    any = true;
  }
  return any;
}

// "N unit(s)" for the 'postgres' style; a '+' marks a positive field after a negative one.
void append_part(std::string& out, std::int64_t value, std::string_view unit_name, bool& is_zero,
                 bool& is_before) {
  if (value == 0) return;
  if (!is_zero) out += ' ';
  if (is_before && value > 0) out += '+';
  out += std::to_string(value) + " " + std::string(unit_name) + (value != 1 ? "s" : "");
  is_before = value < 0;
  is_zero = false;
}

std::string two_digits(std::uint64_t v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

}  // namespace

maybe_string interval_to_binary(std::string_view text) {
  const std::string_view s = trim(text);
  interval_sum sum;
  const bool parsed =
      !s.empty() && (s[0] == 'P' || s[0] == 'p') ? parse_iso(s, sum) : parse_postgres(s, sum);
  const std::int64_t months = static_cast<std::int64_t>(sum.years) * 12 + sum.months;
  if (!parsed || !sum.ok || months < std::numeric_limits<std::int32_t>::min() ||
      months > std::numeric_limits<std::int32_t>::max()) {
    return std::nullopt;
  }
  std::string out;
  put_be(out, sum.usecs);
  put_be(out, sum.days);
  put_be(out, static_cast<std::int32_t>(months));
  return out;
}

maybe_string interval_to_text(std::string_view b) {
  if (b.size() != 16) return std::nullopt;
  const auto time = get_be<std::int64_t>(b, 0);
  const auto days = get_be<std::int32_t>(b, 8);
  const auto months = get_be<std::int32_t>(b, 12);
  std::string out;
  bool is_zero = true, is_before = false;
  append_part(out, months / 12, "year", is_zero, is_before);
  append_part(out, months % 12, "mon", is_zero, is_before);
  append_part(out, days, "day", is_zero, is_before);
  if (is_zero || time != 0) {
    // Magnitude in unsigned arithmetic so INT64_MIN does not overflow.
    const std::uint64_t mag =
        time < 0 ? 0 - static_cast<std::uint64_t>(time) : static_cast<std::uint64_t>(time);
    const std::uint64_t secs = mag / usecs_per_sec, frac = mag % usecs_per_sec;
    if (!is_zero) out += ' ';
    out += time < 0 ? "-" : (is_before ? "+" : "");
    out += two_digits(secs / 3600) + ":" + two_digits(secs / 60 % 60) + ":" + two_digits(secs % 60);
    if (frac != 0) {
      std::string f = std::to_string(frac);
      f.insert(0, 6 - f.size(), '0');
      f.erase(f.find_last_not_of('0') + 1);
      out += "." + f;
    }
  }
  return out;
}

}  // namespace fauxgres::types::detail
