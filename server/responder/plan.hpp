// The responder's own analysis of a statement, kept in statement_plan::detail between
// analyse() and execute(): one alternative per statement family.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "responder/ast.hpp"
#include "responder/catalog_queries.hpp"
#include "responder/responder.hpp"

namespace fauxgres::responder {

struct fixture;

// SELECT <expressions> [WHERE ...]: evaluated per execution.
struct select_plan {
  select_query query;
};

// SELECT <integer literal>: the hot path, answered without an expression tree (the
// digits are read again from the statement text at execution).
struct literal_plan {};

enum class transaction_verb : std::uint8_t {
  begin,
  start,
  commit,
  rollback,
  savepoint,
  release,
  rollback_to,
  prepare_transaction,
  commit_prepared,
  rollback_prepared,
};

// name → value pairs for transaction_isolation / transaction_read_only / ..._deferrable.
using transaction_modes = std::vector<std::pair<std::string, std::string>>;

struct transaction_plan {
  transaction_verb verb = transaction_verb::begin;
  std::string tag;   // BEGIN, START TRANSACTION, COMMIT, ROLLBACK, SAVEPOINT, RELEASE
  std::string name;  // savepoint name or prepared-transaction id
  transaction_modes modes;
  bool chain = false;  // COMMIT/ROLLBACK AND CHAIN
};

enum class set_action : std::uint8_t {
  set,                      // SET [LOCAL] name = value
  reset,                    // RESET name / SET name TO DEFAULT
  reset_all,                // RESET ALL
  session_authorization,    // SET SESSION AUTHORIZATION role | DEFAULT (value empty)
  set_transaction,          // SET TRANSACTION ...
  session_characteristics,  // SET SESSION CHARACTERISTICS AS TRANSACTION ...
  constraints,              // SET CONSTRAINTS ...: accepted, nothing to do
};

struct set_plan {
  set_action action = set_action::set;
  bool local = false;
  bool is_default = false;  // SESSION AUTHORIZATION DEFAULT
  std::string name;         // as the client wrote it (after identifier folding)
  std::string value;        // flattened as guc.c's flatten_set_variable_args would
  transaction_modes modes;
  std::string tag = "SET";
};

struct show_plan {
  std::string name;  // empty for SHOW ALL
};

// Statements with a fixed tag that act on session objects or do nothing here.
enum class utility_check : std::uint8_t {
  none,
  outside_transaction,  // DISCARD ALL cannot run inside a transaction block
  superuser,            // CHECKPOINT
};

struct utility_plan {
  std::string tag;
  session_command command = session_command::none;
  std::string target;
  utility_check check = utility_check::none;
  bool discard_settings = false;  // DISCARD ALL resets the session's settings
};

// INSERT/UPDATE/DELETE/DDL: 25006 when read-only, else "no answer" (0A000).
struct write_plan {
  std::string command;  // "INSERT", "CREATE TABLE", ...
};

struct fixture_plan {
  const fixture* entry = nullptr;
  std::string command;      // write command name when the statement writes (read-only check)
  std::string default_tag;  // used when the fixture has no `tag`
  bool counts_rows = false;
};

struct catalog_plan {
  catalog_match match;
};

using plan_detail =
    std::variant<literal_plan, select_plan, transaction_plan, set_plan, show_plan, utility_plan,
                 write_plan, fixture_plan, catalog_plan, cursor_statement>;

}  // namespace fauxgres::responder
