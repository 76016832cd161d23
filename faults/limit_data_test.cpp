// limit_data: `bytes` pass, then the connection closes.
#include "faults/toxic_testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("limit_data: passes `bytes`, then closes", "[faults][limit_data]") {
  const auto t = toxic_from("limit_data:bytes=100");
  toxic_state state;
  random_source random(seed);

  auto first = chunk(60, 1ms);
  t.get().pipe(first, state, random);
  CHECK(sizes(first) == std::vector<std::size_t>{60});
  CHECK(first.end == flow::ending::none);
  CHECK(state.passed == 60);

  auto second = chunk(60, 2ms);
  t.get().pipe(second, state, random);
  CHECK(sizes(second) == std::vector<std::size_t>{40});
  CHECK(second.end == flow::ending::close);
  CHECK(second.end_at == 2ms);
  CHECK(second.end_by == "limit_data");
  CHECK(state.passed == 100);
}

TEST_CASE("limit_data: exactly the limit closes at once; 0 closes on the first data",
          "[faults][limit_data]") {
  random_source random(seed);
  {
    const auto t = toxic_from("limit_data:bytes=100");
    toxic_state state;
    auto f = chunk(100, 0ms);
    t.get().pipe(f, state, random);
    CHECK(sizes(f) == std::vector<std::size_t>{100});
    CHECK(f.end == flow::ending::close);
  }
  {
    const auto t = toxic_from("limit_data");
    toxic_state state;
    auto f = chunk(5, 3ms);
    t.get().pipe(f, state, random);
    CHECK(f.pieces.empty());
    CHECK(f.end == flow::ending::close);
    CHECK(f.end_at == 3ms);
  }
  CHECK(toxic_from("limit_data:bytes=7,stream=upstream").get().describe() ==
        "limit_data 7 bytes upstream");
  CHECK(rule_error("limit_data:bytes=lots").field() == "--fault limit_data.bytes");
}
