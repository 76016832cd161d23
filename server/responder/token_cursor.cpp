// Token cursor helpers; see token_cursor.hpp.
#include "responder/token_cursor.hpp"

#include <algorithm>
#include <iterator>

namespace fauxgres::responder {

void token_cursor::fail_at(const token& t) {
  if (error_) return;
  if (t.kind == token_kind::end) {
    error_ = protocol::errors::syntax_error_at_end(char_pos(t.offset));
  } else {
    error_ = protocol::errors::syntax_error_at(t.raw, char_pos(t.offset));
  }
}

std::optional<std::string> token_cursor::name() {
  const token& t = peek();
  if (t.kind == token_kind::quoted_identifier ||
      (t.kind == token_kind::identifier && !is_reserved_keyword(identifier_value(t)))) {
    next();
    return identifier_value(t);
  }
  fail_here();
  return std::nullopt;
}

std::optional<std::string> token_cursor::dotted_name() {
  auto first = name();
  if (!first) return std::nullopt;
  std::string out = *first;
  while (peek().kind == token_kind::dot) {
    next();
    auto part = name();
    if (!part) return std::nullopt;
    out += '.';
    out += *part;
  }
  return out;
}

bool is_reserved_keyword(std::string_view w) {
  // PostgreSQL 15's RESERVED_KEYWORD list (kwlist.h), sorted.
  static constexpr std::string_view reserved[] = {
      "all",          "analyse",
      "analyze",      "and",
      "any",          "array",
      "as",           "asc",
      "asymmetric",   "both",
      "case",         "cast",
      "check",        "collate",
      "column",       "constraint",
      "create",       "current_catalog",
      "current_date", "current_role",
      "current_time", "current_timestamp",
      "current_user", "default",
      "deferrable",   "desc",
      "distinct",     "do",
      "else",         "end",
      "except",       "false",
      "fetch",        "for",
      "foreign",      "from",
      "grant",        "group",
      "having",       "in",
      "initially",    "intersect",
      "into",         "lateral",
      "leading",      "limit",
      "localtime",    "localtimestamp",
      "not",          "null",
      "offset",       "on",
      "only",         "or",
      "order",        "placing",
      "primary",      "references",
      "returning",    "select",
      "session_user", "some",
      "symmetric",    "table",
      "then",         "to",
      "trailing",     "true",
      "union",        "unique",
      "user",         "using",
      "variadic",     "when",
      "where",        "window",
      "with",
  };
  static_assert(std::is_sorted(std::begin(reserved), std::end(reserved)));
  return std::binary_search(std::begin(reserved), std::end(reserved), w);
}

}  // namespace fauxgres::responder
