// Scenario files for `fauxgres run`: YAML with `faults:` (the config file's rule list, same
// schema), `timeline:` (rules added and removed, server actions, at times from server
// start) and `expect:` (expectations checked after the command). docs/scenarios.md has the
// format. Pure: parsing and checking, no I/O but reading the file.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/server_config.hpp"
#include "faults/rules.hpp"
#include "harness/expectation.hpp"

namespace fauxgres::harness {

struct timeline_entry {
  enum class kind { add, remove, action };
  // What `at` counts from: the server's start, or the first login (the app is up).
  enum class base { start, first_login };
  std::chrono::milliseconds at{0};
  base since = base::start;
  kind what = kind::action;
  std::string field;  // "timeline[2]", for errors
  faults::rule rule;  // add: built and checked by faults::make_rule, always named
  std::string name;   // add: the rule's name; remove: the rule to remove
  faults::server_action::kind action = faults::server_action::kind::kill_all;
  std::chrono::milliseconds duration{1000};  // restart, failover: how long it is down

  std::string describe() const;  // "add idle_drop rule drop", "restart (down 300ms)"
};

struct scenario {
  std::string origin;  // the file, for errors
  std::string description;
  std::vector<config::fault_entry> faults;  // asked after the config file's, before --fault's
  std::vector<timeline_entry> timeline;     // by `at` (entries at the same time: as written)
  std::vector<expectation> expectations;
};

// Parses a scenario; throws config::error naming the field ("timeline[1].at",
// "expect[0]") with `origin` as its origin. Every rule (in faults: and in timeline adds)
// and every expectation is checked here.
scenario parse_scenario(std::string_view yaml, std::string_view origin);
scenario load_scenario(const std::string& path);  // config::error if it cannot be read

// Checks the scenario against the rules the server starts with (name and type, in order:
// the config file's, the scenario's, the --fault flags'): a timeline `add` must not reuse
// the name of a rule present at that time, `remove` must name one, and `fired(X)` must
// name a rule that exists at some point or a fault type. Throws config::error.
void check_scenario(const scenario& s,
                    const std::vector<std::pair<std::string, std::string>>& initial_rules);

}  // namespace fauxgres::harness
