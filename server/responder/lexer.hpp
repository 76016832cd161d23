// A SQL tokenizer following PostgreSQL's scanner (scan.l) closely enough for the
// statements the responder understands: identifiers, literals, parameters, operators,
// comments and dollar quotes. Tokens are views into the statement; nothing is copied.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fauxgres::responder {

enum class token_kind : std::uint8_t {
  identifier,         // unquoted; compare with `is_keyword`, fold with `identifier_value`
  quoted_identifier,  // "..." (raw includes the quotes)
  integer,            // 123
  decimal,            // 1.5, .5, 1e10
  string,             // '...', E'...', $$...$$ (raw includes the quotes)
  bit_string,         // B'...' / X'...'
  parameter,          // $1
  op,                 // + - * / < > = ~ ! @ # % ^ & | ` ? and combinations, normalised
  typecast,           // ::
  left_paren,
  right_paren,
  left_bracket,
  right_bracket,
  comma,
  semicolon,
  colon,
  dot,
  end,
};

struct token {
  token_kind kind = token_kind::end;
  std::string_view raw;      // exactly as written
  std::uint32_t offset = 0;  // byte offset in the statement
};

// A scan failure (unterminated literal or comment): PG's 42601 texts.
struct lex_error {
  std::string message;
  std::uint32_t offset = 0;
};

struct lex_result {
  std::vector<token> tokens;  // always ends with an `end` token
  std::optional<lex_error> error;
};

lex_result tokenize(std::string_view sql);

// Case-insensitive comparison of an unquoted identifier with a lower-case keyword.
bool is_keyword(const token& t, std::string_view lower_keyword);
bool iequals(std::string_view a, std::string_view lower);

// The identifier as PostgreSQL sees it: unquoted names are folded to lower case,
// quoted ones lose their quotes and doubled quotes; both are cut to 63 bytes.
std::string identifier_value(const token& t);

// The value of a string token: quotes removed, '' and E'' escapes processed.
std::string string_value(const token& t);

// 1-based character position of a byte offset, as PG reports it in the P field.
int char_position(std::string_view sql, std::uint32_t offset);

// Skips whitespace and comments from `pos`; returns the new position.
std::size_t skip_space_and_comments(std::string_view sql, std::size_t pos);

}  // namespace fauxgres::responder
