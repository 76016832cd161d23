// Type helpers for the expression engine: SQL type-name resolution (keywords such as
// `integer` or `character varying(10)`), typmods, PG's format_type spellings, and the
// categories operator resolution needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fauxgres::responder {

struct sql_type {
  std::uint32_t oid = 0;
  std::int32_t typmod = -1;
  friend bool operator==(const sql_type&, const sql_type&) = default;
};

// A type name as written: its words (lower-cased, e.g. {"character", "varying"}),
// an optional schema, typmod arguments, and array bounds.
struct type_name {
  std::vector<std::string> words;
  std::string schema;
  std::vector<std::int64_t> modifiers;
  int array_dims = 0;
  bool quoted = false;  // a quoted identifier: no keyword meaning ("char" is type 18)
};

// Resolves a type name. `column_name` receives the name FigureColname uses for a cast to
// this type (PG's SystemTypeName for keyword types, else the written name). On failure
// returns nullopt and `error` holds PG's message.
std::optional<sql_type> resolve_type_name(const type_name& name, std::string* column_name,
                                          std::string* error);

// PG's format_type_be (no typmod): "integer", "character varying", "text[]", "\"char\"".
std::string format_type(std::uint32_t oid);
// With the typmod: "character varying(10)", "numeric(5,2)".
std::string format_type_with_typmod(std::uint32_t oid, std::int32_t typmod);

std::int16_t type_length(std::uint32_t oid);

// Numeric category ordering used to pick a common type: int2 < int4 < int8 < numeric <
// float4 < float8; 0 for non-numeric types.
int numeric_rank(std::uint32_t oid);
bool is_numeric_type(std::uint32_t oid);
bool is_integer_type(std::uint32_t oid);
bool is_float_type(std::uint32_t oid);
// text, varchar, bpchar, name (and unknown).
bool is_string_type(std::uint32_t oid);
bool is_array_type(std::uint32_t oid);

// Typmod helpers.
std::int32_t varchar_typmod(std::int64_t length);
std::int32_t numeric_typmod(std::int64_t precision, std::int64_t scale);

}  // namespace fauxgres::responder
