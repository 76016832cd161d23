// slicer: slices of about average_size bytes, delay microseconds apart.
#include <numeric>

#include "faults/toxic_testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("slicer: Toxiproxy's halving, delay apart", "[faults][slicer]") {
  const auto t = toxic_from("slicer:average_size=10,delay=500");
  toxic_state state;
  random_source random(seed);
  auto f = chunk(100, 1s);
  t.get().pipe(f, state, random);
  // 100 → 50 + 50 → 25 + 25 → 12 + 13 → 6 + 6, 6 + 7
  const std::vector<std::size_t> quarter{6, 6, 6, 7};
  std::vector<std::size_t> expected;
  for (int i = 0; i < 4; ++i) expected.insert(expected.end(), quarter.begin(), quarter.end());
  CHECK(sizes(f) == expected);
  REQUIRE(f.pieces.size() == 16);
  for (std::size_t i = 0; i < f.pieces.size(); ++i)
    CHECK(f.pieces[i].at == 1s + static_cast<std::int64_t>(i) * 500us);

  // Small chunks pass whole, and wait for the slices before them.
  flow g;
  g.pieces.push_back({0us, 0us, 10});
  g.pieces.push_back({0us, 0us, 3});
  g.end = flow::ending::close;
  t.get().pipe(g, state, random);
  CHECK(sizes(g) == std::vector<std::size_t>{10, 3});
  CHECK(times(g) == std::vector<microseconds>{0us, 500us});
  CHECK(g.end_at == 1000us);
}

TEST_CASE("slicer: size variation, reproducible with the seed", "[faults][slicer]") {
  const auto t = toxic_from("slicer:average_size=100,size_variation=40");
  auto run = [&](std::uint64_t s) {
    toxic_state state;
    random_source random(s);
    auto f = chunk(100'000, 0us);
    t.get().pipe(f, state, random);
    return sizes(f);
  };
  const auto slices = run(seed);
  CHECK(std::accumulate(slices.begin(), slices.end(), std::size_t(0)) == 100'000);
  CHECK(slices.size() > 500);
  for (auto s : slices) CHECK(s <= 140);
  CHECK(run(seed) == slices);
  CHECK(run(seed + 1) != slices);
}

TEST_CASE("slicer: attributes", "[faults][slicer]") {
  CHECK(toxic_from("slicer:average_size=64,size_variation=8,delay=2ms").get().describe() ==
        "slicer 64±8 bytes every 2ms downstream");
  CHECK(toxic_from("slicer:average_size=1,delay=250us").get().describe() ==
        "slicer 1±0 bytes every 250us downstream");
  CHECK(rule_error("slicer:delay=10").field() == "--fault slicer.average_size");
  CHECK(rule_error("slicer:average_size=0").field() == "--fault slicer.average_size");
  CHECK(rule_error("slicer:average_size=10,size_variation=10").field() ==
        "--fault slicer.size_variation");
  CHECK(rule_error("slicer:average_size=10,delay=5min").field() == "--fault slicer.delay");
  CHECK(rule_error("slicer:average_size=10,delay=-1").field() == "--fault slicer.delay");
}
