// terminate: 57P01 at a time since server start, for connections that exist then.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("terminate arms a deadline until `at`", "[faults][terminate]") {
  const auto f = make("terminate", {{"at", "10s"}});
  CHECK(f->listens_to(hook::ready));
  verdict v = f->decide(hook::ready, idle(1s), 4s);  // connected at 3s
  REQUIRE(v.what == kind::deadline);
  CHECK(v.after == 6s);
  REQUIRE(v.then);
  CHECK(v.then->what == kind::fatal);
  CHECK(v.then->error.sqlstate == "57P01");
  v = f->decide(hook::ready, idle(8s), 12s);  // connected at 4s, busy at 10s: now
  CHECK(v.after == 0ms);
  CHECK(f->decide(hook::ready, idle(1s), 12s).what == kind::none);  // connected at 11s
  CHECK(rule_error("terminate").field() == "--fault terminate.at");
}
