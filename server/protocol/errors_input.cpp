// Errors for bad text input of built-in types ('a'::int4, '99999'::int2): PG 15.20 reports
// them from each type's input function, so the file/line/routine depend on the type.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "protocol/error_fields.hpp"

namespace fauxgres::protocol::errors {
namespace {

struct site {
  std::string_view file;
  int line = 0;
  std::string_view routine;
};

struct input_type {
  std::string_view display;  // as PG names it in the message
  std::string_view typname;  // pg_type.typname, accepted as input too
  std::string_view sqlstate;
  site syntax;
  site range;                // line 0: PG has no "out of range" text of this shape for the type
  bool float_range = false;  // float4/8 say `"v" is out of range`, without "value"
};

constexpr site datetime{"datetime.c", 4048, "DateTimeParseError"};

constexpr std::array<input_type, 15> input_types{{
    {"integer",
     "int4",
     "22P02",
     {"numutils.c", 232, "pg_strtoint32"},
     {"numutils.c", 226, "pg_strtoint32"}},
    {"bigint",
     "int8",
     "22P02",
     {"numutils.c", 316, "pg_strtoint64"},
     {"numutils.c", 310, "pg_strtoint64"}},
    {"smallint",
     "int2",
     "22P02",
     {"numutils.c", 156, "pg_strtoint16"},
     {"numutils.c", 150, "pg_strtoint16"}},
    {"oid", "oid", "22P02", {"oid.c", 62, "oidin_subr"}, {"oid.c", 107, "oidin_subr"}},
    {"boolean", "bool", "22P02", {"bool.c", 151, "boolin"}, {}},
    {"numeric", "numeric", "22P02", {"numeric.c", 6928, "set_var_from_str"}, {}},
    {"real", "float4", "22P02", {"float.c", 270, "float4in"}, {"float.c", 264, "float4in"}, true},
    {"double precision",
     "float8",
     "22P02",
     {"float.c", 484, "float8in_internal_opt_error"},
     {"float.c", 476, "float8in_internal_opt_error"},
     true},
    {"uuid", "uuid", "22P02", {"uuid.c", 133, "string_to_uuid"}, {}},
    {"date", "date", "22007", datetime, {}},
    {"time", "time", "22007", datetime, {}},
    {"time with time zone", "timetz", "22007", datetime, {}},
    {"timestamp", "timestamp", "22007", datetime, {}},
    {"timestamp with time zone", "timestamptz", "22007", datetime, {}},
    {"interval", "interval", "22007", datetime, {}},
}};

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

const input_type* find_input_type(std::string_view type) {
  for (const auto& t : input_types) {
    if (iequals(type, t.display) || iequals(type, t.typname)) return &t;
  }
  return nullptr;
}

error_fields with_site(std::string_view sqlstate, std::string message, const site& s,
                       int position) {
  error_fields e;
  e.severity = "ERROR";
  e.sqlstate = sqlstate;
  e.message = std::move(message);
  e.position = position;
  e.file = s.file;
  e.line = s.line;
  e.routine = s.routine;
  return e;
}

}  // namespace

error_fields invalid_input_syntax(std::string_view type, std::string_view value, int position) {
  const input_type* t = find_input_type(type);
  std::string display(t ? t->display : type);
  std::string message =
      "invalid input syntax for type " + display + ": \"" + std::string(value) + "\"";
  // Types outside the table: PG's text with no source location (F/L/R are omitted).
  return with_site(t ? t->sqlstate : "22P02", std::move(message), t ? t->syntax : site{}, position);
}

error_fields value_out_of_range(std::string_view type, std::string_view value, int position) {
  const input_type* t = find_input_type(type);
  std::string display(t ? t->display : type);
  std::string quoted_value = "\"" + std::string(value) + "\"";
  std::string message = (t && t->float_range ? quoted_value : "value " + quoted_value) +
                        " is out of range for type " + display;
  return with_site("22003", std::move(message), t ? t->range : site{}, position);
}

}  // namespace fauxgres::protocol::errors
