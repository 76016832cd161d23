// Queries through libpq (pg15-behaviors.md §3, §9, §10): simple and extended protocol,
// transactions, notices, prepared statements, pipeline and single-row modes, cancel.
#include <poll.h>

#include <cstring>

#include "test_support.hpp"

using namespace fauxgres_test;

namespace {

using clock = std::chrono::steady_clock;

struct session {
  std::unique_ptr<server_process> server;
  conn_ptr conn;
};

session open_session(transport via, std::vector<std::string> args = {}) {
  session s{start_server(std::move(args)), nullptr};
  s.conn = connect(connection_params(*s.server, via, {{"user", "alice"}}));
  INFO("libpq: " << PQerrorMessage(s.conn.get()));
  REQUIRE(PQstatus(s.conn.get()) == CONNECTION_OK);
  return s;
}

std::string error_message(const PGresult* r) {
  return r ? PQresultErrorMessage(r) : "<null>";
}

}  // namespace

TEST_CASE("simple queries: SELECT 1, several statements, empty query", "[query]") {
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto s = open_session(via);
  PGconn* c = s.conn.get();

  SECTION("SELECT 1") {
    auto r = exec(c, "SELECT 1");
    REQUIRE(PQresultStatus(r.get()) == PGRES_TUPLES_OK);
    CHECK(PQntuples(r.get()) == 1);
    CHECK(PQnfields(r.get()) == 1);
    CHECK(std::string(PQfname(r.get(), 0)) == "?column?");
    CHECK(PQftype(r.get(), 0) == 23);
    CHECK(PQfsize(r.get(), 0) == 4);
    CHECK(value(r.get()) == "1");
    CHECK(std::string(PQcmdStatus(r.get())) == "SELECT 1");
  }
  SECTION("two statements give two results") {
    auto rs = exec_all(c, "SELECT 1; SELECT 2");
    REQUIRE(rs.size() == 2);
    CHECK(PQresultStatus(rs[0].get()) == PGRES_TUPLES_OK);
    CHECK(PQresultStatus(rs[1].get()) == PGRES_TUPLES_OK);
    CHECK(value(rs[0].get()) == "1");
    CHECK(value(rs[1].get()) == "2");
  }
  SECTION("an error stops the rest of a multi-statement query") {
    auto rs = exec_all(c, "SELECT 1; SELECT 1/0; SELECT 3");
    REQUIRE(rs.size() == 2);
    CHECK(value(rs[0].get()) == "1");
    CHECK(sqlstate(rs[1].get()) == "22012");
    CHECK(error_message(rs[1].get()) == "ERROR:  division by zero\n");
  }
  SECTION("';' is an empty query") {
    auto r = exec(c, ";");
    CHECK(PQresultStatus(r.get()) == PGRES_EMPTY_QUERY);
  }
  SECTION("a syntax error carries its position") {
    auto r = exec(c, "SELEC 1");
    CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
    CHECK(sqlstate(r.get()) == "42601");
    const char* pos = PQresultErrorField(r.get(), PG_DIAG_STATEMENT_POSITION);
    CHECK(std::string(pos ? pos : "") == "1");
  }
}

TEST_CASE("transaction status follows BEGIN, errors and ROLLBACK", "[query][transaction]") {
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto s = open_session(via);
  PGconn* c = s.conn.get();

  auto r = exec(c, "BEGIN");
  CHECK(std::string(PQcmdStatus(r.get())) == "BEGIN");
  CHECK(PQtransactionStatus(c) == PQTRANS_INTRANS);
  r = exec(c, "SELECT 1/0");
  CHECK(sqlstate(r.get()) == "22012");
  CHECK(PQtransactionStatus(c) == PQTRANS_INERROR);
  r = exec(c, "SELECT 1");
  CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
  CHECK(sqlstate(r.get()) == "25P02");
  CHECK(
      error_message(r.get()) ==
      "ERROR:  current transaction is aborted, commands ignored until end of transaction block\n");
  CHECK(PQtransactionStatus(c) == PQTRANS_INERROR);

  SECTION("ROLLBACK") {
    r = exec(c, "ROLLBACK");
    CHECK(std::string(PQcmdStatus(r.get())) == "ROLLBACK");
  }
  SECTION("COMMIT of a failed transaction reports ROLLBACK") {
    r = exec(c, "COMMIT");
    CHECK(std::string(PQcmdStatus(r.get())) == "ROLLBACK");
  }
  CHECK(PQtransactionStatus(c) == PQTRANS_IDLE);
  r = exec(c, "SELECT 1");
  CHECK(value(r.get()) == "1");
}

