// The stream shaper: toxics chained in rule order, state kept across chunks and chain
// changes, deadlines and close delays. Byte counts and a fake clock.
#include "faults/toxic_testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

namespace {

std::vector<rule> rules_of(std::initializer_list<std::string_view> texts) {
  std::vector<rule> out;
  for (auto text : texts) out.push_back(parse_rule(text));
  return out;
}

stream_shaper shaper_of(const std::vector<rule>& rules, microseconds now = 0us,
                        stream_direction d = stream_direction::downstream) {
  stream_shaper s(d, seed);
  s.update(chain_of(rules), now);
  return s;
}

}  // namespace

TEST_CASE("shaper: no toxics, the chunk passes now", "[faults][shaper]") {
  stream_shaper s(stream_direction::downstream, seed);
  CHECK(s.empty());
  const flow f = s.shape(1234, 5ms);
  CHECK(sizes(f) == std::vector<std::size_t>{1234});
  CHECK(times(f) == std::vector<microseconds>{5ms});
  CHECK(f.end == flow::ending::none);
  CHECK(s.deadline() == never);
  CHECK_FALSE(s.holds());
}

TEST_CASE("shaper: only this direction's toxics", "[faults][shaper]") {
  const auto rules = rules_of({"latency:latency=100,stream=upstream", "latency:latency=10"});
  auto down = shaper_of(rules);
  auto up = shaper_of(rules, 0us, stream_direction::upstream);
  CHECK(times(down.shape(1, 0us)) == std::vector<microseconds>{10ms});
  CHECK(times(up.shape(1, 0us)) == std::vector<microseconds>{100ms});
}

TEST_CASE("shaper: toxics compose in rule order", "[faults][shaper]") {
  SECTION("two latencies add up") {
    const auto rules = rules_of({"latency:latency=100", "latency:latency=50"});
    CHECK(times(shaper_of(rules).shape(10, 1s)) == std::vector<microseconds>{1150ms});
  }
  SECTION("latency then bandwidth: delayed, then paced") {
    const auto rules = rules_of({"latency:latency=50", "bandwidth:rate=100"});
    const flow f = shaper_of(rules).shape(25'000, 0us);
    CHECK(sizes(f) == std::vector<std::size_t>{10'000, 10'000, 5'000});
    CHECK(times(f) == std::vector<microseconds>{150ms, 250ms, 300ms});
  }
  SECTION("bandwidth then latency: the pacing already took longer than the latency") {
    const auto rules = rules_of({"bandwidth:rate=100", "latency:latency=50"});
    const flow f = shaper_of(rules).shape(25'000, 0us);
    CHECK(times(f) == std::vector<microseconds>{100ms, 200ms, 250ms});
  }
  SECTION("slicer then latency: every slice 100 ms after the chunk entered") {
    const auto rules = rules_of({"slicer:average_size=10,delay=1000", "latency:latency=100"});
    const flow f = shaper_of(rules).shape(40, 0us);
    CHECK(sizes(f) == std::vector<std::size_t>{10, 10, 10, 10});
    CHECK(times(f) == std::vector<microseconds>{100ms, 100ms, 100ms, 100ms});
  }
  SECTION("limit_data then latency: the close follows the delayed data") {
    const auto rules = rules_of({"limit_data:bytes=30", "latency:latency=100"});
    const flow f = shaper_of(rules).shape(50, 0us);
    CHECK(sizes(f) == std::vector<std::size_t>{30});
    CHECK(f.end == flow::ending::close);
    CHECK(f.end_at == 100ms);
  }
  SECTION("slicer then limit_data: the limit counts slices") {
    const auto rules = rules_of({"slicer:average_size=10,delay=1000", "limit_data:bytes=25"});
    const flow f = shaper_of(rules).shape(40, 0us);
    CHECK(sizes(f) == std::vector<std::size_t>{10, 10, 5});
    CHECK(f.end == flow::ending::close);
    CHECK(f.end_at == 2ms);
    CHECK(f.passed() == 25);
  }
  SECTION("latency then timeout: nothing passes") {
    const auto rules = rules_of({"latency:latency=100", "timeout:timeout=1s"});
    auto s = shaper_of(rules, 2s);
    const flow f = s.shape(50, 2s);
    CHECK(f.pieces.empty());
    CHECK(f.end == flow::ending::hold);
    CHECK(f.end_at == 3s);
    CHECK(s.holds());
    CHECK(s.deadline() == 3s);
  }
  SECTION("reset_peer then slow_close: the reset waits") {
    const auto rules = rules_of({"reset_peer:timeout=10", "slow_close:delay=100"});
    auto s = shaper_of(rules);
    const flow f = s.shape(50, 1s);
    CHECK(f.end == flow::ending::reset);
    CHECK(f.end_at == 1110ms);
    CHECK(s.close_delay() == 100ms);
  }
}

TEST_CASE("shaper: state lives across chunks and chain changes", "[faults][shaper]") {
  const auto rules = rules_of({"latency:latency=100", "limit_data:bytes=100"});
  stream_shaper s(stream_direction::downstream, seed);
  CHECK(s.update(chain_of(rules), 1s));
  CHECK_FALSE(s.update(chain_of(rules), 2s));  // the same chain: nothing changes
  CHECK(s.links()[1].state.since == 1s);
  CHECK(s.shape(60, 2s).end == flow::ending::none);

  // The latency goes: limit_data keeps its count.
  const std::vector<rule> limit_only{rules[1]};
  CHECK(s.update(chain_of(limit_only), 3s));
  REQUIRE(s.links().size() == 1);
  CHECK(s.links()[0].state.passed == 60);
  const flow f = s.shape(60, 3s);
  CHECK(sizes(f) == std::vector<std::size_t>{40});
  CHECK(times(f) == std::vector<microseconds>{3s});
  CHECK(f.end == flow::ending::close);

  // A toxic added later starts then.
  const auto timeout = rules_of({"timeout:timeout=500"});
  s.update(chain_of(timeout), 4s);
  CHECK(s.deadline() == 4500ms);
}

TEST_CASE("shaper: the deadline counts slow_close after the timeout", "[faults][shaper]") {
  const auto rules =
      rules_of({"slow_close:delay=50", "timeout:timeout=200", "slow_close:delay=300", "timeout"});
  const auto s = shaper_of(rules, 1s);
  CHECK(s.deadline() == 1500ms);
  CHECK(s.close_delay() == 350ms);
}

TEST_CASE("shaper: jitter and slices replay with the seed", "[faults][shaper]") {
  const auto rules = rules_of(
      {"latency:latency=100,jitter=50", "slicer:average_size=100,size_variation=50,delay=10"});
  auto run = [&] {
    auto s = shaper_of(rules);
    std::vector<microseconds> out;
    for (int i = 0; i < 10; ++i) {
      const auto f = s.shape(10'000, std::chrono::seconds(i));
      for (const auto& p : f.pieces) out.push_back(p.at + microseconds(p.size));
    }
    return out;
  };
  CHECK(run() == run());
}
