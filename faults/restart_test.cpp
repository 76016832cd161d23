// restart: a server action scheduled at `at`, refusing connects for `duration`.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("restart schedules a server action with a down time", "[faults][restart]") {
  const auto f = make("restart", {{"at", "2s"}, {"duration", "250ms"}});
  CHECK_FALSE(f->listens_to(hook::startup));
  auto action = f->scheduled();
  REQUIRE(action);
  CHECK(action->what == server_action::kind::restart);
  CHECK(action->at == 2s);
  CHECK(action->down_for == 250ms);
  action = make("restart", {{"at", "0s"}})->scheduled();
  REQUIRE(action);
  CHECK(action->down_for == 1s);  // the default
  CHECK(rule_error("restart:duration=1s").field() == "--fault restart.at");
  CHECK(rule_error("restart:at=1s,duration=soon").field() == "--fault restart.duration");
  CHECK(rule_error("restart:at=1s,listener=tcp").field() == "--fault restart");
}
