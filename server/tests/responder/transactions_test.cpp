// Transaction control: every spelling, tags, warnings, status, savepoints.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace fauxgres::responder;
using test::harness;

TEST_CASE("every BEGIN spelling starts a transaction", "[responder][transactions]") {
  for (const char* sql :
       {"BEGIN", "BEGIN;", "begin", "begin ", "begin transaction", "BEGIN WORK", "BEGIN READ WRITE",
        "BEGIN ISOLATION LEVEL READ COMMITTED;",
        "BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE",
        "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ WRITE NOT DEFERRABLE",
        "  Begin\n  Isolation Level Read Uncommitted  ;  "}) {
    INFO(sql);
    harness h;
    auto o = h.run(sql);
    REQUIRE(o.error() == nullptr);
    CHECK(o.plan.control == transaction_control::begin);
    CHECK_FALSE(o.plan.columns.has_value());
    CHECK(o.tag() == "BEGIN");
    CHECK(o.result.notices.empty());
    CHECK(h.status() == 'T');
  }
}

TEST_CASE("START TRANSACTION has its own tag", "[responder][transactions]") {
  harness h;
  auto o = h.run("START TRANSACTION;");
  REQUIRE(o.error() == nullptr);
  CHECK(o.tag() == "START TRANSACTION");
  CHECK(o.plan.control == transaction_control::begin);
  CHECK(h.run("COMMIT;").tag() == "COMMIT");
  o = h.run("start transaction isolation level serializable");
  CHECK(o.tag() == "START TRANSACTION");
  CHECK(h.run("show transaction isolation level").cell(0, 0) == "serializable");
  CHECK(h.run("END").tag() == "COMMIT");
  CHECK(h.run("show transaction isolation level").cell(0, 0) == "read committed");
  CHECK(h.run("START").sqlstate() == "42601");
}

TEST_CASE("commit and rollback spellings", "[responder][transactions]") {
  struct {
    const char* sql;
    transaction_control control;
    const char* tag;
  } cases[] = {
      {"COMMIT", transaction_control::commit, "COMMIT"},
      {"commit;", transaction_control::commit, "COMMIT"},
      {"COMMIT WORK", transaction_control::commit, "COMMIT"},
      {"COMMIT TRANSACTION", transaction_control::commit, "COMMIT"},
      {"END", transaction_control::commit, "COMMIT"},
      {"end transaction", transaction_control::commit, "COMMIT"},
      {"ROLLBACK", transaction_control::rollback, "ROLLBACK"},
      {"rollback;", transaction_control::rollback, "ROLLBACK"},
      {"ROLLBACK WORK", transaction_control::rollback, "ROLLBACK"},
      {"ABORT", transaction_control::rollback, "ROLLBACK"},
      {"abort transaction", transaction_control::rollback, "ROLLBACK"},
  };
  for (const auto& c : cases) {
    INFO(c.sql);
    harness h;
    REQUIRE(h.run("BEGIN").error() == nullptr);
    auto o = h.run(c.sql);
    REQUIRE(o.error() == nullptr);
    CHECK(o.plan.control == c.control);
    CHECK(o.tag() == c.tag);
    CHECK(o.result.notices.empty());
    CHECK(h.status() == 'I');
  }
}

TEST_CASE("COMMIT/ROLLBACK without a transaction warn 25P01", "[responder][transactions]") {
  harness h;
  auto o = h.run("COMMIT");
  REQUIRE(o.error() == nullptr);
  CHECK(o.tag() == "COMMIT");
  REQUIRE(o.result.notices.size() == 1);
  CHECK(o.result.notices[0].severity == "WARNING");
  CHECK(o.result.notices[0].sqlstate == "25P01");
  CHECK(o.result.notices[0].message == "there is no transaction in progress");

  o = h.run("ROLLBACK");
  CHECK(o.tag() == "ROLLBACK");
  REQUIRE(o.result.notices.size() == 1);
  CHECK(o.result.notices[0].sqlstate == "25P01");
}