TEST_CASE("COMMIT without a transaction sends a WARNING notice", "[query][transaction]") {
  auto s = open_session(transport::tcp);
  notice_log notices;
  notices.attach(s.conn.get());
  auto r = exec(s.conn.get(), "COMMIT");
  CHECK(PQresultStatus(r.get()) == PGRES_COMMAND_OK);
  CHECK(std::string(PQcmdStatus(r.get())) == "COMMIT");
  REQUIRE(notices.texts.size() == 1);
  CHECK(notices.texts[0] == "WARNING:  there is no transaction in progress\n");
  CHECK(notices.sqlstates[0] == "25P01");
  CHECK(notices.severities[0] == "WARNING");
}

TEST_CASE("PQexecParams with text and binary results and parameters", "[query][extended]") {
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto s = open_session(via);
  PGconn* c = s.conn.get();
  const char* text_param[] = {"41"};

  SECTION("text") {
    REQUIRE(
        PQsendQueryParams(c, "SELECT $1::int4 + 1", 1, nullptr, text_param, nullptr, nullptr, 0));
    auto rs = collect_results(c);
    REQUIRE(rs.size() == 1);
    INFO(error_message(rs[0].get()));
    REQUIRE(PQresultStatus(rs[0].get()) == PGRES_TUPLES_OK);
    CHECK(value(rs[0].get()) == "42");
    CHECK(PQftype(rs[0].get(), 0) == 23);
    CHECK(PQfformat(rs[0].get(), 0) == 0);
  }
  SECTION("binary result") {
    REQUIRE(
        PQsendQueryParams(c, "SELECT $1::int4 + 1", 1, nullptr, text_param, nullptr, nullptr, 1));
    auto rs = collect_results(c);
    REQUIRE(rs.size() == 1);
    INFO(error_message(rs[0].get()));
    REQUIRE(PQresultStatus(rs[0].get()) == PGRES_TUPLES_OK);
    CHECK(PQfformat(rs[0].get(), 0) == 1);
    REQUIRE(PQgetlength(rs[0].get(), 0, 0) == 4);
    const auto* v = reinterpret_cast<const std::uint8_t*>(PQgetvalue(rs[0].get(), 0, 0));
    CHECK(wire::to_hex(std::span(v, 4)) == "0000002a");
  }
  SECTION("binary int4 parameter") {
    const Oid types[] = {23};
    const char bin[] = {0, 0, 0, 41};
    const char* values[] = {bin};
    const int lengths[] = {4};
    const int formats[] = {1};
    REQUIRE(PQsendQueryParams(c, "SELECT $1 + 1", 1, types, values, lengths, formats, 0));
    auto rs = collect_results(c);
    REQUIRE(rs.size() == 1);
    INFO(error_message(rs[0].get()));
    CHECK(value(rs[0].get()) == "42");
  }
  SECTION("NULL parameter") {
    const char* values[] = {nullptr};
    REQUIRE(PQsendQueryParams(c, "SELECT $1::int4", 1, nullptr, values, nullptr, nullptr, 0));
    auto rs = collect_results(c);
    REQUIRE(rs.size() == 1);
    CHECK(PQgetisnull(rs[0].get(), 0, 0) == 1);
  }
}

