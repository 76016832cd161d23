// Errors: syntax errors with positions, input errors at analysis, run-time errors at
// execution, statements fauxgres cannot answer (0A000), read-only refusals (25006).
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace fauxgres::responder;
using test::harness;

TEST_CASE("syntax errors name the token and its position", "[responder][errors]") {
  harness h;
  auto o = h.run("SELEC 1");
  CHECK(o.sqlstate() == "42601");
  CHECK(o.message() == "syntax error at or near \"SELEC\"");
  CHECK(o.error()->position == 1);
  CHECK(o.plan.error.has_value());  // at Parse, as PG

  o = h.run("SELECT 1 +");
  CHECK(o.message() == "syntax error at end of input");
  CHECK(o.error()->position == 11);

  o = h.run("SELECT (1");
  CHECK(o.message() == "syntax error at end of input");

  o = h.run("SELECT 1 2");
  CHECK(o.message() == "syntax error at or near \"2\"");
  CHECK(o.error()->position == 10);

  o = h.run("SELECT 'abc");
  CHECK(o.sqlstate() == "42601");
  CHECK(o.message() == "unterminated quoted string at or near \"'abc\"");
  CHECK(o.error()->position == 8);

  o = h.run("SELECT 1 /* open");
  CHECK(o.message() == "unterminated /* comment at or near \"/* open\"");

  o = h.run("  bogus statement");
  CHECK(o.message() == "syntax error at or near \"bogus\"");
  CHECK(o.error()->position == 3);

  o = h.run("SELECT 'é' 1");
  CHECK(o.message() == "syntax error at or near \"1\"");
  CHECK(o.error()->position == 12);  // characters, not bytes
}

TEST_CASE("bad literal input fails at analysis with the literal's position",
          "[responder][errors]") {
  harness h;
  auto o = h.run("SELECT 'a'::int");
  REQUIRE(o.plan.error);
  CHECK(o.sqlstate() == "22P02");
  CHECK(o.message() == "invalid input syntax for type integer: \"a\"");
  CHECK(o.error()->position == 8);

  o = h.run("SELECT 'x'::boolean");
  CHECK(o.message() == "invalid input syntax for type boolean: \"x\"");

  o = h.run("SELECT '99999999999'::int");
  CHECK(o.sqlstate() == "22003");
  CHECK(o.message() == "value \"99999999999\" is out of range for type integer");

  o = h.run("SELECT 'nope'::uuid");
  CHECK(o.sqlstate() == "22P02");
  CHECK(o.message() == "invalid input syntax for type uuid: \"nope\"");
}

TEST_CASE("run-time errors come from execute", "[responder][errors]") {
  harness h;
  auto o = h.run("SELECT 1/0");
  CHECK_FALSE(o.plan.error);
  CHECK(o.sqlstate() == "22012");
  CHECK(o.message() == "division by zero");

  o = h.run("SELECT 1.5 / 0");
  CHECK(o.sqlstate() == "22012");
  o = h.run("SELECT 5 % 0");
  CHECK(o.sqlstate() == "22012");

  o = h.run("SELECT 2147483647 + 1");
  CHECK(o.sqlstate() == "22003");
  CHECK(o.message() == "integer out of range");
  o = h.run("SELECT 9223372036854775807 + 1");
  CHECK(o.message() == "bigint out of range");
  o = h.run("SELECT 32767::int2 + 1::int2");
  CHECK(o.message() == "smallint out of range");
  o = h.run("SELECT 3000000000::int");
  CHECK(o.message() == "integer out of range");
  o = h.run("SELECT 123.456::numeric(4,2)");
  CHECK(o.sqlstate() == "22003");
  CHECK(o.message() == "numeric field overflow");
  CHECK(o.error()->detail ==
        "A field with precision 4, scale 2 must round to an absolute value less than 10^2.");
}

TEST_CASE("type errors carry PG's texts", "[responder][errors]") {
  harness h;
  auto o = h.run("SELECT 'a'::text + 1");
  CHECK(o.sqlstate() == "42883");
  CHECK(o.message() == "operator does not exist: text + integer");
  CHECK(o.error()->hint ==
        "No operator matches the given name and argument types. You might need to add explicit "
        "type casts.");
  CHECK(o.error()->position == 18);

  o = h.run("SELECT 1::int8::bool");
  CHECK(o.sqlstate() == "42846");
  CHECK(o.message() == "cannot cast type bigint to boolean");

  o = h.run("SELECT 1 AND true");
  CHECK(o.sqlstate() == "42804");
  CHECK(o.message() == "argument of AND must be type boolean, not type integer");

  o = h.run("SELECT upper(1)");
  CHECK(o.sqlstate() == "42883");
  CHECK(o.message() == "function upper(integer) does not exist");

  o = h.run("SELECT 'x'::nosuchtype");
  CHECK(o.sqlstate() == "0A000");  // could be a user-defined type in the real database
}

