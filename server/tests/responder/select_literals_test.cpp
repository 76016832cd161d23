// SELECT of literals and simple expressions: column names, types, typmods, values, tags.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace fauxgres::responder;
using test::harness;

TEST_CASE("SELECT 1 answers like PostgreSQL 15", "[responder][select]") {
  harness h;
  auto o = h.run("SELECT 1");
  REQUIRE(o.error() == nullptr);
  REQUIRE(o.columns().size() == 1);
  CHECK(o.columns()[0].name == "?column?");
  CHECK(o.columns()[0].type_oid == 23);
  CHECK(o.columns()[0].type_len == 4);
  CHECK(o.columns()[0].type_mod == -1);
  CHECK(o.plan.parameter_types.empty());
  CHECK(o.cell(0, 0) == "1");
  CHECK(o.tag() == "SELECT 1");
}

TEST_CASE("SELECT literal spellings take the fast path and the general path alike",
          "[responder][select]") {
  harness h;
  for (const char* sql : {"select 1", "  SELECT   1 ; ", "SeLeCt 1;", "SELECT 0001",
                          "SELECT 1 -- x", "SELECT /* c */ 1", "\nSELECT\t1\n"}) {
    INFO(sql);
    auto o = h.run(sql);
    REQUIRE(o.error() == nullptr);
    CHECK(o.columns()[0].name == "?column?");
    CHECK(o.columns()[0].type_oid == 23);
    CHECK(o.cell(0, 0) == "1");
    CHECK(o.tag() == "SELECT 1");
  }
}

TEST_CASE("integer literals become int4, int8 or numeric by size", "[responder][select]") {
  harness h;
  struct {
    const char* sql;
    std::uint32_t oid;
    std::int16_t len;
    const char* value;
  } cases[] = {
      {"SELECT 2147483647", 23, 4, "2147483647"},
      {"SELECT 2147483648", 20, 8, "2147483648"},
      {"SELECT -2147483648", 20, 8, "-2147483648"},  // gram.y folds the minus into a bigint
      {"SELECT -5", 23, 4, "-5"},
      {"SELECT 9223372036854775807", 20, 8, "9223372036854775807"},
      {"SELECT 9223372036854775808", 1700, -1, "9223372036854775808"},
      {"SELECT 1.50", 1700, -1, "1.50"},
      {"SELECT 1e3", 1700, -1, "1000"},
      {"SELECT .5", 1700, -1, "0.5"},
  };
  for (const auto& c : cases) {
    INFO(c.sql);
    auto o = h.run(c.sql);
    REQUIRE(o.error() == nullptr);
    CHECK(o.columns()[0].type_oid == c.oid);
    CHECK(o.columns()[0].type_len == c.len);
    CHECK(o.cell(0, 0) == c.value);
  }
}

TEST_CASE("strings, NULL and booleans", "[responder][select]") {
  harness h;
  auto o = h.run("SELECT 'x', NULL AS n, true, false AS f, 'it''s'");
  REQUIRE(o.error() == nullptr);
  REQUIRE(o.columns().size() == 5);
  CHECK(o.columns()[0].name == "?column?");
  CHECK(o.columns()[0].type_oid == 25);
  CHECK(o.columns()[1].name == "n");
  CHECK(o.columns()[1].type_oid == 25);
  CHECK(o.columns()[2].name == "bool");
  CHECK(o.columns()[2].type_oid == 16);
  CHECK(o.columns()[2].type_len == 1);
  CHECK(o.columns()[3].name == "f");
  CHECK(o.cell(0, 0) == "x");
  CHECK_FALSE(o.result.rows[0][1].has_value());
  CHECK(o.cell(0, 2) == "t");
  CHECK(o.cell(0, 3) == "f");
  CHECK(o.cell(0, 4) == "it's");
}

TEST_CASE("SELECT 1 AS a, 'x'::text matches the recorded RowDescription", "[responder][select]") {
  harness h;
  auto o = h.run("SELECT 1 AS a, 'x'::text");
  REQUIRE(o.error() == nullptr);
  CHECK(o.columns()[0].name == "a");
  CHECK(o.columns()[0].type_oid == 23);
  CHECK(o.columns()[1].name == "text");
  CHECK(o.columns()[1].type_oid == 25);
  CHECK(o.columns()[1].type_len == -1);
  CHECK(o.cell(0, 1) == "x");
  CHECK(o.tag() == "SELECT 1");
}

