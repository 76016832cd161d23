// Session faults end to end: idle_drop (fatal / fin / reset / blackhole),
// idle_in_transaction_drop, max_lifetime, terminate and reset_after, as libpq and a raw
// socket see them (story S6). Times are measured from before the client's last action, so
// a lower bound holds whatever the scheduling.
#include "fault_support.hpp"

using namespace fauxgres_test;
using namespace fauxgres_test::faults;

namespace {

// pg15-behaviors.md §7 and §8, byte for byte.
constexpr const char* idle_session_hex =
    "450000007353464154414c0056464154414c00433537503035004d7465726d696e6174696e6720636f6e6e65"
    "6374696f6e2064756520746f2069646c652d73657373696f6e2074696d656f75740046706f7374677265732e"
    "63004c33333734005250726f63657373496e74657272757074730000";

const std::string idle_session_text = "terminating connection due to idle-session timeout";
const std::string idle_in_transaction_text =
    "terminating connection due to idle-in-transaction timeout";

// Deadlines counted from connect or from server start (max_lifetime, reset_after after=,
// terminate at=) are computed by fauxgres in whole milliseconds, so they may land up to a
// millisecond before the exact time.
constexpr auto ms_rounding = 2ms;

// After the server dropped an idle libpq connection: wait until libpq's socket is readable
// (the FATAL or the close arrived), then run a query the way an application would.
result_ptr query_after_drop(PGconn* c) {
  REQUIRE(wait_readable(PQsocket(c), 5s));
  return result_ptr(PQexec(c, "SELECT 1"));
}

// The connection is gone for good: libpq says so without touching the network.
void check_no_connection(PGconn* c) {
  CHECK(PQstatus(c) == CONNECTION_BAD);
  result_ptr again(PQexec(c, "SELECT 1"));
  CHECK(PQresultStatus(again.get()) == PGRES_FATAL_ERROR);
  CHECK(error_text(c) == "no connection to the server\n");
}

}  // namespace

TEST_CASE("idle_drop mode=fatal: 57P05 after the idle time, then FIN", "[idle_drop]") {
  auto server = start_with_faults({"idle_drop:after=500ms"});

  SECTION("raw socket") {
    const auto via = GENERATE(transport::tcp, transport::unix_socket);
    INFO("transport: " << to_string(via));
    auto c = raw_connect(*server, via);
    const auto start = steady::now();
    login_ok(c);
    const auto m = c.read_message(3s);
    const auto took = since(start);
    INFO("after " << took.count() << " ms");
    REQUIRE(m);
    CHECK(wire::to_hex(m->wire()) == idle_session_hex);
    CHECK(took >= 500ms);
    CHECK(took < 2000ms);
    CHECK(silent_close(c) == "FIN");
  }
  SECTION("a statement restarts the idle time") {
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    CHECK(c.read_for(250ms).empty());
    const auto start = steady::now();
    CHECK(ready_status(simple_query(c, "SELECT 1")) == 'I');
    const auto m = c.read_message(3s);
    REQUIRE(m);
    CHECK(wire::field(*m, 'C') == "57P05");
    CHECK(since(start) >= 500ms);
  }
  SECTION("libpq: the next query finds the connection closed") {
    auto conn = connect(connection_params(*server, transport::tcp));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    auto r = query_after_drop(conn.get());
    CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
    CHECK(std::string(PQresultErrorMessage(r.get())) == server_closed_text);
    CHECK(sqlstate(r.get()) == "");
    CHECK(error_text(conn.get()) == "FATAL:  " + idle_session_text + "\n" + server_closed_text);
    check_no_connection(conn.get());
  }
}

TEST_CASE("idle_drop mode=fin: EOF with no byte", "[idle_drop]") {
  auto server = start_with_faults({"idle_drop:after=500ms,mode=fin"});
  SECTION("raw socket") {
    auto c = raw_connect(*server, transport::tcp);
    const auto start = steady::now();
    login_ok(c);
    CHECK(silent_close(c) == "FIN");
    CHECK(since(start) >= 500ms);
  }
  SECTION("libpq") {
    auto conn = connect(connection_params(*server, transport::tcp));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    auto r = query_after_drop(conn.get());
    CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
    CHECK(std::string(PQresultErrorMessage(r.get())) == server_closed_text);
    check_no_connection(conn.get());
  }
}

TEST_CASE("idle_drop mode=reset: ECONNRESET on the next read", "[idle_drop]") {
  auto server = start_with_faults({"idle_drop:after=500ms,mode=reset"});
  SECTION("raw socket") {
    auto c = raw_connect(*server, transport::tcp);
    const auto start = steady::now();
    login_ok(c);
    CHECK(silent_close(c) == "RST");
    CHECK(since(start) >= 500ms);
  }
  SECTION("libpq reports it as a closed connection") {
    auto conn = connect(connection_params(*server, transport::tcp));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    auto r = query_after_drop(conn.get());
    CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
    CHECK_THAT(error_text(conn.get()), Catch::Contains(server_closed_text));
    check_no_connection(conn.get());
  }
}

