// What the session tells fault rules and the counters: the password at auth
// (credential_expiry), superusers (max_connections variant=reserved), messages and bytes
// received (reset_after), error_sent events and the idle clock.
#include <catch2/catch.hpp>

#include "auth/md5.hpp"
#include "tests/session/harness.hpp"

using namespace fauxgres;
using namespace fauxgres::test;
using namespace std::chrono_literals;
using kind = session::action::kind;

using harness = session_harness;

namespace {

const std::string logged_in = "RSSSSSSSSSSSSSKZ";

}  // namespace

TEST_CASE("credential_expiry with cleartext passwords: tokens expire, new ones log in") {
  harness h({"credential_expiry:user=app,valid_for=10s"});
  h.config.auth = auth::method::password;
  h.config.users.push_back({"app", "first-token", std::nullopt, false});
  h.config.users.push_back({"other", "pw", std::nullopt, false});

  CHECK(types_of(h.login("app", "first-token")) == logged_in);
  h.now = 5s;
  CHECK(types_of(h.login("app", "first-token")) == logged_in);
  h.now = 10s;
  auto out = h.login("app", "first-token");
  REQUIRE(types_of(out) == "E");
  CHECK(error_field(out[0], 'C') == "28P01");
  CHECK(error_field(out[0], 'M') == "password authentication failed for user \"app\"");
  CHECK(h.s->next_action().what == kind::close);
  // A refreshed token: a password never seen before logs in, and gets its own window.
  CHECK(types_of(h.login("app", "token-2")) == logged_in);
  h.now = 19s;
  CHECK(types_of(h.login("app", "token-2")) == logged_in);
  h.now = 20s;
  CHECK(types_of(h.login("app", "token-2")) == "E");
  CHECK(h.rules->fired("credential_expiry#1") == 2);
  // Roles the rule does not cover keep their one password.
  CHECK(types_of(h.login("other", "token-3")) == "E");
  CHECK(types_of(h.login("other", "pw")) == logged_in);
  // Unknown roles are refused as before.
  CHECK(types_of(h.login("ghost", "anything")) == "E");
}

TEST_CASE("credential_expiry with md5: the configured password expires for good") {
  harness h({"credential_expiry:valid_for=1s"});
  h.config.users.push_back({"app", "secret", auth::method::md5, false});
  auto md5_login = [&](std::string_view pw) {
    auto out = h.login("app");
    REQUIRE(types_of(out) == "R");
    std::array<std::uint8_t, 4> salt{};
    std::copy(out[0].body.begin() + 4, out[0].body.begin() + 8, salt.begin());
    return types_of(h.feed(password(auth::md5_expected_response("app", pw, salt))));
  };
  CHECK(md5_login("secret") == logged_in);
  CHECK(md5_login("another") == "E");  // md5 cannot show a new password: wrong as ever
  h.now = 2s;
  CHECK(md5_login("secret") == "E");
  CHECK(h.rules->fired("credential_expiry#1") == 1);
}

TEST_CASE("credential_expiry never fires for trust logins") {
  harness h({"credential_expiry:valid_for=0"});
  h.login("app");
  CHECK(h.s->logged_in());
  h.login("app");
  CHECK(h.s->logged_in());
}

TEST_CASE("max_connections variant=reserved lets superusers in") {
  harness h({"max_connections:limit=0,variant=reserved"});
  SECTION("configured superusers") {
    h.config.users.push_back({"app", "pw", auth::method::password, false});
    h.config.users.push_back({"admin", "pw", auth::method::password, true});
    auto out = h.login("app", "pw");
    REQUIRE(types_of(out) == "RE");
    CHECK(error_field(out[1], 'C') == "53300");
    CHECK(types_of(h.login("admin", "pw")) == logged_in);
  }
  SECTION("without users: postgres, as initdb makes it") {
    h.login("postgres");
    CHECK(h.s->logged_in());
    h.login("app");
    CHECK_FALSE(h.s->logged_in());
  }
}

TEST_CASE("reset_after messages=: RST when the n-th message arrives, from the StartupMessage") {
  SECTION("the password message is message 2") {
    harness h({"reset_after:messages=2"});
    h.config.users.push_back({"app", "pw", auth::method::password, false});
    CHECK(types_of(h.login("app")) == "R");
    CHECK(h.feed(password("pw")).empty());
    CHECK(h.s->next_action().what == kind::reset);
  }
  SECTION("extended protocol: Parse, Bind, Execute, Sync are messages too") {
    harness h({"reset_after:messages=4"});
    CHECK(types_of(h.login("app")) == logged_in);
    auto out = h.feed(parse("", "SELECT 1") + bind("", "") + execute("") + sync_message());
    CHECK(types_of(out) == "12");  // what was answered goes out before the RST
    CHECK(h.s->next_action().what == kind::reset);
    CHECK(h.rules->fired("reset_after#1") == 1);
  }
  SECTION("user= matches once the StartupMessage is read") {
    harness h({"reset_after:messages=1,user=app"});
    CHECK(h.login("app").empty());
    CHECK(h.s->next_action().what == kind::reset);
    CHECK(types_of(h.login("other")) == logged_in);
  }
}

TEST_CASE("reset_after bytes=: RST once that many bytes arrived") {
  harness h({"reset_after:bytes=120"});
  auto first = startup({{"user", "app"}, {"database", "db"}});
  REQUIRE(first.size() < 120);
  CHECK(types_of(h.login("app")) == logged_in);
  CHECK(types_of(h.feed(query("SELECT 1"))) == "TDCZ");
  CHECK(h.feed(query("SELECT '" + std::string(100, 'x') + "'")).empty());
  CHECK(h.s->next_action().what == kind::reset);
}

TEST_CASE("error_sent events carry every ErrorResponse's SQLSTATE") {
  harness h;
  h.config.users.push_back({"app", "pw", auth::method::password, false});
  h.login("app", "wrong");
  CHECK(h.errors_sent() == std::vector<std::string>{"28P01"});
  h.login("app", "pw");
  h.feed(query("SELECT 1/0; SELECT 1"));
  h.feed(parse("", "SELEKT") + sync_message());
  CHECK(h.errors_sent() == std::vector<std::string>{"22012", "42601"});
}

TEST_CASE("idle_since: the ReadyForQuery the session waits after") {
  harness h;
  h.now = 100ms;
  h.login("app");
  CHECK(h.s->idle_since() == 100ms);
  h.now = 250ms;
  h.s->receive(query("SELECT pg_sleep(1)").substr(0, 3));  // part of a message: busy
  CHECK_FALSE(h.s->idle_since().has_value());
  h.s->receive(query("SELECT pg_sleep(1)").substr(3));
  CHECK(h.s->next_action().what == kind::wait);
  CHECK_FALSE(h.s->idle_since().has_value());
  h.now = 1250ms;
  h.s->wait_finished();
  CHECK(h.s->idle_since() == 1250ms);
}
