// Fixture files: loading, validation errors naming the field, exact and regex matching,
// rows, tags, errors, latency, parameters, read-only refusal.
#include <catch2/catch.hpp>

#include "config/error.hpp"
#include "support.hpp"

using namespace fauxgres::responder;
using test::harness;

namespace {

const char* const sample = R"yaml(
queries:
  - match: "SELECT * FROM users"
    columns:
      - {name: id, type: int4}
      - {name: name, type: text}
      - {name: balance, type: "numeric(10,2)"}
      - {name: active, type: boolean}
    rows:
      - [1, alice, 10.5, true]
      - [2, null, 0, false]
  - regex: "(?i)^select .* from orders"
    error: {sqlstate: "40001", message: "could not serialize access due to concurrent update"}
    latency: 50ms
  - match: "SELECT name FROM users WHERE id = $1"
    params: [int4]
    columns: [{name: name, type: text}]
    rows: [[alice]]
  - match: "INSERT INTO audit VALUES ($1)"
  - match: "UPDATE users SET active = false"
    tag: "UPDATE 2"
  - match: "SELECT count(*) FROM users"
    columns: [{name: count, type: int8}]
    rows: [[2]]
    latency: 1.5s
)yaml";

std::string field_of(std::string_view yaml) {
  try {
    fixtures::load_yaml_text(yaml, "test.yaml");
  } catch (const fauxgres::config::error& e) {
    return e.field();
  }
  return "<no error>";
}

std::string value_of(std::string_view yaml) {
  try {
    fixtures::load_yaml_text(yaml, "test.yaml");
  } catch (const fauxgres::config::error& e) {
    return e.value();
  }
  return "<no error>";
}

}  // namespace

TEST_CASE("normalise_statement", "[responder][fixtures]") {
  CHECK(normalise_statement("  SELECT   *\n FROM Users ; ") == "select * from users");
  CHECK(normalise_statement("select 'Keep  CASE' from \"T\"") == "select 'Keep  CASE' from \"T\"");
  CHECK(normalise_statement("SELECT 1 -- comment\n;") == "select 1");
  CHECK(normalise_statement("SELECT /* x */ 1;;") == "select 1");
  CHECK(normalise_statement("SELECT $1") == "select $1");
}

TEST_CASE("fixtures load and match", "[responder][fixtures]") {
  auto f = fixtures::load_yaml_text(sample, "test.yaml");
  REQUIRE(f.size() == 6);
  harness h;
  h.set_fixtures(&f);

  auto o = h.run("select *\n  from USERS;");
  REQUIRE(o.error() == nullptr);
  REQUIRE(o.columns().size() == 4);
  CHECK(o.columns()[0].name == "id");
  CHECK(o.columns()[0].type_oid == 23);
  CHECK(o.columns()[0].type_len == 4);
  CHECK(o.columns()[2].type_oid == 1700);
  CHECK(o.columns()[2].type_mod == 655366);
  CHECK(o.columns()[3].type_oid == 16);
  CHECK(o.result.rows.size() == 2);
  CHECK(o.result.rows[0] == row{value("1"), value("alice"), value("10.50"), value("t")});
  CHECK(o.result.rows[1] == row{value("2"), std::nullopt, value("0.00"), value("f")});
  CHECK(o.tag() == "SELECT 2");

  o = h.run("SELECT id FROM orders WHERE x = 1");
  CHECK(o.sqlstate() == "40001");
  CHECK(o.message() == "could not serialize access due to concurrent update");
  CHECK(o.error()->severity == "ERROR");
  CHECK(o.result.delay == std::chrono::milliseconds(50));

  auto ctx = h.make_context();
  auto plan = analyse("SELECT name FROM users WHERE id = $1", {}, ctx);
  CHECK(plan.parameter_types == std::vector<std::uint32_t>{23});
  o = h.run("SELECT name FROM users WHERE id = $1", {value("1")});
  CHECK(o.cell(0, 0) == "alice");

  o = h.run("INSERT INTO audit VALUES ($1)", {value("x")});
  REQUIRE(o.error() == nullptr);
  CHECK_FALSE(o.plan.columns.has_value());
  CHECK(o.tag() == "INSERT 0 0");
  CHECK(o.plan.parameter_types == std::vector<std::uint32_t>{25});

  CHECK(h.run("UPDATE users SET active = false").tag() == "UPDATE 2");
  o = h.run("SELECT count(*) FROM users");
  CHECK(o.cell(0, 0) == "2");
  CHECK(o.result.delay == std::chrono::milliseconds(1500));

  // Fixtures come before built-ins, and built-ins still work around them.
  CHECK(h.run("SELECT 1").cell(0, 0) == "1");
  CHECK(h.run("SELECT * FROM nothing").sqlstate() == "0A000");

  h.set_read_only(true);
  CHECK(h.run("INSERT INTO audit VALUES ($1)", {value("x")}).sqlstate() == "25006");
  CHECK(h.run("SELECT * FROM users").error() == nullptr);
}

