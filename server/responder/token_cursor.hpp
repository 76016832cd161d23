// A cursor over a statement's tokens with the helpers every statement parser needs, and
// PG's syntax-error reporting ("syntax error at or near ..." with the position).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error_fields.hpp"
#include "responder/lexer.hpp"

namespace fauxgres::responder {

class token_cursor {
 public:
  token_cursor(std::string_view sql, const std::vector<token>& tokens)
      : sql_(sql), tokens_(tokens) {}

  const token& peek(std::size_t ahead = 0) const {
    const std::size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  const token& next() {
    const token& t = peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool at_end() const { return peek().kind == token_kind::end; }
  // The end, optionally after one trailing semicolon.
  bool at_statement_end() const {
    return at_end() || (peek().kind == token_kind::semicolon && peek(1).kind == token_kind::end);
  }
  std::size_t position() const { return pos_; }
  void rewind(std::size_t pos) { pos_ = pos; }

  bool is(std::string_view keyword, std::size_t ahead = 0) const {
    return is_keyword(peek(ahead), keyword);
  }
  bool accept(std::string_view keyword) {
    if (!is(keyword)) return false;
    next();
    return true;
  }
  bool accept(token_kind kind) {
    if (peek().kind != kind) return false;
    next();
    return true;
  }
  bool is_op(std::string_view op) const {
    return peek().kind == token_kind::op &&
           (peek().raw == op || (op == "<>" && peek().raw == "!="));
  }

  // Records PG's syntax error for the current token (first error wins).
  void fail_here() { fail_at(peek()); }
  void fail_at(const token& t);
  void fail(protocol::error_fields error) {
    if (!error_) error_ = std::move(error);
  }
  bool failed() const { return error_.has_value(); }
  std::optional<protocol::error_fields> take_error() { return std::move(error_); }
  const std::optional<protocol::error_fields>& error() const { return error_; }

  // Expects the statement to end here; records a syntax error otherwise.
  bool expect_end() {
    if (at_statement_end()) return true;
    fail_here();
    return false;
  }

  // A name: identifier or quoted identifier, as PG folds it. Fails otherwise.
  std::optional<std::string> name();
  // Dotted name (a.b.c) for parameter names.
  std::optional<std::string> dotted_name();

  int char_pos(std::uint32_t offset) const { return char_position(sql_, offset); }
  std::string_view sql() const { return sql_; }

 private:
  std::string_view sql_;
  const std::vector<token>& tokens_;
  std::size_t pos_ = 0;
  std::optional<protocol::error_fields> error_;
};

// Whether an identifier is one of PG's reserved keywords (cannot be a bare column label
// or an unquoted name in most places).
bool is_reserved_keyword(std::string_view lower_word);

}  // namespace fauxgres::responder