TEST_CASE("casts give PG's types, typmods and column names", "[responder][select][cast]") {
  harness h;
  struct {
    const char* sql;
    const char* name;
    std::uint32_t oid;
    std::int32_t typmod;
    const char* value;
  } cases[] = {
      {"SELECT '1.5'::numeric(5,2)", "numeric", 1700, 327686, "1.50"},
      {"SELECT 'abc'::varchar(10)", "varchar", 1043, 14, "abc"},
      {"SELECT 'abcdef'::varchar(3)", "varchar", 1043, 7, "abc"},
      {"SELECT 'ab'::char(4)", "bpchar", 1042, 8, "ab  "},
      {"SELECT 'abc'::char", "bpchar", 1042, 5, "a"},
      {"SELECT '5'::int", "int4", 23, -1, "5"},
      {"SELECT CAST('7' AS INTEGER)", "int4", 23, -1, "7"},
      {"SELECT 7::bigint", "int8", 20, -1, "7"},
      {"SELECT 7::smallint", "int2", 21, -1, "7"},
      {"SELECT 'x'::text", "text", 25, -1, "x"},
      {"SELECT 1::text", "text", 25, -1, "1"},
      {"SELECT 'yes'::boolean", "bool", 16, -1, "t"},
      {"SELECT 1::bool", "bool", 16, -1, "t"},
      {"SELECT 2.5::float8", "float8", 701, -1, "2.5"},
      {"SELECT 1::double precision / 3", "?column?", 701, -1, "0.3333333333333333"},
      {"SELECT 2.675::numeric(10,2)", "numeric", 1700, 655366, "2.68"},
      {"SELECT 23::oid", "oid", 26, -1, "23"},
      {"SELECT 23::regtype", "regtype", 2206, -1, "integer"},
      {"SELECT 'character varying'::regtype", "regtype", 2206, -1, "character varying"},
      {"SELECT 'int4'::regtype::oid", "oid", 26, -1, "23"},
      {"SELECT pg_catalog.int4 '12'", "int4", 23, -1, "12"},
      {"SELECT '12'::pg_catalog.int4", "int4", 23, -1, "12"},
      {"SELECT 1.7::int", "int4", 23, -1, "2"},
      {"SELECT 2.5::float8::int", "int4", 23, -1, "2"},
      {"SELECT -2.5::numeric::int", "?column?", 23, -1, "-3"},
  };
  for (const auto& c : cases) {
    INFO(c.sql);
    auto o = h.run(c.sql);
    REQUIRE(o.error() == nullptr);
    CHECK(o.columns()[0].name == c.name);
    CHECK(o.columns()[0].type_oid == c.oid);
    CHECK(o.columns()[0].type_mod == c.typmod);
    CHECK(o.cell(0, 0) == c.value);
  }
}

TEST_CASE("casts to catalogue types are validated and canonical", "[responder][select][cast]") {
  harness h;
  auto o = h.run(
      "SELECT '6ECD8C99-4036-403D-BF84-CF8400F67836'::uuid, '{\"a\": 1}'::json, "
      "'2024-01-02'::date, '\\x41'::bytea");
  REQUIRE(o.error() == nullptr);
  CHECK(o.columns()[0].type_oid == 2950);
  CHECK(o.columns()[0].name == "uuid");
  CHECK(o.cell(0, 0) == "6ecd8c99-4036-403d-bf84-cf8400f67836");
  CHECK(o.columns()[1].type_oid == 114);
  CHECK(o.cell(0, 1) == "{\"a\": 1}");
  CHECK(o.columns()[2].type_oid == 1082);
  CHECK(o.cell(0, 2) == "2024-01-02");
  CHECK(o.columns()[3].type_oid == 17);
  CHECK(o.cell(0, 3) == "\\x41");
}

