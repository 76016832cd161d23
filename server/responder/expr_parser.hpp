// Parses SELECT lists and expressions (gram.y's a_expr subset) into ast.hpp trees.
// Constructs fauxgres cannot evaluate (columns, FROM, subqueries, aggregates) are parsed
// far enough to be recognised and flagged `unsupported`, so the caller can answer 0A000
// instead of a syntax error.
#pragma once

#include <optional>

#include "responder/ast.hpp"
#include "responder/token_cursor.hpp"

namespace fauxgres::responder {

struct parsed_select {
  select_query query;
  bool unsupported = false;  // needs a database (FROM, columns, subqueries, ...)
};

// `cur` is positioned just after SELECT.
parsed_select parse_select_list(token_cursor& cur);

// A type name as in casts; nullopt (with a syntax error recorded) if none.
std::optional<type_name> parse_type_name(token_cursor& cur);

// A whole string as a type name ("integer", "varchar(10)", "text[]"); nullopt if it is not
// one or the type does not exist.
std::optional<sql_type> type_from_text(std::string_view text);

}  // namespace fauxgres::responder
