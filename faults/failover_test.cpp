// failover: a server action scheduled at `at`, refusing connects for `duration`.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("failover schedules a server action with a down time", "[faults][failover]") {
  const auto f = make("failover", {{"at", "2s"}, {"duration", "250ms"}});
  CHECK_FALSE(f->listens_to(hook::startup));
  auto action = f->scheduled();
  REQUIRE(action);
  CHECK(action->what == server_action::kind::failover);
  CHECK(action->at == 2s);
  CHECK(action->down_for == 250ms);
  action = make("failover", {{"at", "0s"}})->scheduled();
  REQUIRE(action);
  CHECK(action->down_for == 1s);  // the default
  CHECK(rule_error("failover:duration=1s").field() == "--fault failover.at");
  CHECK(rule_error("failover:at=1s,duration=soon").field() == "--fault failover.duration");
  CHECK(rule_error("failover:at=1s,listener=tcp").field() == "--fault failover");
}
