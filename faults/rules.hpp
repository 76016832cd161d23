// Rules: {name, type, attributes, match, probability, times, from, until}, the one parser
// and validator for --fault flags, the config file's `faults:` list and (later) the HTTP
// API, and the engine that asks them in order with one seeded random generator.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/server_config.hpp"
#include "faults/fault.hpp"

namespace fauxgres::faults {

struct rule_match {
  std::optional<std::string> listener;          // a listener name, or "tcp" / "unix"
  std::optional<std::string> user;              // exact
  std::optional<std::string> database;          // exact
  std::optional<std::string> application_name;  // glob: * and ?
  std::optional<std::string> client_address;    // exact ("127.0.0.1", "[local]") or glob
  std::optional<std::uint64_t> nth;             // only the nth connection (1-based)
  std::optional<std::uint64_t> every;           // every k-th connection

  // Facts not known yet at a hook (e.g. user at accept) do not match a rule that names them.
  bool matches(const connection_facts& facts) const;
};

struct rule {
  std::string name;  // unique; empty = named "<type>#<n>" by the engine (n-th rule of that type)
  std::string type;
  std::string field;         // where it came from, for errors: "--fault idle_drop", "faults[2]"
  attribute_map attributes;  // the fault's own parameters, validated by its factory
  rule_match match;
  double probability = 1.0;
  std::optional<std::uint64_t> times;  // firing budget
  milliseconds from{0};                // window measured from server start
  std::optional<milliseconds> until;
  std::shared_ptr<const fault> impl;
  attribute_map given;  // every key as given (attributes, match and rule keys), for listing
};

// Keys every rule understands, besides the fault's own attributes.
bool is_rule_key(std::string_view key);   // name probability times from until
bool is_match_key(std::string_view key);  // listener user database application_name
                                          // client_address nth every

// Builds and validates a rule from key/value pairs (attributes, match and rule keys in one
// map, as in `--fault` and in each YAML `faults:` entry). `field` names the origin for
// errors, e.g. "--fault idle_drop" or "faults[2]"; a bad key or value throws config::error
// naming `field.key`, an unknown type `field.type`. The rule's name stays empty unless given.
rule make_rule(std::string_view type, const attribute_map& keys, std::string_view field);

// Parses the --fault syntax: TYPE[:key=value,key=value,...]. Values may be double-quoted
// to contain ',' (a quote inside is written \", a backslash \\). Errors name
// "<field> TYPE.key", e.g. `--fault idle_drop.after`.
rule parse_rule(std::string_view text, std::string_view field = "--fault");

// Every rule of a configuration: the file's `faults:` entries first, then the --fault flags,
// in order. Errors from the file carry it as origin ("f.yaml: faults[1].after: ...").
std::vector<rule> rules_from_config(const config::server_config& config);

// The catalogue: builds a fault of `type` from its attributes; throws config::error naming
// `field.attribute` for unknown attributes or bad values, and `field.type` for an
// unknown type (or a planned one: the network faults, the actions).
std::unique_ptr<fault> make_fault(std::string_view type, const attribute_map& attributes,
                                  std::string_view field);
std::vector<std::string_view> fault_types();

// Durations: 250ms, 5s, 5m, 1h (or a bare number of milliseconds).
milliseconds parse_duration(std::string_view text, const std::string& field);

struct fired_event {
  std::uint64_t sequence = 0;
  milliseconds at{0};  // since server start
  std::uint64_t connection = 0;
  std::string rule;
  std::string type;
  hook where = hook::accept;
  std::string action;  // verdict::describe()
};

// A network rule (a Toxiproxy toxic, faults/toxic.hpp) in effect on a connection.
struct network_toxic {
  std::uintptr_t id = 0;  // which rule: its fault's address, stable while the connection lives
  std::shared_ptr<const fault> impl;  // impl->network() is the toxic
};
struct network_answer {
  std::vector<network_toxic> toxics;  // in rule order: Toxiproxy's chain order
  // The answer may change by itself at this time (a rule's from/until); max: not by itself.
  milliseconds recheck_at = milliseconds::max();
};

// Not thread-safe: one engine is used from one strand.
class engine {
 public:
  static constexpr std::size_t max_events = 10'000;  // the oldest are dropped beyond this

  engine() = default;
  // Names unnamed rules "<type>#<n>"; throws config::error (`field.name`) when two rules
  // share a name.
  engine(std::vector<rule> rules, std::uint64_t seed);