TEST_CASE("fixtures override built-in answers", "[responder][fixtures]") {
  auto f = fixtures::load_yaml_text(R"yaml(
- match: SELECT version()
  columns: [{name: version, type: text}]
  rows: [["PostgreSQL 14.1 custom"]]
- regex: "^SHOW"
  case_insensitive: true
  error: {sqlstate: "57P01", message: "terminating connection due to administrator command", severity: FATAL}
)yaml",
                                    "inline");
  harness h;
  h.set_fixtures(&f);
  CHECK(h.run("select VERSION()").cell(0, 0) == "PostgreSQL 14.1 custom");
  auto o = h.run("show server_version");
  CHECK(o.sqlstate() == "57P01");
  CHECK(o.error()->severity == "FATAL");
  CHECK(o.error()->is_fatal());
}

TEST_CASE("scripted timestamptz values show in the session's TimeZone", "[responder][fixtures]") {
  auto f = fixtures::load_yaml_text(R"yaml(
- match: SELECT created_at FROM jobs
  columns: [{name: created_at, type: timestamptz}, {name: due, type: timestamp}]
  rows: [["2024-07-01 12:00:00+00", "2024-07-01 12:00:00"], [null, null]]
)yaml",
                                    "inline");
  harness h;
  h.set_fixtures(&f);
  CHECK(h.run("SELECT created_at FROM jobs").cell(0, 0) == "2024-07-01 12:00:00+00");
  h.run("SET TimeZone = 'Asia/Seoul'");
  auto o = h.run("SELECT created_at FROM jobs");
  CHECK(o.cell(0, 0) == "2024-07-01 21:00:00+09");
  CHECK(o.cell(0, 1) == "2024-07-01 12:00:00");  // no zone, nothing to convert
  CHECK(o.cell(1, 0) == "<NULL>");
}

TEST_CASE("fixture errors name the field and the value", "[responder][fixtures]") {
  CHECK(field_of("queries:\n  - match: x\n    columns: [{name: a, type: nosuchtype}]") ==
        "queries[0].columns[0].type");
  CHECK(value_of("queries:\n  - match: x\n    columns: [{name: a, type: nosuchtype}]") ==
        "nosuchtype");
  CHECK(field_of("queries:\n  - match: a\n  - match: b\n  - match: c\n  - match: d\n    "
                 "columns: [{name: id, type: int4}, {name: n, type: bogus}]") ==
        "queries[3].columns[1].type");
  CHECK(
      field_of("queries:\n  - match: x\n    columns: [{name: a, type: int4}]\n    rows: [[abc]]") ==
      "queries[0].rows[0][0]");
  CHECK(
      value_of("queries:\n  - match: x\n    columns: [{name: a, type: int4}]\n    rows: [[abc]]") ==
      "abc");
  CHECK(field_of(
            "queries:\n  - match: x\n    columns: [{name: a, type: int4}]\n    rows: [[1, 2]]") ==
        "queries[0].rows[0]");
  CHECK(field_of("queries:\n  - columns: [{name: a, type: int4}]") == "queries[0]");
  CHECK(field_of("queries:\n  - match: x\n    regex: y") == "queries[0]");
  CHECK(field_of("queries:\n  - regex: '('") == "queries[0].regex");
  CHECK(field_of("queries:\n  - match: x\n    latency: soon") == "queries[0].latency");
  CHECK(field_of("queries:\n  - match: x\n    error: {sqlstate: 4001, message: m}") ==
        "queries[0].error.sqlstate");
  CHECK(field_of("queries:\n  - match: x\n    error: {sqlstate: '40001'}") ==
        "queries[0].error.message");
  CHECK(field_of("queries:\n  - match: x\n    colums: []") == "queries[0].colums");
  CHECK(field_of("queries:\n  - match: x\n    rows: [[1]]") == "queries[0].rows");
  CHECK(field_of("queries:\n  - match: x\n    params: [int4, nope]") == "queries[0].params[1]");
  CHECK(field_of("queries: 5") == "queries");
  CHECK(field_of("quieries: []") == "quieries");
  CHECK(field_of("queries: [") == "test.yaml");
  CHECK(
      field_of(
          "queries:\n  - match: x\n    columns: [{name: a, type: int4}]\n    rows: [[\"null\"]]") ==
      "queries[0].rows[0][0]");  // a quoted "null" is text, not NULL
  CHECK(field_of("") == "<no error>");
  CHECK(fixtures::load_yaml_text("", "empty").empty());
}

TEST_CASE("fixture files are read from disk", "[responder][fixtures]") {
  CHECK_THROWS_AS(fixtures::load_file("/nonexistent/fixtures.yaml"), fauxgres::config::error);
}
