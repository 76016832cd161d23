// Scenario files: faults (the config file's schema), the timeline and expectations, errors
// naming the YAML path, the check against the server's rules, and the shipped library
// (faults/scenarios/) and docs/scenarios.md staying valid.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/scenario.hpp"

using namespace fauxgres;
using namespace fauxgres::harness;
using std::chrono::milliseconds;
using rule_list = std::vector<std::pair<std::string, std::string>>;
using kind = timeline_entry::kind;

namespace {

config::error error_of(const std::string& yaml) {
  try {
    parse_scenario(yaml, "s.yaml");
  } catch (const config::error& e) {
    return e;
  }
  FAIL("expected a config::error for " << yaml);
  throw std::logic_error("unreachable");
}

config::error check_error(const std::string& yaml, const rule_list& rules) {
  auto s = parse_scenario(yaml, "s.yaml");
  try {
    check_scenario(s, rules);
  } catch (const config::error& e) {
    return e;
  }
  FAIL("expected check_scenario to throw for " << yaml);
  throw std::logic_error("unreachable");
}

std::filesystem::path repo() {
  return std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "..";
}

// The names and types the server's engine gives a scenario's rules when nothing else is
// configured.
rule_list rules_of(const scenario& s) {
  config::server_config c;
  c.fault_entries = s.faults;
  faults::engine e(faults::rules_from_config(c), 0);
  rule_list out;
  for (const auto& r : e.rules()) out.emplace_back(r.name, r.type);
  return out;
}

}  // namespace

TEST_CASE("a scenario: faults, timeline in time order, expectations", "[harness][scenario]") {
  auto s = parse_scenario(R"(
description: a pool meets a restart
faults:
  - type: max_connections
    limit: 5
    name: cap
  - type: idle_drop
    after: 500ms
timeline:
  - at: 3s
    remove: cap
  - {at: 1s, action: restart, duration: 250ms}
  - at: 2s
    add: {type: query_delay, delay: 100ms, pattern: "^select", name: slow}
  - {at: 2s, action: kill_all}
  - {at: 4s, action: failover}
  - {at: 5s, action: shutdown}
expect:
  - peak_connections <= 5
  - fired(slow) >= 1
)",
                          "s.yaml");
  CHECK(s.origin == "s.yaml");
  CHECK(s.description == "a pool meets a restart");
  REQUIRE(s.faults.size() == 2);
  CHECK(s.faults[0].type == "max_connections");
  CHECK(s.faults[0].keys.at("limit") == "5");
  CHECK(s.faults[0].field == "faults[0]");
  CHECK(s.faults[0].origin == "s.yaml");
  REQUIRE(s.timeline.size() == 6);
  CHECK(s.timeline[0].at == milliseconds(1000));
  CHECK(s.timeline[0].what == kind::action);
  CHECK(s.timeline[0].action == faults::server_action::kind::restart);
  CHECK(s.timeline[0].duration == milliseconds(250));
  CHECK(s.timeline[0].field == "timeline[1]");
  CHECK(s.timeline[0].describe() == "restart (down 250ms)");
  CHECK(s.timeline[1].what == kind::add);  // same time as kill_all: as written
  CHECK(s.timeline[1].name == "slow");
  CHECK(s.timeline[1].rule.type == "query_delay");
  CHECK(s.timeline[1].describe() == "add query_delay rule slow");
  CHECK(s.timeline[2].action == faults::server_action::kind::kill_all);
  CHECK(s.timeline[3].what == kind::remove);
  CHECK(s.timeline[3].describe() == "remove rule cap");
  CHECK(s.timeline[4].duration == milliseconds(1000));  // the default
  CHECK(s.timeline[4].describe() == "failover (down 1s)");
  CHECK(s.timeline[5].describe() == "shutdown");
  REQUIRE(s.expectations.size() == 2);
  CHECK(s.expectations[1].field == "expect[1]");
  CHECK_NOTHROW(check_scenario(s, rules_of(s)));
  CHECK(rules_of(s) == rule_list{{"cap", "max_connections"}, {"idle_drop#1", "idle_drop"}});
}

