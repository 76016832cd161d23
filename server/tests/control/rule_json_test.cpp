// JSON ↔ rules for the control API: scalars become rule text, errors name the field, rules
// list their keys as given.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "control/http_types.hpp"
#include "control/rule_json.hpp"

using namespace fauxgres;
using namespace fauxgres::control;
namespace json = boost::json;

namespace {

unsigned status_of(const std::function<void()>& f, std::string& message) {
  try {
    f();
  } catch (const api_error& e) {
    message = e.what();
    return e.status();
  }
  return 0;
}

}  // namespace

TEST_CASE("rule json: numbers and booleans become text") {
  CHECK(scalar_text(json::value("5s"), "f") == "5s");
  CHECK(scalar_text(json::value(5), "f") == "5");
  CHECK(scalar_text(json::value(std::uint64_t{18446744073709551615ull}), "f") ==
        "18446744073709551615");
  CHECK(scalar_text(json::value(0.25), "f") == "0.25");
  CHECK(scalar_text(json::value(1.0), "f") == "1");
  CHECK(scalar_text(json::value(true), "f") == "true");
  std::string message;
  CHECK(status_of([] { scalar_text(json::value(nullptr), "rules[new].after"); }, message) == 400);
  CHECK(message == "rules[new].after: expected a string, a number or a boolean");
  CHECK(status_of([] { scalar_text(json::array{1}, "x"); }, message) == 400);
}

TEST_CASE("rule json: a body becomes a validated rule") {
  auto body = parse_body(R"({"type":"idle_drop","after":"5s","mode":"reset",
                             "probability":0.5,"user":"app","name":"nat","fired":3})");
  auto input = rule_input_from_json(body, "rules[new]");
  CHECK(input.type == "idle_drop");
  CHECK(input.keys.at("probability") == "0.5");
  CHECK(input.keys.count("fired") == 0);
  auto rule = build_rule(input, "rules[new]");
  CHECK(rule.name == "nat");
  CHECK(rule.probability == 0.5);
  CHECK(rule.match.user == "app");

  auto out = rule_to_json(rule, 7);
  CHECK(out.at("name") == "nat");
  CHECK(out.at("type") == "idle_drop");
  CHECK(out.at("after") == "5s");
  CHECK(out.at("probability") == "0.5");
  CHECK(out.at("fired") == 7);
}

TEST_CASE("rule json: errors name the field") {
  std::string message;
  CHECK(status_of([] { parse_body("{nope"); }, message) == 400);
  CHECK(message.starts_with("bad request body: "));
  CHECK(status_of([] { parse_body("[1]"); }, message) == 400);
  CHECK(parse_body("").empty());

  CHECK(status_of([] { rule_input_from_json(parse_body(R"({"after":"5s"})"), "rules[new]"); },
                  message) == 400);
  CHECK(message == "rules[new].type: missing fault type");

  CHECK(status_of(
            [] {
              build_rule(rule_input_from_json(parse_body(R"({"type":"idle_drop","after":"5x"})"),
                                              "rules[new]"),
                         "rules[new]");
            },
            message) == 400);
  CHECK(message.starts_with("rules[new].after: expected a duration"));

  CHECK(status_of(
            [] {
              build_rule(rule_input_from_json(parse_body(R"({"type":"nope"})"), "rules[x]"),
                         "rules[x]");
            },
            message) == 400);
  CHECK(message.starts_with("rules[x].type: unknown fault type"));
}

TEST_CASE("rule json: events") {
  faults::fired_event e;
  e.sequence = 4;
  e.at = std::chrono::milliseconds(1500);
  e.connection = 2;
  e.rule = "cap";
  e.type = "max_connections";
  e.where = faults::hook::startup;
  e.action = "fatal 53300";
  auto out = event_to_json(e);
  CHECK(json::serialize(out) ==
        R"({"sequence":4,"at_ms":1500,"connection":2,"rule":"cap","type":"max_connections",)"
        R"("hook":"startup","action":"fatal 53300"})");
}
