// The drivers' own introspection queries (driver-queries.md Appendix A5/A6), with their
// exact texts, answered from the built-in type catalogue.
#include <catch2/catch.hpp>

#include <set>

#include "responder/cursor_view.hpp"
#include "support.hpp"
#include "types/catalog.hpp"
#include "types/timestamps.hpp"

using namespace fauxgres::responder;
using test::harness;

namespace {

std::vector<std::string> names(const std::vector<column>& columns) {
  std::vector<std::string> out;
  for (const auto& c : columns) out.push_back(c.name);
  return out;
}

std::vector<std::uint32_t> oids(const std::vector<column>& columns) {
  std::vector<std::uint32_t> out;
  for (const auto& c : columns) out.push_back(c.type_oid);
  return out;
}

const char* const hstore_sql =
    "SELECT t.oid, typarray\nFROM pg_type t JOIN pg_namespace ns\n    ON typnamespace = "
    "ns.oid\nWHERE typname = 'hstore';\n";

const char* const type_by_oid_sql =
    "SELECT\n    t.oid,\n    t.typelem     AS elemtype,\n    t.typtype     AS kind\nFROM\n    "
    "pg_catalog.pg_type AS t\nWHERE\n    t.oid = $1\n";

const char* const postgres_js_sql =
    "\n      select b.oid, b.typarray\n      from pg_catalog.pg_type a\n      left join "
    "pg_catalog.pg_type b on b.oid = a.typelem\n      where a.typcategory = 'A'\n      group by "
    "b.oid, b.typarray\n      order by b.oid\n    ";

const char* const sequelize_sql =
    "WITH ranges AS (  SELECT pg_range.rngtypid, pg_type.typname AS rngtypname,         "
    "pg_type.typarray AS rngtyparray, pg_range.rngsubtype    FROM pg_range LEFT OUTER JOIN "
    "pg_type ON pg_type.oid = pg_range.rngtypid)SELECT pg_type.typname, pg_type.typtype, "
    "pg_type.oid, pg_type.typarray,       ranges.rngtypname, ranges.rngtypid, "
    "ranges.rngtyparray  FROM pg_type LEFT OUTER JOIN ranges ON pg_type.oid = ranges.rngsubtype "
    "WHERE (pg_type.typtype IN('b', 'e'));";

// asyncpg's INTRO_LOOKUP_TYPES, abridged in the middle (the matcher keys on the recursive
// CTE and its $1::oid[] parameter, as the full 6.8 KB text has them).
const char* const asyncpg_typeinfo_sql =
    "WITH RECURSIVE typeinfo_tree(\n    oid, ns, name, kind, basetype, elemtype, elemdelim,\n"
    "    range_subtype, attrtypoids, attrnames, depth)\nAS (\n    SELECT\n        ti.oid, ti.ns, "
    "ti.name, ti.kind, ti.basetype,\n        ti.elemtype, ti.elemdelim, ti.range_subtype,\n"
    "        ti.attrtypoids, ti.attrnames, 0\n    FROM\n        (SELECT t.oid AS oid FROM "
    "pg_catalog.pg_type AS t) AS ti\n    WHERE\n        ti.oid = any($1::oid[])\n)\n\nSELECT "
    "DISTINCT\n    *,\n    basetype::regtype::text AS basetype_name,\n    "
    "elemtype::regtype::text AS elemtype_name,\n    range_subtype::regtype::text AS "
    "range_subtype_name\nFROM\n    typeinfo_tree\nORDER BY\n    depth DESC\n";

}  // namespace

TEST_CASE("psycopg2's hstore lookup returns no rows", "[responder][catalog]") {
  harness h;
  auto o = h.run(hstore_sql);
  REQUIRE(o.error() == nullptr);
  CHECK(names(o.columns()) == std::vector<std::string>{"oid", "typarray"});
  CHECK(oids(o.columns()) == std::vector<std::uint32_t>{26, 26});
  CHECK(o.columns()[0].table_oid == 1247);
  CHECK(o.result.rows.empty());
  CHECK(o.tag() == "SELECT 0");
  // The same query for a built-in type finds it.
  o = h.run(
      "select t.oid, typarray from pg_type t join pg_namespace ns on typnamespace = ns.oid "
      "where typname = 'json'");
  REQUIRE(o.result.rows.size() == 1);
  CHECK(o.cell(0, 0) == "114");
  CHECK(o.cell(0, 1) == "199");
}

