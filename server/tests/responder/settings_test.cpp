// Settings: PG 15 defaults, SET/RESET/SHOW through SQL and the API, validation,
// ParameterStatus reports, transaction scoping.
#include <catch2/catch.hpp>

#include "responder/guc_table.hpp"
#include "support.hpp"

using namespace fauxgres::responder;
using test::harness;

namespace {
using pairs = std::vector<std::pair<std::string, std::string>>;
}

TEST_CASE("the 13 reported parameters in PG's order", "[responder][settings]") {
  settings s("u_trust", "15.20 (Debian 15.20-0+deb12u1)", false);
  CHECK(s.reported() == pairs{{"application_name", ""},
                              {"client_encoding", "UTF8"},
                              {"DateStyle", "ISO, MDY"},
                              {"default_transaction_read_only", "off"},
                              {"in_hot_standby", "off"},
                              {"integer_datetimes", "on"},
                              {"IntervalStyle", "postgres"},
                              {"is_superuser", "off"},
                              {"server_encoding", "UTF8"},
                              {"server_version", "15.20 (Debian 15.20-0+deb12u1)"},
                              {"session_authorization", "u_trust"},
                              {"standard_conforming_strings", "on"},
                              {"TimeZone", "Etc/UTC"}});
  CHECK(s.take_report_changes().empty());
  CHECK(settings("postgres", "15.20", true).get("is_superuser") == "on");
  CHECK(s.get("server_version_num") == "150020");
}