TEST_CASE("named prepared statements: prepare, describe, execute 7 times", "[query][extended]") {
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto s = open_session(via);
  PGconn* c = s.conn.get();

  REQUIRE(PQsendPrepare(c, "s1", "SELECT $1::int + 1", 0, nullptr));
  auto rs = collect_results(c);
  REQUIRE(rs.size() == 1);
  INFO(error_message(rs[0].get()));
  REQUIRE(PQresultStatus(rs[0].get()) == PGRES_COMMAND_OK);

  REQUIRE(PQsendDescribePrepared(c, "s1"));
  rs = collect_results(c);
  REQUIRE(rs.size() == 1);
  CHECK(PQnparams(rs[0].get()) == 1);
  CHECK(PQparamtype(rs[0].get(), 0) == 23);
  CHECK(PQnfields(rs[0].get()) == 1);
  CHECK(PQftype(rs[0].get(), 0) == 23);

  for (int i = 0; i < 7; ++i) {
    const std::string arg = std::to_string(i * 10);
    const char* values[] = {arg.c_str()};
    REQUIRE(PQsendQueryPrepared(c, "s1", 1, values, nullptr, nullptr, 0));
    rs = collect_results(c);
    REQUIRE(rs.size() == 1);
    INFO("execution " << i << ": " << error_message(rs[0].get()));
    CHECK(value(rs[0].get()) == std::to_string(i * 10 + 1));
  }

  SECTION("preparing the same name again is 42P05") {
    REQUIRE(PQsendPrepare(c, "s1", "SELECT 2", 0, nullptr));
    rs = collect_results(c);
    REQUIRE(rs.size() == 1);
    CHECK(sqlstate(rs[0].get()) == "42P05");
    CHECK(error_message(rs[0].get()) == "ERROR:  prepared statement \"s1\" already exists\n");
  }
  SECTION("an unknown statement is 26000") {
    REQUIRE(PQsendQueryPrepared(c, "nosuch", 0, nullptr, nullptr, nullptr, 0));
    rs = collect_results(c);
    REQUIRE(rs.size() == 1);
    CHECK(sqlstate(rs[0].get()) == "26000");
    CHECK(error_message(rs[0].get()) == "ERROR:  prepared statement \"nosuch\" does not exist\n");
  }
}

TEST_CASE("pipeline mode: an error aborts the rest until the sync", "[query][extended][pipeline]") {
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto s = open_session(via);
  PGconn* c = s.conn.get();

  REQUIRE(PQenterPipelineMode(c) == 1);
  for (const char* sql : {"SELECT 1", "SELECT 2", "SELECT 1/0", "SELECT 4", "SELECT 5"})
    REQUIRE(PQsendQueryParams(c, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1);
  REQUIRE(PQpipelineSync(c) == 1);

  const std::vector<ExecStatusType> expected{PGRES_TUPLES_OK, PGRES_TUPLES_OK, PGRES_FATAL_ERROR,
                                             PGRES_PIPELINE_ABORTED, PGRES_PIPELINE_ABORTED};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("query " << i);
    auto r = next_result(c);
    REQUIRE(r);
    INFO(status_name(r.get()) << " " << error_message(r.get()));
    CHECK(PQresultStatus(r.get()) == expected[i]);
    if (i < 2) CHECK(value(r.get()) == std::to_string(i + 1));
    if (i == 2) CHECK(sqlstate(r.get()) == "22012");
    CHECK(next_result(c) == nullptr);
  }
  auto sync = next_result(c);
  REQUIRE(sync);
  CHECK(PQresultStatus(sync.get()) == PGRES_PIPELINE_SYNC);
  REQUIRE(PQexitPipelineMode(c) == 1);
  auto r = exec(c, "SELECT 1");
  CHECK(value(r.get()) == "1");
}

TEST_CASE("single-row mode returns one row per result", "[query]") {
  temp_file fixtures(generate_series_fixture(3));
  auto s = open_session(transport::tcp, {"--fixtures", fixtures.path});
  PGconn* c = s.conn.get();
  REQUIRE(PQsendQuery(c, "SELECT generate_series(1,3)"));
  REQUIRE(PQsetSingleRowMode(c) == 1);
  auto rs = collect_results(c);
  REQUIRE(rs.size() == 4);
  for (int i = 0; i < 3; ++i) {
    INFO("row " << i << ": " << status_name(rs[i].get()) << " " << error_message(rs[i].get()));
    CHECK(PQresultStatus(rs[i].get()) == PGRES_SINGLE_TUPLE);
    CHECK(value(rs[i].get()) == std::to_string(i + 1));
  }
  CHECK(PQresultStatus(rs[3].get()) == PGRES_TUPLES_OK);
  CHECK(PQntuples(rs[3].get()) == 0);
}

