// Expectations: `METRIC OP VALUE` parsed strictly (a typo is an error, never a pass) and
// measured over the stats JSON (docs/stats.md) and the harness's own facts.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "config/error.hpp"
#include "harness/expectation.hpp"

using namespace fauxgres;
using namespace fauxgres::harness;

namespace {

config::error error_of(std::string_view text) {
  try {
    parse_expectation(text, "expect[3]");
  } catch (const config::error& e) {
    return e;
  }
  FAIL("expected a config::error for " << text);
  throw std::logic_error("unreachable");
}

// The stats JSON of a run, as docs/stats.md documents it.
run_facts sample_facts() {
  run_facts f;
  f.stats = boost::json::parse(R"({
    "connections": {"accepted": 12, "current": 0, "peak": 4, "closed": 12, "logins": 8,
                    "auth_failures": 1, "peak_by_listener": {"tcp0": 4, "unix0": 1},
                    "rejected": {"auth_failed": 1, "max_connections": 2},
                    "rejected_total": 3, "max_idle_ms": 5004},
    "errors": {"total": 4, "by_sqlstate": {"28P01": 1, "53300": 2, "57014": 1}},
    "fired": {"cap": 2, "slow": 5},
    "events": []
  })")
                .as_object();
  f.rule_types = {{"cap", "max_connections"}, {"slow", "query_delay"}, {"gone", "query_delay"}};
  f.fired = {{"cap", 2}, {"slow", 5}, {"gone", 1}};
  f.actions = {{"restart", 1}};
  f.command_exit_code = 0;
  f.command_seconds = 2.5;
  return f;
}

double measured(std::string_view text, const run_facts& f = sample_facts()) {
  auto m = measure(parse_expectation(text, "expect[0]"), f);
  REQUIRE(m.value);
  return *m.value;
}

}  // namespace

TEST_CASE("expectations parse: metric, argument, operator, value", "[harness][expect]") {
  auto e = parse_expectation("  fired( idle_drop#1 )>=2 ", "expect[0]");
  CHECK(e.metric == "fired");
  CHECK(e.argument == "idle_drop#1");
  CHECK(e.op == comparison::greater_equal);
  CHECK(e.value == 2);
  CHECK(e.text == "fired( idle_drop#1 )>=2");
  CHECK(e.metric_text() == "fired(idle_drop#1)");
  CHECK(e.field == "expect[0]");
  for (auto [text, op] : std::initializer_list<std::pair<const char*, comparison>>{
           {"accepted < 1", comparison::less},
           {"accepted <= 1", comparison::less_equal},
           {"accepted == 1", comparison::equal},
           {"accepted != 1", comparison::not_equal},
           {"accepted >= 1", comparison::greater_equal},
           {"accepted > 1", comparison::greater}}) {
    CHECK(parse_expectation(text, "e").op == op);
  }
  CHECK(parse_expectation("max_idle_seconds < 0.5", "e").value == 0.5);
  CHECK_FALSE(parse_expectation("peak_connections <= 10", "e").argument);
  CHECK(parse_expectation("errors(53300) == 0", "e").argument == "53300");
  CHECK(parse_expectation("rejected(max_connections) == 0", "e").argument == "max_connections");
  CHECK(parse_expectation("rejected(error_22023) == 0", "e").argument == "error_22023");
}

TEST_CASE("every documented metric is known", "[harness][expect]") {
  for (const char* name : {"peak_connections", "open_connections", "accepted", "closed", "logins",
                           "auth_failures", "rejected", "fired", "errors", "max_idle_seconds",
                           "command_exit_code", "command_seconds"}) {
    CAPTURE(name);
    CHECK(find_metric(name));
  }
  CHECK(metrics().size() == 12);
}

