// The 0A000 "no answer" error; see no_answer.hpp.
#include "responder/no_answer.hpp"

#include <string>

#include "responder/pg_error.hpp"

namespace fauxgres::responder {
namespace {

constexpr std::size_t max_quoted = 200;

// Cuts long statements at a UTF-8 boundary.
std::string shorten(std::string s) {
  if (s.size() <= max_quoted) return s;
  std::size_t n = max_quoted;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s + "...";
}

// Whitespace collapsed and trimmed, trailing ';' dropped; case kept.
std::string collapse(std::string_view sql) {
  std::string out;
  bool space = false;
  for (char c : sql) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  while (!out.empty() && (out.back() == ';' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string yaml_quoted(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

protocol::error_fields no_answer(std::string_view statement, int position) {
  const std::string normalised = collapse(statement);
  protocol::error_fields e =
      pg_error("0A000", "fauxgres has no answer for statement \"" + shorten(normalised) + "\"");
  e.detail =
      "fauxgres is a fake PostgreSQL server without a database: it answers session, "
      "transaction and catalog statements itself, and everything else from fixtures.";
  e.hint =
      "Script the result (columns and rows, or an error) in a fixtures file passed with "
      "--fixtures, e.g. queries: [{match: \"" +
      yaml_quoted(shorten(normalised)) +
      "\", columns: [{name: id, type: int4}], rows: [[1]]}]. See docs/fixtures.md.";
  e.position = position;
  return e;
}

}  // namespace fauxgres::responder