TEST_CASE("timeline entries count from the start or from the first login", "[harness][scenario]") {
  auto s = parse_scenario(R"(
timeline:
  - {at: 500ms, since: first_login, action: restart, duration: 300ms}
  - {at: 2s, since: start, action: kill_all}
  - {at: 1s, action: kill_all}
)",
                          "s.yaml");
  REQUIRE(s.timeline.size() == 3);
  CHECK(s.timeline[0].since == timeline_entry::base::first_login);
  CHECK(s.timeline[0].at == milliseconds(500));
  CHECK(s.timeline[1].since == timeline_entry::base::start);
  CHECK(s.timeline[2].since == timeline_entry::base::start);
  auto bad = error_of("timeline:\n  - {at: 1s, since: login, action: kill_all}\n");
  CHECK(bad.field() == "timeline[0].since");
  CHECK(bad.value() == "login");
}

TEST_CASE("fault values keep their text through the config parser", "[harness][scenario]") {
  auto s = parse_scenario(R"(
faults:
  - type: query_error
    pattern: "^\\s*update #1, a: b"
    sqlstate: "40001"
    message: 'quote " and colon: here'
    name: "rule #1"
)",
                          "s.yaml");
  REQUIRE(s.faults.size() == 1);
  CHECK(s.faults[0].keys.at("pattern") == "^\\s*update #1, a: b");
  CHECK(s.faults[0].keys.at("sqlstate") == "40001");
  CHECK(s.faults[0].keys.at("message") == "quote \" and colon: here");
  CHECK(s.faults[0].keys.at("name") == "rule #1");
}

TEST_CASE("an empty scenario is allowed", "[harness][scenario]") {
  auto s = parse_scenario("", "s.yaml");
  CHECK(s.faults.empty());
  CHECK(s.timeline.empty());
  CHECK(s.expectations.empty());
}

TEST_CASE("scenario errors name the YAML path and the file", "[harness][scenario]") {
  auto top = error_of("faultz: []");
  CHECK(top.field() == "faultz");
  CHECK(top.origin() == "s.yaml");
  CHECK(std::string(top.what()).rfind("s.yaml: faultz: unknown key", 0) == 0);
  CHECK(error_of("[1, 2]").field() == "yaml");
  CHECK(error_of("faults: {a: 1}").field() == "faults");
  CHECK(error_of("faults:\n  - type: idle_drop\n    after: 5x\n").field() == "faults[0].after");
  CHECK(error_of("faults:\n  - type: nope\n").field() == "faults[0].type");
  CHECK(error_of("faults:\n  - after: 5s\n").field() == "faults[0].type");
  CHECK(error_of("timeline: {}").field() == "timeline");
  CHECK(error_of("timeline:\n  - remove: x\n").field() == "timeline[0].at");
  CHECK(error_of("timeline:\n  - {at: 1s}\n").why() == "needs exactly one of add, remove, action");
  CHECK(error_of("timeline:\n  - {at: 1s, remove: a, action: kill_all}\n").field() ==
        "timeline[0]");
  CHECK(error_of("timeline:\n  - {at: 1x, action: kill_all}\n").field() == "timeline[0].at");
  CHECK(error_of("timeline:\n  - {at: 1s, action: reboot}\n").field() == "timeline[0].action");
  CHECK(error_of("timeline:\n  - {at: 1s, action: kill_all, duration: 1s}\n").field() ==
        "timeline[0].duration");
  CHECK(error_of("timeline:\n  - {at: 1s, remove: a, duration: 1s}\n").field() ==
        "timeline[0].duration");
  CHECK(error_of("timeline:\n  - {at: 1s, action: restart, duration: soon}\n").field() ==
        "timeline[0].duration");
  CHECK(error_of("timeline:\n  - {at: 1s, actoin: kill_all}\n").field() == "timeline[0].actoin");
  CHECK(error_of("timeline:\n  - {at: 1s, add: {type: idle_drop, after: 1s}}\n").field() ==
        "timeline[0].add.name");
  CHECK(error_of("timeline:\n  - {at: 1s, add: {type: idle_drop, name: d}}\n").field() ==
        "timeline[0].add.after");
  CHECK(error_of("timeline:\n  - {at: 1s, add: {type: idle_drop, after: [1]}}\n").field() ==
        "timeline[0].add.after");
  CHECK(error_of("timeline:\n  - {at: 1s, add: idle_drop}\n").field() == "timeline[0].add");
  CHECK(error_of("expect: peak_connections <= 3").field() == "expect");
  auto bad = error_of("expect:\n  - peak_connections <= 3\n  - peak <= 3\n");
  CHECK(bad.field() == "expect[1]");
  CHECK(bad.value() == "peak <= 3");
  CHECK(bad.origin() == "s.yaml");
  CHECK(error_of("expect:\n  - [1]\n").field() == "expect[0]");
  CHECK(error_of("a: [").field() == "yaml");
}

