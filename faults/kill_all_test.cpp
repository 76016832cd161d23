// kill_all: a server action scheduled at `at`, never asked at a hook.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("kill_all schedules a server action at `at`", "[faults][kill_all]") {
  const auto f = make("kill_all", {{"at", "1500ms"}});
  for (auto h : {hook::accept, hook::startup, hook::auth, hook::ready, hook::query})
    CHECK_FALSE(f->listens_to(h));
  const auto action = f->scheduled();
  REQUIRE(action);
  CHECK(action->what == server_action::kind::kill_all);
  CHECK(action->at == 1500ms);
  CHECK(to_string(action->what) == "kill_all");
  CHECK(rule_error("kill_all").field() == "--fault kill_all.at");
  CHECK(rule_error("kill_all:at=1s,duration=1s").field() == "--fault kill_all.duration");
  CHECK(rule_error("kill_all:at=1s,user=app").field() == "--fault kill_all");
}