TEST_CASE("a reply larger than the socket buffers arrives whole", "[query]") {
  // 8 MiB in one reply: more than a Unix socket or a fresh loopback TCP connection takes
  // at once, so the server sends it in parts while libpq reads.
  constexpr int rows = 64;
  const std::string chunk(128 * 1024, 'x');
  std::string yaml =
      "queries:\n  - match: \"SELECT big\"\n    columns: [{name: v, type: text}]\n"
      "    rows:\n";
  for (int i = 0; i < rows; ++i) yaml += "      - [\"" + std::to_string(i) + chunk + "\"]\n";
  temp_file fixtures(yaml);
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto s = open_session(via, {"--fixtures", fixtures.path});
  auto r = exec(s.conn.get(), "SELECT big");
  INFO("libpq: " << PQerrorMessage(s.conn.get()));
  REQUIRE(PQresultStatus(r.get()) == PGRES_TUPLES_OK);
  REQUIRE(PQntuples(r.get()) == rows);
  int whole = 0;
  for (int i = 0; i < rows; ++i) whole += PQgetvalue(r.get(), i, 0) == std::to_string(i) + chunk;
  CHECK(whole == rows);
  CHECK(value(exec(s.conn.get(), "SELECT 1").get()) == "1");  // the session goes on
}

TEST_CASE("SET, SHOW, version() and pg_sleep", "[query]") {
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto s = open_session(via);
  PGconn* c = s.conn.get();

  SECTION("SET application_name updates PQparameterStatus") {
    auto r = exec(c, "SET application_name = 'app2'");
    CHECK(std::string(PQcmdStatus(r.get())) == "SET");
    const char* v = PQparameterStatus(c, "application_name");
    CHECK(std::string(v ? v : "<unset>") == "app2");
    r = exec(c, "SHOW application_name");
    CHECK(value(r.get()) == "app2");
  }
  SECTION("SHOW server_version") {
    auto r = exec(c, "SHOW server_version");
    REQUIRE(PQresultStatus(r.get()) == PGRES_TUPLES_OK);
    CHECK(std::string(PQfname(r.get(), 0)) == "server_version");
    CHECK(PQftype(r.get(), 0) == 25);
    CHECK(value(r.get()) == pg_server_version);
    CHECK(std::string(PQcmdStatus(r.get())) == "SHOW");
  }
  SECTION("version()") {
    auto r = exec(c, "SELECT version()");
    CHECK_THAT(value(r.get()),
               Catch::StartsWith(std::string("PostgreSQL ") + pg_server_version + " on "));
  }
  SECTION("pg_sleep(0.1) sleeps about 100 ms") {
    const auto start = clock::now();
    auto r = exec(c, "SELECT pg_sleep(0.1)");
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count();
    INFO("took " << ms << " ms; " << error_message(r.get()));
    REQUIRE(PQresultStatus(r.get()) == PGRES_TUPLES_OK);
    CHECK(PQftype(r.get(), 0) == 2278);
    CHECK(value(r.get()) == "");
    CHECK(ms >= 100);
    CHECK(ms < 1500);
  }
  SECTION("SET of an unknown parameter is 42704") {
    auto r = exec(c, "SET foo = bar");
    CHECK(sqlstate(r.get()) == "42704");
    CHECK(error_message(r.get()) == "ERROR:  unrecognized configuration parameter \"foo\"\n");
  }
}

TEST_CASE("PQcancel interrupts pg_sleep with 57014 and the session stays usable",
          "[query][cancel]") {
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  const bool in_transaction = GENERATE(false, true);
  INFO("transport: " << to_string(via) << ", in transaction: " << in_transaction);
  auto s = open_session(via, {"--api", "127.0.0.1:0"});
  PGconn* c = s.conn.get();
  if (in_transaction) exec(c, "BEGIN");

  REQUIRE(PQsendQuery(c, "SELECT pg_sleep(10)"));
  // The cancel must land while the statement runs, not before it starts.
  REQUIRE(wait_statement_running(*s.server));
  // PG holds the RowDescription while it sleeps: nothing arrives until the cancel.
  pollfd p{PQsocket(c), POLLIN, 0};
  CHECK(::poll(&p, 1, 100) == 0);

  const auto start = clock::now();
  PGcancel* cancel = PQgetCancel(c);
  REQUIRE(cancel);
  char errbuf[256] = {};
  const int sent = PQcancel(cancel, errbuf, sizeof errbuf);
  PQfreeCancel(cancel);
  INFO("PQcancel errbuf: " << errbuf);
  CHECK(sent == 1);
  CHECK(std::strlen(errbuf) == 0);

  auto rs = collect_results(c, 5s);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count();
  INFO("result after " << ms << " ms");
  REQUIRE(rs.size() == 1);
  CHECK(PQresultStatus(rs[0].get()) == PGRES_FATAL_ERROR);
  CHECK(sqlstate(rs[0].get()) == "57014");
  CHECK(error_message(rs[0].get()) == "ERROR:  canceling statement due to user request\n");
  CHECK(ms < 2000);
  CHECK(PQstatus(c) == CONNECTION_OK);

  if (in_transaction) {
    CHECK(PQtransactionStatus(c) == PQTRANS_INERROR);
    auto r = exec(c, "COMMIT");
    CHECK(std::string(PQcmdStatus(r.get())) == "ROLLBACK");
  }
  CHECK(PQtransactionStatus(c) == PQTRANS_IDLE);
  auto r = exec(c, "SELECT 1");
  CHECK(value(r.get()) == "1");
}

