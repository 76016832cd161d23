// credential_expiry end to end (story S4, short-lived IAM tokens): a password stops working
// `valid_for` after its first login with PG15's 28P01 bytes, a fresh one logs in, sessions
// already open go on.
#include <poll.h>

#include "fault_support.hpp"

using namespace fauxgres_test;
using namespace fauxgres_test::faults;

namespace {

const std::string expired_line = "FATAL:  password authentication failed for user \"app\"\n";

params as_app(const server_process& s, transport via, const std::string& password) {
  return connection_params(s, via, {{"user", "app"}, {"dbname", "d"}, {"password", password}});
}

// The rule's window is time: wait it out (it is what is being tested, not a race).
void wait_for(milliseconds d) {
  ::poll(nullptr, 0, static_cast<int>(d.count()));
}

}  // namespace

TEST_CASE("credential_expiry: an expired token gets 28P01, a fresh one logs in",
          "[credential_expiry]") {
  auto server =
      start_with_faults({"credential_expiry:user=app,valid_for=700ms"},
                        {"--user", "app=token-1", "--user", "other=pw", "--auth", "password"});
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));

  auto held = connect(as_app(*server, via, "token-1"));
  INFO("libpq: " << error_text(held.get()));
  REQUIRE(PQstatus(held.get()) == CONNECTION_OK);
  wait_for(800ms);

  auto expired = connect(as_app(*server, via, "token-1"));
  CHECK(PQstatus(expired.get()) == CONNECTION_BAD);
  CHECK(error_text(expired.get()) == libpq_failure_prefix(*server, via) + expired_line);
  // The session opened with it goes on: tokens are checked at login only.
  CHECK(value(exec(held.get(), "SELECT 1").get()) == "1");

  const std::string fresh = via == transport::tcp ? "token-2-tcp" : "token-2-unix";
  auto refreshed = connect(as_app(*server, via, fresh));
  INFO("libpq: " << error_text(refreshed.get()));
  CHECK(PQstatus(refreshed.get()) == CONNECTION_OK);
  // Other roles keep their one password.
  auto other = connect(
      connection_params(*server, via, {{"user", "other"}, {"dbname", "d"}, {"password", "x"}}));
  CHECK(PQstatus(other.get()) == CONNECTION_BAD);
}

TEST_CASE("credential_expiry: the raw cleartext exchange, byte for byte", "[credential_expiry]") {
  // valid_for=0: every password is good for one login.
  auto server = start_with_faults({"credential_expiry:valid_for=0"},
                                  {"--user", "app=secret", "--auth", "password"});
  auto first = raw_connect(*server, transport::tcp);
  send_startup(first, "app", "d");
  REQUIRE(first.read_message(3s));
  first.send(wire::password("one-time"));
  const auto ok = first.read_until('Z', 3s);
  INFO("first login: " << summarize(ok));
  CHECK(ready_status(ok) == 'I');

  auto again = raw_connect(*server, transport::tcp);
  send_startup(again, "app", "d");
  const auto request = again.read_message(3s);
  REQUIRE(request);
  CHECK(wire::to_hex(request->wire()) == "520000000800000003");
  again.send(wire::password("one-time"));
  const auto got = again.read_until_closed(3s);
  INFO("received " << wire::describe_bytes(got));
  const auto msgs = split_all(got);
  REQUIRE(msgs.size() == 1);
  CHECK(wire::to_hex(msgs[0].wire()) == fatal_hex("28P01",
                                                  "password authentication failed for user \"app\"",
                                                  "auth.c", 334, "auth_failed"));
  CHECK(again.peer_state() == raw_client::peer::fin);
}

TEST_CASE("credential_expiry with SCRAM: the configured password expires for good",
          "[credential_expiry]") {
  auto server =
      start_with_faults({"credential_expiry:user=app,valid_for=0"}, {"--user", "app=secret"});
  auto first = connect(as_app(*server, transport::tcp, "secret"));
  INFO("libpq: " << error_text(first.get()));
  REQUIRE(PQstatus(first.get()) == CONNECTION_OK);
  auto second = connect(as_app(*server, transport::tcp, "secret"));
  CHECK(error_text(second.get()) == libpq_failure_prefix(*server, transport::tcp) + expired_line);
  // SCRAM cannot show the server a new password: anything else is just wrong.
  auto other = connect(as_app(*server, transport::tcp, "token-2"));
  CHECK(error_text(other.get()) == libpq_failure_prefix(*server, transport::tcp) + expired_line);
}

TEST_CASE("credential_expiry: refusals are counted under the rule and as rejections",
          "[credential_expiry][stats]") {
  temp_dir dir;
  const std::string path = dir.path + "/stats.json";
  auto server =
      start_with_faults({"credential_expiry:valid_for=0"},
                        {"--user", "app=secret", "--auth", "password", "--stats-file", path});
  for (const char* password : {"a", "a", "b", "a"}) {
    auto conn = connect(as_app(*server, transport::tcp, password));
    INFO(password << ": " << error_text(conn.get()));
  }
  server->stop();
  const auto json = read_json_file(path);
  INFO("stats: " << boost::json::serialize(json));
  CHECK(json.at("fired").at("credential_expiry#1").to_number<std::int64_t>() == 2);
  const auto& connections = json.at("connections");
  CHECK(connections.at("logins").to_number<std::int64_t>() == 2);
  CHECK(connections.at("rejected").at("credential_expiry").to_number<std::int64_t>() == 2);
  CHECK(json.at("errors").at("by_sqlstate").at("28P01").to_number<std::int64_t>() == 2);
}
