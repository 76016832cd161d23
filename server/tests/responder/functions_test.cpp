// Built-in functions and SQL-value functions.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace fauxgres::responder;
using test::harness;

TEST_CASE("session information functions", "[responder][functions]") {
  harness h;
  auto o = h.run(
      "SELECT current_database(), current_user, session_user, user, current_schema, "
      "pg_backend_pid(), current_catalog, current_role");
  REQUIRE(o.error() == nullptr);
  std::vector<std::string> names;
  for (const auto& c : o.columns()) names.push_back(c.name);
  CHECK(names == std::vector<std::string>{"current_database", "current_user", "session_user",
                                          "user", "current_schema", "pg_backend_pid",
                                          "current_catalog", "current_role"});
  CHECK(o.columns()[0].type_oid == 19);
  CHECK(o.columns()[5].type_oid == 23);
  CHECK(o.cell(0, 0) == "appdb");
  CHECK(o.cell(0, 1) == "app");
  CHECK(o.cell(0, 2) == "app");
  CHECK(o.cell(0, 3) == "app");
  CHECK(o.cell(0, 4) == "public");
  CHECK(o.cell(0, 5) == "4242");
  CHECK(o.cell(0, 6) == "appdb");

  h.run("SET search_path TO myschema");
  CHECK(h.run("SELECT current_schema()").cell(0, 0) == "myschema");
  CHECK(h.run("SELECT current_schemas(true)").cell(0, 0) == "{pg_catalog,myschema}");
}

TEST_CASE("time functions read the context's clock", "[responder][functions]") {
  harness h;
  auto o = h.run(
      "SELECT now(), current_timestamp, clock_timestamp(), statement_timestamp(), "
      "transaction_timestamp(), current_date, localtimestamp, current_timestamp(0)");
  REQUIRE(o.error() == nullptr);
  CHECK(o.columns()[0].name == "now");
  CHECK(o.columns()[0].type_oid == 1184);
  CHECK(o.columns()[0].type_len == 8);
  CHECK(o.columns()[1].name == "current_timestamp");
  CHECK(o.cell(0, 0) == "2024-05-01 12:34:56.789+00");
  CHECK(o.cell(0, 1) == "2024-05-01 12:34:56.789+00");
  CHECK(o.cell(0, 2) == "2024-05-01 12:34:56.789+00");
  CHECK(o.cell(0, 5) == "2024-05-01");
  CHECK(o.columns()[5].type_oid == 1082);
  CHECK(o.cell(0, 6) == "2024-05-01 12:34:56.789");
  CHECK(o.columns()[7].type_mod == 0);
  CHECK(o.cell(0, 7) == "2024-05-01 12:34:57+00");

  o = h.run("SELECT now()::date, now()::timestamp, now()::time, current_date::timestamp");
  REQUIRE(o.error() == nullptr);
  CHECK(o.cell(0, 0) == "2024-05-01");
  CHECK(o.cell(0, 1) == "2024-05-01 12:34:56.789");
  CHECK(o.cell(0, 2) == "12:34:56.789");
  CHECK(o.cell(0, 3) == "2024-05-01 00:00:00");

  h.run("SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE");
  CHECK(h.run("SELECT now()").cell(0, 0) == "2024-05-01 18:04:56.789+05:30");
  h.run("SET TIME ZONE -8");
  CHECK(h.run("SELECT now()::text").cell(0, 0) == "2024-05-01 04:34:56.789-08");
}

