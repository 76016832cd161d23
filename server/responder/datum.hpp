// Run-time values of the expression evaluator and the conversions between them: type
// input functions (text → value, with PG's error texts), output functions, and casts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/error_fields.hpp"
#include "responder/sql_types.hpp"

namespace fauxgres::types {
class time_zone;
}

namespace fauxgres::responder {

struct datum {
  bool null = true;
  std::uint32_t type = 0;
  std::int64_t i = 0;  // bool, int2/4/8, oid, regtype
  double f = 0;        // float4/float8
  std::string s;       // numeric (decimal text), strings, and every other type's text form

  static datum null_of(std::uint32_t type) {
    datum d;
    d.type = type;
    return d;
  }
};

// Representation helpers.
bool stored_as_int(std::uint32_t type);    // bool, int2/4/8, oid, regtype
bool stored_as_float(std::uint32_t type);  // float4/8

// The type's output function (float digits per extra_float_digits).
std::string datum_text(const datum& d, int extra_float_digits);

// The type's input function applied to `text` (then the typmod, as an explicit cast
// would). Errors are PG's 22P02 / 22003 / 42704 texts; `position` (1-based characters,
// 0 for none) is attached to input-syntax errors. timestamptz text without an offset is
// wall-clock time in `zone` (UTC when null), and the value is kept as text in that zone.
std::optional<protocol::error_fields> input_datum(std::string_view text, sql_type target,
                                                  int position, datum& out,
                                                  const types::time_zone* zone = nullptr);

// Whether an explicit cast from → to exists (pg_cast plus I/O conversion casts).
bool can_cast(std::uint32_t from, std::uint32_t to);
// Whether `from` converts to `to` implicitly (numeric promotion, string types to text, ...).
bool can_coerce_implicitly(std::uint32_t from, std::uint32_t to);

// Casts a value (explicit cast semantics: varchar(n) truncates, numeric(p,s) rounds);
// timestamptz to and from the types without a zone goes through the session's zone.
std::optional<protocol::error_fields> cast_datum(const datum& in, sql_type target,
                                                 int extra_float_digits,
                                                 const types::time_zone& zone, datum& out);

// "integer out of range" and friends for an integer type.
protocol::error_fields integer_out_of_range(std::uint32_t type);
// Range check for an integer result.
bool fits_integer_type(std::int64_t v, std::uint32_t type);

}  // namespace fauxgres::responder