TEST_CASE("asyncpg's type lookup by oid", "[responder][catalog]") {
  harness h;
  auto ctx = h.make_context();
  auto plan = analyse(type_by_oid_sql, {}, ctx);
  REQUIRE_FALSE(plan.error);
  CHECK(plan.parameter_types == std::vector<std::uint32_t>{26});
  CHECK(names(*plan.columns) == std::vector<std::string>{"oid", "elemtype", "kind"});
  CHECK(oids(*plan.columns) == std::vector<std::uint32_t>{26, 26, 18});
  CHECK((*plan.columns)[2].type_len == 1);

  auto o = h.run(type_by_oid_sql, {value("114")});
  REQUIRE(o.result.rows.size() == 1);
  CHECK(o.result.rows[0] == row{value("114"), value("0"), value("b")});
  o = h.run(type_by_oid_sql, {value("3802")});
  CHECK(o.result.rows[0] == row{value("3802"), value("0"), value("b")});
  o = h.run(type_by_oid_sql, {value("1007")});
  CHECK(o.result.rows[0] == row{value("1007"), value("23"), value("b")});
  CHECK(h.run(type_by_oid_sql, {value("999999")}).result.rows.empty());
  CHECK(h.run(type_by_oid_sql, {value("x")}).sqlstate() == "22P02");
}

TEST_CASE("postgres.js array types", "[responder][catalog]") {
  harness h;
  auto o = h.run(postgres_js_sql);
  REQUIRE(o.error() == nullptr);
  CHECK(names(o.columns()) == std::vector<std::string>{"oid", "typarray"});
  CHECK(oids(o.columns()) == std::vector<std::uint32_t>{26, 26});
  REQUIRE_FALSE(o.result.rows.empty());
  CHECK(o.result.rows[0] == row{value("16"), value("1000")});
  // PG 15 answers 290 rows: the built-in catalogue plus information_schema's array types,
  // which a database has and the built-in catalogue leaves out.
  std::set<std::uint32_t> elements;
  for (const auto& t : fauxgres::types::all_types()) {
    if (t.category == 'A') elements.insert(t.element);
  }
  CHECK(o.result.rows.size() == elements.size());
  CHECK(o.result.rows.size() > 200);
  for (std::size_t i = 1; i < o.result.rows.size(); ++i) {
    CHECK(std::stoul(*o.result.rows[i - 1][0]) < std::stoul(*o.result.rows[i][0]));
  }
}

TEST_CASE("Sequelize's type and range query", "[responder][catalog]") {
  harness h;
  auto o = h.run(sequelize_sql);
  REQUIRE(o.error() == nullptr);
  CHECK(names(o.columns()) == std::vector<std::string>{"typname", "typtype", "oid", "typarray",
                                                       "rngtypname", "rngtypid", "rngtyparray"});
  CHECK(oids(o.columns()) == std::vector<std::uint32_t>{19, 18, 26, 26, 19, 26, 26});
  REQUIRE_FALSE(o.result.rows.empty());
  CHECK(o.result.rows[0] == row{value("bool"), value("b"), value("16"), value("1000"), std::nullopt,
                                std::nullopt, std::nullopt});
  // PG 15: 360 rows, information_schema's types included (see above).
  std::size_t base_or_enum = 0;
  for (const auto& t : fauxgres::types::all_types()) base_or_enum += t.kind == 'b' || t.kind == 'e';
  CHECK(o.result.rows.size() == base_or_enum);
  CHECK(o.result.rows.size() > 280);
  bool int4_has_range = false;
  for (const auto& r : o.result.rows) {
    if (r[0] == value("int4")) {
      int4_has_range = r[4] == value("int4range") && r[5] == value("3904") && r[6] == value("3905");
    }
  }
  CHECK(int4_has_range);
  // Formatting does not matter.
  std::string reformatted = sequelize_sql;
  for (char& c : reformatted) {
    if (c == ' ') c = '\n';
  }
  CHECK(h.run(reformatted).result.rows.size() == base_or_enum);
}