TEST_CASE("the GUC table is sorted for lookup", "[responder][settings]") {
  auto gucs = all_gucs();
  for (std::size_t i = 1; i < gucs.size(); ++i) {
    std::string a(gucs[i - 1].name), b(gucs[i].name);
    for (auto* s : {&a, &b}) {
      for (char& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    INFO(a << " < " << b);
    CHECK(a < b);
  }
  CHECK(find_guc("DATESTYLE") != nullptr);
  CHECK(find_guc("timezone")->name == "TimeZone");
}

TEST_CASE("startup parameters as drivers send them", "[responder][settings]") {
  settings s("app", "15.20", false);
  CHECK_FALSE(s.apply_startup("client_encoding", "'utf-8'"));  // asyncpg, quotes included
  CHECK_FALSE(s.apply_startup("datestyle", "ISO, MDY"));       // lib/pq
  CHECK_FALSE(s.apply_startup("DateStyle", "ISO"));            // pgjdbc
  CHECK_FALSE(s.apply_startup("extra_float_digits", "2"));
  CHECK_FALSE(s.apply_startup("TimeZone", "Asia/Seoul"));
  CHECK_FALSE(s.apply_startup("application_name", "postgres.js"));
  CHECK_FALSE(s.apply_startup("options", "-c search_path=foo --statement-timeout=5s"));
  CHECK_FALSE(s.apply_startup("user", "app"));
  CHECK_FALSE(s.apply_startup("database", "db"));
  auto reported = s.reported();
  CHECK(reported[0] == std::pair<std::string, std::string>{"application_name", "postgres.js"});
  CHECK(reported[1].second == "UTF8");
  CHECK(reported[2].second == "ISO, MDY");
  CHECK(reported[12].second == "Asia/Seoul");
  CHECK(s.get("search_path") == "foo");
  CHECK(s.get("statement_timeout") == "5s");
  CHECK(s.get("extra_float_digits") == "2");

  settings german("app", "15.20", false);
  CHECK_FALSE(german.apply_startup("DateStyle", "German"));
  CHECK(german.get("DateStyle") == "German, DMY");

  auto e = s.apply_startup("foo", "bar");
  REQUIRE(e);
  CHECK(e->severity == "FATAL");
  CHECK(e->sqlstate == "42704");
  CHECK(e->message == "unrecognized configuration parameter \"foo\"");
  // A JVM's default zone that this tzdata lacks (pgjdbc sends it): PG refuses the session.
  e = s.apply_startup("TimeZone", "Mars/Base");
  REQUIRE(e);
  CHECK(e->severity == "FATAL");
  CHECK(e->sqlstate == "22023");
  CHECK(e->message == "invalid value for parameter \"TimeZone\": \"Mars/Base\"");
  CHECK_FALSE(s.apply_startup("TimeZone", "asia/calcutta"));
  CHECK(s.get("TimeZone") == "Asia/Calcutta");
  e = s.apply_startup("DateStyle", "bogus");
  REQUIRE(e);
  CHECK(e->severity == "FATAL");
  CHECK(e->sqlstate == "22023");
  CHECK(e->message == "invalid value for parameter \"DateStyle\": \"bogus\"");
  CHECK(e->detail == "Unrecognized key word: \"bogus\".");
  e = s.apply_startup("log_min_messages", "debug1");
  REQUIRE(e);
  CHECK(e->sqlstate == "42501");
  CHECK(e->message == "permission denied to set parameter \"log_min_messages\"");
  e = s.apply_startup("max_connections", "5");
  REQUIRE(e);
  CHECK(e->sqlstate == "55P02");
  CHECK_FALSE(s.apply_startup("myapp.tenant", "7"));  // placeholders are fine
  CHECK(s.get("myapp.tenant") == "7");
}

TEST_CASE("SET and SHOW through SQL", "[responder][settings]") {
  harness h;
  struct {
    const char* set;
    const char* show;
    const char* column;
    const char* value;
  } cases[] = {
      {"SET extra_float_digits = 3", "SHOW extra_float_digits", "extra_float_digits", "3"},
      {"SET application_name = 'PostgreSQL JDBC Driver'", "SHOW application_name",
       "application_name", "PostgreSQL JDBC Driver"},
      {"SET client_min_messages TO warning", "SHOW client_min_messages", "client_min_messages",
       "warning"},
      {"SET client_min_messages TO 'ERROR'", "SHOW client_min_messages", "client_min_messages",
       "error"},
      {"SET datestyle TO 'ISO'", "SHOW DateStyle", "DateStyle", "ISO, MDY"},
      {"SET DateStyle = SQL, DMY", "show datestyle", "DateStyle", "SQL, DMY"},
      {"SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE", "SHOW TimeZone", "TimeZone", "<+00>-00"},
      {"SET TIME ZONE INTERVAL '-08:00' HOUR TO MINUTE", "SHOW time zone", "TimeZone", "<-08>+08"},
      {"SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE", "SHOW timezone", "TimeZone",
       "<+05:30>-05:30"},
      {"SET TIME ZONE 'utc'", "SHOW TimeZone", "TimeZone", "UTC"},
      {"SET TIME ZONE -7", "SHOW TimeZone", "TimeZone", "<-07>+07"},
      {"SET timezone TO 'Europe/Paris'", "SHOW TimeZone", "TimeZone", "Europe/Paris"},
      {"SET standard_conforming_strings=on", "show standard_conforming_strings",
       "standard_conforming_strings", "on"},
      {"SET statement_timeout = 5000", "SHOW statement_timeout", "statement_timeout", "5s"},
      {"SET statement_timeout = '1500ms'", "SHOW statement_timeout", "statement_timeout", "1500ms"},
      {"SET lock_timeout = '2min'", "SHOW lock_timeout", "lock_timeout", "2min"},
      {"SET work_mem = 1024", "SHOW work_mem", "work_mem", "1MB"},
      {"SET work_mem = '64kB'", "SHOW work_mem", "work_mem", "64kB"},
      {"SET idle_in_transaction_session_timeout = 0", "SHOW idle_in_transaction_session_timeout",
       "idle_in_transaction_session_timeout", "0"},
      {"SET search_path TO myschema, public", "SHOW search_path", "search_path",
       "myschema, public"},
      {"SET search_path TO \"$user\", public", "SHOW search_path", "search_path",
       "\"$user\", public"},
      {"SET search_path = 'My Schema'", "SHOW search_path", "search_path", "\"My Schema\""},
      {"SET SCHEMA 'other'", "SHOW search_path", "search_path", "other"},
      {"SET NAMES 'utf8'", "SHOW client_encoding", "client_encoding", "UTF8"},
      {"SET SESSION default_transaction_isolation = 'serializable'",
       "SHOW default_transaction_isolation", "default_transaction_isolation", "serializable"},
      {"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "SHOW default_transaction_read_only",
       "default_transaction_read_only", "on"},
      {"SET IntervalStyle = iso_8601", "SHOW intervalstyle", "IntervalStyle", "iso_8601"},
      {"SET myapp.tenant = 'acme'", "SHOW myapp.tenant", "myapp.tenant", "acme"},
      {"SET bytea_output = escape", "SHOW bytea_output", "bytea_output", "escape"},
      {"SET synchronous_commit = false", "SHOW synchronous_commit", "synchronous_commit", "off"},
      {"SET jit = 0", "SHOW jit", "jit", "off"},
  };
  for (const auto& c : cases) {
    INFO(c.set);
    auto o = h.run(c.set);
    REQUIRE(o.error() == nullptr);
    CHECK(o.tag() == "SET");
    CHECK_FALSE(o.plan.columns.has_value());
    auto shown = h.run(c.show);
    REQUIRE(shown.error() == nullptr);
    REQUIRE(shown.columns().size() == 1);
    CHECK(shown.columns()[0].name == c.column);
    CHECK(shown.columns()[0].type_oid == 25);
    CHECK(shown.cell(0, 0) == c.value);
    CHECK(shown.tag() == "SHOW");
  }
}

TEST_CASE("SHOW of built-in values", "[responder][settings]") {
  harness h;
  auto o = h.run("SHOW SERVER_VERSION");
  CHECK(o.columns()[0].name == "server_version");
  CHECK(o.cell(0, 0) == "15.20 (Debian 15.20-0+deb12u1)");
  o = h.run("show transaction isolation level");
  CHECK(o.columns()[0].name == "transaction_isolation");
  CHECK(o.cell(0, 0) == "read committed");
  CHECK(o.tag() == "SHOW");
  CHECK(h.run("SHOW server_version_num").cell(0, 0) == "150020");
  CHECK(h.run("SHOW max_connections").cell(0, 0) == "100");
  CHECK(h.run("SHOW integer_datetimes").cell(0, 0) == "on");
  CHECK(h.run("SHOW is_superuser").cell(0, 0) == "off");
  CHECK(h.run("SHOW session_authorization").cell(0, 0) == "app");
  CHECK(h.run("SHOW search_path").cell(0, 0) == "\"$user\", public");
  CHECK(h.run("SHOW work_mem").cell(0, 0) == "4MB");
  CHECK(h.run("SHOW shared_buffers").cell(0, 0) == "128MB");
  CHECK(h.run("SHOW in_hot_standby").cell(0, 0) == "off");
  o = h.run("SHOW ALL");
  REQUIRE(o.error() == nullptr);
  REQUIRE(o.columns().size() == 3);
  CHECK(o.columns()[0].name == "name");
  CHECK(o.columns()[1].name == "setting");
  CHECK(o.columns()[2].name == "description");
  CHECK(o.result.rows.size() > 50);
  o = h.run("SHOW foo");
  CHECK(o.sqlstate() == "42704");
  CHECK(o.message() == "unrecognized configuration parameter \"foo\"");
  CHECK(h.run("SHOW myext.unset").sqlstate() == "42704");
}

TEST_CASE("SET validation errors are PG's", "[responder][settings]") {
  harness h;
  struct {
    const char* sql;
    const char* sqlstate;
    const char* message;
  } cases[] = {
      {"SET foo = bar", "42704", "unrecognized configuration parameter \"foo\""},
      {"SET standard_conforming_strings = maybe", "22023",
       "parameter \"standard_conforming_strings\" requires a Boolean value"},
      {"SET extra_float_digits = 5", "22023",
       "5 is outside the valid range for parameter \"extra_float_digits\" (-15 .. 3)"},
      {"SET extra_float_digits = 'x'", "22023",
       "invalid value for parameter \"extra_float_digits\": \"x\""},
      {"SET work_mem = 10", "22023",
       "10 kB is outside the valid range for parameter \"work_mem\" (64 .. 2147483647)"},
      {"SET client_min_messages = loud", "22023",
       "invalid value for parameter \"client_min_messages\": \"loud\""},
      {"SET datestyle = 'bogus'", "22023", "invalid value for parameter \"DateStyle\": \"bogus\""},
      {"SET datestyle = 'ISO, SQL'", "22023",
       "invalid value for parameter \"DateStyle\": \"ISO, SQL\""},
      {"SET client_encoding = 'klingon'", "22023",
       "invalid value for parameter \"client_encoding\": \"klingon\""},
      {"SET server_version = '16'", "55P02", "parameter \"server_version\" cannot be changed"},
      {"SET max_connections = 5", "55P02",
       "parameter \"max_connections\" cannot be changed without restarting the server"},
      {"SET log_statement = 'all'", "42501",
       "permission denied to set parameter \"log_statement\""},
      {"SET work_mem TO 1, 2", "22023", "SET work_mem takes only one argument"},
      {"SET a..b = 1", "42601", "syntax error at or near \".\""},
  };
  for (const auto& c : cases) {
    INFO(c.sql);
    auto o = h.run(c.sql);
    CHECK(o.sqlstate() == c.sqlstate);
    CHECK(o.message() == c.message);
  }
  auto o = h.run("SET client_min_messages = loud");
  CHECK(o.error()->hint ==
        "Available values: debug5, debug4, debug3, debug2, debug1, log, notice, warning, error.");
  o = h.run("SET statement_timeout = '5 parsecs'");
  CHECK(o.error()->hint ==
        "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".");
  CHECK(h.run("SET datestyle = 'ISO, SQL'").error()->detail ==
        "Conflicting \"datestyle\" specifications.");
}

TEST_CASE("SET errors name guc.c's routine for the parameter's type", "[responder][settings]") {
  harness h;
  struct {
    const char* sql;
    const char* message;
    int line;  // PG 15.20's; 15.18's are 32 less
    const char* routine;
  } cases[] = {
      {"SET enable_seqscan = 'maybe'", "parameter \"enable_seqscan\" requires a Boolean value",
       7434, "parse_and_validate_value"},
      {"SET statement_timeout = 'abc'",
       "invalid value for parameter \"statement_timeout\": \"abc\"", 7454,
       "parse_and_validate_value"},
      {"SET work_mem = '-5'",
       "-5 kB is outside the valid range for parameter \"work_mem\" (64 .. 2147483647)", 7466,
       "parse_and_validate_value"},
      {"SET random_page_cost = 'x'", "invalid value for parameter \"random_page_cost\": \"x\"",
       7490, "parse_and_validate_value"},
      {"SET random_page_cost = -1",
       "-1 is outside the valid range for parameter \"random_page_cost\" (0 .. 1.79769e+308)", 7502,
       "parse_and_validate_value"},
      {"SET seq_page_cost = '1e400'", "invalid value for parameter \"seq_page_cost\": \"1e400\"",
       7490, "parse_and_validate_value"},
      {"SET client_min_messages = 'bogus'",
       "invalid value for parameter \"client_min_messages\": \"bogus\"", 7560,
       "parse_and_validate_value"},
      {"SET DateStyle = 'bogus'", "invalid value for parameter \"DateStyle\": \"bogus\"", 12085,
       "call_string_check_hook"},
  };
  for (const auto& c : cases) {
    INFO(c.sql);
    auto o = h.run(c.sql);
    REQUIRE(o.error());
    CHECK(o.sqlstate() == "22023");
    CHECK(o.message() == c.message);
    CHECK(o.error()->file == "guc.c");
    CHECK(o.error()->line == c.line);
    CHECK(o.error()->routine == c.routine);
  }
  // Past the int range: PG's hint; past a double's, no hint.
  CHECK(h.run("SET statement_timeout = '99999999999'").error()->hint ==
        "Value exceeds integer range.");
  CHECK(h.run("SET statement_timeout = '99999999999999999999999'").error()->hint ==
        "Value exceeds integer range.");
  CHECK(h.run("SET statement_timeout = '1e400'").error()->hint.empty());
  CHECK(h.run("SET statement_timeout = 'inf'").error()->hint.empty());
  // INT_MIN itself parses: only the parameter's range refuses it.
  CHECK(h.run("SET statement_timeout = '-2147483648'").message() ==
        "-2147483648 ms is outside the valid range for parameter \"statement_timeout\" (0 .. "
        "2147483647)");
  CHECK(h.run("SET statement_timeout = '-2147483649'").error()->hint ==
        "Value exceeds integer range.");
  CHECK(h.run("SET statement_timeout = '0x10'").error() == nullptr);
}

TEST_CASE("RESET and RESET ALL return to startup values", "[responder][settings]") {
  harness h;
  auto& s = h.session_settings();
  REQUIRE_FALSE(s.apply_startup("application_name", "from-startup"));
  s.reported();
  h.run("SET application_name = 'changed'");
  h.run("SET statement_timeout = 100");
  auto o = h.run("RESET application_name");
  REQUIRE(o.error() == nullptr);
  CHECK(o.tag() == "RESET");
  CHECK(s.get("application_name") == "from-startup");
  h.run("SET application_name = 'again'");
  o = h.run("RESET ALL");
  CHECK(o.tag() == "RESET");
  CHECK(s.get("application_name") == "from-startup");
  CHECK(s.get("statement_timeout") == "0");
  CHECK(h.run("SET statement_timeout TO DEFAULT").tag() == "SET");
  CHECK(h.run("RESET nosuch").sqlstate() == "42704");
  CHECK(h.run("RESET TIME ZONE").tag() == "RESET");
}

TEST_CASE("ParameterStatus reports only changed reported values", "[responder][settings]") {
  harness h;
  auto& s = h.session_settings();
  s.reported();
  h.run("SET application_name = 'app2'");
  CHECK(s.take_report_changes() == pairs{{"application_name", "app2"}});
  CHECK(s.take_report_changes().empty());
  h.run("SET application_name = 'app2'");  // same value: nothing to report
  CHECK(s.take_report_changes().empty());
  h.run("SET work_mem = '8MB'");  // not GUC_REPORT
  CHECK(s.take_report_changes().empty());
  h.run("SET datestyle TO 'ISO'");  // already "ISO, MDY"
  CHECK(s.take_report_changes().empty());
  h.run("SET DateStyle = German");
  CHECK(s.take_report_changes() == pairs{{"DateStyle", "German, DMY"}});
  h.run("SET client_min_messages TO warning;");
  h.run("SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE");
  CHECK(s.take_report_changes() == pairs{{"TimeZone", "<+00>-00"}});
  h.run("RESET ALL");
  CHECK(s.take_report_changes() ==
        pairs{{"application_name", ""}, {"DateStyle", "ISO, MDY"}, {"TimeZone", "Etc/UTC"}});
}

TEST_CASE("SET inside a transaction is undone by ROLLBACK", "[responder][settings]") {
  harness h;
  auto& s = h.session_settings();
  s.reported();
  h.run("BEGIN");
  h.run("SET application_name = 'in-tx'");
  CHECK(s.take_report_changes() == pairs{{"application_name", "in-tx"}});
  h.run("ROLLBACK");
  CHECK(s.get("application_name") == "");
  CHECK(s.take_report_changes() == pairs{{"application_name", ""}});

  h.run("BEGIN");
  h.run("SET application_name = 'kept'");
  h.run("COMMIT");
  CHECK(s.get("application_name") == "kept");

  h.run("BEGIN");
  CHECK(h.run("SET LOCAL statement_timeout = 100").result.notices.empty());
  CHECK(s.get("statement_timeout") == "100ms");
  h.run("COMMIT");
  CHECK(s.get("statement_timeout") == "0");

  // A failed transaction's COMMIT rolls the settings back too.
  h.run("BEGIN");
  h.run("SET application_name = 'doomed'");
  h.run("SELECT 1/0");
  CHECK(h.run("COMMIT").tag() == "ROLLBACK");
  CHECK(s.get("application_name") == "kept");
}

TEST_CASE("SET LOCAL outside a transaction warns and does nothing", "[responder][settings]") {
  harness h;
  auto o = h.run("SET LOCAL statement_timeout = 100");
  REQUIRE(o.error() == nullptr);
  CHECK(o.tag() == "SET");
  REQUIRE(o.result.notices.size() == 1);
  CHECK(o.result.notices[0].severity == "WARNING");
  CHECK(o.result.notices[0].sqlstate == "25P01");
  CHECK(o.result.notices[0].message == "SET LOCAL can only be used in transaction blocks");
  CHECK(h.session_settings().get("statement_timeout") == "0");
  CHECK(h.run("SET LOCAL statement_timeout = 'x'").sqlstate() == "22023");
}

TEST_CASE("SET TRANSACTION and session authorization", "[responder][settings]") {
  harness h;
  auto o = h.run("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
  REQUIRE(o.error() == nullptr);
  REQUIRE(o.result.notices.size() == 1);
  CHECK(o.result.notices[0].message == "SET TRANSACTION can only be used in transaction blocks");
  h.run("BEGIN");
  h.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  CHECK(h.run("SHOW transaction_isolation").cell(0, 0) == "repeatable read");
  h.run("COMMIT");
  CHECK(h.run("SHOW transaction_isolation").cell(0, 0) == "read committed");

  CHECK(h.run("SET SESSION AUTHORIZATION app").error() == nullptr);
  CHECK(h.run("SET SESSION AUTHORIZATION other").sqlstate() == "42501");
  harness super("postgres", true);
  auto& s = super.session_settings();
  s.reported();
  CHECK(super.run("SET SESSION AUTHORIZATION alice").error() == nullptr);
  CHECK(super.run("SELECT current_user, session_user").cell(0, 0) == "alice");
  CHECK(s.take_report_changes() == pairs{{"session_authorization", "alice"}});
  CHECK(super.run("RESET SESSION AUTHORIZATION").tag() == "RESET");
  CHECK(s.get("session_authorization") == "postgres");
}

TEST_CASE("savepoints restore settings", "[responder][settings]") {
  settings s("app", "15.20", false);
  s.transaction_begin();
  REQUIRE_FALSE(s.set("application_name", "a"));
  s.savepoint("sp1");
  REQUIRE_FALSE(s.set("application_name", "b"));
  s.savepoint("sp2");
  REQUIRE_FALSE(s.set("application_name", "c"));
  CHECK(s.rollback_to_savepoint("sp1"));
  CHECK(s.get("application_name") == "a");
  CHECK_FALSE(s.rollback_to_savepoint("sp2"));  // gone with the rollback
  REQUIRE_FALSE(s.set("application_name", "d"));
  CHECK(s.rollback_to_savepoint("sp1"));
  CHECK(s.get("application_name") == "a");
  CHECK(s.release_savepoint("sp1"));
  CHECK_FALSE(s.release_savepoint("sp1"));
  s.transaction_rollback();
  CHECK(s.get("application_name") == "");
}

TEST_CASE("version() changes with every change of a value, and only then",
          "[responder][settings]") {
  settings s("app", "15.20", false);
  auto v = s.version();
  auto changed = [&] {
    bool moved = s.version() != v;
    v = s.version();
    return moved;
  };
  s.get("statement_timeout");
  s.show("statement_timeout");
  CHECK_FALSE(changed());
  REQUIRE_FALSE(s.set("statement_timeout", "5s"));
  CHECK(changed());
  REQUIRE_FALSE(s.reset("statement_timeout"));
  CHECK(changed());
  s.transaction_begin();
  CHECK_FALSE(changed());
  REQUIRE_FALSE(s.set("statement_timeout", "1s", true));
  CHECK(changed());
  s.transaction_commit();  // SET LOCAL ends
  CHECK(changed());
  CHECK(s.get("statement_timeout") == "0");
  s.transaction_begin();
  REQUIRE_FALSE(s.set("work_mem", "8MB"));
  CHECK(changed());
  s.transaction_rollback();
  CHECK(changed());
  s.discard_all();
  CHECK(changed());
}
