// timeout: nothing passes; the connection closes `timeout` after the toxic began (0: never).
#include "faults/toxic_testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("timeout=0 holds data for ever", "[faults][timeout]") {
  const auto t = toxic_from("timeout");
  CHECK(t.get().holds());
  toxic_state state;
  state.since = 1s;
  random_source random(seed);
  CHECK_FALSE(t.get().closes_at(state));
  auto f = chunk(10, 2s);
  t.get().pipe(f, state, random);
  CHECK(f.pieces.empty());
  CHECK(f.end == flow::ending::hold);
  CHECK(f.end_at == never);
  CHECK(f.end_by == "timeout");
  CHECK(t.get().describe() == "timeout never downstream");
}

TEST_CASE("timeout closes `timeout` after it began applying", "[faults][timeout]") {
  const auto t = toxic_from("timeout:timeout=500,stream=upstream");
  toxic_state state;
  state.since = 1s;
  random_source random(seed);
  CHECK(t.get().closes_at(state) == 1500ms);
  auto f = chunk(10, 1200ms);
  t.get().pipe(f, state, random);
  CHECK(f.pieces.empty());
  CHECK(f.end == flow::ending::hold);
  CHECK(f.end_at == 1500ms);

  // No data: nothing to say (the connection closes by closes_at()).
  flow empty;
  t.get().pipe(empty, state, random);
  CHECK(empty.end == flow::ending::none);

  // The stream's end gets through at once.
  flow closing;
  closing.end = flow::ending::close;
  closing.end_at = 1300ms;
  t.get().pipe(closing, state, random);
  CHECK(closing.end == flow::ending::close);
  CHECK(closing.end_at == 1300ms);
  CHECK(toxic_from("timeout:timeout=2s").get().describe() == "timeout 2s downstream");
  CHECK(rule_error("timeout:timeout=soon").field() == "--fault timeout.timeout");
}
