// The engine's runtime changes (control API, scenario timelines) and scheduled actions.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("rules are added, replaced and removed at runtime", "[faults][engine]") {
  engine e(std::vector<rule>{}, seed);
  CHECK_FALSE(e.listens_to(hook::startup));
  const auto generation = e.generation();

  const auto& added = e.add_rule(parse_rule("startup_error:preset=starting_up"));
  CHECK(added.name == "startup_error#1");
  CHECK(added.given.at("preset") == "starting_up");
  CHECK(e.listens_to(hook::startup));
  CHECK(e.generation() > generation);
  CHECK(e.add_rule(parse_rule("startup_error:preset=recovery")).name == "startup_error#2");
  CHECK_THROWS_AS(e.add_rule(parse_rule("auth_fail:name=startup_error#1")),
                  fauxgres::config::error);

  connection_facts facts = started(1);
  CHECK(e.decide(hook::startup, facts, 1, 0ms).error.message ==
        "the database system is starting up");

  const auto* replaced =
      e.replace_rule("startup_error#1", parse_rule("startup_error:preset=shutting_down"));
  REQUIRE(replaced);
  CHECK(replaced->name == "startup_error#1");
  CHECK(e.rules().front().name == "startup_error#1");  // keeps its place
  CHECK(e.decide(hook::startup, facts, 2, 0ms).error.message ==
        "the database system is shutting down");
  CHECK(e.replace_rule("nope", parse_rule("auth_fail")) == nullptr);

  CHECK(e.remove_rule("startup_error#1"));
  CHECK_FALSE(e.remove_rule("startup_error#1"));
  CHECK(e.add_rule(parse_rule("startup_error:preset=recovery")).name ==
        "startup_error#1");  // a free name
  CHECK(e.fired("startup_error#2") == 0);
  e.clear_rules();
  CHECK(e.rules().empty());
  CHECK_FALSE(e.listens_to(hook::startup));
  CHECK(e.events().size() == 2);  // the event log outlives the rules
}

TEST_CASE("scheduled actions fire once within their window and budget", "[faults][engine]") {
  engine e(std::vector<rule>{}, seed);
  e.add_rule(parse_rule("kill_all:at=1s,name=k,times=1"));
  e.add_rule(parse_rule("restart:at=1s,name=late,until=500ms,from=0s"));
  CHECK(e.fire_action("k", 1s));
  CHECK_FALSE(e.fire_action("k", 2s));     // budget spent
  CHECK_FALSE(e.fire_action("late", 1s));  // outside its window
  CHECK_FALSE(e.fire_action("missing", 1s));
  CHECK(e.fired("k") == 1);
  REQUIRE(e.events().size() == 1);
  CHECK(e.events().back().where == hook::server);
  CHECK(e.events().back().action == "kill_all");
  CHECK(e.events().back().connection == 0);

  e.record_action("api", server_action::kind::failover, 3s, "failover down 1s");
  CHECK(e.events().back().rule == "api");
  CHECK(e.events().back().type == "failover");
  CHECK(e.events().back().sequence == 2);
  e.reset_counts();
  CHECK(e.fired("k") == 0);
}
