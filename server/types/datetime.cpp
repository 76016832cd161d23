// date, time, timestamp, timestamptz: ISO text (DateStyle ISO, TimeZone UTC) and PG's
// binary forms (int32 days / int64 microseconds from 2000-01-01 or from midnight).
#include <cstdint>
#include <limits>

#include "types/calendar.hpp"
#include "types/codecs.hpp"
#include "types/time_zone.hpp"
#include "types/timestamps.hpp"
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

// A timestamp's text as written: wall-clock microseconds since 2000-01-01 and the offset
// it names, if any (seconds east). The infinities and "epoch" come back with no offset.
struct written_timestamp {
  std::int64_t local;
  std::optional<int> offset;
  bool special = false;
};

// Date, then an optional time (after 'T' or spaces) and zone, then BC/AD; nothing else.
std::optional<written_timestamp> read_timestamp(std::string_view text) {
  std::string_view s = trim(text);
  if (auto sp = special_day(s, ts_neg_inf, ts_pos_inf, epoch_day * usecs_per_day)) {
    return written_timestamp{*sp, 0, true};
  }
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
  const std::int64_t days = days_from_civil(*date);
  if (days < min_day || days >= timestamp_end_day) return std::nullopt;
  return written_timestamp{days * usecs_per_day + time, zone};
}

// timestamp without time zone ignores a written zone, as PG does.
std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  const auto w = read_timestamp(text);
  if (!w || (!w->special && !valid_timestamp(w->local))) return std::nullopt;
  return w->local;
}

// A timestamp's 8 bytes, when they hold a value PG accepts.
std::optional<std::int64_t> binary_timestamp(std::string_view b) {
  const auto t = exact_be<std::int64_t>(b);
  if (!t || (!valid_timestamp(*t) && *t != ts_pos_inf && *t != ts_neg_inf)) return std::nullopt;
  return t;
}

// Wall-clock microseconds since 2000-01-01 as ISO text, the zone suffix before any " BC".
std::string format_wall_clock(std::int64_t t, std::string_view zone_suffix) {
  if (t == ts_pos_inf) return "infinity";
  if (t == ts_neg_inf) return "-infinity";
  const civil c = civil_from_days(floor_div(t, usecs_per_day));
  return format_date(c) + " " +
         format_time_of_day(t - floor_div(t, usecs_per_day) * usecs_per_day) +
         std::string(zone_suffix) + year_suffix(c);
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
  const auto t = parse_timestamp(text);
  if (!t) return std::nullopt;
  return be(*t);
}

maybe_string timestamp_to_text(std::string_view b) {
  const auto t = binary_timestamp(b);
  if (!t) return std::nullopt;
  return format_wall_clock(*t, "");
}

maybe_string timestamptz_to_binary(std::string_view text) {
  const auto t = timestamptz_in(text, utc_zone());
  if (!t) return std::nullopt;
  return be(*t);
}

maybe_string timestamptz_to_text(std::string_view b) {
  const auto t = binary_timestamp(b);
  if (!t) return std::nullopt;
  return timestamptz_out(*t, utc_zone());
}

}  // namespace fauxgres::types::detail

namespace fauxgres::types {
using namespace detail;

std::optional<std::int64_t> timestamptz_in(std::string_view text, const time_zone& zone) {
  const auto w = read_timestamp(text);
  if (!w) return std::nullopt;
  if (w->special) return w->local;
  std::int64_t offset = 0;
  if (w->offset) {
    offset = *w->offset;
  } else {
    offset = zone.offset_for_local(floor_div(w->local, 1'000'000) + pg_epoch_unix_seconds);
  }
  const std::int64_t value = w->local - offset * 1'000'000;
  if (!valid_timestamp(value)) return std::nullopt;
  return value;
}

namespace {

std::int32_t offset_at(std::int64_t usecs, const time_zone& zone) {
  return zone.offset_at(floor_div(usecs, 1'000'000) + pg_epoch_unix_seconds);
}

}  // namespace

std::string timestamptz_out(std::int64_t usecs, const time_zone& zone) {
  if (usecs == ts_pos_inf) return "infinity";
  if (usecs == ts_neg_inf) return "-infinity";
  const std::int32_t offset = offset_at(usecs, zone);
  return format_wall_clock(usecs + std::int64_t{offset} * 1'000'000, format_utc_offset(offset));
}

std::string local_timestamp_out(std::int64_t usecs, const time_zone& zone) {
  if (usecs == ts_pos_inf) return "infinity";
  if (usecs == ts_neg_inf) return "-infinity";
  return format_wall_clock(usecs + std::int64_t{offset_at(usecs, zone)} * 1'000'000, "");
}

std::string format_utc_offset(std::int32_t seconds_east) {
  const std::int64_t v = seconds_east < 0 ? -std::int64_t{seconds_east} : seconds_east;
  std::string out = format_time_of_day(v * 1'000'000);  // "HH:MM:SS"
  if (v % 60 == 0) out.resize(out.size() - 3);
  if (v % 3600 == 0) out.resize(out.size() - 3);
  return (seconds_east < 0 ? "-" : "+") + out;
}

const time_zone& utc_zone() {
  static const time_zone utc = time_zone::fixed("UTC", 0);
  return utc;
}

}  // namespace fauxgres::types
