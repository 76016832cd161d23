// Authentication faults end to end: auth_fail (PG15's 28P01 whatever the password, story S3)
// and auth_delay (AuthenticationOk comes late).
#include "fault_support.hpp"

using namespace fauxgres_test;
using namespace fauxgres_test::faults;

namespace {

std::vector<std::string> users(const std::string& method) {
  return {"--user", "u=secret", "--user", "other=secret", "--auth", method};
}

params login(const server_process& s, transport via, const std::string& user,
             const std::string& password) {
  return connection_params(s, via, {{"user", user}, {"dbname", "d"}, {"password", password}});
}

}  // namespace

TEST_CASE("auth_fail: the right password still gets 28P01", "[auth_fail]") {
  SECTION("libpq with SCRAM-SHA-256, on both listeners") {
    auto server = start_with_faults({"auth_fail"}, users("scram-sha-256"));
    const auto via = GENERATE(transport::tcp, transport::unix_socket);
    INFO("transport: " << to_string(via));
    auto conn = connect(login(*server, via, "u", "secret"));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    CHECK(error_text(conn.get()) == libpq_failure_prefix(*server, via) +
                                        "FATAL:  password authentication failed for user \"u\"\n");
  }
  SECTION("raw cleartext exchange: the FATAL replaces AuthenticationOk, then FIN") {
    auto server = start_with_faults({"auth_fail"}, users("password"));
    auto c = raw_connect(*server, transport::tcp);
    send_startup(c, "u", "d");
    const auto request = c.read_message(3s);
    REQUIRE(request);
    CHECK(wire::to_hex(request->wire()) == "520000000800000003");
    c.send(wire::password("secret"));
    const auto got = c.read_until_closed(3s);
    INFO("received " << wire::describe_bytes(got));
    const auto msgs = split_all(got);
    REQUIRE(msgs.size() == 1);
    CHECK(wire::to_hex(msgs[0].wire()) == fatal_hex("28P01",
                                                    "password authentication failed for user \"u\"",
                                                    "auth.c", 334, "auth_failed"));
    CHECK(c.peer_state() == raw_client::peer::fin);
  }
  SECTION("user= limits it to one role") {
    auto server = start_with_faults({"auth_fail:user=u"}, users("md5"));
    auto failed = connect(login(*server, transport::tcp, "u", "secret"));
    CHECK(PQstatus(failed.get()) == CONNECTION_BAD);
    auto other = connect(login(*server, transport::tcp, "other", "secret"));
    INFO("libpq: " << error_text(other.get()));
    CHECK(PQstatus(other.get()) == CONNECTION_OK);
  }
  SECTION("trust logins fail too") {
    auto server = start_with_faults({"auth_fail"});
    auto conn = connect(connection_params(*server, transport::tcp, {{"user", "alice"}}));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    CHECK(error_text(conn.get()) ==
          libpq_failure_prefix(*server, transport::tcp) +
              "FATAL:  password authentication failed for user \"alice\"\n");
  }
}

TEST_CASE("auth_delay: AuthenticationOk comes late", "[auth_delay]") {
  SECTION("libpq with SCRAM-SHA-256") {
    auto server = start_with_faults({"auth_delay:delay=600ms"}, users("scram-sha-256"));
    const auto start = steady::now();
    auto conn = connect(login(*server, transport::tcp, "u", "secret"));
    const auto took = since(start);
    INFO("libpq: " << error_text(conn.get()) << " after " << took.count() << " ms");
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    CHECK(took >= 600ms);
    CHECK(took < 2500ms);
    CHECK(value(exec(conn.get(), "SELECT 1").get()) == "1");
  }
  SECTION("raw cleartext: the password request is prompt, R(0) is delayed") {
    auto server = start_with_faults({"auth_delay:delay=600ms"}, users("password"));
    auto c = raw_connect(*server, transport::tcp);
    const auto start = steady::now();
    send_startup(c, "u", "d");
    const auto request = c.read_message(3s);
    REQUIRE(request);
    CHECK(request->type == 'R');
    CHECK(since(start) < 600ms);
    const auto sent = steady::now();
    c.send(wire::password("secret"));
    const auto msgs = c.read_until('Z', 5s);
    const auto took = since(sent);
    INFO("received: " << summarize(msgs) << " after " << took.count() << " ms");
    REQUIRE(!msgs.empty());
    CHECK(wire::to_hex(msgs.front().wire()) == "520000000800000000");
    CHECK(ready_status(msgs) == 'I');
    CHECK(took >= 600ms);
    CHECK(took < 2500ms);
  }
}
