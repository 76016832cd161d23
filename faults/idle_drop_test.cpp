// idle_drop: a deadline at ReadyForQuery 'I' and what happens when it expires.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("idle_drop mode=fatal (default): 57P05 after `after` idle", "[faults][idle_drop]") {
  const auto f = make("idle_drop", {{"after", "5s"}});
  CHECK(f->listens_to(hook::ready));
  const verdict v = f->decide(hook::ready, idle(), 0ms);
  REQUIRE(v.what == kind::deadline);
  CHECK(v.after == 5s);
  REQUIRE(v.then);
  CHECK(v.then->what == kind::fatal);
  CHECK(v.then->error.sqlstate == "57P05");
  CHECK(v.then->error.message == "terminating connection due to idle-session timeout");
  CHECK(v.describe() == "deadline 5s then fatal 57P05");
}

TEST_CASE("idle_drop only when idle outside a transaction", "[faults][idle_drop]") {
  const auto f = make("idle_drop", {{"after", "5s"}});
  CHECK(f->decide(hook::ready, idle(0ms, 'T'), 0ms).what == kind::none);
  CHECK(f->decide(hook::ready, idle(0ms, 'E'), 0ms).what == kind::none);
  CHECK(f->decide(hook::query, querying("select 1"), 0ms).what == kind::none);
}

TEST_CASE("idle_drop modes", "[faults][idle_drop]") {
  struct row {
    const char* mode;
    kind then;
  };
  for (const row& r : {row{"fin", kind::close}, row{"reset", kind::reset},
                       row{"blackhole", kind::hang}, row{"fatal", kind::fatal}}) {
    INFO(r.mode);
    const verdict v =
        make("idle_drop", {{"after", "250ms"}, {"mode", r.mode}})->decide(hook::ready, idle(), 0ms);
    REQUIRE(v.then);
    CHECK(v.then->what == r.then);
    CHECK(v.after == 250ms);
  }
}

TEST_CASE("idle_drop errors", "[faults][idle_drop]") {
  auto e = rule_error("idle_drop:after=5x");
  CHECK(e.field() == "--fault idle_drop.after");
  CHECK(e.value() == "5x");
  CHECK(std::string(e.what()).rfind("--fault idle_drop.after: ", 0) == 0);
  CHECK(rule_error("idle_drop").field() == "--fault idle_drop.after");
  CHECK(rule_error("idle_drop:after=5s,mode=rst").field() == "--fault idle_drop.mode");
}
