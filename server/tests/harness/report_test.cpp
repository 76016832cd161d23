// What a run reports: the exit status and its precedence, the summary, the JSON report and
// the HTML page with its SVG timeline.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "harness/report.hpp"

using namespace fauxgres::harness;

namespace {

struct fixture {
  std::vector<expectation> expectations;
  run_record record;

  fixture() {
    expectations.push_back(parse_expectation("peak_connections <= 3", "expect[0]"));
    expectations.push_back(parse_expectation("fired(cap) == 0", "expect[1]"));
    record.scenario = "faults/scenarios/s4.yaml";
    record.description = "S4 <too many>";
    record.command.argv = {"python3", "app.py", "bad"};
    record.command.started = true;
    record.command.exit_code = 0;
    record.command.seconds = 1.25;
    record.stats = boost::json::parse(R"({
      "connections": {"accepted": 6, "current": 0, "peak": 5, "logins": 4, "closed": 6,
                      "auth_failures": 0, "rejected": {"max_connections": 2}},
      "open_connections": {"resolution_ms": 1, "capacity": 20000,
                           "points": [[100, 1, 1], [120, 4, 5], [900, 0, 4]]},
      "fired": {"cap": 2},
      "events": [{"sequence": 1, "at_ms": 121, "connection": 5, "rule": "cap",
                  "type": "max_connections", "hook": "startup", "action": "fatal 53300"}]
    })")
                       .as_object();
    record.facts.stats = record.stats;
    record.facts.rule_types = {{"cap", "max_connections"}};
    record.facts.fired = {{"cap", 2}};
    record.open_connections = {{0, 0}, {130, 4}, {910, 0}};
    record.cap = {{0, 4}};
    record.timeline = {{500, "restart (down 300ms)", true, 300}};
    record.end_ms = 1000;
    evaluate_now();
  }

  void evaluate_now() { record.outcomes = evaluate(expectations, record.facts); }
};

}  // namespace

TEST_CASE("exit status: not started > timed out > command failed > expectations",
          "[harness][report]") {
  fixture f;
  CHECK(f.record.exit() == exit_status::expectation_failed);  // peak 5 > 3, cap fired
  f.record.command.exit_code = 1;
  CHECK(f.record.exit() == exit_status::command_failed);
  f.record.command.timed_out = true;
  CHECK(f.record.exit() == exit_status::command_timed_out);
  f.record.command.started = false;
  CHECK(f.record.exit() == exit_status::command_not_started);

  fixture pass;
  pass.expectations = {parse_expectation("peak_connections <= 5", "e")};
  pass.evaluate_now();
  CHECK(pass.record.exit() == exit_status::pass);
  pass.record.timeline_errors = 1;
  CHECK(pass.record.exit() == exit_status::expectation_failed);
}

TEST_CASE("an expectation on command_exit_code judges the exit status itself",
          "[harness][report]") {
  fixture f;
  f.expectations = {parse_expectation("command_exit_code == 1", "e")};
  f.record.command.exit_code = 1;
  f.record.facts.command_exit_code = 1;
  f.record.judge_exit_code = false;
  f.evaluate_now();
  CHECK(f.record.exit() == exit_status::pass);
}

TEST_CASE("command status and description", "[harness][report]") {
  command_result c;
  CHECK_FALSE(c.status());
  c.start_error = "nope: No such file or directory";
  CHECK(c.describe() == "could not be started: nope: No such file or directory");
  c.started = true;
  c.signal = 9;
  c.seconds = 2;
  c.timed_out = true;
  CHECK(c.status() == 137);
  CHECK(c.describe() == "was killed by signal 9 after 2.00 s (killed at the --timeout)");
}