TEST_CASE("a cancel sent while idle is not applied to the next query", "[query][cancel]") {
  auto s = open_session(transport::tcp);
  PGconn* c = s.conn.get();
  PGcancel* cancel = PQgetCancel(c);
  REQUIRE(cancel);
  char errbuf[256] = {};
  CHECK(PQcancel(cancel, errbuf, sizeof errbuf) == 1);
  PQfreeCancel(cancel);
  // PQcancel returns once the server closed the cancel socket, so the request was handled.
  auto r = exec(c, "SELECT pg_sleep(0.05)");
  CHECK(PQresultStatus(r.get()) == PGRES_TUPLES_OK);
}

// The statements psycopg2 sends for a named cursor (simple protocol) and psycopg 3 for a
// ServerCursor (DECLARE, then Describe of the cursor's portal, then FETCH with binary
// results), answered as PostgreSQL 15 answers them.
TEST_CASE("server-side cursors: DECLARE, FETCH, MOVE, CLOSE", "[query][cursor]") {
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  temp_file fixtures(generate_series_fixture(5));
  auto s = open_session(via, {"--fixtures", fixtures.path});
  PGconn* c = s.conn.get();

  auto r = exec(c, "DECLARE c CURSOR FOR SELECT generate_series(1,5)");
  CHECK(sqlstate(r.get()) == "25P01");
  exec(c, "BEGIN");
  r = exec(c, "DECLARE \"c\" CURSOR WITHOUT HOLD FOR SELECT generate_series(1,5)");
  CHECK(std::string(PQcmdStatus(r.get())) == "DECLARE CURSOR");
  r = exec(c, "FETCH FORWARD 2 FROM \"c\"");
  REQUIRE(PQntuples(r.get()) == 2);
  CHECK(std::string(PQfname(r.get(), 0)) == "generate_series");
  CHECK(value(r.get(), 1) == "2");
  CHECK(std::string(PQcmdStatus(r.get())) == "FETCH 2");
  r = exec(c, "MOVE RELATIVE 1 IN \"c\"");
  CHECK(std::string(PQcmdStatus(r.get())) == "MOVE 1");

  REQUIRE(PQsendDescribePortal(c, "c"));
  auto rs = collect_results(c);
  REQUIRE(rs.size() == 1);
  CHECK(PQnfields(rs[0].get()) == 1);
  CHECK(PQftype(rs[0].get(), 0) == 23);

  r = result_ptr(PQexecParams(c, "FETCH ALL FROM \"c\"", 0, nullptr, nullptr, nullptr, nullptr, 1));
  REQUIRE(PQresultStatus(r.get()) == PGRES_TUPLES_OK);
  REQUIRE(PQntuples(r.get()) == 2);
  CHECK(PQfformat(r.get(), 0) == 1);
  CHECK(std::string(PQgetvalue(r.get(), 0, 0), 4) == std::string("\0\0\0\4", 4));
  CHECK(std::string(PQcmdStatus(r.get())) == "FETCH 2");
  r = exec(c, "CLOSE \"c\"");
  CHECK(std::string(PQcmdStatus(r.get())) == "CLOSE CURSOR");
  exec(c, "COMMIT");

  exec(c, "DECLARE h NO SCROLL CURSOR WITH HOLD FOR SELECT generate_series(1,5)");
  r = exec(c, "FETCH 3 FROM h");
  CHECK(value(r.get(), 2) == "3");
  r = exec(c, "FETCH PRIOR FROM h");
  CHECK(sqlstate(r.get()) == "55000");
  r = exec(c, "FETCH h");
  CHECK(sqlstate(r.get()) == "55000");  // the failed FETCH ended it, as in PG
  exec(c, "CLOSE ALL");
  r = exec(c, "FETCH h");
  CHECK(sqlstate(r.get()) == "34000");
}
