// The engine: order, hooks, windows, budgets, probability draws (reproducible), deadlines,
// names and the event log.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

namespace {

engine engine_of(std::initializer_list<std::string_view> texts, std::uint64_t s = seed) {
  std::vector<rule> rules;
  for (auto text : texts) rules.push_back(parse_rule(text));
  return engine(std::move(rules), s);
}

// Which of `n` connections a rule fires for, as a string of 0/1.
std::string pattern_of(engine& e, int n) {
  std::string out;
  for (int i = 1; i <= n; ++i) {
    const auto c = static_cast<std::uint64_t>(i);
    out += e.decide(hook::auth, started(c), c, 0ms).what == kind::none ? '0' : '1';
  }
  return out;
}

}  // namespace

TEST_CASE("engine: no rules, no verdicts", "[faults][engine]") {
  engine e;
  CHECK_FALSE(e.listens_to(hook::accept));
  CHECK(e.decide(hook::accept, accepted(), 1, 0ms).what == kind::none);
  CHECK(e.events().empty());
}

TEST_CASE("engine: rules in order, first verdict wins", "[faults][engine]") {
  auto e = engine_of({"auth_fail:user=admin", "auth_delay:delay=1s", "auth_fail"});
  CHECK(e.listens_to(hook::auth));
  CHECK_FALSE(e.listens_to(hook::startup));
  const verdict v = e.decide(hook::auth, started(), 1, 0ms);
  CHECK(v.what == kind::delay);
  CHECK(v.rule == "auth_delay#1");
  CHECK(e.fired("auth_delay#1") == 1);
  CHECK(e.fired("auth_fail#1") == 0);
  CHECK(e.fired("auth_fail#2") == 0);
  CHECK(e.fired("nonexistent") == 0);
  REQUIRE(e.events().size() == 1);
  const fired_event& ev = e.events().front();
  CHECK(ev.sequence == 1);
  CHECK(ev.connection == 1);
  CHECK(ev.rule == "auth_delay#1");
  CHECK(ev.type == "auth_delay");
  CHECK(ev.where == hook::auth);
  CHECK(ev.action == "delay 1s");
}

TEST_CASE("engine: only faults listening to the hook are asked", "[faults][engine]") {
  auto e = engine_of({"query_hang", "startup_delay:delay=1s"});
  CHECK(e.decide(hook::startup, started(), 1, 0ms).what == kind::delay);
  CHECK(e.decide(hook::query, querying("x"), 1, 0ms).what == kind::hang);
  CHECK(e.decide(hook::auth, started(), 1, 0ms).what == kind::none);
}

TEST_CASE("engine: times is a budget", "[faults][engine]") {
  auto e = engine_of({"auth_fail:times=2", "auth_delay:delay=1s"});
  CHECK(e.decide(hook::auth, started(), 1, 0ms).what == kind::fatal);
  CHECK(e.decide(hook::auth, started(), 2, 0ms).what == kind::fatal);
  CHECK(e.decide(hook::auth, started(), 3, 0ms).what == kind::delay);  // budget spent
  CHECK(e.fired("auth_fail#1") == 2);
  auto never = engine_of({"auth_fail:times=0"});
  CHECK(never.decide(hook::auth, started(), 1, 0ms).what == kind::none);
}

TEST_CASE("engine: from/until window since server start", "[faults][engine]") {
  auto e = engine_of({"startup_error:preset=starting_up,from=2s,until=5s"});
  CHECK(e.decide(hook::startup, started(), 1, 1999ms).what == kind::none);
  CHECK(e.decide(hook::startup, started(), 2, 2s).what == kind::fatal);
  CHECK(e.decide(hook::startup, started(), 3, 4999ms).what == kind::fatal);
  CHECK(e.decide(hook::startup, started(), 4, 5s).what == kind::none);
  CHECK(e.events().back().at == 4999ms);
  CHECK(e.boundaries() == std::vector<milliseconds>{2s, 5s});
}

TEST_CASE("engine: probability is reproducible from the seed", "[faults][engine][seed]") {
  auto a = engine_of({"auth_fail:probability=0.5"}, 7);
  auto b = engine_of({"auth_fail:probability=0.5"}, 7);
  auto c = engine_of({"auth_fail:probability=0.5"}, 8);
  const std::string pa = pattern_of(a, 100);
  CHECK(pa == pattern_of(b, 100));
  CHECK(pa != pattern_of(c, 100));
  const auto ones = std::count(pa.begin(), pa.end(), '1');
  CHECK(ones > 30);
  CHECK(ones < 70);
  CHECK(a.seed() == 7);
  CHECK(a.fired("auth_fail#1") == static_cast<std::uint64_t>(ones));
}

TEST_CASE("engine: no draw for certain or disabled rules", "[faults][engine][seed]") {
  // Rules with probability 1 or 0 firing in between must not shift the draws of another.
  auto plain = engine_of({"auth_fail:probability=0.3"});
  auto busy = engine_of({"auth_delay:delay=1s,probability=0", "auth_fail:probability=0.3",
                         "query_delay:delay=1s,probability=1"});
  const std::string expected = pattern_of(plain, 50);
  std::string seen;
  for (std::uint64_t c = 1; c <= 50; ++c) {
    CHECK(busy.decide(hook::query, querying("x"), c, 0ms).what == kind::delay);
    seen += busy.decide(hook::auth, started(c), c, 0ms).what == kind::fatal ? '1' : '0';
  }
  CHECK(seen == expected);
  CHECK(busy.fired("auth_delay#1") == 0);
}