TEST_CASE("idle_drop mode=blackhole: the socket stays open and nothing answers", "[idle_drop]") {
  auto server = start_with_faults({"idle_drop:after=400ms,mode=blackhole"});
  SECTION("raw socket") {
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    auto got = c.read_for(800ms);  // twice the idle time: no FATAL, no EOF
    CHECK(got.empty());
    CHECK(c.peer_state() == raw_client::peer::open);
    c.send(wire::query("SELECT 1"));
    got = c.read_for(1s);
    INFO("received " << wire::describe_bytes(got));
    CHECK(got.empty());
    CHECK(c.peer_state() == raw_client::peer::open);
  }
  SECTION("libpq: the query waits for the client's own timeout") {
    auto conn = connect(connection_params(*server, transport::tcp));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    // Wait out the idle time without touching the connection: its socket stays silent.
    CHECK_FALSE(wait_readable(PQsocket(conn.get()), 800ms));
    REQUIRE(PQsendQuery(conn.get(), "SELECT 1") == 1);
    CHECK_FALSE(wait_result_ready(conn.get(), steady::now() + 1s));
    CHECK(PQstatus(conn.get()) == CONNECTION_OK);
  }
}

TEST_CASE("idle_drop leaves a connection inside a transaction alone", "[idle_drop]") {
  auto server = start_with_faults({"idle_drop:after=300ms"});
  auto c = raw_connect(*server, transport::tcp);
  login_ok(c);
  CHECK(ready_status(simple_query(c, "BEGIN")) == 'T');
  CHECK(c.read_for(700ms).empty());
  CHECK(c.peer_state() == raw_client::peer::open);
  CHECK(ready_status(simple_query(c, "COMMIT")) == 'I');
}

TEST_CASE("idle_in_transaction_drop: 25P03 after BEGIN, not outside a transaction",
          "[idle_in_transaction_drop]") {
  auto server = start_with_faults({"idle_in_transaction_drop:after=500ms"});
  const auto expected =
      fatal_hex("25P03", idle_in_transaction_text, "postgres.c", 3363, "ProcessInterrupts");

  SECTION("raw: idle in transaction (T)") {
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    const auto start = steady::now();
    CHECK(ready_status(simple_query(c, "BEGIN")) == 'T');
    const auto m = c.read_message(3s);
    const auto took = since(start);
    REQUIRE(m);
    CHECK(wire::to_hex(m->wire()) == expected);
    CHECK(took >= 500ms);
    CHECK(took < 2000ms);
    CHECK(silent_close(c) == "FIN");
  }
  SECTION("raw: idle in a failed transaction (E)") {
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    CHECK(ready_status(simple_query(c, "BEGIN")) == 'T');
    const auto failed = simple_query(c, "SELECT 1/0");
    INFO("reply: " << summarize(failed));
    CHECK(ready_status(failed) == 'E');
    const auto m = c.read_message(3s);
    REQUIRE(m);
    CHECK(wire::to_hex(m->wire()) == expected);
  }
  SECTION("raw: idle outside a transaction is left alone") {
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    CHECK(c.read_for(1s).empty());
    CHECK(c.peer_state() == raw_client::peer::open);
    CHECK(ready_status(simple_query(c, "SELECT 1")) == 'I');
  }
  SECTION("libpq") {
    auto conn = connect(connection_params(*server, transport::tcp));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    exec(conn.get(), "BEGIN");
    CHECK(PQtransactionStatus(conn.get()) == PQTRANS_INTRANS);
    auto r = query_after_drop(conn.get());
    CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
    CHECK(error_text(conn.get()) ==
          "FATAL:  " + idle_in_transaction_text + "\n" + server_closed_text);
    check_no_connection(conn.get());
  }
}

