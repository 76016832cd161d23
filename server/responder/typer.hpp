// Type resolution for parsed SELECT lists, as PostgreSQL's parse analysis does it:
// literals get their types (int4/int8/numeric, unknown strings), operators and functions
// are resolved with implicit coercions, unknown literals are converted (and validated)
// where their type becomes known, and $n parameters are inferred from context.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/error_fields.hpp"
#include "responder/ast.hpp"

namespace fauxgres::responder {

struct typing_result {
  std::optional<protocol::error_fields> error;
  bool unsupported = false;  // something only a real database could answer
  std::uint32_t unsupported_offset = 0;
  std::vector<std::uint32_t> parameter_types;
  std::vector<std::string> column_names;
};

// Resolves every node's type in place. `declared` are Parse's parameter types (0 and
// 705 mean "infer").
typing_result resolve_select_types(select_query& q, std::string_view sql,
                                   std::span<const std::uint32_t> declared);

// FigureColname: the column name PG gives a target without an alias.
std::string figure_column_name(const select_query& q, int node);

}  // namespace fauxgres::responder
