// The fake SQL responder: analyses one statement (as PG's parse/analyze would: parameter
// and result types) and executes it against session state. Pure: the clock value, backend
// pid and settings are handed in through `context`.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error_fields.hpp"
#include "responder/cursor_fetch.hpp"
#include "responder/settings.hpp"

namespace fauxgres::responder {

class fixtures;

struct column {
  std::string name;
  std::uint32_t type_oid = 0;
  std::int16_t type_len = -1;
  std::int32_t type_mod = -1;
  std::uint32_t table_oid = 0;
  std::int16_t column_attr = 0;
};

using value = std::optional<std::string>;  // text form; nullopt is NULL
using row = std::vector<value>;

enum class transaction_control {
  none,
  begin,
  commit,
  rollback,
  savepoint,
  release,
  rollback_to_savepoint
};

// What the session knows about itself that statements can read or change.
struct context {
  settings& session_settings;
  std::string_view user;
  std::string_view database;
  std::int32_t backend_pid = 0;
  char transaction_status = 'I';  // 'I', 'T' or 'E' before the statement runs
  // When the transaction began; outside one, now() is the statement's start.
  std::optional<std::chrono::system_clock::time_point> transaction_start;
  const std::function<std::chrono::system_clock::time_point()>* clock = nullptr;
  const fixtures* user_fixtures = nullptr;
  bool read_only = false;  // writes fail with 25006 (failover fault)

  // statement_timestamp() and clock_timestamp(): the clock is read at the first use only,
  // so the many statements that ask no time read none.
  std::chrono::system_clock::time_point statement_start() const {
    if (!statement_start_) statement_start_ = clock ? (*clock)() : std::chrono::system_clock::now();
    return *statement_start_;
  }
  std::chrono::system_clock::time_point now() const {  // now(), current_timestamp
    return transaction_start ? *transaction_start : statement_start();
  }
  mutable std::optional<std::chrono::system_clock::time_point> statement_start_;
};

struct execution;

// DECLARE, FETCH / MOVE, CLOSE name and reads of pg_cursors work on portals, which the
// session owns: the responder reads them into the plan (statement_plan::cursor) and the
// session runs them.
struct statement_plan;
struct cursor_view;

struct cursor_statement {
  enum class kind : std::uint8_t { declare, fetch, close, view };
  kind what = kind::fetch;
  std::string name;
  fetch_request fetch;  // FETCH / MOVE
  // DECLARE name [BINARY] [NO SCROLL | SCROLL] CURSOR [WITH HOLD] FOR query
  std::string query;
  int query_chars_in = 0;  // characters before the query in the statement, for positions
  std::shared_ptr<const statement_plan> query_plan;  // analysed with the DECLARE
  bool binary = false;
  bool hold = false;
  std::optional<bool> scroll;               // SCROLL or NO SCROLL; neither lets the plan decide
  std::shared_ptr<const cursor_view> view;  // SELECT ... FROM pg_cursors
};

// Result of analysing one statement (Parse / Describe).
struct statement_plan {
  std::optional<protocol::error_fields> error;  // analysis failed (e.g. 42601, 0A000)
  std::vector<std::uint32_t> parameter_types;   // resolved types, one per $n
  std::optional<std::vector<column>> columns;   // nullopt: returns no rows (NoData)
  bool empty = false;                           // empty query (EmptyQueryResponse)
  transaction_control control = transaction_control::none;
  std::string text;                    // the statement as given
  std::shared_ptr<const void> detail;  // the responder's own analysis
  // Every execution gives the same answer (SELECT <integer>). A session that keeps the
  // plan (a prepared statement) runs it once and keeps the answer in `fixed_answer`.
  bool answer_is_fixed = false;
  // Runs at Execute: a utility statement (transaction control, SET, SHOW, DISCARD...), a
  // read of pg_cursors, whose rows PG's pg_cursor() makes as it runs, and a fixture, whose
  // latency and error are those of a statement running. Other queries are planned at Bind,
  // where constants are folded and their errors met. A cursor over such a query meets its
  // latency and error at its first FETCH or MOVE.
  bool runs_at_execute = false;
  std::shared_ptr<const execution> fixed_answer;
  std::optional<cursor_statement> cursor;  // a statement on a portal, run by the session
  // Whether a cursor declared without SCROLL may move backward over the rows (PG's
  // ExecSupportsBackwardScan): not for a SELECT without FROM, PG's Result node.
  bool scans_backward = true;
  // Kept by a session that prepares the plan: its RowDescription for all-text results,
  // encoded once for every Describe.
  std::string text_row_description;
};

// Statements that act on session objects the session owns (prepared statements, portals).
enum class session_command { none, deallocate, deallocate_all, close_all_portals, discard_all };

struct execution {
  std::optional<protocol::error_fields> error;
  std::vector<protocol::error_fields> notices;  // sent before CommandComplete
  std::vector<row> rows;
  std::string tag;                     // "SET", "BEGIN", or the verb "SELECT" when counts_rows
  bool counts_rows = false;            // CommandComplete is tag + " " + number of rows sent
  std::chrono::milliseconds delay{0};  // pg_sleep / fixture latency: cancellable wait
                                       // before the rows; cancel replaces them with 57014
  session_command command = session_command::none;
  std::string command_target;  // statement name for deallocate
  // The rows' columns when the plan could not know them: a FETCH's are its cursor's.
  std::optional<std::vector<column>> columns;
};

// Splits a simple-query string into statements (quotes, dollar quotes, comments and
// parentheses respected); empty statements are dropped.
std::vector<std::string_view> split_statements(std::string_view sql);

// Analysis: `declared` are the parameter types from Parse (0 = infer), possibly fewer
// than the statement uses.
statement_plan analyse(std::string_view sql, std::span<const std::uint32_t> declared,
                       const context& ctx);

// Execution with text-form parameters (the session converts binary ones first).
execution execute(const statement_plan& plan, std::span<const value> parameters, context& ctx);

}  // namespace fauxgres::responder
