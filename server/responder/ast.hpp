// Expression trees for the SELECT lists the responder evaluates: nodes live in one vector
// and refer to their arguments by index.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "responder/sql_types.hpp"

namespace fauxgres::responder {

enum class expr_kind : std::uint8_t {
  constant,  // a literal; `text` holds its text form, `literal` its kind
  param,     // $n
  cast,      // args[0]::type; `implicit` when inserted by type resolution
  unary,     // `name` is "-" or "+"
  binary,    // arithmetic, comparison, ||, LIKE: `name` is the operator
  bool_and,  // args[0] AND args[1]
  bool_or,
  bool_not,
  null_test,  // IS [NOT] NULL (`negated` for NOT)
  bool_test,  // IS [NOT] TRUE/FALSE/UNKNOWN: `name` is "true", "false" or "unknown"
  distinct,   // IS [NOT] DISTINCT FROM
  in_list,    // args[0] [NOT] IN (args[1..])
  between,    // args[0] [NOT] BETWEEN args[1] AND args[2]
  case_when,  // args: [operand or -1], cond1, result1, ..., [else or -1]
  coalesce,
  nullif,
  greatest,
  least,
  function,    // `name` is the lower-case function name
  sql_value,   // CURRENT_USER, CURRENT_TIMESTAMP, ...: `name` as FigureColname spells it
  column_ref,  // a column name: the responder has no tables
  array,       // ARRAY[...]
};

enum class literal_kind : std::uint8_t { none, integer, decimal, string, null, boolean };

struct expr {
  expr_kind kind = expr_kind::constant;
  literal_kind literal = literal_kind::none;
  bool negated = false;
  bool implicit = false;
  std::uint32_t offset = 0;  // byte offset in the statement, for error positions
  int param = 0;             // 1-based parameter number
  std::string name;          // operator, function or SQL-value name
  std::string text;          // constant text; a cast's column name (FigureColname)
  sql_type type;             // resolved result type (unknown = 705 until resolved)
  std::vector<int> args;
};

struct select_target {
  int node = -1;
  std::string name;          // result column name
  std::uint32_t offset = 0;  // where the target starts
};

struct select_query {
  std::vector<expr> nodes;
  std::vector<select_target> targets;
  int where = -1;                 // optional WHERE without FROM
  std::uint32_t from_offset = 0;  // set when a FROM clause was seen
  bool has_from = false;
};

}  // namespace fauxgres::responder
