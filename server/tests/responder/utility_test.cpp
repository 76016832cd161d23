// Utility statements (DISCARD, DEALLOCATE, CLOSE, LISTEN/UNLISTEN/NOTIFY, CHECKPOINT),
// statement splitting, empty queries, and the drivers' session scripts (App. A2).
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace fauxgres::responder;
using test::harness;

TEST_CASE("split_statements respects quotes, comments and parentheses", "[responder][split]") {
  using views = std::vector<std::string_view>;
  CHECK(split_statements("SELECT 1") == views{"SELECT 1"});
  CHECK(split_statements("SELECT 1;") == views{"SELECT 1"});
  CHECK(split_statements(";") == views{});
  CHECK(split_statements("  ;  ; ") == views{});
  CHECK(split_statements("") == views{});
  CHECK(split_statements("-- only a comment") == views{});
  CHECK(split_statements("SET client_min_messages TO warning;SET TIME ZONE INTERVAL '+00:00' "
                         "HOUR TO MINUTE;") ==
        views{"SET client_min_messages TO warning",
              "SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE"});
  CHECK(split_statements("SELECT pg_advisory_unlock_all();\nCLOSE ALL;\nUNLISTEN *;\nRESET ALL;") ==
        views{"SELECT pg_advisory_unlock_all()", "\nCLOSE ALL", "\nUNLISTEN *", "\nRESET ALL"});
  CHECK(split_statements("SELECT ';' ; SELECT \"a;b\"") == views{"SELECT ';' ", " SELECT \"a;b\""});
  CHECK(split_statements("SELECT $$;$$; SELECT $tag$ ; $tag$") ==
        views{"SELECT $$;$$", " SELECT $tag$ ; $tag$"});
  CHECK(split_statements("SELECT 1 -- ; not here\n; SELECT /* ; */ 2") ==
        views{"SELECT 1 -- ; not here\n", " SELECT /* ; */ 2"});
  CHECK(split_statements("SELECT E'\\';' ; SELECT 2") == views{"SELECT E'\\';' ", " SELECT 2"});
  CHECK(split_statements("COMMIT; SELECT 1;;") == views{"COMMIT", " SELECT 1"});
  CHECK(split_statements("CREATE RULE r AS ON INSERT TO t DO (SELECT 1; SELECT 2)") ==
        views{"CREATE RULE r AS ON INSERT TO t DO (SELECT 1; SELECT 2)"});
}

TEST_CASE("empty statements give EmptyQueryResponse", "[responder][utility]") {
  harness h;
  for (const char* sql : {"", "   ", ";", " -- nothing\n"}) {
    INFO(sql);
    auto ctx = h.make_context();
    auto plan = analyse(sql, {}, ctx);
    CHECK_FALSE(plan.error);
    CHECK(plan.empty);
    CHECK_FALSE(plan.columns.has_value());
    auto ex = execute(plan, {}, ctx);
    CHECK_FALSE(ex.error);
    CHECK(ex.rows.empty());
  }
}

TEST_CASE("asyncpg's pool reset script", "[responder][utility]") {
  harness h;
  std::vector<std::string> tags;
  for (auto stmt :
       split_statements("SELECT pg_advisory_unlock_all();\nCLOSE ALL;\nUNLISTEN *;\nRESET ALL;")) {
    auto o = h.run(stmt);
    REQUIRE(o.error() == nullptr);
    tags.push_back(o.tag());
    if (tags.size() == 1) {
      REQUIRE(o.columns().size() == 1);
      CHECK(o.columns()[0].name == "pg_advisory_unlock_all");
      CHECK(o.columns()[0].type_oid == 2278);
      CHECK(o.columns()[0].type_len == 4);
      CHECK(o.cell(0, 0) == "");
    }
    if (tags.size() == 2) CHECK(o.result.command == session_command::close_all_portals);
  }
  CHECK(tags == std::vector<std::string>{"SELECT 1", "CLOSE CURSOR ALL", "UNLISTEN", "RESET"});
}

