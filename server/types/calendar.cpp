// Calendar arithmetic and ISO date/time pieces (see calendar.hpp).
#include "types/calendar.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "types/wire.hpp"

namespace fauxgres::types::detail {
namespace {

constexpr std::int64_t days_1970_to_2000 = 10957;

std::string pad(std::int64_t v, std::size_t width) {
  std::string s = std::to_string(v);
  if (s.size() < width) s.insert(0, width - s.size(), '0');
  return s;
}

// Reads 1..max_digits decimal digits.
std::optional<std::int64_t> number(std::string_view& s, std::size_t max_digits) {
  std::size_t n = 0;
  std::int64_t v = 0;
  while (n < s.size() && n < max_digits && is_digit(s[n])) v = v * 10 + (s[n++] - '0');
  if (n == 0) return std::nullopt;
  s.remove_prefix(n);
  return v;
}

std::size_t digit_run(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && is_digit(s[n])) ++n;
  return n;
}

bool consume(std::string_view& s, char c) {
  if (s.empty() || s[0] != c) return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

// Days from 1970-01-01 by 400-year eras, shifted so that 2000-01-01 is day 0.
std::int64_t days_from_civil(const civil& c) {
  const std::int64_t y = c.year - (c.month <= 2 ? 1 : 0);
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (c.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + c.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468 - days_1970_to_2000;
}

civil civil_from_days(std::int64_t days) {
  const std::int64_t z = days + days_1970_to_2000 + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  civil c;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
  return c;
}

int days_in_month(std::int64_t year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

std::string format_date(const civil& c) {
  const std::int64_t shown = c.year > 0 ? c.year : 1 - c.year;
  return pad(shown, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2);
}

std::string year_suffix(const civil& c) {
  return c.year > 0 ? "" : " BC";
}

std::string format_time_of_day(std::int64_t usecs) {
  const std::int64_t secs = usecs / 1'000'000;
  std::string out = pad(secs / 3600, 2) + ":" + pad(secs / 60 % 60, 2) + ":" + pad(secs % 60, 2);
  if (const std::int64_t frac = usecs % 1'000'000; frac != 0) {
    std::string f = pad(frac, 6);
    f.erase(f.find_last_not_of('0') + 1);
    out += "." + f;
  }
  return out;
}

// Y-M-D when the first field has three or more digits, else M-D-Y (DateStyle MDY), with
// '-' or '/'; or 6 to 8 digits run together (YYMMDD, YYYMMDD, YYYYMMDD).
std::optional<civil> parse_date(std::string_view& s) {
  std::string_view t = s;
  const std::size_t first_len = digit_run(t);
  const auto first = number(t, 9);
  if (!first) return std::nullopt;
  civil c;
  std::size_t year_len = 0;
  if (!t.empty() && (t[0] == '-' || t[0] == '/')) {
    const char sep = t[0];
    t.remove_prefix(1);
    const auto second = number(t, 2);
    if (!second || !consume(t, sep)) return std::nullopt;
    const std::size_t third_len = digit_run(t);
    const auto third = number(t, 9);
    if (!third) return std::nullopt;
    if (first_len >= 3) {
      c = civil{*first, static_cast<int>(*second), static_cast<int>(*third)};
      year_len = first_len;
    } else {
      c = civil{*third, static_cast<int>(*first), static_cast<int>(*second)};
      year_len = third_len;
    }
  } else if (first_len >= 6 && first_len <= 8) {
    c = civil{*first / 10000, static_cast<int>(*first / 100 % 100), static_cast<int>(*first % 100)};
    year_len = first_len - 4;
  } else {
    return std::nullopt;
  }
  c.two_digit_year = year_len <= 2;
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31) return std::nullopt;
  s = t;
  return c;
}

// H:M[:S[.f]], H:, M:S.f, HHMM[.f], HHMMSS[.f]; seconds may be 60 (a leap second).
std::optional<std::int64_t> parse_time(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && (is_digit(s[n]) || s[n] == ':' || s[n] == '.')) ++n;
  const std::string_view token = s.substr(0, n);
  if (token.empty() || !is_digit(token[0])) return std::nullopt;
  const auto dot = token.find('.');
  const std::string_view whole = token.substr(0, dot);
  const std::string_view frac_text = dot == std::string_view::npos ? "" : token.substr(dot);
  if (frac_text.find_first_of(".:", 1) != std::string_view::npos) return std::nullopt;
  std::int64_t h = 0, m = 0, sec = 0;
  auto all_digits = [](std::string_view v) { return std::all_of(v.begin(), v.end(), is_digit); };
  auto value = [](std::string_view v) {
    std::int64_t x = 0;
    for (char c : v) x = x * 10 + (c - '0');
    return x;
  };
  if (whole.find(':') == std::string_view::npos) {
    if (!all_digits(whole) || (whole.size() != 4 && whole.size() != 6) || frac_text == ".") {
      return std::nullopt;
    }
    h = value(whole.substr(0, 2));
    m = value(whole.substr(2, 2));
    sec = whole.size() == 6 ? value(whole.substr(4, 2)) : 0;
  } else {
    std::string_view parts[3];
    std::size_t count = 0;
    for (std::string_view rest = whole;; ++count) {
      if (count == 3) return std::nullopt;
      const auto colon = rest.find(':');
      parts[count] = rest.substr(0, colon);
      if (parts[count].size() > 2 || !all_digits(parts[count])) return std::nullopt;
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
    if (count == 1 && !frac_text.empty()) {  // M:S.f
      m = value(parts[0]);
      sec = value(parts[1]);
    } else {
      if (parts[0].empty() || (count == 2 && parts[1].empty())) return std::nullopt;
      h = value(parts[0]);
      m = value(parts[1]);
      sec = count == 2 ? value(parts[2]) : 0;
    }
  }
  std::int64_t frac = 0;
  if (frac_text.size() > 1) {
    // As PG: the fraction is read as a double and rounded to microseconds.
    const std::string digits = "0" + std::string(frac_text);
    double f = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), f);
    frac = static_cast<std::int64_t>(std::rint(f * 1'000'000));
  }
  // A leap second may carry past 24h (23:59:60.5 in a timestamp); hour 24 must be 24:00:00.
  if (h > 24 || m > 59 || sec > 60 || (h == 24 && (m > 0 || sec > 0 || frac > 0))) {
    return std::nullopt;
  }
  s.remove_prefix(n);
  return ((h * 60 + m) * 60 + sec) * 1'000'000 + frac;
}

std::optional<int> parse_zone(std::string_view& s) {
  std::string_view t = s;
  skip_spaces(t);
  for (std::string_view utc : {"utc", "gmt", "z"}) {
    if (t.size() >= utc.size() && iequals(t.substr(0, utc.size()), utc)) {
      s = t.substr(utc.size());
      return 0;
    }
  }
  if (t.empty() || (t[0] != '+' && t[0] != '-')) return std::nullopt;
  const int sign = t[0] == '-' ? -1 : 1;
  t.remove_prefix(1);
  const auto h = number(t, 2);
  if (!h) return std::nullopt;
  std::int64_t m = 0, sec = 0;
  consume(t, ':');
  if (auto mv = number(t, 2)) {
    m = *mv;
    consume(t, ':');
    if (auto sv = number(t, 2)) sec = *sv;
  }
  if (*h > 15 || m > 59 || sec > 59) return std::nullopt;
  s = t;
  return sign * static_cast<int>(*h * 3600 + m * 60 + sec);
}

bool apply_era(civil& c, bool bc) {
  if (c.two_digit_year && !bc) c.year += c.year < 70 ? 2000 : 1900;
  if (c.year < 1) return false;
  if (bc) c.year = 1 - c.year;
  return c.day <= days_in_month(c.year, c.month);
}

bool parse_era(std::string_view& s, bool& bc) {
  std::string_view t = s;
  skip_spaces(t);
  if (t.size() >= 2 && (iequals(t.substr(0, 2), "bc") || iequals(t.substr(0, 2), "ad"))) {
    bc = lower(t[0]) == 'b';
    s = t.substr(2);
    return true;
  }
  return false;
}

void skip_spaces(std::string_view& s) {
  while (!s.empty() && is_space(s[0])) s.remove_prefix(1);
}

}  // namespace fauxgres::types::detail
