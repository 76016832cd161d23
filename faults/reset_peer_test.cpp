// reset_peer: the first data is dropped and the connection reset `timeout` later.
#include "faults/toxic_testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("reset_peer resets when data arrives (timeout=0)", "[faults][reset_peer]") {
  const auto t = toxic_from("reset_peer");
  toxic_state state;
  random_source random(seed);
  flow nothing;
  t.get().pipe(nothing, state, random);
  CHECK(nothing.end == flow::ending::none);
  CHECK_FALSE(state.triggered);

  auto f = chunk(10, 7ms);
  t.get().pipe(f, state, random);
  CHECK(f.pieces.empty());
  CHECK(f.end == flow::ending::reset);
  CHECK(f.end_at == 7ms);
  CHECK(f.end_by == "reset_peer");
}

TEST_CASE("reset_peer: `timeout` after the first data, whatever follows", "[faults][reset_peer]") {
  const auto t = toxic_from("reset_peer:timeout=100,stream=upstream");
  CHECK(t.get().describe() == "reset_peer after 100ms upstream");
  toxic_state state;
  random_source random(seed);
  auto f = chunk(10, 1s);
  t.get().pipe(f, state, random);
  CHECK(f.end == flow::ending::reset);
  CHECK(f.end_at == 1100ms);
  auto later = chunk(10, 1050ms);
  t.get().pipe(later, state, random);
  CHECK(later.pieces.empty());
  CHECK(later.end_at == 1100ms);

  // A close reaching it turns into the reset too.
  toxic_state fresh;
  flow closing;
  closing.end = flow::ending::close;
  closing.end_at = 5s;
  t.get().pipe(closing, fresh, random);
  CHECK(closing.end == flow::ending::reset);
  CHECK(closing.end_at == 5100ms);
}