TEST_CASE("the summary lists the verdict, each expectation and what fired", "[harness][report]") {
  fixture f;
  const std::string s = render_summary(f.record);
  CHECK(s.find("fauxgres run: scenario faults/scenarios/s4.yaml\n") != std::string::npos);
  CHECK(s.find("fauxgres run: command exited with 0 after 1.25 s\n") != std::string::npos);
  CHECK(s.find("6 accepted, 4 logged in, peak 5, open at the end 0") != std::string::npos);
  CHECK(s.find("faults fired: cap 2\n") != std::string::npos);
  CHECK(s.find("timeline 0.500 s: restart (down 300ms)") != std::string::npos);
  CHECK(s.find("  FAIL  peak_connections <= 3  (measured 5; stats connections.peak)\n") !=
        std::string::npos);
  CHECK(s.find("  FAIL  fired(cap) == 0  (measured 2; stats fired.cap)\n") != std::string::npos);
  CHECK(s.find("fauxgres run: FAIL: an expectation did not hold (2 of 2 expectations failed), "
               "exit 1\n") != std::string::npos);
}

TEST_CASE("timeline entries the run did not reach are listed, not drawn", "[harness][report]") {
  fixture f;
  f.record.timeline = {{400, "kill_all", true},
                       {500, "restart (down 1s) (due 500ms after the first login)", false}};
  const std::string s = render_summary(f.record);
  CHECK(s.find("timeline 0.400 s: kill_all\n") != std::string::npos);
  CHECK(s.find("timeline (not reached): restart (down 1s) (due 500ms after the first login)\n") !=
        std::string::npos);
  const std::string html = render_html(f.record);
  std::size_t lines = 0;
  for (auto at = html.find("class=\"timeline\""); at != std::string::npos;
       at = html.find("class=\"timeline\"", at + 1))
    ++lines;
  CHECK(lines == 1);
  auto doc = boost::json::parse(render_json(f.record)).as_object();
  CHECK(doc.at("timeline").as_array()[1].at("carried_out") == false);
}

TEST_CASE("the JSON report", "[harness][report]") {
  fixture f;
  auto doc = boost::json::parse(render_json(f.record)).as_object();
  CHECK(doc.at("result") == "fail");
  CHECK(doc.at("exit_status") == 1);
  CHECK(doc.at("scenario") == "faults/scenarios/s4.yaml");
  const auto& e = doc.at("expectations").as_array();
  REQUIRE(e.size() == 2);
  CHECK(e[0].at("expect") == "peak_connections <= 3");
  CHECK(e[0].at("measured") == 5.0);
  CHECK(e[0].at("pass") == false);
  CHECK(doc.at("command").at("exit_code") == 0);
  CHECK(doc.at("command").at("signal").is_null());
  CHECK(doc.at("fired").at("cap").at("count") == 2);
  CHECK(doc.at("fired").at("cap").at("type") == "max_connections");
  CHECK(doc.at("open_connections").as_array().size() == 3);
  CHECK(doc.at("cap").as_array()[0].at("limit") == 4);
  CHECK(doc.at("timeline").as_array()[0].at("entry") == "restart (down 300ms)");
  CHECK(doc.at("events").as_array().size() == 1);
  CHECK(doc.at("stats").at("connections").at("peak") == 5);
}

TEST_CASE("the HTML report: self-contained, escaped, with the timeline", "[harness][report]") {
  fixture f;
  const std::string html = render_html(f.record);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);  // nothing loaded from elsewhere
  CHECK(html.find("href=") == std::string::npos);
  CHECK(html.find("S4 &lt;too many&gt;") != std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("class=\"open\"") != std::string::npos);
  CHECK(html.find("server counter, every change") != std::string::npos);
  CHECK(html.find("class=\"cap\"") != std::string::npos);
  CHECK(html.find(">cap 4<") != std::string::npos);
  CHECK(html.find("class=\"fault\"") != std::string::npos);
  CHECK(html.find("<title>0.121 s: cap (max_connections) fatal 53300, connection 5</title>") !=
        std::string::npos);
  CHECK(html.find("class=\"timeline\"") != std::string::npos);
  CHECK(html.find("<title>restart (down 300ms): connects refused</title>") != std::string::npos);
  CHECK(html.find("FAIL: an expectation did not hold") != std::string::npos);
  CHECK(html.find("<code>peak_connections &lt;= 3</code>") != std::string::npos);
  CHECK(html.find("<td>rejected max_connections</td><td>2</td>") != std::string::npos);

  // Without the server's series, the harness's samples are drawn.
  f.record.stats.erase("open_connections");
  CHECK(render_html(f.record).find("sampled every 20 ms") != std::string::npos);
}