// Expected texts from PostgreSQL 15.18 with Debian's tzdata 2025b.
TEST_CASE("timestamptz is read and shown in the session's TimeZone", "[responder][functions]") {
  harness h;
  h.run("SET TimeZone = 'asia/seoul'");
  CHECK(h.run("SHOW TimeZone").cell(0, 0) == "Asia/Seoul");
  CHECK(h.run("SELECT now()").cell(0, 0) == "2024-05-01 21:34:56.789+09");

  h.run("SET TimeZone = 'America/New_York'");
  auto o = h.run(
      "SELECT now(), '2024-01-15 12:00:00+00'::timestamptz, '2024-03-10 02:30:00'::timestamptz, "
      "'2024-11-03 01:30:00'::timestamptz, '1800-01-01 00:00:00'::timestamptz, "
      "'2024-07-01 12:00:00+00'::timestamptz::timestamp, '2024-07-01'::date::timestamptz, "
      "'2024-07-01 02:00:00+00'::timestamptz::date, '2024-07-01 02:00:00+00'::timestamptz::time, "
      "'2024-07-01 12:00'::timestamp::timestamptz, 'infinity'::timestamptz, localtimestamp, "
      "current_time");
  REQUIRE(o.error() == nullptr);
  CHECK(o.cell(0, 0) == "2024-05-01 08:34:56.789-04");
  CHECK(o.cell(0, 1) == "2024-01-15 07:00:00-05");
  CHECK(o.cell(0, 2) == "2024-03-10 03:30:00-04");  // skipped by the spring-forward
  CHECK(o.cell(0, 3) == "2024-11-03 01:30:00-05");  // repeated by the fall-back
  CHECK(o.cell(0, 4) == "1800-01-01 00:00:00-04:56:02");
  CHECK(o.cell(0, 5) == "2024-07-01 08:00:00");
  CHECK(o.cell(0, 6) == "2024-07-01 00:00:00-04");
  CHECK(o.cell(0, 7) == "2024-06-30");
  CHECK(o.cell(0, 8) == "22:00:00");
  CHECK(o.cell(0, 9) == "2024-07-01 12:00:00-04");
  CHECK(o.cell(0, 10) == "infinity");
  CHECK(o.cell(0, 11) == "2024-05-01 08:34:56.789");
  CHECK(o.cell(0, 12) == "08:34:56.789-04");
  // A parameter (a binary one arrives as UTC text) is shown in the zone too.
  o = h.run("SELECT $1", {std::string("2024-07-01 12:00:00+00")}, {1184});
  CHECK(o.cell(0, 0) == "2024-07-01 08:00:00-04");

  h.run("SET TimeZone = 'Australia/Lord_Howe'");  // a half-hour DST, south of the equator
  o = h.run("SELECT '2024-01-01 00:00:00+00'::timestamptz, '2024-07-01 00:00:00+00'::timestamptz");
  CHECK(o.cell(0, 0) == "2024-01-01 11:00:00+11");
  CHECK(o.cell(0, 1) == "2024-07-01 10:30:00+10:30");
  h.run("SET TimeZone = 'XYZ-3ABC,M3.5.0,M10.5.0/3'");  // POSIX, no zone file
  CHECK(h.run("SELECT now()").cell(0, 0) == "2024-05-01 16:34:56.789+04");
}

TEST_CASE("TimeZone takes what PG's zone lookup finds", "[responder][settings]") {
  harness h;
  const std::pair<const char*, const char*> accepted[] = {
      {"utc+5", "UTC+5"},           {"est5edt", "EST5EDT"},
      {"<+03>-03", "<+03>-03"},     {":Asia/Seoul", "Asia/Seoul"},
      {"us/pacific", "US/Pacific"}, {"Etc/GMT-3", "Etc/GMT-3"},
      {"5.5", "<+05:30>-05:30"},    {"gmt", "GMT"},
      {"ABC-3DEF", "ABC-3DEF"}};
  for (const auto& [value, shown] : accepted) {
    INFO(value);
    REQUIRE(h.run(std::string("SET TimeZone = '") + value + "'").error() == nullptr);
    CHECK(h.run("SHOW TimeZone").cell(0, 0) == shown);
  }
  for (const char* value : {"Mars/Base", "abc", "A", "Asia//Seoul", "Asia/../Asia/Seoul",
                            "zone.tab", "Europe", "EST5EDT,M13.1.0,M11.1.0", " Asia/Seoul"}) {
    INFO(value);
    auto o = h.run(std::string("SET TimeZone = '") + value + "'");
    CHECK(o.sqlstate() == "22023");
    CHECK(o.message() ==
          std::string("invalid value for parameter \"TimeZone\": \"") + value + "\"");
  }
  auto o = h.run("SET TimeZone = 'right/UTC'");
  CHECK(o.sqlstate() == "22023");
  CHECK(o.message() == "time zone \"right/UTC\" appears to use leap seconds");
  CHECK(o.error()->detail == "PostgreSQL does not support leap seconds.");
  CHECK(h.run("SHOW TimeZone").cell(0, 0) == "ABC-3DEF");
}