TEST_CASE("the timeline and fired() are checked against the server's rules",
          "[harness][scenario]") {
  const rule_list rules{{"cap", "max_connections"}, {"idle_drop#1", "idle_drop"}};
  auto remove = check_error("timeline:\n  - {at: 1s, remove: cpa}\n", rules);
  CHECK(remove.field() == "timeline[0].remove");
  CHECK(remove.value() == "cpa");
  CHECK(check_error("timeline:\n  - {at: 1s, remove: cap}\n  - {at: 2s, remove: cap}\n", rules)
            .field() == "timeline[1].remove");
  CHECK(
      check_error("timeline:\n  - {at: 1s, add: {type: idle_drop, after: 1s, name: cap}}\n", rules)
          .field() == "timeline[0].add.name");
  auto fired = check_error("expect:\n  - fired(cpa) == 0\n", rules);
  CHECK(fired.field() == "expect[0]");
  CHECK(fired.why().find("rules: cap, idle_drop#1") != std::string::npos);
  // Removed and re-added, a type, a rule that exists only later: all fine.
  auto ok = parse_scenario(R"(
timeline:
  - {at: 1s, remove: cap}
  - {at: 2s, add: {type: max_connections, limit: 2, name: cap}}
  - {at: 3s, add: {type: query_delay, delay: 1s, name: later}}
expect:
  - fired(cap) == 0
  - fired(later) == 0
  - fired(idle_drop#1) == 0
  - fired(query_error) == 0
  - fired(restart) == 0
  - fired == 0
)",
                           "s.yaml");
  CHECK_NOTHROW(check_scenario(ok, rules));
}

TEST_CASE("load_scenario reads a file, and names it when it cannot", "[harness][scenario]") {
  const auto path = std::filesystem::temp_directory_path() / "fauxgres-scenario-test.yaml";
  {
    std::ofstream out(path);
    out << "expect:\n  - accepted >= 0\n";
  }
  auto s = load_scenario(path.string());
  CHECK(s.origin == path.string());
  CHECK(s.expectations.size() == 1);
  std::filesystem::remove(path);
  CHECK_THROWS_AS(load_scenario(path.string()), config::error);
}

TEST_CASE("the shipped scenario library loads and checks", "[harness][scenario][library]") {
  const auto dir = repo() / "faults" / "scenarios";
  REQUIRE(std::filesystem::is_directory(dir));
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    CAPTURE(entry.path().string());
    ++count;
    auto s = load_scenario(entry.path().string());
    CHECK_FALSE(s.description.empty());
    CHECK_FALSE(s.expectations.empty());
    CHECK_NOTHROW(check_scenario(s, rules_of(s)));
  }
  CHECK(count >= 8);  // S1-S6, restart, failover
}

TEST_CASE("docs/scenarios.md: every yaml example is a valid scenario", "[harness][docs]") {
  std::ifstream in(repo() / "docs" / "scenarios.md");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  std::size_t examples = 0;
  for (auto at = doc.find("```yaml\n"); at != std::string::npos;
       at = doc.find("```yaml\n", at + 1)) {
    const auto end = doc.find("```", at + 8);
    REQUIRE(end != std::string::npos);
    const std::string yaml = doc.substr(at + 8, end - at - 8);
    CAPTURE(yaml);
    auto s = parse_scenario(yaml, "docs/scenarios.md");
    CHECK_NOTHROW(check_scenario(s, rules_of(s)));
    ++examples;
  }
  CHECK(examples >= 1);
}
