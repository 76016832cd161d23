// Toxiproxy's toxic JSON ↔ fauxgres rules: defaults, errors in Toxiproxy's words, the
// network types' stream and toxicity, fauxgres types' toxicity as probability, updates.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "control/http_types.hpp"
#include "control/rule_json.hpp"
#include "control/toxics.hpp"

using namespace fauxgres;
using namespace fauxgres::control;
namespace json = boost::json;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const api_error& e) {
    return std::to_string(e.status()) + " " + e.what();
  }
  return "no error";
}

faults::rule toxic_rule(const toxic_request& t, std::string_view proxy = "pg") {
  rule_input input;
  input.type = t.type;
  input.keys = toxic_rule_keys(t, proxy, t.name);
  return build_rule(input, "toxics[" + t.name + "]");
}

}  // namespace

TEST_CASE("toxics: Toxiproxy's defaults and errors") {
  auto t = toxic_from_json(parse_body(R"({"type":"latency","attributes":{"latency":200}})"));
  CHECK(t.name == "latency_downstream");
  CHECK(t.stream == "downstream");
  CHECK_FALSE(t.toxicity);
  CHECK(t.attributes.at("latency") == "200");

  t = toxic_from_json(parse_body(R"({"type":"latency","stream":"upstream","toxicity":0.5})"));
  CHECK(t.name == "latency_upstream");
  CHECK(t.toxicity == "0.5");

  CHECK(error_of([] { toxic_from_json(parse_body(R"({"attributes":{}})")); }) ==
        "400 invalid toxic type");
  CHECK(error_of([] {
          toxic_from_json(parse_body(R"({"type":"latency","stream":"sideways"})"));
        }) == "400 stream was invalid, can be either upstream or downstream");
  CHECK(error_of([] {
          toxic_from_json(parse_body(R"({"type":"latency","toxicity":2})"));
        }).starts_with("400 bad request body: toxicity"));
  CHECK(error_of([] {
          toxic_from_json(parse_body(R"({"type":"noop","attributes":{"listener":"x"}})"));
        }).starts_with("400 attributes.listener"));
  CHECK(is_toxiproxy_type("slow_close"));
  CHECK_FALSE(is_toxiproxy_type("idle_drop"));
}

TEST_CASE("toxics: a Toxiproxy type keeps stream and toxicity as attributes") {
  auto t = toxic_from_json(parse_body(
      R"({"name":"slow","type":"latency","stream":"upstream","toxicity":0.25,
          "attributes":{"latency":150,"jitter":10}})"));
  auto keys = toxic_rule_keys(t, "pg", "slow");
  CHECK(keys.at("listener") == "pg");
  CHECK(keys.at("name") == "slow");
  CHECK(keys.at("stream") == "upstream");
  CHECK(keys.at("toxicity") == "0.25");
  auto rule = toxic_rule(t);
  CHECK(rule.match.listener == "pg");
  auto out = toxic_to_json(rule, "slow");
  CHECK(out.at("name") == "slow");
  CHECK(out.at("type") == "latency");
  CHECK(out.at("stream") == "upstream");
  CHECK(out.at("toxicity").as_double() == 0.25);
  CHECK(json::serialize(out.at("attributes")) == R"({"jitter":10,"latency":150})");
}

TEST_CASE("toxics: a fauxgres type takes toxicity as probability") {
  auto t = toxic_from_json(parse_body(
      R"({"type":"idle_drop","toxicity":0.5,"attributes":{"after":"5s","mode":"reset"}})"));
  CHECK(t.name == "idle_drop_downstream");
  auto keys = toxic_rule_keys(t, "pg", t.name);
  CHECK(keys.at("probability") == "0.5");
  CHECK(keys.count("stream") == 0);
  auto rule = toxic_rule(t);
  CHECK(rule.probability == 0.5);
  auto out = toxic_to_json(rule, "idle_drop_downstream", "upstream");
  CHECK(out.at("stream") == "upstream");
  CHECK(out.at("toxicity").as_double() == 0.5);
  CHECK(json::serialize(out.at("attributes")) == R"({"after":"5s","mode":"reset"})");

  auto both = toxic_from_json(
      parse_body(R"({"type":"idle_drop","toxicity":0.5,"attributes":{"probability":0.2}})"));
  CHECK(error_of([&] {
          toxic_rule_keys(both, "pg", "x");
        }).starts_with("400 bad request body: give toxicity"));
}

TEST_CASE("toxics: updates merge attributes and replace toxicity") {
  auto t = toxic_from_json(
      parse_body(R"({"type":"idle_drop","attributes":{"after":"5s","mode":"reset"}})"));
  auto rule = toxic_rule(t);
  auto keys = updated_toxic_keys(rule, parse_body(R"({"attributes":{"after":"1s"},"toxicity":1})"));
  CHECK(keys.at("after") == "1s");
  CHECK(keys.at("mode") == "reset");
  CHECK(keys.at("probability") == "1");
  keys = updated_toxic_keys(rule, parse_body(R"({"attributes":{"mode":null}})"));
  CHECK(keys.count("mode") == 0);
  CHECK(error_of([&] {
          updated_toxic_keys(rule, parse_body(R"({"attributes":{"name":"x"}})"));
        }).starts_with("400 attributes.name"));
}

TEST_CASE("toxics: whole-number attributes are shown as numbers") {
  CHECK(attribute_value("200") == json::value(200));
  CHECK(attribute_value("-3") == json::value(-3));
  CHECK(attribute_value("5s") == json::value("5s"));
  CHECK(attribute_value("007") == json::value("007"));
  CHECK(attribute_value("") == json::value(""));
}
