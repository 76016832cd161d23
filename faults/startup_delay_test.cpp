// startup_delay: a delay after the StartupMessage.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("startup_delay delays at startup", "[faults][startup_delay]") {
  const auto f = make("startup_delay", {{"delay", "1500ms"}});
  CHECK(f->listens_to(hook::startup));
  const verdict v = f->decide(hook::startup, started(), 0ms);
  CHECK(v.what == verdict::kind::delay);
  CHECK(v.after == 1500ms);
  CHECK(v.describe() == "delay 1500ms");
  CHECK(f->decide(hook::auth, started(), 0ms).what == verdict::kind::none);
}

TEST_CASE("startup_delay errors", "[faults][startup_delay]") {
  auto e = rule_error("startup_delay");
  CHECK(e.field() == "--fault startup_delay.delay");
  e = rule_error("startup_delay:delay=5x");
  CHECK(e.field() == "--fault startup_delay.delay");
  CHECK(e.value() == "5x");
}
