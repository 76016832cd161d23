// auth_fail: 28P01 after the password.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("auth_fail: PG15's 28P01 for the user", "[faults][auth_fail]") {
  const auto f = make("auth_fail");
  CHECK(f->listens_to(hook::auth));
  CHECK_FALSE(f->listens_to(hook::startup));
  const verdict v = f->decide(hook::auth, started(), 0ms);
  REQUIRE(v.what == verdict::kind::fatal);
  CHECK(v.error.sqlstate == "28P01");
  CHECK(v.error.message == "password authentication failed for user \"app\"");
  CHECK(v.error.file == "auth.c");
}

TEST_CASE("auth_fail for one user only, twice", "[faults][auth_fail]") {
  auto e = engine_of("auth_fail:user=app,times=2");
  connection_facts other = started();
  other.user = "admin";
  CHECK(e.decide(hook::auth, other, 1, 0ms).what == verdict::kind::none);
  CHECK(e.decide(hook::auth, started(), 2, 0ms).what == verdict::kind::fatal);
  CHECK(e.decide(hook::auth, started(), 3, 0ms).what == verdict::kind::fatal);
  CHECK(e.decide(hook::auth, started(), 4, 0ms).what == verdict::kind::none);
}
