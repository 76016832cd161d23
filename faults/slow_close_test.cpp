// slow_close: data passes, the close waits `delay`.
#include "faults/toxic_testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("slow_close delays the close, not the data", "[faults][slow_close]") {
  const auto t = toxic_from("slow_close:delay=300");
  CHECK(t.get().close_delay() == 300ms);
  CHECK(t.get().describe() == "slow_close 300ms downstream");
  toxic_state state;
  random_source random(seed);
  auto f = chunk(10, 1s);
  t.get().pipe(f, state, random);
  CHECK(times(f) == std::vector<microseconds>{1s});
  CHECK(f.end == flow::ending::none);

  auto closing = chunk(10, 1s);
  closing.end = flow::ending::reset;
  closing.end_at = 2s;
  t.get().pipe(closing, state, random);
  CHECK(closing.end == flow::ending::reset);
  CHECK(closing.end_at == 2300ms);

  flow held;
  held.end = flow::ending::hold;
  held.end_at = never;
  t.get().pipe(held, state, random);
  CHECK(held.end_at == never);
  CHECK(rule_error("slow_close:delay=later").field() == "--fault slow_close.delay");
}
