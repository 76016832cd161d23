// max_lifetime: a deadline for the time left of the connection's lifetime.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("max_lifetime arms the time left, at least 0", "[faults][max_lifetime]") {
  const auto f = make("max_lifetime", {{"lifetime", "30m"}});
  CHECK(f->listens_to(hook::ready));
  verdict v = f->decide(hook::ready, idle(10min), 20min);
  REQUIRE(v.what == kind::deadline);
  CHECK(v.after == 20min);
  REQUIRE(v.then);
  CHECK(v.then->error.sqlstate == "57P01");
  CHECK(v.then->error.message == "terminating connection due to administrator command");
  CHECK(f->decide(hook::ready, idle(0ms, 'T'), 0ms).what == kind::deadline);  // any status
  v = f->decide(hook::ready, idle(45min), 50min);
  CHECK(v.after == 0ms);
  CHECK(v.describe() == "deadline 0ms then fatal 57P01");
}

TEST_CASE("max_lifetime modes and errors", "[faults][max_lifetime]") {
  CHECK(make("max_lifetime", {{"lifetime", "1s"}, {"mode", "reset"}})
            ->decide(hook::ready, idle(), 0ms)
            .then->what == kind::reset);
  CHECK(make("max_lifetime", {{"lifetime", "1s"}, {"mode", "fin"}})
            ->decide(hook::ready, idle(), 0ms)
            .then->what == kind::close);
  CHECK(rule_error("max_lifetime").field() == "--fault max_lifetime.lifetime");
  CHECK(rule_error("max_lifetime:lifetime=1s,mode=blackhole").field() ==
        "--fault max_lifetime.mode");
}
