// Parameter type inference ($n) and declared Parse types, as ParameterDescription shows
// them, and execution with text parameters.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace fauxgres::responder;
using test::harness;

namespace {
using types_list = std::vector<std::uint32_t>;
}

TEST_CASE("$1::int + 1 infers int4 and adds", "[responder][params]") {
  harness h;
  auto o = h.run("SELECT $1::int + 1", {value("41")});
  REQUIRE(o.error() == nullptr);
  CHECK(o.plan.parameter_types == types_list{23});
  CHECK(o.columns()[0].name == "?column?");
  CHECK(o.columns()[0].type_oid == 23);
  CHECK(o.cell(0, 0) == "42");
  CHECK(o.tag() == "SELECT 1");
}

TEST_CASE("parameter inference follows PG's parse analysis", "[responder][params]") {
  harness h;
  struct {
    const char* sql;
    types_list params;
    std::vector<std::uint32_t> columns;
  } cases[] = {
      {"SELECT CAST($1 AS INTEGER)", {23}, {23}},
      {"SELECT $1::int4 + 1", {23}, {23}},
      {"SELECT $1 + 1, $2", {23, 25}, {23, 25}},
      {"SELECT $1", {25}, {25}},
      {"SELECT $1::varchar(10)", {1043}, {1043}},
      {"SELECT $1 || 'x'", {25}, {25}},
      {"SELECT $1 = 2.5", {1700}, {16}},
      {"SELECT $1 AND true", {16}, {16}},
      {"SELECT pg_sleep($1)", {701}, {2278}},
      {"SELECT current_setting($1)", {25}, {25}},
      {"SELECT $2::int8, $1::text", {25, 20}, {20, 25}},
      {"SELECT $1::int + $1", {23}, {23}},
      {"SELECT COALESCE($1, 5)", {23}, {23}},
  };
  for (const auto& c : cases) {
    INFO(c.sql);
    auto ctx = h.make_context();
    auto plan = analyse(c.sql, {}, ctx);
    REQUIRE_FALSE(plan.error.has_value());
    CHECK(plan.parameter_types == c.params);
    std::vector<std::uint32_t> columns;
    for (const auto& col : *plan.columns) columns.push_back(col.type_oid);
    CHECK(columns == c.columns);
  }
}

TEST_CASE("declared Parse types win; 0 and 705 mean infer", "[responder][params]") {
  harness h;
  auto ctx = h.make_context();
  const std::uint32_t int8[] = {20};
  auto plan = analyse("SELECT $1 + 1", int8, ctx);
  REQUIRE_FALSE(plan.error);
  CHECK(plan.parameter_types == types_list{20});
  CHECK((*plan.columns)[0].type_oid == 20);

  const std::uint32_t int2[] = {21};  // psycopg3 declares Python ints as int2
  plan = analyse("SELECT $1::int + 1", int2, ctx);
  REQUIRE_FALSE(plan.error);
  CHECK(plan.parameter_types == types_list{21});
  CHECK((*plan.columns)[0].type_oid == 23);

  const std::uint32_t int4[] = {23};  // pgjdbc
  plan = analyse("SELECT $1::int + 1", int4, ctx);
  CHECK(plan.parameter_types == types_list{23});

  const std::uint32_t unknown[] = {705};  // pg8000
  plan = analyse("SELECT $1::int + 1", unknown, ctx);
  CHECK(plan.parameter_types == types_list{23});
  plan = analyse("SELECT $1", unknown, ctx);
  CHECK(plan.parameter_types == types_list{25});

  const std::uint32_t zero[] = {0};
  plan = analyse("SELECT $1::int", zero, ctx);
  CHECK(plan.parameter_types == types_list{23});

  const std::uint32_t extra[] = {23, 25};  // more declared than used
  plan = analyse("SELECT 1", extra, ctx);
  REQUIRE_FALSE(plan.error);
  CHECK(plan.parameter_types == types_list{23, 25});
}

TEST_CASE("execution converts text parameters with their types", "[responder][params]") {
  harness h;
  const std::uint32_t int2[] = {21};
  auto o = h.run("SELECT $1::int + 1", {value("7")}, {int2[0]});
  REQUIRE(o.error() == nullptr);
  CHECK(o.cell(0, 0) == "8");

  o = h.run("SELECT $1::int + 1", {std::nullopt});
  REQUIRE(o.error() == nullptr);
  CHECK(o.cell(0, 0) == "<NULL>");

  o = h.run("SELECT $1, $2::bool", {value("hello"), value("yes")});
  REQUIRE(o.error() == nullptr);
  CHECK(o.cell(0, 0) == "hello");
  CHECK(o.cell(0, 1) == "t");

  o = h.run("SELECT $1::int + 1", {value("abc")});
  CHECK(o.sqlstate() == "22P02");
  CHECK(o.message() == "invalid input syntax for type integer: \"abc\"");

  o = h.run("SELECT $1::int + 1", {value("2147483647")});
  CHECK(o.sqlstate() == "22003");
  CHECK(o.message() == "integer out of range");
}

TEST_CASE("parameters PG cannot type are errors", "[responder][params]") {
  harness h;
  auto ctx = h.make_context();
  auto plan = analyse("SELECT $2", {}, ctx);  // $1 is never used
  REQUIRE(plan.error);
  CHECK(plan.error->sqlstate == "42P18");
  CHECK(plan.error->message == "could not determine data type of parameter $1");

  plan = analyse("SELECT $1 + $2", {}, ctx);
  REQUIRE(plan.error);
  CHECK(plan.error->sqlstate == "42725");
  CHECK(plan.error->message == "operator is not unique: unknown + unknown");

  plan = analyse("SELECT $1::int, $1::text", {}, ctx);  // the second is a cast of an int4
  CHECK_FALSE(plan.error);
  plan = analyse("SELECT $1, $1::int", {}, ctx);
  REQUIRE(plan.error);
  CHECK(plan.error->sqlstate == "42P08");
  CHECK(plan.error->detail == "integer versus text");

  // A simple Query has no parameters to bind.
  auto o = h.run("SELECT $1::int");
  CHECK(o.sqlstate() == "42P02");
  CHECK(o.message() == "there is no parameter $1");
  CHECK(o.error()->position == 8);
}

TEST_CASE("statements fauxgres cannot answer still count their parameters", "[responder][params]") {
  harness h;
  struct {
    const char* sql;
    std::vector<std::uint32_t> declared;
    types_list params;
  } cases[] = {
      {"UPDATE accounts SET balance = $1", {}, {25}},
      {"UPDATE accounts SET balance = $2 WHERE id = $1", {}, {25, 25}},
      {"INSERT INTO t (a, b) VALUES ($1::int4, $2)", {}, {23, 25}},
      {"DELETE FROM t WHERE id = $1::bigint AND tag = $3::text[]", {}, {20, 25, 25}},
      {"UPDATE t SET a = $1", {0}, {25}},
      {"UPDATE t SET a = $1", {705}, {25}},
      {"UPDATE t SET a = $1::int4", {20}, {20}},
      {"INSERT INTO t VALUES ($1)", {23, 16}, {23, 16}},
      {"CREATE TABLE t (a int)", {}, {}},
  };
  for (const auto& c : cases) {
    INFO(c.sql);
    auto ctx = h.make_context();
    auto plan = analyse(c.sql, c.declared, ctx);
    REQUIRE_FALSE(plan.error.has_value());
    CHECK(plan.parameter_types == c.params);
    CHECK_FALSE(plan.columns.has_value());
  }
}
