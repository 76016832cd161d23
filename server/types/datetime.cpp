// date, time, timestamp, timestamptz: ISO text (DateStyle ISO, TimeZone UTC) and PG's
// binary forms (int32 days / int64 microseconds from 2000-01-01 or from midnight).
#include <cstdint>
#include <limits>

#include "types/calendar.hpp"
#include "types/codecs.hpp"
#include "types/wire.hpp"

namespace fauxgres::types::detail {
namespace {

constexpr std::int32_t date_neg_inf = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t date_pos_inf = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t ts_neg_inf = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t ts_pos_inf = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t epoch_day = -10957;  // 1970-01-01

// "infinity", "-infinity" and "epoch", which every date/time type here accepts.
std::optional<std::int64_t> special_day(std::string_view s, std::int64_t neg, std::int64_t pos,
                                        std::int64_t epoch) {
  if (iequals(s, "infinity") || iequals(s, "+infinity")) return pos;
  if (iequals(s, "-infinity")) return neg;
  if (iequals(s, "epoch")) return epoch;
  return std::nullopt;
}

bool valid_timestamp(std::int64_t t) {
  return t >= min_day * usecs_per_day && t < timestamp_end_day * usecs_per_day;
}

// Date, then an optional time (after 'T' or spaces) and zone, then BC/AD; nothing else.
std::optional<std::int64_t> parse_timestamp(std::string_view text, bool with_zone) {
  std::string_view s = trim(text);
  if (auto sp = special_day(s, ts_neg_inf, ts_pos_inf, epoch_day * usecs_per_day)) return sp;
  auto date = parse_date(s);
  if (!date) return std::nullopt;
  std::int64_t time = 0;
  std::string_view t = s;
  if (!t.empty() && (t[0] == 'T' || t[0] == 't')) {
    t.remove_prefix(1);
  } else {
    skip_spaces(t);
  }
  if (auto tv = parse_time(t)) {
    time = *tv;
    s = t;
  }
  const auto zone = parse_zone(s);
  bool bc = false;
  parse_era(s, bc);
  skip_spaces(s);
  if (!s.empty() || !apply_era(*date, bc)) return std::nullopt;
  // timestamp without time zone ignores a zone, as PG does.
  const std::int64_t offset = with_zone && zone ? *zone : 0;
  const std::int64_t days = days_from_civil(*date);
  if (days < min_day || days >= timestamp_end_day) return std::nullopt;
  const std::int64_t value = days * usecs_per_day + time - offset * 1'000'000;
  if (!valid_timestamp(value)) return std::nullopt;
  return value;
}

maybe_string format_timestamp(std::string_view b, std::string_view zone_suffix) {
  const auto t = exact_be<std::int64_t>(b);
  if (!t) return std::nullopt;
  if (*t == ts_pos_inf) return "infinity";
  if (*t == ts_neg_inf) return "-infinity";
  if (!valid_timestamp(*t)) return std::nullopt;
  std::int64_t days = *t / usecs_per_day, time = *t % usecs_per_day;
  if (time < 0) {
    time += usecs_per_day;
    --days;
  }
  const civil c = civil_from_days(days);
  return format_date(c) + " " + format_time_of_day(time) + std::string(zone_suffix) +
         year_suffix(c);
}

}  // namespace

maybe_string date_to_binary(std::string_view text) {
  std::string_view s = trim(text);
  if (auto sp = special_day(s, date_neg_inf, date_pos_inf, epoch_day)) {
    return be(static_cast<std::int32_t>(*sp));
  }
  auto date = parse_date(s);
  bool bc = false;
  if (!date) return std::nullopt;
  parse_era(s, bc);
  skip_spaces(s);
  if (!s.empty() || !apply_era(*date, bc)) return std::nullopt;
  const std::int64_t days = days_from_civil(*date);
  if (days < min_day || days >= date_end_day) return std::nullopt;
  return be(static_cast<std::int32_t>(days));
}

maybe_string date_to_text(std::string_view b) {
  const auto d = exact_be<std::int32_t>(b);
  if (!d) return std::nullopt;
  if (*d == date_pos_inf) return "infinity";
  if (*d == date_neg_inf) return "-infinity";
  if (*d < min_day || *d >= date_end_day) return std::nullopt;
  const civil c = civil_from_days(*d);
  return format_date(c) + year_suffix(c);
}

maybe_string time_to_binary(std::string_view text) {
  std::string_view s = trim(text);
  const auto t = parse_time(s);
  if (!t || !s.empty() || *t > usecs_per_day) return std::nullopt;
  return be(*t);
}

maybe_string time_to_text(std::string_view b) {
  const auto t = exact_be<std::int64_t>(b);
  if (!t || *t < 0 || *t > usecs_per_day) return std::nullopt;
  return format_time_of_day(*t);
}

maybe_string timestamp_to_binary(std::string_view text) {
  const auto t = parse_timestamp(text, false);
  if (!t) return std::nullopt;
  return be(*t);
}

maybe_string timestamp_to_text(std::string_view b) {
  return format_timestamp(b, "");
}

maybe_string timestamptz_to_binary(std::string_view text) {
  const auto t = parse_timestamp(text, true);
  if (!t) return std::nullopt;
  return be(*t);
}

maybe_string timestamptz_to_text(std::string_view b) {
  return format_timestamp(b, "+00");
}

}  // namespace fauxgres::types::detail
