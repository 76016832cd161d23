// credential_expiry: each password is good for `valid_for` from its first login, then 28P01;
// a password not seen before is a fresh token.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

namespace {

connection_facts login(std::string_view user, std::string_view password) {
  connection_facts f = started();
  f.user = user;
  f.password = password;
  return f;
}

}  // namespace

TEST_CASE("credential_expiry: a password expires valid_for after its first login",
          "[faults][credential_expiry]") {
  const auto f = make("credential_expiry", {{"valid_for", "15m"}});
  CHECK(f->listens_to(hook::auth));
  CHECK_FALSE(f->listens_to(hook::startup));
  CHECK(f->decide(hook::auth, login("app", "token-1"), 1min).what == kind::none);
  CHECK(f->decide(hook::auth, login("app", "token-1"), 15min).what == kind::none);
  const verdict v = f->decide(hook::auth, login("app", "token-1"), 16min);
  REQUIRE(v.what == kind::fatal);
  CHECK(v.describe() == "fatal 28P01");
  CHECK(v.error.severity == "FATAL");
  CHECK(v.error.message == "password authentication failed for user \"app\"");
  // Exactly auth_fail's error (PG15's auth_failed in auth.c).
  const auto auth_fail = make("auth_fail")->decide(hook::auth, login("app", "x"), 0ms);
  CHECK(v.error.file == auth_fail.error.file);
  CHECK(v.error.line == auth_fail.error.line);
  CHECK(v.error.routine == auth_fail.error.routine);
  // Expired for good: a later login with it is refused again.
  CHECK(f->decide(hook::auth, login("app", "token-1"), 2h).what == kind::fatal);

  SECTION("a new password is a fresh token with its own window") {
    CHECK(f->decide(hook::auth, login("app", "token-2"), 16min).what == kind::none);
    CHECK(f->decide(hook::auth, login("app", "token-2"), 31min - 1ms).what == kind::none);
    CHECK(f->decide(hook::auth, login("app", "token-2"), 31min).what == kind::fatal);
  }
  SECTION("tokens are per role") {
    CHECK(f->decide(hook::auth, login("other", "token-1"), 16min).what == kind::none);
  }
}

TEST_CASE("credential_expiry: no password (trust), no verdict", "[faults][credential_expiry]") {
  const auto f = make("credential_expiry", {{"valid_for", "0"}});
  CHECK(f->decide(hook::auth, started(), 0ms).what == kind::none);
  CHECK(f->decide(hook::auth, started(), 1h).what == kind::none);
}

TEST_CASE("credential_expiry valid_for=0: every password works once",
          "[faults][credential_expiry]") {
  const auto f = make("credential_expiry", {{"valid_for", "0"}});
  CHECK(f->decide(hook::auth, login("app", "otp-1"), 5ms).what == kind::none);
  CHECK(f->decide(hook::auth, login("app", "otp-1"), 5ms).what == kind::fatal);
  CHECK(f->decide(hook::auth, login("app", "otp-2"), 5ms).what == kind::none);
}

TEST_CASE("credential_expiry through the engine: user match and counts",
          "[faults][credential_expiry]") {
  auto rules = engine_of("credential_expiry:valid_for=1s,user=app");
  CHECK(rules.decide(hook::auth, login("app", "t1"), 1, 0ms).what == kind::none);
  CHECK(rules.decide(hook::auth, login("app", "t1"), 2, 2s).what == kind::fatal);
  CHECK(rules.decide(hook::auth, login("other", "t1"), 3, 0ms).what == kind::none);
  CHECK(rules.decide(hook::auth, login("other", "t1"), 4, 2s).what == kind::none);
  CHECK(rules.fired("credential_expiry#1") == 1);
}

TEST_CASE("credential_expiry errors", "[faults][credential_expiry]") {
  auto e = rule_error("credential_expiry");
  CHECK(e.field() == "--fault credential_expiry.valid_for");
  e = rule_error("credential_expiry:valid_for=soon");
  CHECK(e.field() == "--fault credential_expiry.valid_for");
  e = rule_error("credential_expiry:valid_for=1s,rotate=1");
  CHECK(e.field() == "--fault credential_expiry.rotate");
}
