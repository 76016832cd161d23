// The pg_type introspection queries drivers send on their own (driver-queries.md App. A5,
// A6), recognised whatever their whitespace and keyword case, and answered from the
// built-in type catalogue (types/catalog.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error_fields.hpp"
#include "responder/responder.hpp"

namespace fauxgres::responder {

enum class catalog_query : std::uint8_t {
  type_by_name_literal,  // psycopg2's hstore lookup: oid, typarray WHERE typname = '...'
  type_by_oid,           // asyncpg TYPE_BY_OID: oid, elemtype, kind WHERE t.oid = $1
  type_by_name,          // asyncpg TYPE_BY_NAME: ... WHERE typname = $1 AND nspname = $2
  array_types,           // postgres.js: element oid + typarray of every array type
  sequelize_types,       // Sequelize: base/enum types with their range types
  asyncpg_typeinfo,      // asyncpg INTRO_LOOKUP_TYPES (WITH RECURSIVE typeinfo_tree)
};

struct catalog_match {
  catalog_query kind;
  std::string argument;  // the type name of type_by_name_literal
  std::vector<column> columns;
  std::vector<std::uint32_t> parameter_types;
};

// Recognises one of the queries above; nullopt otherwise (cheap for other statements).
std::optional<catalog_match> match_catalog_query(std::string_view sql);

// Rows for a recognised query. Parameters are in text form. Errors (bad parameter text)
// go to `error`.
std::vector<row> run_catalog_query(const catalog_match& match, std::span<const value> parameters,
                                   std::optional<protocol::error_fields>& error);

}  // namespace fauxgres::responder
