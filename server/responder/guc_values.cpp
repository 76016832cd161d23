// Parameter value parsing and display; see guc_values.hpp. Messages are guc.c's: parse
// failures quote the name as given, check-hook failures the canonical name.
#include "responder/guc_values.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "responder/time_zones.hpp"

namespace fauxgres::responder {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

using protocol::errors::guc_rejection;

protocol::error_fields invalid_value(std::string_view name, std::string_view value,
                                     std::string detail, bool fatal,
                                     guc_rejection where = guc_rejection::check_hook) {
  return protocol::errors::invalid_parameter_value(name, value, detail, fatal, where);
}

struct unit_conversion {
  std::string_view unit;
  guc_unit base;
  double multiplier;  // base units per `unit`
};

// convert_to_base_unit / convert_int_from_base_unit tables: greatest unit first.
constexpr unit_conversion conversions[] = {
    {"TB", guc_unit::kilobytes, 1024.0 * 1024.0 * 1024.0},
    {"GB", guc_unit::kilobytes, 1024.0 * 1024.0},
    {"MB", guc_unit::kilobytes, 1024.0},
    {"kB", guc_unit::kilobytes, 1.0},
    {"B", guc_unit::kilobytes, 1.0 / 1024.0},
    {"TB", guc_unit::blocks, 1024.0 * 1024.0 * 1024.0 / 8.0},
    {"GB", guc_unit::blocks, 1024.0 * 1024.0 / 8.0},
    {"MB", guc_unit::blocks, 1024.0 / 8.0},
    {"kB", guc_unit::blocks, 1.0 / 8.0},
    {"B", guc_unit::blocks, 1.0 / 8192.0},
    {"d", guc_unit::milliseconds, 86400000.0},
    {"h", guc_unit::milliseconds, 3600000.0},
    {"min", guc_unit::milliseconds, 60000.0},
    {"s", guc_unit::milliseconds, 1000.0},
    {"ms", guc_unit::milliseconds, 1.0},
    {"us", guc_unit::milliseconds, 1.0 / 1000.0},
    {"d", guc_unit::seconds, 86400.0},
    {"h", guc_unit::seconds, 3600.0},
    {"min", guc_unit::seconds, 60.0},
    {"s", guc_unit::seconds, 1.0},
    {"ms", guc_unit::seconds, 1.0 / 1000.0},
    {"us", guc_unit::seconds, 1.0 / 1000000.0},
    {"d", guc_unit::minutes, 1440.0},
    {"h", guc_unit::minutes, 60.0},
    {"min", guc_unit::minutes, 1.0},
    {"s", guc_unit::minutes, 1.0 / 60.0},
    {"ms", guc_unit::minutes, 1.0 / 60000.0},
    {"us", guc_unit::minutes, 1.0 / 60000000.0},
};

std::string_view unit_name(guc_unit unit) {
  switch (unit) {
    case guc_unit::kilobytes:
      return "kB";
    case guc_unit::blocks:
      return "8kB";
    case guc_unit::milliseconds:
      return "ms";
    case guc_unit::seconds:
      return "s";
    case guc_unit::minutes:
      return "min";
    case guc_unit::none:
      break;
  }
  return {};
}

bool is_memory(guc_unit u) {
  return u == guc_unit::kilobytes || u == guc_unit::blocks;
}

std::string_view units_hint(guc_unit unit) {
  if (is_memory(unit)) {
    return "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".";
  }
  return "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".";
}

// parse_int / parse_real: a number with an optional unit. `hint` is set for bad units.
std::optional<double> parse_number_with_unit(std::string_view text, guc_unit unit, bool integer,
                                             std::string* hint) {
  const std::string s(trim(text));
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = 0;
  errno = 0;
  if (integer) {
    // strtol with base 0 (accepts 0x.. and 0..); strtod again past a fraction, an exponent
    // or an overflow, but not for words such as "inf".
    v = static_cast<double>(std::strtoll(s.c_str(), &end, 0));
    if (*end == '.' || *end == 'e' || *end == 'E' || errno == ERANGE) {
      errno = 0;
      v = std::strtod(s.c_str(), &end);
    }
  } else {
    v = std::strtod(s.c_str(), &end);
  }
  // What overflows (or underflows) a double is invalid, as in PG.
  if (end == s.c_str() || errno == ERANGE || std::isnan(v)) return std::nullopt;
  std::string_view rest = trim(std::string_view(end));
  if (rest.empty()) return v;
  if (unit == guc_unit::none) return std::nullopt;
  for (const auto& c : conversions) {
    if (c.base == unit && rest == c.unit) return v * c.multiplier;
  }
  *hint = std::string(units_hint(unit));
  return std::nullopt;
}

std::string show_int(long long v, guc_unit unit) {
  if (v > 0 && unit != guc_unit::none) {
    for (const auto& c : conversions) {
      if (c.base != unit) continue;
      if (c.multiplier <= 1.0 || v % static_cast<long long>(c.multiplier) == 0) {
        return std::to_string(
                   static_cast<long long>(std::rint(static_cast<double>(v) / c.multiplier))) +
               std::string(c.unit);
      }
    }
  }
  return std::to_string(v);
}

std::string show_real(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

guc_value_result integer_value(const guc_definition& def, std::string_view name,
                               std::string_view value, bool fatal) {
  std::string hint;
  auto v = parse_number_with_unit(value, def.unit, true, &hint);
  if (v && (std::rint(*v) > 2147483647.0 || std::rint(*v) < -2147483648.0))
    hint = "Value exceeds integer range.";
  if (!v || !hint.empty()) {
    auto e = invalid_value(name, value, "", fatal, guc_rejection::integer);
    if (!hint.empty()) e.hint = hint;
    return {{}, e};
  }
  const long long n = static_cast<long long>(std::rint(*v));
  if (n < def.min || n > def.max) {
    const std::string_view unit = unit_name(def.unit);
    std::string msg = std::to_string(n);
    if (!unit.empty()) msg += " " + std::string(unit);
    msg += " is outside the valid range for parameter \"" + std::string(name) + "\" (" +
           std::to_string(static_cast<long long>(def.min)) + " .. " +
           std::to_string(static_cast<long long>(def.max)) + ")";
    return {{},
            protocol::errors::parameter_value_rejected(msg, fatal, guc_rejection::integer_range)};
  }
  return {show_int(n, def.unit), std::nullopt};
}

guc_value_result real_value(const guc_definition& def, std::string_view name,
                            std::string_view value, bool fatal) {
  std::string hint;
  auto v = parse_number_with_unit(value, def.unit, false, &hint);
  if (!v) return {{}, invalid_value(name, value, "", fatal, guc_rejection::real)};
  if (*v < def.min || *v > def.max) {
    return {{},
            protocol::errors::parameter_value_rejected(
                show_real(*v) + " is outside the valid range for parameter \"" + std::string(name) +
                    "\" (" + show_real(def.min) + " .. " + show_real(def.max) + ")",
                fatal, guc_rejection::real_range)};
  }
  return {show_real(*v), std::nullopt};
}

guc_value_result enum_value(const guc_definition& def, std::string_view name,
                            std::string_view value, bool fatal) {
  const std::string_view v = trim(value);
  std::string_view list = def.enum_values;
  while (!list.empty()) {
    const std::size_t comma = list.find(", ");
    const std::string_view option = list.substr(0, comma);
    if (iequals(v, option)) return {std::string(option), std::nullopt};
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 2);
  }
  // Hidden boolean spellings of on/off enums (synchronous_commit, backslash_quote).
  if (def.enum_values.find("on, off") != std::string_view::npos) {
    if (auto b = parse_guc_bool(v)) return {*b ? "on" : "off", std::nullopt};
  }
  auto e = invalid_value(name, value, "", fatal, guc_rejection::enumeration);
  e.hint = "Available values: " + std::string(def.enum_values) + ".";
  return {{}, e};
}

// client_encoding: PG compares names with everything but letters and digits removed.
std::optional<std::string> encoding_name(std::string_view value) {
  std::string key;
  for (char c : value) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      key += lower(c);
    }
  }
  struct alias {
    std::string_view key, name;
  };
  static constexpr alias aliases[] = {
      {"utf8", "UTF8"},
      {"unicode", "UTF8"},
      {"sqlascii", "SQL_ASCII"},
      {"latin1", "LATIN1"},
      {"latin2", "LATIN2"},
      {"latin3", "LATIN3"},
      {"latin4", "LATIN4"},
      {"latin5", "LATIN5"},
      {"latin6", "LATIN6"},
      {"latin7", "LATIN7"},
      {"latin8", "LATIN8"},
      {"latin9", "LATIN9"},
      {"latin10", "LATIN10"},
      {"iso88591", "LATIN1"},
      {"iso88592", "LATIN2"},
      {"iso88595", "ISO_8859_5"},
      {"iso88596", "ISO_8859_6"},
      {"iso88597", "ISO_8859_7"},
      {"iso88598", "ISO_8859_8"},
      {"iso885915", "LATIN9"},
      {"win1250", "WIN1250"},
      {"win1251", "WIN1251"},
      {"win1252", "WIN1252"},
      {"win1253", "WIN1253"},
      {"win1254", "WIN1254"},
      {"win1255", "WIN1255"},
      {"win1256", "WIN1256"},
      {"win1257", "WIN1257"},
      {"win1258", "WIN1258"},
      {"win866", "WIN866"},
      {"win874", "WIN874"},
      {"windows1252", "WIN1252"},
      {"windows1251", "WIN1251"},
      {"koi8r", "KOI8R"},
      {"koi8", "KOI8R"},
      {"koi8u", "KOI8U"},
      {"eucjp", "EUC_JP"},
      {"euckr", "EUC_KR"},
      {"euccn", "EUC_CN"},
      {"euctw", "EUC_TW"},
      {"eucjis2004", "EUC_JIS_2004"},
      {"sjis", "SJIS"},
      {"shiftjis", "SJIS"},
      {"shiftjis2004", "SHIFT_JIS_2004"},
      {"big5", "BIG5"},
      {"gbk", "GBK"},
      {"gb18030", "GB18030"},
      {"uhc", "UHC"},
      {"johab", "JOHAB"},
      {"mulecinternal", "MULE_INTERNAL"},
      {"alt", "WIN866"},
      {"tcvn", "WIN1258"},
      {"tcvn5712", "WIN1258"},
      {"vscii", "WIN1258"},
  };
  for (const auto& a : aliases) {
    if (a.key == key) return std::string(a.name);
  }
  return std::nullopt;
}