TEST_CASE("DEALLOCATE, DISCARD, CLOSE, LISTEN, NOTIFY", "[responder][utility]") {
  harness h;
  auto o = h.run("DEALLOCATE ALL");
  CHECK(o.tag() == "DEALLOCATE ALL");
  CHECK(o.result.command == session_command::deallocate_all);
  o = h.run("deallocate \"pgx_0\"");
  CHECK(o.tag() == "DEALLOCATE");
  CHECK(o.result.command == session_command::deallocate);
  CHECK(o.result.command_target == "pgx_0");
  o = h.run("DEALLOCATE PREPARE S_1");
  CHECK(o.result.command_target == "s_1");
  CHECK(h.run("DEALLOCATE PREPARE ALL").tag() == "DEALLOCATE ALL");

  h.run("SET application_name = 'x'");
  o = h.run("DISCARD ALL");
  CHECK(o.tag() == "DISCARD ALL");
  CHECK(o.result.command == session_command::discard_all);
  CHECK(h.session_settings().get("application_name") == "");
  CHECK(h.run("DISCARD PLANS").tag() == "DISCARD PLANS");
  CHECK(h.run("discard temp").tag() == "DISCARD TEMP");
  h.run("BEGIN");
  o = h.run("DISCARD ALL");
  CHECK(o.sqlstate() == "25001");
  CHECK(o.message() == "DISCARD ALL cannot run inside a transaction block");
  h.run("ROLLBACK");

  CHECK(h.run("CLOSE ALL").tag() == "CLOSE CURSOR ALL");
  o = h.run("CLOSE c1");
  CHECK(o.sqlstate() == "34000");
  CHECK(o.message() == "cursor \"c1\" does not exist");
  for (const char* fetch :
       {"FETCH c1", "FETCH NEXT FROM c1", "MOVE ALL IN c1", "FETCH -5 c1",
        "FETCH FORWARD 5 FROM c1", "FETCH BACKWARD ALL c1", "MOVE ABSOLUTE 3 c1", "FETCH next"}) {
    INFO(fetch);
    o = h.run(fetch);
    CHECK(o.sqlstate() == "34000");
    CHECK(o.message().find("cursor \"") == 0);
    CHECK(o.error()->routine == "PerformPortalFetch");
  }
  for (const char* bad : {"FETCH", "FETCH FROM", "FETCH 5", "FETCH ABSOLUTE c1"}) {
    INFO(bad);
    CHECK(h.run(bad).sqlstate() == "42601");
  }
  CHECK(h.run("LISTEN jobs").tag() == "LISTEN");
  CHECK(h.run("UNLISTEN jobs").tag() == "UNLISTEN");
  CHECK(h.run("UNLISTEN *").tag() == "UNLISTEN");
  CHECK(h.run("NOTIFY jobs, 'payload'").tag() == "NOTIFY");
  CHECK(h.run("CHECKPOINT").sqlstate() == "42501");
  harness super("postgres", true);
  CHECK(super.run("CHECKPOINT").tag() == "CHECKPOINT");
}

TEST_CASE("the drivers' connect-time scripts succeed", "[responder][utility]") {
  harness h;
  // pgjdbc
  CHECK(h.run("SET extra_float_digits = 3").tag() == "SET");
  CHECK(h.run("SET application_name = 'PostgreSQL JDBC Driver'").tag() == "SET");
  // Sequelize
  for (auto stmt : split_statements("SET standard_conforming_strings=on;SET client_min_messages TO "
                                    "warning;SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE;")) {
    CHECK(h.run(stmt).tag() == "SET");
  }
  auto o = h.run("SHOW SERVER_VERSION");
  CHECK(o.columns()[0].name == "server_version");
  CHECK(o.result.rows.size() == 1);
  // psycopg2
  CHECK(h.run("SET datestyle TO 'ISO'").tag() == "SET");
  // Sequelize authenticate(), pre-pings
  o = h.run("SELECT 1+1 AS result");
  CHECK(o.columns()[0].name == "result");
  CHECK(o.columns()[0].type_oid == 23);
  CHECK(o.cell(0, 0) == "2");
  // SQLAlchemy dialect initialisation
  o = h.run("select pg_catalog.version()");
  REQUIRE(o.error() == nullptr);
  CHECK(o.columns()[0].name == "version");
  CHECK(o.columns()[0].type_oid == 25);
  CHECK(o.cell(0, 0) ==
        "PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc "
        "(Debian 12.2.0-14+deb12u1) 12.2.0, 64-bit");
  o = h.run("select current_schema()");
  CHECK(o.columns()[0].name == "current_schema");
  CHECK(o.columns()[0].type_oid == 19);
  CHECK(o.columns()[0].type_len == 64);
  CHECK(o.cell(0, 0) == "public");
  o = h.run("show standard_conforming_strings");
  CHECK(o.columns()[0].name == "standard_conforming_strings");
  CHECK(o.cell(0, 0) == "on");
}
