// Query faults end to end: query_error (SQLSTATE and text; the session goes on),
// query_delay, statement_timeout, query_reset (k DataRows, then RST) and query_hang.
#include "fault_support.hpp"

using namespace fauxgres_test;
using namespace fauxgres_test::faults;

namespace {

std::string error_message(const PGresult* r) {
  return r ? PQresultErrorMessage(r) : "<null result>";
}

std::string field(const PGresult* r, int code) {
  const char* v = r ? PQresultErrorField(r, code) : nullptr;
  return v ? v : "";
}

}  // namespace

TEST_CASE("query_error: matching statements fail, the session goes on", "[query_error]") {
  auto server = start_with_faults({
      "query_error:pattern=^\\s*update,sqlstate=40001",
      "query_error:pattern=^delete,sqlstate=40P01",
      "query_error:pattern=^insert,sqlstate=25006",
      "query_error:pattern=boom,sqlstate=XX001,message=\"custom, with a comma\",detail=the "
      "detail,hint=the hint",
      "query_error:pattern=^drop,sqlstate=57P01,severity=FATAL",
  });
  auto conn = connect(connection_params(*server, transport::tcp));
  REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);

  SECTION("PostgreSQL's texts for 40001, 40P01 and 25006") {
    struct expectation {
      std::string sql, code, message;
    };
    const auto e = GENERATE(expectation{"  UPDATE accounts SET balance = 0", "40001",
                                        "could not serialize access due to concurrent update"},
                            expectation{"DELETE FROM accounts", "40P01", "deadlock detected"},
                            expectation{"insert into accounts values (1)", "25006",
                                        "cannot execute INSERT in a read-only transaction"});
    INFO(e.sql);
    auto r = exec(conn.get(), e.sql);
    CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
    CHECK(sqlstate(r.get()) == e.code);
    CHECK(error_message(r.get()) == "ERROR:  " + e.message + "\n");
    CHECK(PQstatus(conn.get()) == CONNECTION_OK);
    CHECK(PQtransactionStatus(conn.get()) == PQTRANS_IDLE);
    CHECK(value(exec(conn.get(), "SELECT 1").get()) == "1");
  }
  SECTION("custom message, detail and hint") {
    auto r = exec(conn.get(), "SELECT 'boom'");
    CHECK(sqlstate(r.get()) == "XX001");
    CHECK(field(r.get(), PG_DIAG_MESSAGE_PRIMARY) == "custom, with a comma");
    CHECK(field(r.get(), PG_DIAG_MESSAGE_DETAIL) == "the detail");
    CHECK(field(r.get(), PG_DIAG_MESSAGE_HINT) == "the hint");
    CHECK(field(r.get(), PG_DIAG_SEVERITY_NONLOCALIZED) == "ERROR");
  }
  SECTION("inside a transaction: INERROR, then 25P02, then ROLLBACK") {
    exec(conn.get(), "BEGIN");
    auto r = exec(conn.get(), "UPDATE accounts SET balance = 0");
    CHECK(sqlstate(r.get()) == "40001");
    CHECK(PQtransactionStatus(conn.get()) == PQTRANS_INERROR);
    auto next = exec(conn.get(), "SELECT 1");
    CHECK(sqlstate(next.get()) == "25P02");
    CHECK(error_message(next.get()) ==
          "ERROR:  current transaction is aborted, commands ignored until end of transaction "
          "block\n");
    auto rollback = exec(conn.get(), "ROLLBACK");
    CHECK(std::string(PQcmdStatus(rollback.get())) == "ROLLBACK");
    CHECK(PQtransactionStatus(conn.get()) == PQTRANS_IDLE);
    CHECK(value(exec(conn.get(), "SELECT 1").get()) == "1");
  }
  SECTION("severity=FATAL ends the connection") {
    auto results = exec_all(conn.get(), "DROP TABLE accounts");
    REQUIRE(!results.empty());
    CHECK(sqlstate(results.front().get()) == "57P01");
    CHECK_THAT(error_text(conn.get()),
               Catch::StartsWith("FATAL:  terminating connection due to administrator command\n"));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
  }
  SECTION("raw bytes: E (S V C M, no source location) then Z") {
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    const auto msgs = simple_query(c, "UPDATE accounts SET balance = 0");
    INFO("reply: " << summarize(msgs));
    REQUIRE(wire::type_sequence(msgs) == "E Z");
    CHECK(wire::to_hex(msgs[0].wire()) ==
          injected_error_hex("ERROR", "40001",
                             "could not serialize access due to concurrent update"));
    CHECK(ready_status(msgs) == 'I');
  }
}