TEST_CASE("arithmetic and operators follow PG's types", "[responder][select][ops]") {
  harness h;
  struct {
    const char* sql;
    std::uint32_t oid;
    const char* value;
  } cases[] = {
      {"SELECT 1+1", 23, "2"},
      {"SELECT 7 / 2", 23, "3"},
      {"SELECT -7 / 2", 23, "-3"},
      {"SELECT 7 % 3", 23, "1"},
      {"SELECT 2 * 3 + 4", 23, "10"},
      {"SELECT 2 * (3 + 4)", 23, "14"},
      {"SELECT - (2 + 3)", 23, "-5"},
      {"SELECT 1 + 2.5", 1700, "3.5"},
      {"SELECT 10 / 4.0", 1700, "2.5000000000000000"},
      {"SELECT 1 / 3.0", 1700, "0.33333333333333333333"},
      {"SELECT 1.10 * 2.0", 1700, "2.200"},
      {"SELECT 5.5 % 2", 1700, "1.5"},
      {"SELECT 2 ^ 10", 701, "1024"},
      {"SELECT 1::int8 + 1", 20, "2"},
      {"SELECT 1::int2 + 1::int2", 21, "2"},
      {"SELECT '1' + 1", 23, "2"},
      {"SELECT 1 < 2", 16, "t"},
      {"SELECT 1 = 1.0", 16, "t"},
      {"SELECT 'a' <> 'b'", 16, "t"},
      {"SELECT 'a' || 'b'", 25, "ab"},
      {"SELECT 'n=' || 5", 25, "n=5"},
      {"SELECT true AND NULL", 16, "<NULL>"},
      {"SELECT false AND NULL", 16, "f"},
      {"SELECT NOT true OR true", 16, "t"},
      {"SELECT NULL IS NULL", 16, "t"},
      {"SELECT 1 IS NOT NULL", 16, "t"},
      {"SELECT 2 BETWEEN 1 AND 3", 16, "t"},
      {"SELECT 3 IN (1, 2)", 16, "f"},
      {"SELECT 'abc' LIKE 'a%'", 16, "t"},
      {"SELECT 'ABC' ILIKE 'a_c'", 16, "t"},
      {"SELECT CASE WHEN 1 > 2 THEN 'x' ELSE 'y' END", 25, "y"},
      {"SELECT COALESCE(NULL, 2, 3)", 23, "2"},
      {"SELECT NULLIF(1, 1)", 23, "<NULL>"},
      {"SELECT GREATEST(1, 5, 3)", 23, "5"},
      {"SELECT 1 IS DISTINCT FROM NULL", 16, "t"},
  };
  for (const auto& c : cases) {
    INFO(c.sql);
    auto o = h.run(c.sql);
    REQUIRE(o.error() == nullptr);
    CHECK(o.columns()[0].type_oid == c.oid);
    CHECK(o.cell(0, 0) == c.value);
  }
}

TEST_CASE("column names follow FigureColname", "[responder][select][names]") {
  harness h;
  auto o = h.run(
      "SELECT 1+1 AS result, now()::text, CASE WHEN true THEN 1 END, COALESCE(1, 2), 2 two, "
      "\"Quoted Name\" FROM t");
  CHECK(o.sqlstate() == "0A000");  // FROM needs a database

  o = h.run(
      "SELECT 1+1 AS result, now()::text, CASE WHEN true THEN 1 END, COALESCE(1, 2), 2 two, "
      "3 \"Mixed Case\", 4 AS Upper, current_user, version()");
  REQUIRE(o.error() == nullptr);
  std::vector<std::string> names;
  for (const auto& c : o.columns()) names.push_back(c.name);
  CHECK(names == std::vector<std::string>{"result", "now", "case", "coalesce", "two", "Mixed Case",
                                          "upper", "current_user", "version"});
}

TEST_CASE("SELECT with no targets and WHERE without FROM", "[responder][select]") {
  harness h;
  auto o = h.run("SELECT");
  REQUIRE(o.error() == nullptr);
  CHECK(o.columns().empty());
  CHECK(o.tag() == "SELECT 1");
  o = h.run("SELECT 1 WHERE false");
  REQUIRE(o.error() == nullptr);
  CHECK(o.tag() == "SELECT 0");
  o = h.run("SELECT 1 WHERE 1 = 1");
  CHECK(o.tag() == "SELECT 1");
}
