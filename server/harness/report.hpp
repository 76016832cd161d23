// What a `fauxgres run` found, and its three renderings: the summary printed at the end,
// the JSON report and the HTML report (a self-contained page with an inline SVG timeline
// of open connections, the connection cap and every fired fault). Pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "harness/expectation.hpp"

namespace fauxgres::harness {

// Exit status of `fauxgres run` (docs/scenarios.md).
namespace exit_status {
constexpr int pass = 0;
constexpr int expectation_failed = 1;
constexpr int bad_usage = 2;  // options, config or scenario: nothing was run
constexpr int command_failed = 3;
constexpr int command_timed_out = 4;
constexpr int server_failed = 5;  // fauxgres could not start, or the report not be written
constexpr int command_not_started = 127;
}  // namespace exit_status

struct series_point {
  double t_ms = 0;  // since server start
  std::uint64_t value = 0;
};

struct cap_point {
  double t_ms = 0;
  std::optional<std::uint64_t> limit;  // none: no max_connections rule from here on
};

struct timeline_record {
  double t_ms = 0;  // when it was carried out
  std::string what;
  bool carried_out = true;  // false: the command had exited before it was due
  double down_ms = 0;       // restart, failover: how long connects were refused
};

struct command_result {
  std::vector<std::string> argv;
  bool started = false;
  std::string start_error;       // why it could not be started
  std::optional<int> exit_code;  // exited normally
  std::optional<int> signal;     // killed by this signal
  bool timed_out = false;        // killed by the harness at --timeout
  double seconds = 0;

  // 0..255, or 128 + signal; none if it never ran.
  std::optional<int> status() const;
  std::string describe() const;  // "exited with 0 after 2.41 s", "killed by signal 9 ..."
};

struct run_record {
  std::string scenario;  // file, empty without one
  std::string description;
  command_result command;
  std::vector<outcome> outcomes;  // point into the scenario's expectations
  boost::json::object stats;      // server::stats_json(), parsed
  run_facts facts;
  std::vector<series_point> open_connections;  // sampled by the harness
  std::vector<cap_point> cap;
  std::vector<timeline_record> timeline;
  double end_ms = 0;        // when the run was over (server time)
  int timeline_errors = 0;  // entries that could not be carried out: the run fails
  // Whether the command's own exit status decides (no expectation on command_exit_code).
  bool judge_exit_code = true;

  int exit() const;  // the exit status, from exit_status (report.cpp has the precedence)
  bool expectations_hold() const;
};

std::string render_summary(const run_record& r);
std::string render_json(const run_record& r);
std::string render_html(const run_record& r);

}  // namespace fauxgres::harness
