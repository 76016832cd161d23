// timestamptz as a session sees it (timestamptz_in / timestamptz_out under a TimeZone):
// text without an offset is wall-clock time in the session's zone, and output shows the
// zone's offset at that instant. Values are microseconds since 2000-01-01 UTC, with the
// infinities at the int64 extremes, as on the wire.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fauxgres::types {

class time_zone;

inline constexpr std::int64_t pg_epoch_unix_seconds = 946'684'800;  // 2000-01-01 UTC

// nullopt when PG would reject the text.
std::optional<std::int64_t> timestamptz_in(std::string_view text, const time_zone& zone);
// "2024-07-01 21:00:00+09", "1800-01-01 00:00:00-04:56:02", "infinity".
std::string timestamptz_out(std::int64_t usecs, const time_zone& zone);
// The wall-clock time at an instant in a zone, as timestamp (without time zone) text.
std::string local_timestamp_out(std::int64_t usecs, const time_zone& zone);
// "+00", "+05:30", "-04:56:02".
std::string format_utc_offset(std::int32_t seconds_east);
// The zone of a session whose TimeZone is UTC, and of values read without a session.
const time_zone& utc_zone();

}  // namespace fauxgres::types
