// Private parts of a session shared by its implementation files: portals, a simple query
// in progress, and the visitor helper for message variants.
#pragma once

#include "session/session.hpp"

namespace fauxgres::session {

// A bound statement: its plan, parameters, output formats, and how far Execute got.
struct session::portal {
  std::shared_ptr<const responder::statement_plan> plan;
  std::vector<responder::value> parameters;
  std::vector<std::int16_t> formats;  // one per result column; empty when all are text
  bool evaluated = false;             // the responder ran at Bind (its result waits for Execute)
  bool executed = false;
  bool completed = false;
  responder::execution result;  // from Bind or Execute, unless the plan's answer is fixed
  std::size_t next_row = 0;

  const responder::execution& answer() const {
    return plan->fixed_answer ? *plan->fixed_answer : result;
  }
};

// std::visit with one lambda per alternative. The guide is for compilers without CTAD
// for aggregates (Clang 14, which builds the fuzz targets).
template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

// A simple Query string being worked through statement by statement.
struct session::pending_simple {
  std::string sql;
  std::vector<std::string_view> statements;  // views into sql
  std::size_t index = 0;
  responder::statement_plan plan;  // of the statement waiting
  responder::execution result;
};

}  // namespace fauxgres::session
