// Date/time and float text output as PostgreSQL 15 prints them (DateStyle ISO).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fauxgres::types {
class time_zone;
}

namespace fauxgres::responder {

// The current time as now(), localtimestamp, current_date, current_time and localtime
// show it in a session's zone: "2024-05-01 12:34:56.789012+09".
std::string format_timestamptz(std::chrono::system_clock::time_point t,
                               const types::time_zone& zone);
std::string format_timestamp(std::chrono::system_clock::time_point t, const types::time_zone& zone);
std::string format_date(std::chrono::system_clock::time_point t, const types::time_zone& zone);
std::string format_time(std::chrono::system_clock::time_point t, const types::time_zone& zone,
                        bool with_zone);

// float8out / float4out: shortest round-trip digits when extra_float_digits > 0,
// "%.*g" with 15/6 + extra_float_digits otherwise. NaN, Infinity, -Infinity.
std::string format_float8(double v, int extra_float_digits);
std::string format_float4(float v, int extra_float_digits);

}  // namespace fauxgres::responder
