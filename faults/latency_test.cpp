// latency: a delay of latency ± jitter per chunk, measured from when the chunk entered.
#include "config/server_config.hpp"
#include "faults/toxic_testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("latency delays each chunk by latency from when it entered", "[faults][latency]") {
  const auto t = toxic_from("latency:latency=200");
  CHECK(t.get().stream() == stream_direction::downstream);
  CHECK(t.r.impl->listens_to(hook::data));
  CHECK_FALSE(t.r.impl->listens_to(hook::query));
  toxic_state state;
  random_source random(seed);

  auto f = chunk(100, 1s);
  t.get().pipe(f, state, random);
  REQUIRE(f.pieces.size() == 1);
  CHECK(f.pieces[0].at == 1200ms);
  CHECK(f.pieces[0].size == 100);
  CHECK(f.end == flow::ending::none);

  // A chunk that already waited 150 ms (behind another toxic) waits 50 ms more; one that
  // waited longer than the latency passes at once.
  flow late;
  late.pieces.push_back({2150ms, 2000ms, 10});
  late.pieces.push_back({2300ms, 2000ms, 10});
  t.get().pipe(late, state, random);
  CHECK(times(late) == std::vector<microseconds>{2200ms, 2300ms});
}

TEST_CASE("latency: pieces leave in order; an ending follows the last", "[faults][latency]") {
  const auto t = toxic_from("latency:latency=100ms");
  toxic_state state;
  random_source random(seed);
  flow f;
  f.pieces.push_back({0ms, 0ms, 1});
  f.pieces.push_back({10ms, 10ms, 1});
  f.end = flow::ending::close;
  f.end_at = 20ms;
  t.get().pipe(f, state, random);
  CHECK(times(f) == std::vector<microseconds>{100ms, 110ms});
  CHECK(f.end == flow::ending::close);
  CHECK(f.end_at == 110ms);
}

TEST_CASE("latency: jitter within ± jitter, reproducible with the seed", "[faults][latency]") {
  const auto t = toxic_from("latency:latency=100,jitter=20");
  auto run = [&](std::uint64_t s) {
    toxic_state state;
    random_source random(s);
    std::vector<microseconds> delays;
    for (int i = 0; i < 200; ++i) {
      auto f = chunk(1, 0ms);
      t.get().pipe(f, state, random);
      delays.push_back(f.pieces[0].at);
    }
    return delays;
  };
  const auto delays = run(seed);
  CHECK(run(seed) == delays);
  CHECK(run(seed + 1) != delays);
  const auto [low, high] = std::minmax_element(delays.begin(), delays.end());
  CHECK(*low >= 80ms);
  CHECK(*high < 120ms);
  CHECK(*high - *low >= 30ms);  // it does vary
  CHECK(t.get().describe() == "latency 100ms ±20ms downstream");
}

TEST_CASE("latency: attributes", "[faults][latency]") {
  CHECK(toxic_from("latency:latency=2s,stream=upstream").get().describe() == "latency 2s upstream");
  CHECK(toxic_from("latency:latency=250ms,toxicity=0.25").get().toxicity() == 0.25);
  CHECK(toxic_from("latency").get().describe() == "latency 0ms downstream");
  CHECK(rule_error("latency:latency=fast").field() == "--fault latency.latency");
  CHECK(rule_error("latency:latency=1,stream=sideways").field() == "--fault latency.stream");
  CHECK(rule_error("latency:latency=1,toxicity=2").field() == "--fault latency.toxicity");
  CHECK(rule_error("latency:latency=1,rate=5").field() == "--fault latency.rate");
  // Network rules may name the user: they apply once the StartupMessage is read.
  CHECK_NOTHROW(parse_rule("latency:latency=1,user=app,listener=tcp0,times=2,until=5s"));
}

TEST_CASE("latency: from the config file's faults list", "[faults][latency]") {
  fauxgres::config::server_config c;
  fauxgres::config::load_yaml_config(
      "faults:\n"
      "  - type: latency\n"
      "    latency: 200\n"
      "    jitter: 20ms\n"
      "    stream: upstream\n"
      "    toxicity: 0.5\n"
      "    listener: tcp0\n",
      "f.yaml", c);
  const auto rules = rules_from_config(c);
  REQUIRE(rules.size() == 1);
  const toxic* t = rules[0].impl->network();
  REQUIRE(t);
  CHECK(t->describe() == "latency 200ms ±20ms upstream");
  CHECK(t->toxicity() == 0.5);
  CHECK(rules[0].match.listener == "tcp0");
}
