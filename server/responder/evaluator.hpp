// Evaluates a typed SELECT list (see typer.hpp) for one execution: parameters are
// converted with their inferred types, arithmetic raises PG's run-time errors (22012,
// 22003, ...), functions read and change the session through eval_env.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "responder/ast.hpp"
#include "responder/functions.hpp"
#include "responder/responder.hpp"

namespace fauxgres::responder {

// One row (or none when a WHERE clause is false); errors go to env.error.
std::optional<row> evaluate_select(const select_query& q, std::string_view sql,
                                   std::span<const std::uint32_t> parameter_types,
                                   std::span<const value> parameters, eval_env& env);

}  // namespace fauxgres::responder