// check_datestyle.
std::optional<std::string> datestyle_value(std::string_view value, std::string_view current,
                                           std::string* detail) {
  enum style { iso, sql, postgres, german };
  enum order { ymd, dmy, mdy };
  style s = iso;
  order o = mdy;
  // Start from the current setting.
  if (current.find("SQL") == 0)
    s = sql;
  else if (current.find("Postgres") == 0)
    s = postgres;
  else if (current.find("German") == 0)
    s = german;
  if (current.find("DMY") != std::string_view::npos)
    o = dmy;
  else if (current.find("YMD") != std::string_view::npos)
    o = ymd;
  bool have_style = false, have_order = false, ok = true;
  auto set_style = [&](style v) {
    if (have_style && s != v) ok = false;
    s = v;
    have_style = true;
  };
  auto set_order = [&](order v) {
    if (have_order && o != v) ok = false;
    o = v;
    have_order = true;
  };
  std::string_view rest = value;
  for (;;) {
    const std::size_t comma = rest.find(',');
    std::string_view tok = trim(rest.substr(0, comma));
    if (tok.size() >= 2 && tok.front() == '"' && tok.back() == '"') {
      tok = tok.substr(1, tok.size() - 2);
    }
    if (iequals(tok, "iso")) {
      set_style(iso);
    } else if (iequals(tok, "sql")) {
      set_style(sql);
    } else if (iequals(tok, "postgres")) {
      set_style(postgres);
    } else if (iequals(tok, "german")) {
      set_style(german);
      if (!have_order) o = dmy;
    } else if (iequals(tok, "ymd")) {
      set_order(ymd);
    } else if (iequals(tok, "dmy") || iequals(tok, "euro") || iequals(tok, "european")) {
      set_order(dmy);
    } else if (iequals(tok, "mdy") || iequals(tok, "us") || iequals(tok, "noneuro") ||
               iequals(tok, "noneuropean")) {
      set_order(mdy);
    } else if (iequals(tok, "default")) {
      if (!have_style) s = iso;
      if (!have_order) o = mdy;
      have_style = have_order = true;
    } else {
      *detail = "Unrecognized key word: \"" + std::string(tok) + "\".";
      return std::nullopt;
    }
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  if (!ok) {
    *detail = "Conflicting \"datestyle\" specifications.";
    return std::nullopt;
  }
  static constexpr std::string_view styles[] = {"ISO", "SQL", "Postgres", "German"};
  static constexpr std::string_view orders[] = {"YMD", "DMY", "MDY"};
  return std::string(styles[s]) + ", " + std::string(orders[o]);
}

// check_timezone: a number is hours east of UTC; anything else must name a zone that PG
// would find (a zone file or a POSIX spec), shown as PG shows it. Zones with leap seconds
// (the right/ files) are refused with their own message.
guc_value_result timezone_value(std::string_view name, std::string_view value, bool fatal) {
  const std::string s(value);
  char* end = nullptr;
  const double hours = std::strtod(s.c_str(), &end);
  if (end != s.c_str() && *end == '\0') {
    if (!(std::fabs(hours) <= 168)) return {{}, invalid_value(name, value, "", fatal)};
    return {posix_offset_zone(std::lround(hours * 3600)), std::nullopt};
  }
  auto zone = find_time_zone(value);
  if (!zone) return {{}, invalid_value(name, value, "", fatal)};
  if (zone->uses_leap_seconds()) {
    auto e = protocol::errors::parameter_value_rejected(
        "time zone \"" + s + "\" appears to use leap seconds", fatal, guc_rejection::check_hook);
    e.detail = "PostgreSQL does not support leap seconds.";
    return {{}, std::move(e)};
  }
  return {zone->name(), std::nullopt};
}

// check_application_name: non-ASCII bytes and control characters become '?'.
std::string clean_ascii(std::string_view v) {
  std::string out(v);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 32 || u > 126) c = '?';
  }
  return out;
}