TEST_CASE("engine: at ready the soonest deadline wins and counts when it fires",
          "[faults][engine][deadline]") {
  auto e = engine_of({"idle_drop:after=5m", "max_lifetime:lifetime=30m,times=1"});
  verdict v = e.decide(hook::ready, idle(0ms), 1, 0ms);
  CHECK(v.rule == "idle_drop#1");
  CHECK(v.after == 5min);
  v = e.decide(hook::ready, idle(28min), 2, 28min);
  CHECK(v.rule == "max_lifetime#1");
  CHECK(v.after == 2min);
  CHECK(e.events().empty());  // armed, not fired
  CHECK(e.fired("max_lifetime#1") == 0);
  CHECK(e.fire_deadline(v, 2, 30min));
  CHECK(e.fired("max_lifetime#1") == 1);
  REQUIRE(e.events().size() == 1);
  CHECK(e.events().back().action == "fatal 57P01");
  CHECK(e.events().back().where == hook::ready);
  CHECK(e.events().back().connection == 2);
  CHECK_FALSE(e.fire_deadline(v, 3, 31min));  // budget spent
  // With max_lifetime spent, idle_drop arms again.
  CHECK(e.decide(hook::ready, idle(29min), 4, 29min).rule == "idle_drop#1");
  verdict stranger = v;
  stranger.rule = "gone";
  CHECK_FALSE(e.fire_deadline(stranger, 5, 31min));
}

TEST_CASE("engine: at a moment one rule is put to each connection", "[faults][engine][moment]") {
  auto e = engine_of({"terminate:at=5s,user=app,times=2,name=t", "auth_fail", "kill_all:at=5s"});
  CHECK(e.listens_to(hook::moment));
  verdict v = e.decide_rule("t", hook::moment, idle(), 1, 5s);
  CHECK(v.what == kind::fatal);
  CHECK(v.rule == "t");
  REQUIRE(e.events().size() == 1);
  CHECK(e.events().back().where == hook::moment);
  CHECK(e.events().back().connection == 1);
  CHECK(e.events().back().action == "fatal 57P01");
  connection_facts other = idle();
  other.user = "batch";
  CHECK(e.decide_rule("t", hook::moment, other, 2, 5s).what == kind::none);  // no match
  CHECK(e.decide_rule("t", hook::moment, idle(), 3, 5s).what == kind::fatal);
  CHECK(e.decide_rule("t", hook::moment, idle(), 4, 5s).what == kind::none);  // budget spent
  CHECK(e.fired("t") == 2);
  // Only the named rule, and only at a hook it listens to.
  CHECK(e.decide_rule("auth_fail#1", hook::moment, started(), 5, 5s).what == kind::none);
  CHECK(e.decide_rule("kill_all#1", hook::moment, started(), 5, 5s).what == kind::none);
  CHECK(e.decide_rule("gone", hook::moment, started(), 5, 5s).what == kind::none);
  CHECK(e.events().size() == 2);
}

TEST_CASE("engine: names unnamed rules, refuses duplicate names", "[faults][engine]") {
  auto e = engine_of({"auth_fail:user=a", "auth_delay:delay=1s,name=slow", "auth_fail"});
  REQUIRE(e.rules().size() == 3);
  CHECK(e.rules()[0].name == "auth_fail#1");
  CHECK(e.rules()[1].name == "slow");
  CHECK(e.rules()[2].name == "auth_fail#2");
  std::vector<rule> twice{parse_rule("auth_fail:name=x"), parse_rule("query_hang:name=x")};
  try {
    engine dup(std::move(twice), seed);
    FAIL("expected a config::error");
  } catch (const fauxgres::config::error& err) {
    CHECK(err.field() == "--fault query_hang.name");
    CHECK(err.value() == "x");
  }
  std::vector<rule> clash{parse_rule("auth_fail"), parse_rule("auth_fail:name=auth_fail#1")};
  CHECK_THROWS_AS(engine(std::move(clash), seed), fauxgres::config::error);
}

TEST_CASE("engine: the event log keeps the last max_events", "[faults][engine]") {
  auto e = engine_of({"query_delay:delay=1ms"});
  const std::size_t n = engine::max_events + 5;
  for (std::size_t i = 1; i <= n; ++i) e.decide(hook::query, querying("x"), i, 0ms);
  CHECK(e.events().size() == engine::max_events);
  CHECK(e.events().front().sequence == 6);
  CHECK(e.events().back().sequence == n);
  CHECK(e.fired("query_delay#1") == n);
}

TEST_CASE("engine: same seed and inputs give the same event sequence", "[faults][engine][seed]") {
  const auto run = [](std::uint64_t s) {
    auto e = engine_of({"accept_hang:every=5", "startup_error:preset=starting_up,probability=0.2",
                        "query_error:sqlstate=40001,probability=0.1,pattern=update",
                        "query_delay:delay=10ms,probability=0.5"},
                       s);
    for (std::uint64_t c = 1; c <= 40; ++c) {
      e.decide(hook::accept, accepted(c), c, milliseconds(c));
      e.decide(hook::startup, started(c), c, milliseconds(c));
      e.decide(hook::query, querying(c % 2 ? "update t" : "select 1"), c, milliseconds(c));
    }
    std::string log;
    for (const auto& ev : e.events()) {
      log += std::to_string(ev.connection) + " " + ev.rule + " " + ev.action + "\n";
    }
    return log;
  };
  CHECK(run(123) == run(123));
  CHECK(run(123) != run(124));
}