TEST_CASE("statements that need a database get 0A000 naming them", "[responder][errors]") {
  harness h;
  for (const char* sql :
       {"SELECT * FROM users", "SELECT id FROM users WHERE id = 1", "SELECT nosuchcol",
        "INSERT INTO t VALUES (1)", "UPDATE t SET a = 1", "DELETE FROM t", "CREATE TABLE t (a int)",
        "EXPLAIN SELECT 1", "WITH x AS (SELECT 1) SELECT * FROM x", "SELECT my_function(1)",
        "VALUES (1)", "SELECT count(*)", "SELECT (SELECT 1)", "SELECT 1 ORDER BY 1"}) {
    INFO(sql);
    auto o = h.run(sql);
    REQUIRE(o.error() != nullptr);
    CHECK(o.sqlstate() == "0A000");
    CHECK(o.message().find("fauxgres has no answer for statement \"") == 0);
    CHECK(o.error()->hint.find("--fixtures") != std::string::npos);
    CHECK(o.error()->hint.find("docs/fixtures.md") != std::string::npos);
    CHECK(o.result.rows.empty());
  }
  auto o = h.run("SELECT  *\n FROM   users ;");
  CHECK(o.message() == "fauxgres has no answer for statement \"SELECT * FROM users\"");
  CHECK(o.error()->position == 12);  // the FROM

  const std::string long_sql = "SELECT * FROM t WHERE a = '" + std::string(500, 'x') + "'";
  o = h.run(long_sql);
  CHECK(o.message().size() < 260);
  CHECK(o.message().find("...\"") != std::string::npos);
}

TEST_CASE("writes in read-only mode get 25006", "[responder][errors][read-only]") {
  harness h;
  h.set_read_only(true);
  struct {
    const char* sql;
    const char* command;
  } cases[] = {
      {"INSERT INTO t VALUES (1)", "INSERT"},
      {"update t set a = 1", "UPDATE"},
      {"DELETE FROM t", "DELETE"},
      {"CREATE TABLE t (a int)", "CREATE TABLE"},
      {"CREATE UNIQUE INDEX i ON t (a)", "CREATE INDEX"},
      {"CREATE OR REPLACE VIEW v AS SELECT 1", "CREATE VIEW"},
      {"DROP TABLE t", "DROP TABLE"},
      {"ALTER TABLE t ADD b int", "ALTER TABLE"},
      {"TRUNCATE t", "TRUNCATE TABLE"},
  };
  for (const auto& c : cases) {
    INFO(c.sql);
    auto o = h.run(c.sql);
    CHECK(o.sqlstate() == "25006");
    CHECK(o.message() ==
          std::string("cannot execute ") + c.command + " in a read-only transaction");
  }
  // Reads still work and the server says it is in recovery.
  auto o = h.run("SELECT pg_is_in_recovery()");
  REQUIRE(o.error() == nullptr);
  CHECK(o.cell(0, 0) == "t");
  o = h.run("SHOW transaction_read_only");
  CHECK(o.cell(0, 0) == "on");

  harness rw;
  CHECK(rw.run("INSERT INTO t VALUES (1)").sqlstate() == "0A000");
  CHECK(rw.run("SELECT pg_is_in_recovery()").cell(0, 0) == "f");
}

TEST_CASE("BEGIN READ ONLY refuses writes too", "[responder][errors][read-only]") {
  harness h;
  REQUIRE(h.run("BEGIN READ ONLY").error() == nullptr);
  CHECK(h.run("SHOW transaction_read_only").cell(0, 0) == "on");
  CHECK(h.run("INSERT INTO t VALUES (1)").sqlstate() == "25006");
  CHECK(h.run("ROLLBACK").tag() == "ROLLBACK");
  CHECK(h.run("SHOW transaction_read_only").cell(0, 0) == "off");
}

TEST_CASE("a prepared statement holds one command", "[responder][errors]") {
  harness h;
  auto o = h.run("SELECT 1; SELECT 2");
  CHECK(o.sqlstate() == "42601");
  CHECK(o.message() == "cannot insert multiple commands into a prepared statement");
  CHECK(h.run("SELECT 1;;").error() == nullptr);
}
