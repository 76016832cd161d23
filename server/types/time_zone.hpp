// A time zone as PostgreSQL's copy of tzcode sees one: the transitions of a compiled zone
// file (TZif) with its POSIX footer for the years past them, or a bare POSIX TZ spec such
// as "EST5EDT" or "<+03>-03". Pure logic: finding and reading the files is the caller's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fauxgres::types {

class time_zone {
 public:
  // A compiled zone file's bytes (versions 1 to 4; the 64-bit part when there is one).
  // nullopt when the bytes are not a valid TZif file.
  static std::optional<time_zone> from_tzif(std::string name, std::string_view bytes);
  // A POSIX TZ spec: std offset [dst [offset] [,start[/time],end[/time]]], names bare
  // (3+ letters) or quoted in <>. A dst zone without rules takes the US rules
  // (M3.2.0,M11.1.0), as tzcode without a posixrules file. nullopt when it does not parse.
  static std::optional<time_zone> from_posix(std::string name, std::string_view spec);
  // A fixed offset, seconds east of UTC.
  static time_zone fixed(std::string name, std::int32_t seconds_east);

  const std::string& name() const { return name_; }
  bool uses_leap_seconds() const { return leap_seconds_; }

  // Seconds east of UTC in effect at an instant (seconds since 1970-01-01 UTC).
  std::int32_t offset_at(std::int64_t unix_seconds) const;
  // Seconds east of UTC for a local wall-clock time (seconds since 1970-01-01 local),
  // resolved as PG's DetermineTimeZoneOffset: a time skipped by a spring-forward
  // transition takes the offset before it, one repeated by a fall-back the offset after it.
  std::int32_t offset_for_local(std::int64_t local_seconds) const;

  struct rule_date {
    enum class kind : std::uint8_t { julian_no_leap, zero_based_day, month_week_day };
    kind form = kind::month_week_day;
    int day = 0;               // Jn: 1..365; n: 0..365; Mm.w.d: weekday 0..6
    int week = 0;              // Mm.w.d: 1..5
    int month = 0;             // Mm.w.d: 1..12
    std::int32_t time = 7200;  // seconds after local midnight, may be negative or > 24 h
  };
  struct posix_rule {
    std::int32_t std_offset = 0;  // seconds east
    std::optional<std::int32_t> dst_offset;
    rule_date dst_start{};
    rule_date dst_end{};
  };

 private:
  struct transition {
    std::int64_t at;  // unix seconds
    std::int32_t offset;
  };
  // A change of offset, with the offsets either side (pg_next_dst_boundary's answer).
  struct boundary {
    std::int64_t at;
    std::int32_t before;
    std::int32_t after;
  };
  // The first transition strictly after t; nullopt when the offset never changes again.
  std::optional<boundary> next_boundary(std::int64_t t) const;

  std::string name_;
  std::vector<transition> transitions_;
  std::int32_t initial_offset_ = 0;
  std::optional<posix_rule> rule_;  // after the last transition (or always)
  bool leap_seconds_ = false;
};

}  // namespace fauxgres::types
