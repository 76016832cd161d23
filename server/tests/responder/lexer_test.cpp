// The SQL tokenizer: token kinds, literal values, identifier folding, positions.
#include <catch2/catch.hpp>

#include "responder/lexer.hpp"

using namespace fauxgres::responder;

namespace {

std::vector<token_kind> kinds(const lex_result& r) {
  std::vector<token_kind> out;
  for (const auto& t : r.tokens) out.push_back(t.kind);
  return out;
}

}  // namespace

TEST_CASE("token kinds", "[responder][lexer]") {
  auto r = tokenize("SELECT a.b, $1::int, 1.5e3, .5, 42, 'x', \"Y\" FROM t;");
  REQUIRE_FALSE(r.error);
  using k = token_kind;
  CHECK(
      kinds(r) ==
      std::vector<k>{
          k::identifier, k::identifier, k::dot,       k::identifier, k::comma, k::parameter,
          k::typecast,   k::identifier, k::comma,     k::decimal,    k::comma, k::decimal,
          k::comma,      k::integer,    k::comma,     k::string,     k::comma, k::quoted_identifier,
          k::identifier, k::identifier, k::semicolon, k::end});
  CHECK(r.tokens[5].raw == "$1");
  CHECK(r.tokens[5].offset == 12);
}

TEST_CASE("operators follow scan.l's rules", "[responder][lexer]") {
  auto raw = [](std::string_view sql) {
    std::vector<std::string> out;
    for (const auto& t : tokenize(sql).tokens) {
      if (t.kind == token_kind::op) out.emplace_back(t.raw);
    }
    return out;
  };
  CHECK(raw("a=-1") == std::vector<std::string>{"=", "-"});
  CHECK(raw("a<>b") == std::vector<std::string>{"<>"});
  CHECK(raw("a != b") == std::vector<std::string>{"!="});
  CHECK(raw("a||b") == std::vector<std::string>{"||"});
  CHECK(raw("a @- b") == std::vector<std::string>{"@-"});  // '@' lets it end in '-'
  CHECK(raw("a+--comment\n1") == std::vector<std::string>{"+"});
  CHECK(raw("a */* c */ b") == std::vector<std::string>{"*"});
}

TEST_CASE("literal values and identifier folding", "[responder][lexer]") {
  auto r = tokenize("E'a\\nb\\'c' 'it''s' $$x'y$$ $tag$z$tag$ \"Mixed\"\"Q\" MiXeD");
  REQUIRE_FALSE(r.error);
  CHECK(string_value(r.tokens[0]) == "a\nb'c");
  CHECK(string_value(r.tokens[1]) == "it's");
  CHECK(string_value(r.tokens[2]) == "x'y");
  CHECK(string_value(r.tokens[3]) == "z");
  CHECK(identifier_value(r.tokens[4]) == "Mixed\"Q");
  CHECK(identifier_value(r.tokens[5]) == "mixed");
  CHECK(is_keyword(r.tokens[5], "mixed"));
  CHECK_FALSE(is_keyword(r.tokens[4], "mixed\"q"));
  const std::string long_name(70, 'a');
  CHECK(identifier_value(tokenize(long_name).tokens[0]).size() == 63);
  CHECK(string_value(tokenize("E'\\x41\\101\\u00e9'").tokens[0]) == "AA\xc3\xa9");
}

TEST_CASE("scan errors", "[responder][lexer]") {
  auto r = tokenize("SELECT 'abc");
  REQUIRE(r.error);
  CHECK(r.error->message == "unterminated quoted string at or near \"'abc\"");
  CHECK(r.error->offset == 7);
  r = tokenize("SELECT \"abc");
  REQUIRE(r.error);
  CHECK(r.error->message == "unterminated quoted identifier at or near \"\"abc\"");
  r = tokenize("SELECT $$abc");
  REQUIRE(r.error);
  CHECK(r.error->message == "unterminated dollar-quoted string at or near \"$$abc\"");
  r = tokenize("SELECT 1 /* a /* nested */");
  REQUIRE(r.error);
  CHECK(r.error->message == "unterminated /* comment at or near \"/* a /* nested */\"");
  CHECK(r.error->offset == 9);
  CHECK_FALSE(tokenize("SELECT 1 /* a /* nested */ */").error);
  CHECK(char_position("SELECT 'é' 1", 12) == 12);
}