  // Asks matching rules in order at `h`; the first whose fault gives a verdict, whose
  // window contains `now`, whose budget is not spent and whose probability draw succeeds
  // fires: it is counted and recorded, and its verdict returned (with `rule` set).
  // Otherwise `none`. At `ready` every rule is asked and the soonest deadline wins; a
  // deadline is only armed here: it counts and is recorded when fire_deadline says so.
  verdict decide(hook h, const connection_facts& facts, std::uint64_t connection, milliseconds now);
  // A deadline from decide() expired: true if it is still to be carried out (its rule
  // exists and its budget is not spent); then it is counted and recorded.
  bool fire_deadline(const verdict& armed, std::uint64_t connection, milliseconds now);
  // A rule's moment() came: that one rule, put to one connection. Its verdict when it
  // listens to `h`, matches, is in its window, has budget and wins its draw (counted and
  // recorded); otherwise `none`.
  verdict decide_rule(std::string_view rule_name, hook h, const connection_facts& facts,
                      std::uint64_t connection, milliseconds now);
  bool listens_to(hook h) const { return (hooks_ & (1u << static_cast<unsigned>(h))) != 0; }

  // `refuse mode=closed`: whether the listener must not accept at all at `now` (the
  // network layer closes its socket so connects are really refused). Only the rule's
  // listener match, window and budget apply.
  bool listener_closed(std::string_view listener, bool unix_socket, milliseconds now) const;
  // Every from/until boundary of every rule, sorted: when listener_closed may change.
  std::vector<milliseconds> boundaries() const;

  // A rule's scheduled server action is due: true if it is to be carried out now (the rule
  // still exists, `now` is in its window, its budget is not spent and its probability
  // draw succeeds); then it is counted and recorded.
  bool fire_action(std::string_view rule_name, milliseconds now);
  // An action run on demand (control API, scenario timeline): recorded as an event of
  // `source` (e.g. "api"), counted under no rule.
  void record_action(std::string_view source, server_action::kind what, milliseconds now,
                     std::string description);

  // Runtime changes (the control API, scenario timelines). add_rule names an unnamed rule
  // like the constructor and throws config::error (`field.name`) on a name in use;
  // replace_rule keeps the rule's place in the order and its name.
  const rule& add_rule(rule r);
  bool remove_rule(std::string_view name);
  const rule* replace_rule(std::string_view name, rule r);
  void clear_rules();
  const rule* find(std::string_view name) const;
  // Zeroes the fired counts; the event log keeps its sequence numbers.
  void reset_counts();
  // Changes whenever the rule set does, so callers can cache what they derive from it.
  std::uint64_t generation() const { return generation_; }

  // Network rules (engine_network.cpp). Those in effect on `connection` now: matching, in
  // their window and, the first time a rule meets the connection, within budget and winning
  // one draw of toxicity × probability, remembered while the connection lives. A rule that
  // starts applying to a connection is counted and recorded (hook `data`) once.
  network_answer network(const connection_facts& facts, std::uint64_t connection, milliseconds now);
  // The connection closed: forget its draws.
  void forget_network(std::uint64_t connection);
  bool has_network_rules() const;

  std::uint64_t seed() const { return seed_; }
  const std::vector<rule>& rules() const { return rules_; }
  // The last max_events fired events, oldest first; `sequence` shows any gap.
  const std::deque<fired_event>& events() const { return events_; }
  std::uint64_t fired(std::string_view rule_name) const;

 private:
  double draw();  // uniform in [0, 1), from the seeded generator only
  bool eligible(std::size_t index, hook h, const connection_facts& facts, milliseconds now) const;
  bool wins_draw(const rule& r);
  void push_event(fired_event e);
  void record(std::size_t index, hook h, std::uint64_t connection, milliseconds now,
              std::string action);

  std::vector<rule> rules_;
  std::vector<std::uint64_t> fired_;  // per rule
  std::deque<fired_event> events_;
  std::uint64_t sequence_ = 0;
  std::uint64_t seed_ = 0;
  std::uint64_t state_ = 0;
  std::uint64_t generation_ = 0;
  unsigned hooks_ = 0;
  struct network_draw {
    std::shared_ptr<const fault> keep;  // so the id is not reused while remembered
    bool applies = false;
  };
  std::map<std::pair<std::uint64_t, std::uintptr_t>, network_draw> network_draws_;

  void rules_changed();  // recomputes hooks_, bumps generation_
};

}  // namespace fauxgres::faults
