// noop: everything passes untouched.
#include "faults/toxic_testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("noop passes everything", "[faults][noop]") {
  const auto t = toxic_from("noop:stream=upstream");
  CHECK(t.get().describe() == "noop upstream");
  CHECK_FALSE(t.get().holds());
  CHECK(t.get().close_delay() == 0us);
  toxic_state state;
  random_source random(seed);
  auto f = chunk(10, 1s);
  f.end = flow::ending::close;
  f.end_at = 1s;
  t.get().pipe(f, state, random);
  CHECK(sizes(f) == std::vector<std::size_t>{10});
  CHECK(times(f) == std::vector<microseconds>{1s});
  CHECK(f.end == flow::ending::close);
  CHECK(rule_error("noop:latency=1").field() == "--fault noop.latency");
}