guc_value_result string_value(const guc_definition& def, std::string_view value,
                              std::string_view current, bool fatal) {
  const std::string_view name = def.name;
  if (iequals(name, "client_encoding")) {
    if (auto enc = encoding_name(value)) return {*enc, std::nullopt};
    return {{}, invalid_value(name, value, "", fatal)};
  }
  if (iequals(name, "DateStyle")) {
    std::string detail;
    if (auto v = datestyle_value(value, current, &detail)) return {*v, std::nullopt};
    return {{}, invalid_value(name, value, detail, fatal)};
  }
  if (iequals(name, "TimeZone") || iequals(name, "log_timezone")) {
    return timezone_value(name, value, fatal);
  }
  if (iequals(name, "application_name")) return {clean_ascii(value), std::nullopt};
  return {std::string(value), std::nullopt};
}

}  // namespace

std::optional<bool> parse_guc_bool(std::string_view value) {
  const std::string_view v = trim(value);
  if (v.empty()) return std::nullopt;
  auto prefix_of = [&](std::string_view word) {
    return v.size() <= word.size() && iequals(v, word.substr(0, v.size()));
  };
  switch (lower(v[0])) {
    case 't':
      if (prefix_of("true")) return true;
      break;
    case 'f':
      if (prefix_of("false")) return false;
      break;
    case 'y':
      if (prefix_of("yes")) return true;
      break;
    case 'n':
      if (prefix_of("no")) return false;
      break;
    case 'o':
      // "o" alone is ambiguous.
      if (v.size() >= 2 && prefix_of("on")) return true;
      if (v.size() >= 2 && prefix_of("off")) return false;
      break;
    case '1':
      if (v.size() == 1) return true;
      break;
    case '0':
      if (v.size() == 1) return false;
      break;
    default:
      break;
  }
  return std::nullopt;
}