TEST_CASE("asyncpg's recursive type introspection", "[responder][catalog]") {
  harness h;
  auto ctx = h.make_context();
  auto plan = analyse(asyncpg_typeinfo_sql, {}, ctx);
  REQUIRE_FALSE(plan.error);
  CHECK(plan.parameter_types == std::vector<std::uint32_t>{1028});
  CHECK(names(*plan.columns) ==
        std::vector<std::string>{"oid", "ns", "name", "kind", "basetype", "elemtype", "elemdelim",
                                 "range_subtype", "attrtypoids", "attrnames", "depth",
                                 "basetype_name", "elemtype_name", "range_subtype_name"});
  CHECK(oids(*plan.columns) ==
        std::vector<std::uint32_t>{26, 19, 19, 18, 26, 26, 18, 26, 1028, 1009, 23, 25, 25, 25});

  // int4[] and int4range: their element and subtype come first (depth DESC).
  auto o = h.run(asyncpg_typeinfo_sql, {value("{1007,3904}")});
  REQUIRE(o.error() == nullptr);
  REQUIRE(o.result.rows.size() == 3);
  CHECK(o.cell(0, 0) == "23");
  CHECK(o.cell(0, 10) == "1");
  CHECK(o.cell(0, 12) == "-");
  CHECK(o.cell(1, 0) == "1007");
  CHECK(o.cell(1, 1) == "pg_catalog");
  CHECK(o.cell(1, 2) == "_int4");
  CHECK(o.cell(1, 3) == "b");
  CHECK(o.cell(1, 5) == "23");
  CHECK(o.cell(1, 6) == ",");
  CHECK(o.cell(1, 10) == "0");
  CHECK(o.cell(1, 12) == "integer");
  CHECK(o.cell(2, 0) == "3904");
  CHECK(o.cell(2, 3) == "r");
  CHECK(o.cell(2, 7) == "23");
  CHECK(o.cell(2, 13) == "integer");
  CHECK(o.cell(2, 4) == "<NULL>");
}

TEST_CASE("other pg_type queries are not guessed", "[responder][catalog]") {
  harness h;
  CHECK(h.run("SELECT typname FROM pg_type WHERE oid = 23").sqlstate() == "0A000");
}

// pg_cursors lists the session's cursors (the session's tests read it with cursors); the
// responder recognises plain reads of it and nothing else.
TEST_CASE("reads of pg_cursors: recognised, with the view's columns", "[responder][catalog]") {
  harness h;
  auto psycopg = h.run("SELECT 1 FROM pg_catalog.pg_cursors WHERE name = E'it''s'");
  REQUIRE(psycopg.error() == nullptr);
  CHECK(names(psycopg.columns()) == std::vector<std::string>{"?column?"});
  CHECK(psycopg.columns()[0].type_oid == fauxgres::types::oid::int4);
  CHECK(psycopg.columns()[0].table_oid == 0);
  REQUIRE(psycopg.plan.cursor);
  CHECK(psycopg.plan.runs_at_execute);
  CHECK(psycopg.tag() == "SELECT 0");  // no session, so no cursors

  auto all = h.run("select *, pg_cursors.name from PG_CURSORS order by creation_time desc;");
  REQUIRE(all.error() == nullptr);
  CHECK(names(all.columns()) == std::vector<std::string>{"name", "statement", "is_holdable",
                                                         "is_binary", "is_scrollable",
                                                         "creation_time", "name"});
  CHECK(all.columns()[2].type_oid == fauxgres::types::oid::bool_);
  CHECK(all.columns()[2].table_oid == 12077);
  CHECK(all.columns()[6].column_attr == 1);

  for (const char* other :
       {"SELECT count(*) FROM pg_cursors", "SELECT x FROM pg_cursors",
        "SELECT 1 FROM pg_cursors WHERE name = 'a' AND true", "SELECT 5000000000 FROM pg_cursors",
        "SELECT name FROM pg_cursors c", "SELECT * FROM pg_cursors ORDER BY name, statement"}) {
    INFO(other);
    CHECK(h.run(other).sqlstate() == "0A000");
  }
}

TEST_CASE("pg_cursors rows: filtered by name, ordered, times in the zone given",
          "[responder][catalog]") {
  const auto t0 = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  const cursor_entry cursors[] = {
      {"b", "DECLARE b CURSOR FOR SELECT 1", false, true, false, t0 + std::chrono::seconds(1)},
      {"a", "DECLARE a SCROLL CURSOR WITH HOLD FOR SELECT 2", true, false, true, t0}};
  auto read = [&](std::string_view sql) {
    auto lexed = tokenize(sql);
    token_cursor cur(sql, lexed.tokens);
    auto view = match_cursor_view(cur);
    REQUIRE(view);
    std::string s;
    for (const auto& r : cursor_view_rows(*view, cursors, fauxgres::types::utc_zone())) {
      for (const auto& v : r) s += v.value_or("NULL") + "|";
      s += "\n";
    }
    return s;
  };
  CHECK(read("SELECT name, is_holdable, is_binary, is_scrollable FROM pg_cursors") ==
        "b|f|t|f|\na|t|f|t|\n");
  CHECK(read("SELECT name FROM pg_cursors ORDER BY name") == "a|\nb|\n");
  CHECK(read("SELECT name FROM pg_cursors ORDER BY creation_time DESC") == "b|\na|\n");
  CHECK(read("SELECT 7, creation_time FROM pg_cursors WHERE name = $$a$$") ==
        "7|2023-11-14 22:13:20+00|\n");
  CHECK(read("SELECT statement FROM pg_cursors WHERE name = 'c'").empty());
}
