// reset_after messages= and bytes= end to end: RST when the n-th frontend message arrives
// (counted from the StartupMessage), or once n bytes came from the client. after= and
// statements= are in session_test.cpp.
#include "fault_support.hpp"

using namespace fauxgres_test;
using namespace fauxgres_test::faults;

TEST_CASE("reset_after messages=3: the StartupMessage is 1, the third message gets an RST",
          "[reset_after]") {
  auto server = start_with_faults({"reset_after:messages=3"});
  SECTION("raw socket: two queries") {
    auto c = raw_connect(*server, transport::tcp);            // a Unix socket has no RST
    login_ok(c);                                              // message 1
    CHECK(ready_status(simple_query(c, "SELECT 1")) == 'I');  // message 2
    c.send(wire::query("SELECT 2"));                          // message 3
    CHECK(silent_close(c) == "RST");
  }
  SECTION("libpq: the extended protocol's Parse, Bind... count one by one") {
    auto conn = connect(connection_params(*server, transport::tcp));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    // PQexecParams sends Parse (2), Bind (3), ...: the Bind gets the RST.
    const char* values[] = {"1"};
    result_ptr r(
        PQexecParams(conn.get(), "SELECT $1::int4", 1, nullptr, values, nullptr, nullptr, 0));
    CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
    INFO("libpq: " << error_text(conn.get()));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
  }
}

TEST_CASE("reset_after messages=2 with a password: the PasswordMessage gets the RST",
          "[reset_after]") {
  auto server =
      start_with_faults({"reset_after:messages=2,user=u"},
                        {"--user", "u=secret", "--user", "v=secret", "--auth", "password"});
  auto c = raw_connect(*server, transport::tcp);
  send_startup(c, "u", "d");
  const auto request = c.read_message(3s);
  REQUIRE(request);
  CHECK(wire::to_hex(request->wire()) == "520000000800000003");
  c.send(wire::password("secret"));
  CHECK(silent_close(c) == "RST");

  auto conn = connect(connection_params(*server, transport::tcp,
                                        {{"user", "u"}, {"dbname", "d"}, {"password", "secret"}}));
  CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
  // user= leaves other roles alone.
  auto other = connect(connection_params(*server, transport::tcp,
                                         {{"user", "v"}, {"dbname", "d"}, {"password", "secret"}}));
  INFO("libpq: " << error_text(other.get()));
  CHECK(PQstatus(other.get()) == CONNECTION_OK);
}

TEST_CASE("reset_after bytes=: RST once that many bytes arrived", "[reset_after]") {
  // StartupMessage user=u database=d: 27 bytes; Query "SELECT 1": 14 bytes.
  REQUIRE(wire::startup_message({{"user", "u"}, {"database", "d"}}).size() == 27);
  REQUIRE(wire::query("SELECT 1").size() == 14);
  auto server = start_with_faults({"reset_after:bytes=50"});
  auto c = raw_connect(*server, transport::tcp);
  login_ok(c);                                              // 27 bytes
  CHECK(ready_status(simple_query(c, "SELECT 1")) == 'I');  // 41
  c.send(wire::query("SELECT 1"));                          // 55: over the limit
  CHECK(silent_close(c) == "RST");

  SECTION("a limit inside the StartupMessage: reset before any answer") {
    auto early = start_with_faults({"reset_after:bytes=10"});
    auto e = raw_connect(*early, transport::tcp);
    send_startup(e, "u", "d");
    CHECK(silent_close(e) == "RST");
  }
}

TEST_CASE("reset_after: messages and bytes need a count of 1 or more", "[reset_after][cli]") {
  const auto r = run_command(
      {fauxgres_binary(), "--fault", "reset_after:messages=0", "--listen", "127.0.0.1:0"});
  CHECK(r.exit_code() == 2);
  CHECK(r.err == "fauxgres: --fault reset_after.messages: must be 1 or more (got \"0\")\n");
}
