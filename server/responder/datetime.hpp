// Date/time and float text output as PostgreSQL 15 prints them (DateStyle ISO), and the
// UTC offsets of the TimeZone values fauxgres can compute without a tz database.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fauxgres::responder {

// UTC offset in seconds east of Greenwich for a TimeZone setting: UTC aliases, POSIX
// offsets ("<+05:30>-05:30", "EST5", "Etc/GMT-3"). Other zone names are rendered in UTC
// (the instant stays right; only the displayed offset differs from real PG).
int timezone_offset_seconds(std::string_view timezone);

// "2024-05-01 12:34:56.789012+00" (timestamptz), in the given offset.
std::string format_timestamptz(std::chrono::system_clock::time_point t, int offset_seconds);
// "2024-05-01 12:34:56.789012" (timestamp without time zone), local to the offset.
std::string format_timestamp(std::chrono::system_clock::time_point t, int offset_seconds);
std::string format_date(std::chrono::system_clock::time_point t, int offset_seconds);
std::string format_time(std::chrono::system_clock::time_point t, int offset_seconds,
                        bool with_zone);
// "+00", "+05:30", "-08".
std::string format_utc_offset(int offset_seconds);

// float8out / float4out: shortest round-trip digits when extra_float_digits > 0,
// "%.*g" with 15/6 + extra_float_digits otherwise. NaN, Infinity, -Infinity.
std::string format_float8(double v, int extra_float_digits);
std::string format_float4(float v, int extra_float_digits);

}  // namespace fauxgres::responder
