// Scenario expectations: `METRIC OP VALUE` (`peak_connections <= 3`, `fired(idle_drop) == 0`,
// `errors(53300) >= 1`), parsed when the scenario is loaded and evaluated after the command
// has exited, over the stats JSON and what the harness observed itself. Pure: no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace fauxgres::harness {

enum class comparison { less, less_equal, equal, not_equal, greater_equal, greater };
std::string_view to_string(comparison op);

// One metric the harness knows: its name, whether it takes an argument in parentheses
// (`fired(RULE)`), and a line for docs and errors.
struct metric_info {
  std::string_view name;
  enum class argument { none, required, optional } takes = argument::none;
  std::string_view argument_name;  // "RULE_OR_TYPE", "SQLSTATE", ...
  std::string_view meaning;
};
const std::vector<metric_info>& metrics();
const metric_info* find_metric(std::string_view name);

struct expectation {
  std::string text;   // as written
  std::string field;  // "expect[2]", for errors
  std::string metric;
  std::optional<std::string> argument;  // inside the parentheses
  comparison op = comparison::equal;
  double value = 0;

  std::string metric_text() const;  // "fired(idle_drop)"
  bool holds(double measured) const;
};

// Parses `METRIC OP VALUE`; throws config::error naming `field` (and quoting the text) for
// an unknown metric, a missing or unexpected argument, an unknown operator or a value that
// is not a number.
expectation parse_expectation(std::string_view text, const std::string& field);

// Everything an expectation can be measured against.
struct run_facts {
  boost::json::object stats;             // server::stats_json(), parsed
  std::optional<int> command_exit_code;  // none: killed by a signal or never started
  double command_seconds = 0;
  // Every rule that existed during the run (name → type) and its fired count, including
  // rules the timeline removed (counted up to their removal).
  std::map<std::string, std::string, std::less<>> rule_types;
  std::map<std::string, std::uint64_t, std::less<>> fired;
  // The timeline's server actions carried out, by kind ("restart" → 1).
  std::map<std::string, std::uint64_t, std::less<>> actions;
};

struct measurement {
  std::optional<double> value;  // none: could not be measured (a FAIL, never a pass)
  std::string source;           // where it came from: "stats connections.peak", "sampled", ...
};
measurement measure(const expectation& e, const run_facts& facts);

struct outcome {
  const expectation* what = nullptr;
  measurement measured;
  bool pass = false;
};
std::vector<outcome> evaluate(const std::vector<expectation>& expectations, const run_facts& facts);

// The names `fired(...)` may use besides rule names: every fault type.
bool is_fault_type(std::string_view name);
// The reasons `rejected(...)` may name: a fault type, auth_failed, database_not_found,
// shutting_down, protocol_error, authentication_timeout, tls_failed, error_<SQLSTATE>.
bool is_rejection_reason(std::string_view reason);

}  // namespace fauxgres::harness
