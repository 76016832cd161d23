// Private parts of a session shared by its implementation files: portals, a simple query
// in progress, and the visitor helper for message variants.
#pragma once

#include "session/session.hpp"

namespace fauxgres::session {

// A bound statement or a DECLAREd cursor (in PG both are portals): its plan, output
// formats, its answer, and where Execute, FETCH and MOVE have left it.
struct session::portal {
  std::shared_ptr<const responder::statement_plan> plan;
  std::vector<std::int16_t> formats;  // one per result column; empty when all are text
  // Computed at Bind, where PG plans (the plan's own when its answer is fixed); null for
  // an empty query.
  std::shared_ptr<const responder::execution> answer;
  std::vector<responder::value> parameters;  // a DECLARE's, for its query at Execute
  bool executed = false;
  bool completed = false;
  responder::cursor_position position;
  bool scrollable = false;  // a cursor that may move backward; protocol portals never are
  bool failed = false;      // an error met it mid-FETCH: PG will not run it again
  bool holdable = false;    // WITH HOLD: it outlives the transaction that commits it
  bool held = false;        // ... and that transaction has committed
  // A cursor's latency, waited out by its first FETCH or MOVE, where PG runs the query.
  std::chrono::milliseconds delay_due{0};
  // A DECLAREd cursor's query string, listed in pg_cursors; empty for a protocol portal.
  std::string declared_by;
  std::chrono::system_clock::time_point declared_at;
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
  bool answer_is_fixed = false;  // one statement, whose answer depends on its text alone
};

}  // namespace fauxgres::session
