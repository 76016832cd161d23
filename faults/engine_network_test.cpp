// The engine's network rules: which toxics apply to a connection, toxicity drawn once per
// rule and connection (reproducible with the seed), windows, budgets, matches, events, and
// rules added and removed while connections are open.
#include "faults/toxic_testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

namespace {

engine engine_of(std::initializer_list<std::string_view> texts, std::uint64_t s = seed) {
  std::vector<rule> rules;
  for (auto text : texts) rules.push_back(parse_rule(text));
  return engine(std::move(rules), s);
}

std::vector<std::string_view> types_of(const network_answer& a) {
  std::vector<std::string_view> out;
  for (const auto& t : a.toxics) out.push_back(t.impl->type());
  return out;
}

// Which of `n` connections a rule applies to, as a string of 0/1.
std::string pattern_of(engine& e, int n) {
  std::string out;
  for (int i = 1; i <= n; ++i) {
    const auto c = static_cast<std::uint64_t>(i);
    out += e.network(accepted(c), c, 0ms).toxics.empty() ? '0' : '1';
  }
  return out;
}

}  // namespace

TEST_CASE("engine network: rules in order, each recorded once per connection",
          "[faults][engine_network]") {
  auto e = engine_of({"latency:latency=100", "query_delay:delay=1s", "slow_close:delay=5"});
  CHECK(e.has_network_rules());
  CHECK_FALSE(e.listens_to(hook::data));  // never asked through decide()
  for (int i = 0; i < 3; ++i) {
    const auto a = e.network(accepted(), 1, 0ms);
    CHECK(types_of(a) == std::vector<std::string_view>{"latency", "slow_close"});
    CHECK(a.recheck_at == milliseconds::max());
  }
  CHECK(e.fired("latency#1") == 1);
  CHECK(e.fired("slow_close#1") == 1);
  REQUIRE(e.events().size() == 2);
  CHECK(e.events()[0].where == hook::data);
  CHECK(e.events()[0].connection == 1);
  CHECK(e.events()[0].action == "latency 100ms downstream");
  CHECK(e.events()[1].action == "slow_close 5ms downstream");
  e.network(accepted(2), 2, 0ms);
  CHECK(e.fired("latency#1") == 2);
  CHECK(engine_of({"query_delay:delay=1s"}).has_network_rules() == false);
}

TEST_CASE("engine network: toxicity is drawn once per connection, from the seed",
          "[faults][engine_network]") {
  auto e = engine_of({"latency:latency=1,toxicity=0.5"});
  const auto first = pattern_of(e, 40);
  CHECK(first.find('0') != std::string::npos);
  CHECK(first.find('1') != std::string::npos);
  CHECK(pattern_of(e, 40) == first);  // asked again: the same answers, no new draws
  auto again = engine_of({"latency:latency=1,toxicity=0.5"});
  CHECK(pattern_of(again, 40) == first);
  auto other = engine_of({"latency:latency=1,toxicity=0.5"}, seed + 1);
  CHECK(pattern_of(other, 40) != first);
  CHECK(e.fired("latency#1") ==
        static_cast<std::uint64_t>(std::count(first.begin(), first.end(), '1')));

  auto never_applies = engine_of({"latency:latency=1,toxicity=0"});
  CHECK(pattern_of(never_applies, 20) == std::string(20, '0'));
  CHECK(never_applies.events().empty());
  // probability works the same way, times toxicity.
  auto half = engine_of({"latency:latency=1,toxicity=0.5,probability=0"});
  CHECK(pattern_of(half, 20) == std::string(20, '0'));
}

TEST_CASE("engine network: forgetting a connection forgets its draws", "[faults][engine_network]") {
  auto e = engine_of({"noop"});
  e.network(accepted(), 1, 0ms);
  e.network(accepted(), 1, 0ms);
  CHECK(e.fired("noop#1") == 1);
  e.forget_network(1);
  e.network(accepted(), 1, 0ms);
  CHECK(e.fired("noop#1") == 2);
}

TEST_CASE("engine network: matches, windows and budgets", "[faults][engine_network]") {
  SECTION("user: from the StartupMessage on") {
    auto e = engine_of({"latency:latency=1,user=app"});
    CHECK(e.network(accepted(), 1, 0ms).toxics.empty());
    CHECK(e.events().empty());
    CHECK(e.network(started(), 1, 0ms).toxics.size() == 1);
    auto other = started();
    other.user = "admin";
    CHECK(e.network(other, 2, 0ms).toxics.empty());
  }
  SECTION("listener") {
    auto e = engine_of({"latency:latency=1,listener=unix"});
    CHECK(e.network(accepted(), 1, 0ms).toxics.empty());
    auto local = accepted();
    local.unix_socket = true;
    local.listener = "unix0";
    CHECK(e.network(local, 2, 0ms).toxics.size() == 1);
  }
  SECTION("from / until: the answer says when to ask again") {
    auto e = engine_of({"latency:latency=1,from=1s,until=3s", "noop:until=10s"});
    auto a = e.network(accepted(), 1, 500ms);
    CHECK(types_of(a) == std::vector<std::string_view>{"noop"});
    CHECK(a.recheck_at == 1s);
    a = e.network(accepted(), 1, 1s);
    CHECK(types_of(a) == std::vector<std::string_view>{"latency", "noop"});
    CHECK(a.recheck_at == 3s);
    a = e.network(accepted(), 1, 3s);
    CHECK(types_of(a) == std::vector<std::string_view>{"noop"});
    CHECK(a.recheck_at == 10s);
  }
  SECTION("times: connections it applies to; those already affected keep it") {
    auto e = engine_of({"latency:latency=1,times=2"});
    CHECK(pattern_of(e, 4) == "1100");
    CHECK(pattern_of(e, 4) == "1100");
    e.reset_counts();
    CHECK(pattern_of(e, 4) == "1111");
  }
}

TEST_CASE("engine network: rules added and removed at runtime", "[faults][engine_network]") {
  engine e({}, seed);
  CHECK_FALSE(e.has_network_rules());
  CHECK(e.network(accepted(), 1, 0ms).toxics.empty());
  const auto before = e.generation();
  e.add_rule(parse_rule("latency:latency=100,name=slow"));
  CHECK(e.generation() != before);
  CHECK(e.has_network_rules());
  auto a = e.network(accepted(), 1, 5ms);
  REQUIRE(a.toxics.size() == 1);
  const auto id = a.toxics[0].id;
  e.add_rule(parse_rule("bandwidth:rate=10"));
  a = e.network(accepted(), 1, 6ms);
  CHECK(types_of(a) == std::vector<std::string_view>{"latency", "bandwidth"});
  CHECK(a.toxics[0].id == id);  // the same rule, the same id
  CHECK(e.remove_rule("slow"));
  CHECK(types_of(e.network(accepted(), 1, 7ms)) == std::vector<std::string_view>{"bandwidth"});
  // A replaced rule is a new toxic: a new id, a new event.
  e.replace_rule("bandwidth#1", parse_rule("bandwidth:rate=20"));
  a = e.network(accepted(), 1, 8ms);
  REQUIRE(a.toxics.size() == 1);
  CHECK(e.events().back().action == "bandwidth 20KB/s downstream");
}
