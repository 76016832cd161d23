// auth_delay: a delay before AuthenticationOk.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("auth_delay delays at auth", "[faults][auth_delay]") {
  const auto f = make("auth_delay", {{"delay", "2s"}});
  CHECK(f->listens_to(hook::auth));
  const verdict v = f->decide(hook::auth, started(), 0ms);
  CHECK(v.what == verdict::kind::delay);
  CHECK(v.after == 2s);
  CHECK(v.describe() == "delay 2s");
  CHECK(f->decide(hook::startup, started(), 0ms).what == verdict::kind::none);
  CHECK(rule_error("auth_delay").field() == "--fault auth_delay.delay");
}