TEST_CASE("max_lifetime: 57P01 once the connection is old, however busy", "[max_lifetime]") {
  SECTION("mode=fatal, with a query every 250 ms") {
    auto server = start_with_faults({"max_lifetime:lifetime=1s"});
    const auto start = steady::now();
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    std::optional<wire::backend_message> m;
    int queries = 0;
    bool raced = false;  // the FATAL crossed one of our queries on the wire
    while (!m && since(start) < 4s) {
      m = c.read_message(250ms);
      if (m || c.peer_state() != raw_client::peer::open) break;
      if (!c.try_send(wire::query("SELECT 1"))) {
        raced = true;
        m = c.read_message(1s);
        break;
      }
      const auto reply = c.read_until('Z', 3s);
      if (!reply.empty() && reply.front().type == 'E') {
        raced = true;
        m = reply.front();
        break;
      }
      CHECK(ready_status(reply) == 'I');
      ++queries;
    }
    const auto took = since(start);
    INFO("after " << took.count() << " ms and " << queries << " queries");
    REQUIRE(m);
    CHECK(wire::to_hex(m->wire()) == admin_terminate_hex);
    CHECK(took >= 1s - ms_rounding);
    CHECK(took < 2500ms);
    CHECK(queries >= 2);  // activity did not postpone it
    CHECK(c.read_until_closed(3s).empty());
    // A query sent after the server closed is answered by an RST from its kernel.
    if (raced)
      CHECK(c.peer_state() != raw_client::peer::open);
    else
      CHECK(c.peer_state() == raw_client::peer::fin);
  }
  SECTION("mode=reset") {
    auto server = start_with_faults({"max_lifetime:lifetime=500ms,mode=reset"});
    const auto start = steady::now();
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    CHECK(silent_close(c) == "RST");
    CHECK(since(start) >= 500ms - ms_rounding);
  }
  SECTION("mode=fin") {
    auto server = start_with_faults({"max_lifetime:lifetime=500ms,mode=fin"});
    const auto start = steady::now();
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    CHECK(silent_close(c) == "FIN");
    CHECK(since(start) >= 500ms - ms_rounding);
  }
}

TEST_CASE("terminate at=: 57P01 to the connections that exist then, not later ones",
          "[terminate]") {
  const auto launched = steady::now();
  auto server = start_with_faults({"terminate:at=1500ms"});
  if (since(launched) > 1200ms) {
    WARN("server took too long to start to connect before at=");
    return;
  }
  auto idle = raw_connect(*server, transport::tcp);
  login_ok(idle);
  auto conn = connect(connection_params(*server, transport::unix_socket));
  REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
  // As pg_terminate_backend, it reaches a busy connection at once.
  auto busy = raw_connect(*server, transport::tcp);
  login_ok(busy);
  busy.send(wire::query("SELECT pg_sleep(10)"));

  const auto m = idle.read_message(4s);
  REQUIRE(m);
  CHECK(wire::to_hex(m->wire()) == admin_terminate_hex);
  CHECK(since(launched) >= 1500ms - ms_rounding);
  CHECK(silent_close(idle) == "FIN");

  auto r = query_after_drop(conn.get());
  CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
  CHECK(error_text(conn.get()) == "FATAL:  " + admin_text + "\n" + server_closed_text);

  // pg15-behaviors.md §8: a target running pg_sleep gets T, then the FATAL.
  const auto busy_reply = busy.read_until_closed(5s);
  const auto busy_msgs = split_all(busy_reply);
  INFO("busy connection: " << summarize(busy_msgs));
  CHECK(wire::type_sequence(busy_msgs) == "T E");
  if (!busy_msgs.empty()) CHECK(wire::to_hex(busy_msgs.back().wire()) == admin_terminate_hex);
  CHECK(busy.peer_state() == raw_client::peer::fin);
  CHECK(since(launched) < 5s);  // not after the 10 s sleep

  auto later = raw_connect(*server, transport::tcp);
  login_ok(later);
  CHECK(later.read_for(700ms).empty());
  CHECK(later.peer_state() == raw_client::peer::open);
  CHECK(ready_status(simple_query(later, "SELECT 1")) == 'I');
}

TEST_CASE("reset_after after=: RST once the connection is that old", "[reset_after]") {
  auto server = start_with_faults({"reset_after:after=700ms"});
  SECTION("raw socket") {
    const auto start = steady::now();
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    CHECK(silent_close(c) == "RST");
    CHECK(since(start) >= 700ms - ms_rounding);
  }
  SECTION("libpq") {
    auto conn = connect(connection_params(*server, transport::tcp));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    auto r = query_after_drop(conn.get());
    CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
    CHECK_THAT(error_text(conn.get()), Catch::Contains(server_closed_text));
    check_no_connection(conn.get());
  }
}

TEST_CASE("reset_after statements=3: the third statement gets an RST, no answer", "[reset_after]") {
  auto server = start_with_faults({"reset_after:statements=3"});
  SECTION("raw socket") {
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    CHECK(ready_status(simple_query(c, "SELECT 1")) == 'I');
    CHECK(ready_status(simple_query(c, "SELECT 2")) == 'I');
    c.send(wire::query("SELECT 3"));
    CHECK(silent_close(c) == "RST");
  }
  SECTION("libpq") {
    auto conn = connect(connection_params(*server, transport::tcp));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    CHECK(value(exec(conn.get(), "SELECT 1").get()) == "1");
    CHECK(value(exec(conn.get(), "SELECT 2").get()) == "2");
    auto results = exec_all(conn.get(), "SELECT 3");
    REQUIRE(!results.empty());
    CHECK(PQresultStatus(results.back().get()) == PGRES_FATAL_ERROR);
    CHECK_THAT(error_text(conn.get()), Catch::Contains(server_closed_text));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
  }
}
