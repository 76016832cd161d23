// shutdown: a server action scheduled at `at`, never asked at a hook.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("shutdown schedules a server action at `at`", "[faults][shutdown]") {
  const auto f = make("shutdown", {{"at", "1500ms"}});
  for (auto h : {hook::accept, hook::startup, hook::auth, hook::ready, hook::query})
    CHECK_FALSE(f->listens_to(h));
  const auto action = f->scheduled();
  REQUIRE(action);
  CHECK(action->what == server_action::kind::shutdown);
  CHECK(action->at == 1500ms);
  CHECK(to_string(action->what) == "shutdown");
  CHECK(rule_error("shutdown").field() == "--fault shutdown.at");
  CHECK(rule_error("shutdown:at=1s,duration=1s").field() == "--fault shutdown.duration");
  CHECK(rule_error("shutdown:at=1s,user=app").field() == "--fault shutdown");
}
