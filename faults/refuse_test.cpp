// refuse: close / reset after accept, and a closed listener.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("refuse closes after accept by default", "[faults][refuse]") {
  const auto f = make("refuse");
  CHECK(f->listens_to(hook::accept));
  CHECK_FALSE(f->listens_to(hook::startup));
  CHECK(f->decide(hook::accept, accepted(), 0ms).what == kind::close);
  CHECK_FALSE(f->closes_listener());
}

TEST_CASE("refuse mode=reset resets after accept", "[faults][refuse]") {
  CHECK(make("refuse", {{"mode", "reset"}})->decide(hook::accept, accepted(), 0ms).what ==
        kind::reset);
}

TEST_CASE("refuse mode=closed closes the listener, not connections", "[faults][refuse]") {
  const auto f = make("refuse", {{"mode", "closed"}});
  CHECK(f->closes_listener());
  CHECK_FALSE(f->listens_to(hook::accept));
  CHECK(f->decide(hook::accept, accepted(), 0ms).what == kind::none);

  auto e = engine_of("refuse:mode=closed,listener=unix,from=1s,until=3s");
  CHECK_FALSE(e.listener_closed("unix0", true, 0ms));
  CHECK(e.listener_closed("unix0", true, 1s));
  CHECK(e.listener_closed("unix0", true, 2999ms));
  CHECK_FALSE(e.listener_closed("unix0", true, 3s));
  CHECK_FALSE(e.listener_closed("tcp0", false, 2s));
  CHECK(e.boundaries() == std::vector<milliseconds>{1s, 3s});
  CHECK(e.decide(hook::accept, accepted(), 7, 2s).what == kind::none);
}

TEST_CASE("refuse: bad mode names the field", "[faults][refuse]") {
  const auto e = rule_error("refuse:mode=slam");
  CHECK(e.field() == "--fault refuse.mode");
  CHECK(e.value() == "slam");
  CHECK(e.why() == "expected close, reset or closed");
  CHECK(rule_error("refuse:mode=closed,user=app").field() == "--fault refuse.user");
  CHECK(rule_error("refuse:mode=closed,probability=0.5").field() == "--fault refuse.probability");
  CHECK(rule_error("refuse:user=app").field() == "--fault refuse.user");  // unknown at accept
}
