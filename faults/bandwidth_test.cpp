// bandwidth: rate KB/s, large chunks in 100 ms pieces, as Toxiproxy.
#include "faults/toxic_testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("bandwidth: a chunk takes size / rate", "[faults][bandwidth]") {
  const auto t = toxic_from("bandwidth:rate=100");  // 100 KB/s: 100 bytes per ms
  toxic_state state;
  random_source random(seed);
  auto f = chunk(1000, 1s);
  t.get().pipe(f, state, random);
  CHECK(sizes(f) == std::vector<std::size_t>{1000});
  CHECK(times(f) == std::vector<microseconds>{1010ms});

  auto small = chunk(1, 0ms);
  t.get().pipe(small, state, random);
  CHECK(times(small) == std::vector<microseconds>{10us});
}

TEST_CASE("bandwidth: more than 100 ms' worth goes out in 100 ms pieces", "[faults][bandwidth]") {
  const auto t = toxic_from("bandwidth:rate=100,stream=upstream");
  CHECK(t.get().stream() == stream_direction::upstream);
  toxic_state state;
  random_source random(seed);
  auto f = chunk(25'000, 0ms);
  f.end = flow::ending::close;
  f.end_at = 0ms;
  t.get().pipe(f, state, random);
  CHECK(sizes(f) == std::vector<std::size_t>{10'000, 10'000, 5'000});
  CHECK(times(f) == std::vector<microseconds>{100ms, 200ms, 250ms});
  CHECK(f.end_at == 250ms);  // the close follows the data

  // Two chunks in a row: the second waits for the first.
  flow two;
  two.pieces.push_back({0ms, 0ms, 1000});
  two.pieces.push_back({1ms, 1ms, 1000});
  t.get().pipe(two, state, random);
  CHECK(times(two) == std::vector<microseconds>{10ms, 20ms});
}

TEST_CASE("bandwidth: rate 0 is no limit; attributes", "[faults][bandwidth]") {
  const auto t = toxic_from("bandwidth");
  toxic_state state;
  random_source random(seed);
  auto f = chunk(1'000'000, 5ms);
  t.get().pipe(f, state, random);
  CHECK(times(f) == std::vector<microseconds>{5ms});
  CHECK(toxic_from("bandwidth:rate=64").get().describe() == "bandwidth 64KB/s downstream");
  CHECK(rule_error("bandwidth:rate=-1").field() == "--fault bandwidth.rate");
  CHECK(rule_error("bandwidth:rate=1.5").field() == "--fault bandwidth.rate");
}