TEST_CASE("query_delay: matching statements are answered late, with the right result",
          "[query_delay]") {
  auto server = start_with_faults({"query_delay:pattern=slow,delay=600ms"});
  auto conn = connect(connection_params(*server, transport::tcp));
  REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);

  SECTION("delayed and not delayed") {
    auto start = steady::now();
    auto r = exec(conn.get(), "SELECT 'slow' AS answer");
    auto took = since(start);
    INFO("took " << took.count() << " ms");
    CHECK(value(r.get()) == "slow");
    CHECK(took >= 600ms);
    CHECK(took < 2500ms);
    start = steady::now();
    CHECK(value(exec(conn.get(), "SELECT 2").get()) == "2");
    CHECK(since(start) < 600ms);
  }
  SECTION("a cancel ends the wait with 57014 user request") {
    auto slow = start_with_faults({"query_delay:pattern=slow,delay=5s"}, {"--api", "127.0.0.1:0"});
    auto c = connect(connection_params(*slow, transport::tcp));
    REQUIRE(PQstatus(c.get()) == CONNECTION_OK);
    const auto start = steady::now();
    REQUIRE(PQsendQuery(c.get(), "SELECT 'slow'") == 1);
    REQUIRE(wait_statement_running(*slow));
    CHECK_FALSE(wait_readable(PQsocket(c.get()), 100ms));  // as PG: no byte while it runs
    PGcancel* cancel = PQgetCancel(c.get());
    char errbuf[256] = {};
    CHECK(PQcancel(cancel, errbuf, sizeof errbuf) == 1);
    PQfreeCancel(cancel);
    auto results = collect_results(c.get(), 4s);
    REQUIRE(results.size() == 1);
    CHECK(sqlstate(results[0].get()) == "57014");
    CHECK(error_message(results[0].get()) == "ERROR:  canceling statement due to user request\n");
    CHECK(since(start) < 5s);
    CHECK(value(exec(c.get(), "SELECT 1").get()) == "1");
  }
}

TEST_CASE("statement_timeout: 57014 after the time, the session goes on", "[statement_timeout]") {
  auto server = start_with_faults({"statement_timeout:pattern=slow,after=500ms"});

  SECTION("libpq") {
    auto conn = connect(connection_params(*server, transport::tcp));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    const auto start = steady::now();
    auto r = exec(conn.get(), "SELECT 'slow'");
    const auto took = since(start);
    INFO("took " << took.count() << " ms");
    CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
    CHECK(sqlstate(r.get()) == "57014");
    CHECK(error_message(r.get()) == "ERROR:  canceling statement due to statement timeout\n");
    CHECK(took >= 500ms);
    CHECK(took < 2500ms);
    CHECK(PQstatus(conn.get()) == CONNECTION_OK);
    CHECK(value(exec(conn.get(), "SELECT 1").get()) == "1");
  }
  SECTION("inside a transaction the transaction fails") {
    auto conn = connect(connection_params(*server, transport::tcp));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    exec(conn.get(), "BEGIN");
    auto r = exec(conn.get(), "SELECT 'slow'");
    CHECK(sqlstate(r.get()) == "57014");
    CHECK(PQtransactionStatus(conn.get()) == PQTRANS_INERROR);
    exec(conn.get(), "ROLLBACK");
    CHECK(PQtransactionStatus(conn.get()) == PQTRANS_IDLE);
  }
  SECTION("raw bytes: T, then E 57014 as PG15 sends it, then Z") {
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    const auto msgs = simple_query(c, "SELECT 'slow'");
    INFO("reply: " << summarize(msgs));
    REQUIRE(wire::type_sequence(msgs) == "T E Z");
    CHECK(wire::to_hex(msgs[1].wire()) ==
          wire::to_hex(pg_error("ERROR", "57014", "canceling statement due to statement timeout",
                                "postgres.c", 3319, "ProcessInterrupts")));
    CHECK(ready_status(msgs) == 'I');
  }
}

