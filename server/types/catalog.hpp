// PostgreSQL 15's built-in types (pg_type), enough to answer drivers' introspection
// queries and to describe columns. Data only; generated once from a real PG 15.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace fauxgres::types {

struct type_info {
  std::uint32_t oid;
  std::string_view name;        // typname
  std::uint32_t namespace_oid;  // typnamespace: 11 pg_catalog
  std::int16_t length;          // typlen
  char kind;                    // typtype: b c d e p r m
  char category;                // typcategory
  std::uint32_t element;        // typelem
  std::uint32_t array;          // typarray
  char delimiter;               // typdelim
  std::uint32_t range_subtype;  // pg_range.rngsubtype when kind == 'r', else 0
};

// OIDs used by name in the code.
namespace oid {
inline constexpr std::uint32_t bool_ = 16, bytea = 17, char_ = 18, name = 19, int8 = 20, int2 = 21,
                               int4 = 23, text = 25, oid = 26, json = 114, float4 = 700,
                               float8 = 701, unknown = 705, bpchar = 1042, varchar = 1043,
                               date = 1082, time = 1083, timestamp = 1114, timestamptz = 1184,
                               interval = 1186, numeric = 1700, uuid = 2950, void_ = 2278,
                               jsonb = 3802, regtype = 2206, oid_array = 1028, text_array = 1009,
                               int4_array = 1007;
}

// Every built-in type, sorted by oid.
std::span<const type_info> all_types();
const type_info* find_type(std::uint32_t oid);
// By SQL name, accepting aliases: int/integer → int4, bigint → int8, varchar,
// "character varying", "double precision", timestamptz, boolean, ... (case-insensitive).
// Also accepted: a `pg_catalog.` prefix, a type modifier ("varchar(10)", "numeric(5,2)";
// float(p) picks float4/float8 as PG does) and a trailing "[]" for the array type.
const type_info* find_type_by_name(std::string_view name);

// The name PG's format_type gives a type (regtype output): "integer", "character varying",
// "timestamp with time zone", "\"char\"", "integer[]"; the oid as digits if unknown.
std::string format_type(std::uint32_t oid);

}  // namespace fauxgres::types
