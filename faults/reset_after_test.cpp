// reset_after: RST once a connection is `after` old, or at its `statements`-th statement.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("reset_after after=: a deadline for the time left", "[faults][reset_after]") {
  const auto f = make("reset_after", {{"after", "1m"}});
  CHECK(f->listens_to(hook::ready));
  CHECK_FALSE(f->listens_to(hook::query));
  const verdict v = f->decide(hook::ready, idle(20s), 0ms);
  REQUIRE(v.what == kind::deadline);
  CHECK(v.after == 40s);
  CHECK(v.describe() == "deadline 40s then reset");
  CHECK(f->decide(hook::ready, idle(2min), 0ms).after == 0ms);
}

TEST_CASE("reset_after statements=: reset at the n-th statement", "[faults][reset_after]") {
  const auto f = make("reset_after", {{"statements", "3"}});
  CHECK(f->listens_to(hook::query));
  CHECK_FALSE(f->listens_to(hook::ready));
  CHECK(f->decide(hook::query, querying("select 1", 0), 0ms).what == kind::none);
  CHECK(f->decide(hook::query, querying("select 1", 1), 0ms).what == kind::none);
  CHECK(f->decide(hook::query, querying("select 1", 2), 0ms).what == kind::reset);
  CHECK(f->decide(hook::query, querying("select 1", 5), 0ms).what == kind::reset);
}

TEST_CASE("reset_after needs exactly one of after and statements", "[faults][reset_after]") {
  CHECK(rule_error("reset_after").field() == "--fault reset_after.after");
  CHECK(rule_error("reset_after:after=1s,statements=2").field() ==
        "--fault reset_after.statements");
  CHECK(rule_error("reset_after:statements=0").field() == "--fault reset_after.statements");
  CHECK(rule_error("reset_after:statements=x").field() == "--fault reset_after.statements");
}