TEST_CASE("BEGIN inside a transaction warns 25001", "[responder][transactions]") {
  harness h;
  h.run("BEGIN");
  auto o = h.run("BEGIN");
  REQUIRE(o.error() == nullptr);
  CHECK(o.tag() == "BEGIN");
  REQUIRE(o.result.notices.size() == 1);
  CHECK(o.result.notices[0].severity == "WARNING");
  CHECK(o.result.notices[0].sqlstate == "25001");
  CHECK(o.result.notices[0].message == "there is already a transaction in progress");
  CHECK(h.status() == 'T');
}

TEST_CASE("COMMIT of a failed transaction is reported as ROLLBACK", "[responder][transactions]") {
  harness h;
  h.run("BEGIN");
  CHECK(h.run("SELECT 1/0").sqlstate() == "22012");
  CHECK(h.status() == 'E');
  auto o = h.run("COMMIT");
  REQUIRE(o.error() == nullptr);
  CHECK(o.tag() == "ROLLBACK");
  CHECK(h.status() == 'I');
}

TEST_CASE("savepoints", "[responder][transactions]") {
  harness h;
  auto o = h.run("SAVEPOINT a");
  CHECK(o.sqlstate() == "25P01");
  CHECK(o.message() == "SAVEPOINT can only be used in transaction blocks");
  CHECK(h.run("RELEASE a").message() == "RELEASE SAVEPOINT can only be used in transaction blocks");
  CHECK(h.run("ROLLBACK TO a").message() ==
        "ROLLBACK TO SAVEPOINT can only be used in transaction blocks");

  h.run("BEGIN");
  o = h.run("SAVEPOINT a");
  REQUIRE(o.error() == nullptr);
  CHECK(o.tag() == "SAVEPOINT");
  CHECK(o.plan.control == transaction_control::savepoint);
  h.run("SET application_name = 'inner'");
  CHECK(h.run("SELECT 1/0").sqlstate() == "22012");
  CHECK(h.status() == 'E');
  o = h.run("ROLLBACK TO SAVEPOINT a");
  REQUIRE(o.error() == nullptr);
  CHECK(o.tag() == "ROLLBACK");
  CHECK(o.plan.control == transaction_control::rollback_to_savepoint);
  CHECK(h.status() == 'T');
  CHECK(h.run("SHOW application_name").cell(0, 0) == "");

  o = h.run("RELEASE SAVEPOINT a");
  CHECK(o.tag() == "RELEASE");
  CHECK(o.plan.control == transaction_control::release);
  o = h.run("RELEASE b");
  CHECK(o.sqlstate() == "3B001");
  CHECK(o.message() == "savepoint \"b\" does not exist");
  h.run("ROLLBACK");
  CHECK(h.status() == 'I');
}

TEST_CASE("prepared transactions are disabled", "[responder][transactions]") {
  harness h;
  h.run("BEGIN");
  auto o = h.run("PREPARE TRANSACTION 'x'");
  CHECK(o.sqlstate() == "55000");
  CHECK(o.message() == "prepared transactions are disabled");
  harness h2;
  CHECK(h2.run("COMMIT PREPARED 'x'").message() ==
        "prepared transaction with identifier \"x\" does not exist");
}

TEST_CASE("transaction syntax errors", "[responder][transactions]") {
  harness h;
  CHECK(h.run("BEGIN ISOLATION LEVEL SOMETIMES").message() ==
        "syntax error at or near \"SOMETIMES\"");
  CHECK(h.run("COMMIT NOW").sqlstate() == "42601");
  CHECK(h.run("SAVEPOINT").message() == "syntax error at end of input");
}

TEST_CASE("client_min_messages filters warnings", "[responder][transactions]") {
  harness h;
  h.run("SET client_min_messages TO error");
  auto o = h.run("COMMIT");
  REQUIRE(o.error() == nullptr);
  CHECK(o.result.notices.empty());
  h.run("SET client_min_messages TO warning");
  CHECK(h.run("COMMIT").result.notices.size() == 1);
}