TEST_CASE("query_reset: k DataRows, then RST", "[query_reset]") {
  temp_file fixtures(generate_series_fixture(5));
  const std::string rows = GENERATE(as<std::string>{}, "0", "2");
  INFO("rows=" << rows);
  auto server = start_with_faults({"query_reset:pattern=generate_series,rows=" + rows},
                                  {"--fixtures", fixtures.path});

  SECTION("raw socket") {
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    CHECK(ready_status(simple_query(c, "SELECT 1")) == 'I');  // not matched
    c.send(wire::query("SELECT generate_series(1,5)"));
    const auto got = c.read_until_closed(3s);
    std::size_t rest = 0;
    const auto msgs = split_all(got, &rest);
    INFO("received: " << summarize(msgs));
    CHECK(rest == 0);
    CHECK(wire::type_sequence(msgs) == (rows == "0" ? "T" : "T D D"));
    if (rows == "2" && msgs.size() == 3) {
      CHECK(wire::to_hex(msgs[1].wire()) == "440000000b00010000000131");
      CHECK(wire::to_hex(msgs[2].wire()) == "440000000b00010000000132");
    }
    CHECK(c.peer_state() == raw_client::peer::reset);
  }
  SECTION("libpq") {
    auto conn = connect(connection_params(*server, transport::tcp));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    auto results = exec_all(conn.get(), "SELECT generate_series(1,5)");
    REQUIRE(!results.empty());
    CHECK(PQresultStatus(results.back().get()) == PGRES_FATAL_ERROR);
    CHECK_THAT(error_text(conn.get()), Catch::Contains(server_closed_text));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
  }
}

TEST_CASE("query_hang: no answer, and a cancel does not help", "[query_hang]") {
  auto server = start_with_faults({"query_hang:pattern=stuck"});

  SECTION("raw socket") {
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    CHECK(ready_status(simple_query(c, "SELECT 1")) == 'I');  // not matched
    c.send(wire::query("SELECT 'stuck'"));
    auto got = c.read_for(1s);
    CHECK(got.empty());
    CHECK(c.peer_state() == raw_client::peer::open);
    c.send(wire::query("SELECT 1"));  // nothing is read any more
    got = c.read_for(500ms);
    INFO("received " << wire::describe_bytes(got));
    CHECK(got.empty());
    CHECK(c.peer_state() == raw_client::peer::open);
  }
  SECTION("libpq: waits; PQcancel is delivered but the statement stays stuck") {
    // query_hang is a black hole (docs/faults.md: "no answer and nothing read again"), unlike
    // query_delay, which a cancel ends with 57014: the hung connection never acts on the
    // cancel, so only the client's own timeout gets it out.
    auto conn = connect(connection_params(*server, transport::tcp));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    REQUIRE(PQsendQuery(conn.get(), "SELECT 'stuck'") == 1);
    CHECK_FALSE(wait_result_ready(conn.get(), steady::now() + 1s));
    PGcancel* cancel = PQgetCancel(conn.get());
    char errbuf[256] = {};
    CHECK(PQcancel(cancel, errbuf, sizeof errbuf) == 1);
    CHECK(std::string(errbuf).empty());
    PQfreeCancel(cancel);
    CHECK_FALSE(wait_result_ready(conn.get(), steady::now() + 1s));
    CHECK(PQstatus(conn.get()) == CONNECTION_OK);
  }
}

TEST_CASE("query_error in the extended protocol: the Parse's text is matched at Execute",
          "[query_error]") {
  auto server = start_with_faults({"query_error:pattern=balance,sqlstate=40001"});
  auto conn = connect(connection_params(*server, transport::tcp));
  REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
  const char* values[] = {"7"};
  result_ptr r(PQexecParams(conn.get(), "SELECT $1::int4 AS balance", 1, nullptr, values, nullptr,
                            nullptr, 0));
  CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
  CHECK(sqlstate(r.get()) == "40001");
  result_ptr ok(
      PQexecParams(conn.get(), "SELECT $1::int4 + 1", 1, nullptr, values, nullptr, nullptr, 0));
  CHECK(value(ok.get()) == "8");
}

// Query rules are asked when a statement fails at Parse or Bind too; the responder counts
// the $n of a statement it cannot answer (typed text), so Bind takes the parameters.
TEST_CASE("query_error in the extended protocol on a statement fauxgres cannot answer",
          "[query_error]") {
  auto server = start_with_faults({"query_error:pattern=^update,sqlstate=40001"});
  auto conn = connect(connection_params(*server, transport::tcp));
  REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
  SECTION("without parameters") {
    result_ptr r(PQexecParams(conn.get(), "UPDATE accounts SET balance = 0", 0, nullptr, nullptr,
                              nullptr, nullptr, 0));
    INFO("libpq: " << PQresultErrorMessage(r.get()));
    CHECK(sqlstate(r.get()) == "40001");
  }
  SECTION("with a parameter") {
    const char* values[] = {"0"};
    result_ptr r(PQexecParams(conn.get(), "UPDATE accounts SET balance = $1", 1, nullptr, values,
                              nullptr, nullptr, 0));
    INFO("libpq: " << PQresultErrorMessage(r.get()));
    CHECK(sqlstate(r.get()) == "40001");
  }
}