guc_value_result normalise_guc_value(const guc_definition& def, std::string_view given_name,
                                     std::string_view value, std::string_view current, bool fatal) {
  switch (def.type) {
    case guc_type::boolean:
      if (auto b = parse_guc_bool(value)) return {*b ? "on" : "off", std::nullopt};
      return {{},
              protocol::errors::parameter_value_rejected(
                  "parameter \"" + std::string(given_name) + "\" requires a Boolean value", fatal,
                  guc_rejection::boolean)};
    case guc_type::integer:
      return integer_value(def, given_name, value, fatal);
    case guc_type::real:
      return real_value(def, given_name, value, fatal);
    case guc_type::enumeration:
      return enum_value(def, given_name, value, fatal);
    case guc_type::string:
      return string_value(def, value, current, fatal);
  }
  return {std::string(value), std::nullopt};
}

std::optional<std::string> next_startup_option(std::string_view& options, std::string* name) {
  // Split on unescaped whitespace; a backslash escapes the next character.
  auto next_word = [&options]() -> std::optional<std::string> {
    std::size_t p = 0;
    while (p < options.size() && (options[p] == ' ' || options[p] == '\t')) ++p;
    if (p >= options.size()) {
      options = {};
      return std::nullopt;
    }
    std::string word;
    while (p < options.size() && options[p] != ' ' && options[p] != '\t') {
      if (options[p] == '\\' && p + 1 < options.size()) ++p;
      word += options[p++];
    }
    options.remove_prefix(p);
    return word;
  };
  auto word = next_word();
  if (!word) return std::nullopt;
  std::string pair;
  if (*word == "-c") {
    auto arg = next_word();
    pair = arg ? *arg : std::string();
  } else if (word->rfind("-c", 0) == 0) {
    pair = word->substr(2);
  } else if (word->rfind("--", 0) == 0) {
    pair = word->substr(2);
  } else {
    name->clear();
    return word;  // not an option PG understands: the caller reports it
  }
  const std::size_t eq = pair.find('=');
  if (eq == std::string::npos) {
    name->clear();
    return pair;
  }
  *name = pair.substr(0, eq);
  for (char& c : *name) {
    if (c == '-') c = '_';
  }
  return pair.substr(eq + 1);
}