TEST_CASE("a malformed expectation is an error naming it", "[harness][expect]") {
  auto unknown = error_of("peak_conections <= 3");
  CHECK(unknown.field() == "expect[3]");
  CHECK(unknown.value() == "peak_conections <= 3");
  CHECK(unknown.why().find("unknown metric \"peak_conections\"") != std::string::npos);
  CHECK(unknown.why().find("peak_connections") != std::string::npos);  // the list
  CHECK(error_of("").why().find("expected METRIC OP VALUE") != std::string::npos);
  CHECK(error_of("accepted(tcp0) == 1").why() == "accepted takes no argument");
  CHECK(error_of("fired() == 1").why() == "empty argument in fired()");
  CHECK(error_of("fired(x == 1").why() == "missing ) after the metric's argument");
  CHECK(error_of("accepted = 1").why().find("expected an operator") != std::string::npos);
  CHECK(error_of("accepted =< 1").why().find("expected an operator") != std::string::npos);
  CHECK(error_of("accepted ==").why() == "missing the value after ==");
  CHECK(error_of("accepted == many").why().find("must be a number") != std::string::npos);
  CHECK(error_of("accepted == 1 2").why().find("must be a number") != std::string::npos);
  CHECK(error_of("errors(5330) == 0").why().find("five digits") != std::string::npos);
  CHECK(error_of("rejected(too_many) == 0").why().find("unknown reason") != std::string::npos);
}

TEST_CASE("comparisons", "[harness][expect]") {
  auto e = parse_expectation("accepted <= 3", "e");
  CHECK(e.holds(3));
  CHECK(e.holds(2));
  CHECK_FALSE(e.holds(4));
  CHECK(parse_expectation("accepted != 3", "e").holds(2));
  CHECK_FALSE(parse_expectation("accepted > 3", "e").holds(3));
}

TEST_CASE("metrics are read from the stats JSON", "[harness][expect]") {
  CHECK(measured("peak_connections <= 1") == 4);
  CHECK(measured("peak_connections(unix0) <= 1") == 1);
  CHECK(measured("open_connections == 0") == 0);
  CHECK(measured("accepted == 0") == 12);
  CHECK(measured("closed == 0") == 12);
  CHECK(measured("logins == 0") == 8);
  CHECK(measured("auth_failures == 0") == 1);
  CHECK(measured("rejected == 0") == 3);
  CHECK(measured("rejected(max_connections) == 0") == 2);
  CHECK(measured("rejected(tls_failed) == 0") == 0);  // not in the map: none
  CHECK(measured("errors == 0") == 4);
  CHECK(measured("errors(53300) == 0") == 2);
  CHECK(measured("errors(40001) == 0") == 0);
  CHECK(measured("max_idle_seconds < 1") == Approx(5.004));
  CHECK(measured("command_exit_code == 0") == 0);
  CHECK(measured("command_seconds < 1") == 2.5);
}

TEST_CASE("fired: by rule, by type (with removed rules and timeline actions), total",
          "[harness][expect]") {
  CHECK(measured("fired(cap) == 0") == 2);
  CHECK(measured("fired(gone) == 0") == 1);         // removed by the timeline: still counted
  CHECK(measured("fired(query_delay) == 0") == 6);  // slow + gone
  CHECK(measured("fired(restart) == 0") == 1);      // a timeline action
  CHECK(measured("fired(idle_drop) == 0") == 0);    // a type without rules
  CHECK(measured("fired == 0") == 9);
}

TEST_CASE("what cannot be measured fails, it never passes", "[harness][expect]") {
  run_facts f;  // an empty stats document, no command
  for (const char* text :
       {"peak_connections <= 100", "rejected(max_connections) == 0", "errors(53300) == 0",
        "max_idle_seconds < 1000", "command_exit_code != 1", "peak_connections(nope) <= 100"}) {
    CAPTURE(text);
    auto e = parse_expectation(text, "e");
    auto results = evaluate({e}, f);
    REQUIRE(results.size() == 1);
    CHECK_FALSE(results[0].measured.value);
    CHECK_FALSE(results[0].pass);
  }
  auto ok = evaluate({parse_expectation("fired(cap) == 2", "e")}, sample_facts());
  CHECK(ok[0].pass);
  CHECK(ok[0].measured.source == "stats fired.cap");
}