TEST_CASE("pg_sleep asks for a delay and returns void", "[responder][functions]") {
  harness h;
  auto o = h.run("SELECT pg_sleep(1.5)");
  REQUIRE(o.error() == nullptr);
  CHECK(o.columns()[0].name == "pg_sleep");
  CHECK(o.columns()[0].type_oid == 2278);
  CHECK(o.cell(0, 0) == "");
  CHECK(o.result.delay == std::chrono::milliseconds(1500));
  CHECK(o.tag() == "SELECT 1");
  o = h.run("SELECT pg_sleep($1)", {value("2")});
  CHECK(o.result.delay == std::chrono::milliseconds(2000));
  CHECK(h.run("SELECT pg_sleep(0)").result.delay == std::chrono::milliseconds(0));
}

TEST_CASE("current_setting and set_config", "[responder][functions]") {
  harness h;
  auto o = h.run("SELECT current_setting('server_version_num')");
  REQUIRE(o.error() == nullptr);
  CHECK(o.columns()[0].name == "current_setting");
  CHECK(o.cell(0, 0) == "150020");
  CHECK(h.run("SELECT current_setting('nope')").sqlstate() == "42704");
  CHECK(h.run("SELECT current_setting('nope.x', true)").cell(0, 0) == "<NULL>");
  o = h.run("SELECT set_config('application_name', 'via-fn', false)");
  REQUIRE(o.error() == nullptr);
  CHECK(o.cell(0, 0) == "via-fn");
  CHECK(h.session_settings().get("application_name") == "via-fn");
  CHECK(h.run("SELECT set_config('work_mem', 'lots', false)").sqlstate() == "22023");
}

TEST_CASE("other built-ins", "[responder][functions]") {
  harness h;
  auto o = h.run(
      "SELECT txid_current(), pg_is_in_recovery(), pg_typeof(1), pg_typeof('a'::varchar), "
      "upper('ab'), length('héllo'), abs(-3), concat('a', 1, NULL, true), "
      "format_type(1043, 14), pg_try_advisory_lock(1), pg_advisory_lock(1)");
  REQUIRE(o.error() == nullptr);
  CHECK(o.columns()[0].type_oid == 20);
  CHECK(o.cell(0, 1) == "f");
  CHECK(o.cell(0, 2) == "integer");
  CHECK(o.columns()[2].type_oid == 2206);
  CHECK(o.cell(0, 3) == "character varying");
  CHECK(o.cell(0, 4) == "AB");
  CHECK(o.cell(0, 5) == "5");
  CHECK(o.cell(0, 6) == "3");
  CHECK(o.cell(0, 7) == "a1t");
  CHECK(o.cell(0, 8) == "character varying(10)");
  CHECK(o.cell(0, 9) == "t");
  CHECK(o.cell(0, 10) == "");
  CHECK(h.run("SELECT version()").cell(0, 0).rfind("PostgreSQL 15.20 ", 0) == 0);
}

TEST_CASE("floats print like PG 15", "[responder][functions]") {
  harness h;
  struct {
    const char* sql;
    const char* value;
  } cases[] = {
      {"SELECT 0.1::float8 + 0.2::float8", "0.30000000000000004"},
      {"SELECT 1e20::float8", "1e+20"},
      {"SELECT 1e15::float8", "1e+15"},
      {"SELECT 1e14::float8", "100000000000000"},
      {"SELECT 0.0001::float8", "0.0001"},
      {"SELECT 0.00001::float8", "1e-05"},
      {"SELECT 1234567::float4", "1.234567e+06"},
      {"SELECT 'NaN'::float8", "NaN"},
      {"SELECT '-Infinity'::float8", "-Infinity"},
      {"SELECT 1.5::real", "1.5"},
  };
  for (const auto& c : cases) {
    INFO(c.sql);
    auto o = h.run(c.sql);
    REQUIRE(o.error() == nullptr);
    CHECK(o.cell(0, 0) == c.value);
  }
  h.run("SET extra_float_digits = 0");
  CHECK(h.run("SELECT 0.1::float8 + 0.2::float8").cell(0, 0) == "0.3");
}