bool valid_custom_name(std::string_view name) {
  bool saw_dot = false;
  bool part_start = true;
  for (char c : name) {
    if (c == '.') {
      if (part_start) return false;
      saw_dot = true;
      part_start = true;
      continue;
    }
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                        static_cast<unsigned char>(c) >= 0x80;
    const bool digit = (c >= '0' && c <= '9') || c == '$';
    if (!(letter || (digit && !part_start))) return false;
    part_start = false;
  }
  return saw_dot && !part_start;
}

std::string posix_offset_zone(long east_seconds) {
  const long gmtoffset = -east_seconds;  // POSIX counts hours west
  long abs = gmtoffset < 0 ? -gmtoffset : gmtoffset;
  char offset[64];
  std::snprintf(offset, sizeof offset, "%02ld", abs / 3600);
  abs %= 3600;
  std::string text = offset;
  if (abs != 0) {
    std::snprintf(offset, sizeof offset, ":%02ld", abs / 60);
    text += offset;
    abs %= 60;
    if (abs != 0) {
      std::snprintf(offset, sizeof offset, ":%02ld", abs);
      text += offset;
    }
  }
  if (gmtoffset > 0) return "<-" + text + ">+" + text;
  return "<+" + text + ">-" + text;
}

}  // namespace fauxgres::responder
