// Time zones evaluated the way PostgreSQL 15's copy of tzcode does (src/timezone/localtime.c,
// and DetermineTimeZoneOffsetInternal in src/backend/utils/adt/datetime.c).
//
// tzcode expands a POSIX rule into a table of transitions for ~400 years and repeats that
// table every 400 Gregorian years (which are exactly 146097 days, a whole number of weeks).
// We evaluate the rule per year instead, on a time folded into one 400-year cycle, so any
// instant costs the same and nothing overflows.
#include "types/time_zone.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

namespace fauxgres::types {
namespace {

constexpr std::int64_t secs_per_day = 86'400;
constexpr std::int64_t secs_per_cycle = 146'097 * secs_per_day;  // 400 Gregorian years
constexpr int cycle_years = 400;

// tzfile.h limits: PG refuses files beyond them, and they bound what we allocate.
constexpr std::int64_t max_times = 2000;
constexpr std::int64_t max_types = 256;
constexpr std::int64_t max_chars = 50;
constexpr std::int64_t max_leaps = 50;
// tzparse stores both abbreviations, each NUL-terminated, in a 512-byte buffer.
constexpr std::size_t max_posix_name_bytes = 512;

// For b > 0; unlike a - floor(a / b) * b it cannot overflow.
std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  const std::int64_t r = a % b;
  return r < 0 ? r + b : r;
}

std::int64_t saturating_sub(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (!__builtin_sub_overflow(a, b, &out)) return out;
  return b < 0 ? std::numeric_limits<std::int64_t>::max()
               : std::numeric_limits<std::int64_t>::min();
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int year_days(int year) {
  return is_leap(year) ? 366 : 365;
}

// Days from 1970-01-01 to January 1 of `year` (year >= 1).
std::int64_t days_to_year(int year) {
  const auto leaps_before = [](std::int64_t y) {
    return (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400;
  };
  return 365 * (std::int64_t{year} - 1970) + leaps_before(year) - leaps_before(1970);
}

// The year holding `t`, seconds in [0, secs_per_cycle), i.e. 1970 to 2369.
int year_of(std::int64_t t) {
  const std::int64_t days = t / secs_per_day;
  int year = 1970 + static_cast<int>(days * cycle_years / 146'097);
  while (days_to_year(year) > days) --year;
  while (days_to_year(year + 1) <= days) ++year;
  return year;
}

constexpr std::array<std::array<int, 12>, 2> month_days{{
    {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
    {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
}};

// Day of the year (0-based) a rule date falls on.
std::int64_t rule_day_of_year(const time_zone::rule_date& date, int year) {
  using kind = time_zone::rule_date::kind;
  const bool leap = is_leap(year);
  switch (date.form) {
    case kind::julian_no_leap:  // Jn never counts February 29
      return date.day - 1 + (leap && date.day >= 60 ? 1 : 0);
    case kind::zero_based_day:
      return date.day;
    case kind::month_week_day:
      break;
  }
  const auto& lengths = month_days[leap ? 1 : 0];
  std::int64_t before_month = 0;
  for (int m = 1; m < date.month; ++m) before_month += lengths[m - 1];
  const std::int64_t first = days_to_year(year) + before_month;
  const int first_weekday = static_cast<int>(floor_mod(first + 4, 7));  // 1970-01-01: Thursday
  int day = (date.day - first_weekday + 7) % 7;
  // Week 5 means the last such weekday: stop before leaving the month.
  for (int week = 1; week < date.week && day + 7 < lengths[date.month - 1]; ++week) day += 7;
  return before_month + day;
}

struct rule_event {
  std::int64_t at;  // seconds, in the folded frame
  std::int32_t offset;
};

// The transitions tzparse generates for one year, in its order: none when the rule
// leaves no standard time that year, else the earlier one first.
int rule_events(const time_zone::posix_rule& rule, int year, std::array<rule_event, 2>& out) {
  const std::int32_t std_offset = rule.std_offset;
  const std::int32_t dst_offset = *rule.dst_offset;
  // Start is written in standard time, end in daylight time.
  std::int64_t start =
      rule_day_of_year(rule.dst_start, year) * secs_per_day + rule.dst_start.time - std_offset;
  std::int64_t end =
      rule_day_of_year(rule.dst_end, year) * secs_per_day + rule.dst_end.time - dst_offset;
  const bool reversed = end < start;  // southern hemisphere, or negative DST
  if (reversed) std::swap(start, end);
  const std::int64_t year_secs = year_days(year) * secs_per_day;
  if (!reversed && !(start < end && end - start < year_secs + (dst_offset - std_offset))) {
    return 0;
  }
  const std::int64_t jan1 = days_to_year(year) * secs_per_day;
  out[0] = {jan1 + start, reversed ? std_offset : dst_offset};
  out[1] = {jan1 + end, reversed ? dst_offset : std_offset};
  return 2;
}

bool rule_ever_changes(const time_zone::posix_rule& rule) {
  if (!rule.dst_offset) return false;
  std::array<rule_event, 2> events{};
  for (int year = 1970; year < 1970 + cycle_years; ++year) {
    if (rule_events(rule, year, events) > 0) return true;
  }
  return false;
}

// The last rule transition at or before `t` (folded), as tzcode's search finds it: among
// equal times the later generated one. Only for rules that change (rule_ever_changes).
rule_event last_event_at_or_before(const time_zone::posix_rule& rule, std::int64_t t) {
  const int year = year_of(t);
  std::array<rule_event, 2> events{};
  // Rule times reach a week past the year's edges, so the next year may already count.
  for (int y = year + 1; y >= year - cycle_years - 1; --y) {
    for (int i = rule_events(rule, y, events) - 1; i >= 0; --i) {
      if (events[i].at <= t) return events[i];
    }
  }
  return {t, rule.std_offset};  // unreachable for a rule that changes
}

struct rule_step {
  rule_event event;     // the first transition after t
  rule_event previous;  // the one generated just before it
};

rule_step first_event_after(const time_zone::posix_rule& rule, std::int64_t t) {
  const int year = year_of(t);
  std::array<rule_event, 2> events{};
  for (int y = year - 1; y <= year + cycle_years + 1; ++y) {
    const int count = rule_events(rule, y, events);
    for (int i = 0; i < count; ++i) {
      if (events[i].at <= t) continue;
      if (i > 0) return {events[i], events[i - 1]};
      const rule_event found = events[i];
      for (int back = y - 1; back >= y - cycle_years - 1; --back) {
        if (rule_events(rule, back, events) > 0) return {found, events[1]};
      }
      return {found, {found.at, rule.std_offset}};  // unreachable
    }
  }
  return {{t, rule.std_offset}, {t, rule.std_offset}};  // unreachable
}

// --- POSIX TZ strings (tzparse with lastditch = false) ---

class posix_reader {
 public:
  posix_reader(std::string_view text, bool fold_case) : text_(text), fold_case_(fold_case) {}

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  bool is_digit() const { return peek() >= '0' && peek() <= '9'; }
  bool take(char c) {
    if (at_end() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  // PG upper-cases the whole spec before parsing it, so "m3.2.0" passes there.
  bool take_letter(char upper) {
    if (take(upper)) return true;
    return fold_case_ && take(static_cast<char>(upper - 'A' + 'a'));
  }

  // An abbreviation: <quoted> (anything but '>') or a run up to a digit, ',', '-' or '+'.
  // tzparse lets it be empty (the caller decides); nullopt only for an unclosed quote.
  std::optional<std::string_view> name() {
    const std::size_t begin = pos_;
    if (take('<')) {
      const std::size_t close = text_.find('>', pos_);
      if (close == std::string_view::npos) return std::nullopt;
      pos_ = close + 1;
      return text_.substr(begin + 1, close - begin - 1);
    }
    while (!at_end() && !is_digit() && peek() != ',' && peek() != '-' && peek() != '+') ++pos_;
    return text_.substr(begin, pos_ - begin);
  }

  std::optional<int> number(int min, int max) {
    if (!is_digit()) return std::nullopt;
    int value = 0;
    while (is_digit()) {
      value = value * 10 + (text_[pos_++] - '0');
      if (value > max) return std::nullopt;
    }
    if (value < min) return std::nullopt;
    return value;
  }

  // [+-]hh[:mm[:ss]]; hours up to a week (tzcode allows e.g. "M10.4.6/26"), 60 s for leaps.
  std::optional<std::int32_t> signed_seconds() {
    const bool negative = take('-');
    if (!negative) take('+');
    const auto hours = number(0, 24 * 7 - 1);
    if (!hours) return std::nullopt;
    std::int32_t secs = *hours * 3600;
    if (take(':')) {
      const auto minutes = number(0, 59);
      if (!minutes) return std::nullopt;
      secs += *minutes * 60;
      if (take(':')) {
        const auto seconds = number(0, 60);
        if (!seconds) return std::nullopt;
        secs += *seconds;
      }
    }
    return negative ? -secs : secs;
  }

  std::optional<time_zone::rule_date> rule_date() {
    using kind = time_zone::rule_date::kind;
    time_zone::rule_date date;
    if (take_letter('J')) {
      date.form = kind::julian_no_leap;
      const auto day = number(1, 365);
      if (!day) return std::nullopt;
      date.day = *day;
    } else if (take_letter('M')) {
      date.form = kind::month_week_day;
      const auto month = number(1, 12);
      if (!month || !take('.')) return std::nullopt;
      const auto week = number(1, 5);
      if (!week || !take('.')) return std::nullopt;
      const auto weekday = number(0, 6);
      if (!weekday) return std::nullopt;
      date.month = *month;
      date.week = *week;
      date.day = *weekday;
    } else {
      date.form = kind::zero_based_day;
      const auto day = number(0, 365);
      if (!day) return std::nullopt;
      date.day = *day;
    }
    if (take('/')) {
      const auto time = signed_seconds();
      if (!time) return std::nullopt;
      date.time = *time;
    }
    return date;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  bool fold_case_;
};

struct parsed_posix {
  time_zone::posix_rule rule;
  std::string std_name;
  std::string dst_name;
};

std::optional<parsed_posix> parse_posix(std::string_view spec, bool fold_case) {
  posix_reader in(spec, fold_case);
  parsed_posix out;
  const auto std_name = in.name();
  if (!std_name || in.at_end()) return std::nullopt;  // an empty name passes, as in PG
  const auto std_west = in.signed_seconds();
  if (!std_west) return std::nullopt;
  out.std_name = *std_name;
  out.rule.std_offset = -*std_west;
  if (in.at_end()) {
    if (out.std_name.size() + 1 > max_posix_name_bytes) return std::nullopt;
    return out;
  }

  const auto dst_name = in.name();
  if (!dst_name || dst_name->empty()) return std::nullopt;
  out.dst_name = *dst_name;
  if (out.std_name.size() + 1 + out.dst_name.size() + 1 > max_posix_name_bytes) {
    return std::nullopt;
  }
  std::int32_t dst_west = *std_west - 3600;  // one hour ahead unless given
  if (!in.at_end() && in.peek() != ',' && in.peek() != ';') {
    const auto given = in.signed_seconds();
    if (!given) return std::nullopt;
    dst_west = *given;
  }
  out.rule.dst_offset = -dst_west;

  if (in.at_end()) {
    // No rules: tzcode's default, the US rules since 2007 (PG ignores posixrules files).
    using kind = time_zone::rule_date::kind;
    out.rule.dst_start = {kind::month_week_day, 0, 2, 3, 7200};
    out.rule.dst_end = {kind::month_week_day, 0, 1, 11, 7200};
    return out;
  }
  if (!in.take(',') && !in.take(';')) return std::nullopt;
  const auto start = in.rule_date();
  if (!start || !in.take(',')) return std::nullopt;
  const auto end = in.rule_date();
  if (!end || !in.at_end()) return std::nullopt;
  out.rule.dst_start = *start;
  out.rule.dst_end = *end;
  return out;
}

// --- TZif ---

constexpr std::size_t tzif_header_size = 44;

std::int32_t read_be32(std::string_view bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return static_cast<std::int32_t>(v);
}

std::int64_t read_be64(std::string_view bytes, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return static_cast<std::int64_t>(v);
}

struct local_type {
  std::int32_t offset;
  bool is_dst;
};

struct tzif_data {
  char version = 0;
  std::vector<std::pair<std::int64_t, std::uint8_t>> transitions;  // (at, type index)
  std::vector<local_type> types;
  std::string chars;  // abbreviations, NUL-separated
  bool leap_seconds = false;
  std::size_t end = 0;  // offset just past the data block
};

// One header plus data block; times are 4 bytes (v1 block) or 8 (the 64-bit block).
std::optional<tzif_data> read_tzif_block(std::string_view bytes, std::size_t at,
                                         std::size_t time_size) {
  if (bytes.size() < at || bytes.size() - at < tzif_header_size) return std::nullopt;
  if (bytes.substr(at, 4) != "TZif") return std::nullopt;
  tzif_data data;
  data.version = bytes[at + 4];
  const std::int64_t ut_count = read_be32(bytes, at + 20);
  const std::int64_t std_count = read_be32(bytes, at + 24);
  const std::int64_t leap_count = read_be32(bytes, at + 28);
  const std::int64_t time_count = read_be32(bytes, at + 32);
  const std::int64_t type_count = read_be32(bytes, at + 36);
  const std::int64_t char_count = read_be32(bytes, at + 40);
  if (leap_count < 0 || leap_count >= max_leaps || type_count < 0 || type_count >= max_types ||
      time_count < 0 || time_count >= max_times || char_count < 0 || char_count >= max_chars ||
      (std_count != type_count && std_count != 0) || (ut_count != type_count && ut_count != 0)) {
    return std::nullopt;
  }
  const auto size = static_cast<std::int64_t>(time_size);
  const std::int64_t needed = time_count * (size + 1) + type_count * 6 + char_count +
                              leap_count * (size + 4) + std_count + ut_count;
  std::size_t p = at + tzif_header_size;
  if (static_cast<std::int64_t>(bytes.size() - p) < needed) return std::nullopt;

  const auto read_time = [&](std::size_t where) {
    return time_size == 4 ? std::int64_t{read_be32(bytes, where)} : read_be64(bytes, where);
  };
  const std::size_t type_indices = p + time_count * time_size;
  for (std::int64_t i = 0; i < time_count; ++i) {
    const std::int64_t when = read_time(p + i * time_size);
    const auto type = static_cast<std::uint8_t>(bytes[type_indices + i]);
    if (type >= type_count) return std::nullopt;
    if (!data.transitions.empty() && when <= data.transitions.back().first) {
      if (when < data.transitions.back().first) return std::nullopt;
      data.transitions.pop_back();  // a repeated time: the later entry wins
    }
    data.transitions.emplace_back(when, type);
  }
  p = type_indices + time_count;
  for (std::int64_t i = 0; i < type_count; ++i, p += 6) {
    const auto is_dst = static_cast<unsigned char>(bytes[p + 4]);
    const auto abbreviation = static_cast<unsigned char>(bytes[p + 5]);
    if (is_dst > 1 || abbreviation >= char_count) return std::nullopt;
    data.types.push_back({read_be32(bytes, p), is_dst == 1});
  }
  data.chars.assign(bytes.substr(p, char_count));
  p += char_count;
  std::int64_t previous_at = 0;
  std::int32_t previous_correction = 0;
  for (std::int64_t i = 0; i < leap_count; ++i, p += time_size + 4) {
    const std::int64_t when = read_time(p);
    const std::int32_t correction = read_be32(bytes, p + time_size);
    // Leap seconds start after 1970, at most one a month, each one second more or less.
    if (when < 0 || when - previous_at < 28 * secs_per_day - 1 ||
        (correction != previous_correction - 1 && correction != previous_correction + 1)) {
      return std::nullopt;
    }
    previous_at = when;
    previous_correction = correction;
  }
  data.leap_seconds = leap_count > 0;
  for (std::int64_t i = 0; i < std_count + ut_count; ++i, ++p) {
    if (static_cast<unsigned char>(bytes[p]) > 1) return std::nullopt;
  }
  data.end = p;
  return data;
}

// tzload merges the footer's abbreviations into the file's 50-byte table and drops the
// footer when they do not fit. A rule that never changes keeps one type: daylight time if
// it has one (permanent DST), else standard time.
bool footer_abbreviations_fit(std::string chars, const parsed_posix& footer, bool changes) {
  std::vector<std::string_view> names;
  if (changes || !footer.rule.dst_offset) names.emplace_back(footer.std_name);
  if (footer.rule.dst_offset) names.emplace_back(footer.dst_name);
  std::size_t used = chars.size();
  for (const std::string_view name : names) {
    bool found = false;
    for (std::size_t j = 0; j < used && !found; ++j) {
      const std::size_t stop = chars.find('\0', j);
      found =
          std::string_view(chars).substr(j, stop == std::string::npos ? stop : stop - j) == name;
    }
    if (found) continue;
    if (used + name.size() >= static_cast<std::size_t>(max_chars)) return false;
    chars.resize(used);
    chars.append(name);
    chars.push_back('\0');
    used = chars.size();
  }
  return true;
}

}  // namespace

time_zone time_zone::fixed(std::string name, std::int32_t seconds_east) {
  time_zone zone;
  zone.name_ = std::move(name);
  zone.initial_offset_ = seconds_east;
  return zone;
}

std::optional<time_zone> time_zone::from_posix(std::string name, std::string_view spec) {
  if (spec.find('\0') != std::string_view::npos) return std::nullopt;
  auto parsed = parse_posix(spec, /*fold_case=*/true);
  if (!parsed) return std::nullopt;
  time_zone zone;
  zone.name_ = std::move(name);
  const posix_rule& rule = parsed->rule;
  if (rule_ever_changes(rule)) {
    zone.rule_ = rule;
    zone.initial_offset_ = rule.std_offset;
  } else {
    // Without transitions tzparse keeps one type: daylight time if the rule never ends it.
    zone.initial_offset_ = rule.dst_offset.value_or(rule.std_offset);
  }
  return zone;
}

std::optional<time_zone> time_zone::from_tzif(std::string name, std::string_view bytes) {
  auto data = read_tzif_block(bytes, 0, 4);
  if (!data) return std::nullopt;
  std::string_view rest;
  if (data->version != '\0') {
    data = read_tzif_block(bytes, data->end, 8);
    if (!data) return std::nullopt;
    if (data->version != '\0') rest = bytes.substr(data->end);
  }

  // The footer: a POSIX TZ string between newlines, for times past the table.
  std::optional<parsed_posix> footer;
  bool footer_changes = false;
  if (rest.size() > 2 && rest.front() == '\n' && rest.back() == '\n' &&
      data->types.size() + 2 <= static_cast<std::size_t>(max_types)) {
    std::string_view text = rest.substr(1, rest.size() - 2);
    text = text.substr(0, text.find('\0'));  // tzcode reads it as a C string
    footer = parse_posix(text, /*fold_case=*/false);
    footer_changes = footer && rule_ever_changes(footer->rule);
    if (footer && !footer_abbreviations_fit(data->chars, *footer, footer_changes)) footer.reset();
  }

  std::vector<local_type> types = data->types;
  auto& transitions = data->transitions;
  if (footer) {
    // tzload drops trailing transitions that change nothing before appending the rule's.
    while (transitions.size() > 1 &&
           transitions.back().second == transitions[transitions.size() - 2].second) {
      transitions.pop_back();
    }
    if (footer_changes) {
      types.push_back({footer->rule.std_offset, false});
      types.push_back({*footer->rule.dst_offset, true});
    } else {
      types.push_back({footer->rule.dst_offset.value_or(footer->rule.std_offset),
                       footer->rule.dst_offset.has_value()});
    }
  }
  if (types.empty()) return std::nullopt;

  // tzload's choice of type for times before the first transition: type 0 when no
  // transition uses it (all current data), else older heuristics.
  std::size_t initial = 0;
  const bool type0_used = std::any_of(transitions.begin(), transitions.end(),
                                      [](const auto& t) { return t.second == 0; });
  if (type0_used) {
    bool chosen = false;
    if (!transitions.empty() && types[transitions.front().second].is_dst) {
      for (std::size_t i = transitions.front().second; i-- > 0;) {
        if (!types[i].is_dst) {
          initial = i;
          chosen = true;
          break;
        }
      }
    }
    if (!chosen) {
      const auto standard =
          std::find_if(types.begin(), types.end(), [](const local_type& t) { return !t.is_dst; });
      initial = standard == types.end() ? 0 : static_cast<std::size_t>(standard - types.begin());
    }
  }

  time_zone zone;
  zone.name_ = std::move(name);
  zone.leap_seconds_ = data->leap_seconds;
  zone.initial_offset_ = types[initial].offset;
  zone.transitions_.reserve(transitions.size());
  for (const auto& [at, type] : transitions) zone.transitions_.push_back({at, types[type].offset});
  if (footer && footer_changes) zone.rule_ = footer->rule;
  return zone;
}

std::int32_t time_zone::offset_at(std::int64_t unix_seconds) const {
  const std::int64_t folded = floor_mod(unix_seconds, secs_per_cycle);
  if (transitions_.empty()) {
    return rule_ ? last_event_at_or_before(*rule_, folded).offset : initial_offset_;
  }
  if (unix_seconds < transitions_.front().at) return initial_offset_;
  const transition& last = transitions_.back();
  if (unix_seconds < last.at || !rule_) {
    const auto after =
        std::upper_bound(transitions_.begin(), transitions_.end(), unix_seconds,
                         [](std::int64_t t, const transition& tr) { return t < tr.at; });
    return std::prev(after)->offset;
  }
  // Past the table: the rule's transitions count only once they follow the last one.
  const rule_event event = last_event_at_or_before(*rule_, folded);
  const bool after_table = event.at - folded > saturating_sub(last.at, unix_seconds);
  return after_table ? event.offset : last.offset;
}

std::optional<time_zone::boundary> time_zone::next_boundary(std::int64_t t) const {
  const auto from_rule = [&](std::optional<transition> floor) -> std::optional<boundary> {
    const std::int64_t folded = floor_mod(t, secs_per_cycle);
    const rule_step step = first_event_after(*rule_, folded);
    std::int64_t at = 0;
    if (__builtin_add_overflow(t, step.event.at - folded, &at)) return std::nullopt;
    std::int32_t before = step.previous.offset;
    if (floor && step.previous.at - folded <= saturating_sub(floor->at, t)) before = floor->offset;
    return boundary{at, before, step.event.offset};
  };
  if (transitions_.empty()) {
    if (!rule_) return std::nullopt;
    return from_rule(std::nullopt);
  }
  if (t < transitions_.front().at) {
    return boundary{transitions_.front().at, initial_offset_, transitions_.front().offset};
  }
  if (t >= transitions_.back().at) {
    if (!rule_) return std::nullopt;
    return from_rule(transitions_.back());
  }
  const auto next =
      std::upper_bound(transitions_.begin(), transitions_.end(), t,
                       [](std::int64_t when, const transition& tr) { return when < tr.at; });
  return boundary{next->at, std::prev(next)->offset, next->offset};
}

std::int32_t time_zone::offset_for_local(std::int64_t local_seconds) const {
  // PG falls back to UTC when the arithmetic would overflow; far beyond any timestamp.
  constexpr std::int64_t limit = std::int64_t{1} << 62;
  if (local_seconds < -limit || local_seconds > limit) return 0;
  // Zones move at most a day from UTC and change at most once in two days, so the first
  // boundary after "local minus a day" is the one that matters.
  const std::int64_t day_before = local_seconds - secs_per_day;
  const auto edge = next_boundary(day_before);
  if (!edge) return offset_at(day_before);
  const std::int64_t as_before = local_seconds - edge->before;
  const std::int64_t as_after = local_seconds - edge->after;
  if (as_before < edge->at && as_after < edge->at) return edge->before;
  if (as_before > edge->at && as_after >= edge->at) return edge->after;
  // Skipped or repeated local time: take the reading that lands later in UTC.
  return as_before > as_after ? edge->before : edge->after;
}

}  // namespace fauxgres::types
