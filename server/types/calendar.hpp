// Internal: proleptic Gregorian calendar arithmetic and the ISO date/time text pieces
// shared by date, time, timestamp and timestamptz. PG counts days and microseconds from
// 2000-01-01 and writes years before 1 as "YYYY ... BC".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fauxgres::types::detail {

inline constexpr std::int64_t usecs_per_day = 86'400'000'000;
inline constexpr std::int64_t min_day = -2451545;                   // 4714-11-24 BC, Julian day 0
inline constexpr std::int64_t date_end_day = 2147483494 - 2451545;  // first invalid date
inline constexpr std::int64_t timestamp_end_day = 109203528 - 2451545;  // 294277-01-01

// Division rounding toward negative infinity (days and seconds before 2000 and 1970).
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

struct civil {
  std::int64_t year = 2000;  // astronomical: 0 is 1 BC
  int month = 1;
  int day = 1;
  bool two_digit_year = false;  // as written; apply_era turns 24 into 2024, 70 into 1970
};

std::int64_t days_from_civil(const civil& c);  // days since 2000-01-01
civil civil_from_days(std::int64_t days);
int days_in_month(std::int64_t year, int month);

// "YYYY-MM-DD" with PG's BC handling left to the caller (see year_suffix).
std::string format_date(const civil& c);
std::string year_suffix(const civil& c);  // " BC" or ""
// "HH:MM:SS" plus up to six fraction digits without trailing zeros.
std::string format_time_of_day(std::int64_t usecs);

// Parsers consume from the front of `s`.
std::optional<civil> parse_date(std::string_view& s);  // as written (AD years)
// Turns a written year into an astronomical one and checks the day of the month.
bool apply_era(civil& c, bool bc);
// → usecs; the time type itself also caps the total at 24:00:00.
std::optional<std::int64_t> parse_time(std::string_view& s);
std::optional<int> parse_zone(std::string_view& s);  // Z, UTC, ±HH[[:]MM[[:]SS]] → seconds
bool parse_era(std::string_view& s, bool& bc);       // optional "BC" / "AD"
void skip_spaces(std::string_view& s);

}  // namespace fauxgres::types::detail
