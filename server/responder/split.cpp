// split_statements and normalise_statement: one quote-, comment- and dollar-quote-aware
// walk over the text, without tokenizing (both are on the simple-query hot path).
#include <string>
#include <string_view>
#include <vector>

#include "responder/fixtures.hpp"
#include "responder/lexer.hpp"
#include "responder/responder.hpp"

namespace fauxgres::responder {
namespace {

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// End (exclusive) of a quoted section starting at `pos` (the opening quote).
std::size_t end_of_quoted(std::string_view sql, std::size_t pos, char quote, bool backslash) {
  std::size_t p = pos + 1;
  while (p < sql.size()) {
    const char c = sql[p];
    if (backslash && c == '\\') {
      p += 2;
      continue;
    }
    if (c == quote) {
      if (p + 1 < sql.size() && sql[p + 1] == quote) {
        p += 2;
        continue;
      }
      return p + 1;
    }
    ++p;
  }
  return sql.size();
}

// If a dollar quote opens at `pos`, its end (exclusive); otherwise 0.
std::size_t end_of_dollar_quote(std::string_view sql, std::size_t pos) {
  if (pos > 0 && is_ident_char(sql[pos - 1])) return 0;  // part of an identifier
  std::size_t p = pos + 1;
  if (p < sql.size() && sql[p] >= '0' && sql[p] <= '9') return 0;  // a parameter
  while (p < sql.size() && is_ident_char(sql[p]) && sql[p] != '$') ++p;
  if (p >= sql.size() || sql[p] != '$') return 0;
  const std::string_view tag = sql.substr(pos, p - pos + 1);
  const std::size_t close = sql.find(tag, p + 1);
  return close == std::string_view::npos ? sql.size() : close + tag.size();
}

// If a comment starts at `pos`, its end (exclusive); otherwise 0.
std::size_t end_of_comment(std::string_view sql, std::size_t pos) {
  if (pos + 1 >= sql.size()) return 0;
  if (sql[pos] == '-' && sql[pos + 1] == '-') {
    const std::size_t nl = sql.find('\n', pos);
    return nl == std::string_view::npos ? sql.size() : nl;
  }
  if (sql[pos] == '/' && sql[pos + 1] == '*') {
    const std::size_t end = skip_space_and_comments(sql, pos);
    return end > pos ? end : sql.size();
  }
  return 0;
}

// The end (exclusive) of the quoted literal, identifier or comment at `pos`, or 0 when
// none starts there.
std::size_t end_of_protected(std::string_view sql, std::size_t pos) {
  const char c = sql[pos];
  if (c == '\'') {
    const bool escape = pos > 0 && (sql[pos - 1] == 'e' || sql[pos - 1] == 'E') &&
                        (pos < 2 || !is_ident_char(sql[pos - 2]));
    return end_of_quoted(sql, pos, '\'', escape);
  }
  if (c == '"') return end_of_quoted(sql, pos, '"', false);
  if (c == '$') return end_of_dollar_quote(sql, pos);
  if (c == '-' || c == '/') return end_of_comment(sql, pos);
  return 0;
}

bool has_content(std::string_view sql) {
  return skip_space_and_comments(sql, 0) < sql.size();
}

}  // namespace

std::vector<std::string_view> split_statements(std::string_view sql) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  int depth = 0;
  std::size_t p = 0;
  while (p < sql.size()) {
    const char c = sql[p];
    if (c == '\'' || c == '"' || c == '$' || c == '-' || c == '/') {
      const std::size_t end = end_of_protected(sql, p);
      if (end > p) {
        p = end;
        continue;
      }
    }
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (c == ';' && depth == 0) {
      const std::string_view stmt = sql.substr(start, p - start);
      if (has_content(stmt)) out.push_back(stmt);
      start = p + 1;
    }
    ++p;
  }
  const std::string_view last = sql.substr(start);
  if (has_content(last)) out.push_back(last);
  return out;
}

std::string normalise_statement(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  bool pending_space = false;
  std::size_t p = 0;
  while (p < sql.size()) {
    const char c = sql[p];
    if (is_space(c)) {
      pending_space = true;
      ++p;
      continue;
    }
    if (c == '\'' || c == '"' || c == '$' || c == '-' || c == '/') {
      const std::size_t end = end_of_protected(sql, p);
      if (end > p) {
        const bool comment = c == '-' || c == '/';
        if (comment) {
          pending_space = true;
        } else {
          if (pending_space && !out.empty()) out += ' ';
          pending_space = false;
          out.append(sql.substr(p, end - p));
        }
        p = end;
        continue;
      }
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    ++p;
  }
  // Drop trailing semicolons (and the spaces before them).
  while (!out.empty() && (out.back() == ';' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace fauxgres::responder
