// See expectation.hpp.
#include "harness/expectation.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <initializer_list>

#include "config/error.hpp"
#include "faults/rules.hpp"

namespace fauxgres::harness {

namespace {

using arg = metric_info::argument;
namespace json = boost::json;

const std::vector<metric_info> known_metrics = {
    {"peak_connections", arg::optional, "LISTENER",
     "most connections open at once (on one listener with an argument)"},
    {"open_connections", arg::none, "", "connections still open at the end"},
    {"accepted", arg::none, "", "connections accepted"},
    {"closed", arg::none, "", "connections closed"},
    {"logins", arg::none, "", "sessions that logged in"},
    {"auth_failures", arg::none, "", "logins refused for the password or the role (28P01)"},
    {"rejected", arg::optional, "REASON",
     "connections turned away before logging in (all, or for one reason)"},
    {"fired", arg::optional, "RULE_OR_TYPE",
     "times fault rules fired (all, one rule by name, or every rule of a type)"},
    {"errors", arg::optional, "SQLSTATE", "ErrorResponses sent (all, or with one SQLSTATE)"},
    {"max_idle_seconds", arg::none, "",
     "longest time a session waited for its client between statements"},
    {"command_exit_code", arg::none, "", "COMMAND's exit status (128 + N if killed by signal N)"},
    {"command_seconds", arg::none, "", "how long COMMAND ran"},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The number at `path` in the stats JSON.
std::optional<double> number_at(const json::object& root,
                                std::initializer_list<std::string_view> path) {
  const json::value* at = nullptr;
  const json::object* in = &root;
  for (std::string_view key : path) {
    if (!in) return std::nullopt;
    auto it = in->find(key);
    if (it == in->end()) return std::nullopt;
    at = &it->value();
    in = at->if_object();
  }
  if (!at) return std::nullopt;
  if (auto* i = at->if_int64()) return static_cast<double>(*i);
  if (auto* u = at->if_uint64()) return static_cast<double>(*u);
  if (auto* d = at->if_double()) return *d;
  return std::nullopt;
}

const json::object* object_at(const json::object& root,
                              std::initializer_list<std::string_view> path) {
  const json::object* in = &root;
  for (std::string_view key : path) {
    auto it = in->find(key);
    if (it == in->end()) return nullptr;
    in = it->value().if_object();
    if (!in) return nullptr;
  }
  return in;
}

measurement from_map(const json::object& map, const std::optional<std::string>& key,
                     std::string source) {
  double sum = 0;
  for (const auto& [k, v] : map) {
    if (key && k != *key) continue;
    if (auto* i = v.if_int64()) sum += static_cast<double>(*i);
    if (auto* u = v.if_uint64()) sum += static_cast<double>(*u);
  }
  return {sum, std::move(source) + (key ? "." + *key : "")};
}

measurement stat(const run_facts& f, std::initializer_list<std::string_view> path) {
  std::string source = "stats";
  for (auto key : path) source += (source == "stats" ? " " : ".") + std::string(key);
  if (auto v = number_at(f.stats, path)) return {v, source};
  return {std::nullopt, source + " (missing)"};
}

measurement measure_fired(const expectation& e, const run_facts& f) {
  if (!e.argument) {
    double sum = 0;
    for (const auto& [name, n] : f.fired) sum += static_cast<double>(n);
    for (const auto& [kind, n] : f.actions) sum += static_cast<double>(n);
    return {sum, "fired, every rule and timeline action"};
  }
  const std::string& name = *e.argument;
  if (auto it = f.fired.find(name); it != f.fired.end() && f.rule_types.contains(name))
    return {static_cast<double>(it->second), "stats fired." + name};
  if (f.rule_types.contains(name)) return {0.0, "stats fired." + name};
  double sum = 0;
  for (const auto& [rule, type] : f.rule_types)
    if (type == name)
      if (auto it = f.fired.find(rule); it != f.fired.end()) sum += static_cast<double>(it->second);
  if (auto it = f.actions.find(name); it != f.actions.end()) sum += static_cast<double>(it->second);
  return {sum, "fired, every rule of type " + name + " and timeline " + name + " actions"};
}

// Rejections by reason and errors by SQLSTATE: count maps in the stats JSON (docs/stats.md).
// A key absent from a map that is there counts 0; a map that is not there is not measured.
measurement measure_count(const expectation& e, const run_facts& f,
                          std::initializer_list<std::string_view> map_path, std::string source) {
  if (auto* map = object_at(f.stats, map_path)) return from_map(*map, e.argument, source);
  return {std::nullopt, source + " (missing)"};
}

measurement measure_max_idle(const run_facts& f) {
  if (auto v = number_at(f.stats, {"connections", "max_idle_ms"}))
    return {*v / 1000.0, "stats connections.max_idle_ms / 1000"};
  return {std::nullopt, "stats connections.max_idle_ms (missing)"};
}

}  // namespace

std::string_view to_string(comparison op) {
  switch (op) {
    case comparison::less:
      return "<";
    case comparison::less_equal:
      return "<=";
    case comparison::equal:
      return "==";
    case comparison::not_equal:
      return "!=";
    case comparison::greater_equal:
      return ">=";
    case comparison::greater:
      return ">";
  }
  return "?";
}

const std::vector<metric_info>& metrics() {
  return known_metrics;
}

const metric_info* find_metric(std::string_view name) {
  for (const auto& m : known_metrics)
    if (m.name == name) return &m;
  return nullptr;
}

bool is_rejection_reason(std::string_view reason) {
  static constexpr std::string_view fixed[] = {
      "auth_failed",    "database_not_found",     "shutting_down",
      "protocol_error", "authentication_timeout", "tls_failed"};
  if (std::find(std::begin(fixed), std::end(fixed), reason) != std::end(fixed)) return true;
  if (reason.starts_with("error_") && reason.size() == 11) return true;
  return is_fault_type(reason);
}

bool is_fault_type(std::string_view name) {
  auto types = faults::fault_types();
  return std::find(types.begin(), types.end(), name) != types.end();
}

std::string expectation::metric_text() const {
  return argument ? metric + "(" + *argument + ")" : metric;
}

bool expectation::holds(double measured) const {
  switch (op) {
    case comparison::less:
      return measured < value;
    case comparison::less_equal:
      return measured <= value;
    case comparison::equal:
      return measured == value;
    case comparison::not_equal:
      return measured != value;
    case comparison::greater_equal:
      return measured >= value;
    case comparison::greater:
      return measured > value;
  }
  return false;
}

expectation parse_expectation(std::string_view text, const std::string& field) {
  const std::string quoted(text);
  auto fail = [&](const std::string& why) -> config::error {
    return config::error(field, quoted, why);
  };
  expectation e;
  e.text = std::string(trim(text));
  e.field = field;
  std::string_view rest = trim(text);
  std::size_t n = 0;
  while (n < rest.size() && is_name_char(rest[n])) ++n;
  e.metric = std::string(rest.substr(0, n));
  rest = trim(rest.substr(n));
  if (e.metric.empty()) throw fail("expected METRIC OP VALUE, e.g. peak_connections <= 10");
  const metric_info* info = find_metric(e.metric);
  if (!info) {
    std::string names;
    for (const auto& m : known_metrics) names += (names.empty() ? "" : ", ") + std::string(m.name);
    throw fail("unknown metric \"" + e.metric + "\" (known: " + names + ")");
  }
  if (!rest.empty() && rest.front() == '(') {
    auto close = rest.find(')');
    if (close == std::string_view::npos) throw fail("missing ) after the metric's argument");
    std::string_view inside = trim(rest.substr(1, close - 1));
    if (inside.empty()) throw fail("empty argument in " + e.metric + "()");
    e.argument = std::string(inside);
    rest = trim(rest.substr(close + 1));
  }
  if (e.argument && info->takes == arg::none) throw fail(e.metric + " takes no argument");
  if (!e.argument && info->takes == arg::required)
    throw fail(e.metric + " needs an argument: " + e.metric + "(" +
               std::string(info->argument_name) + ")");
  if (e.argument && e.metric == "errors") {
    const bool ok =
        e.argument->size() == 5 && std::all_of(e.argument->begin(), e.argument->end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'A' && c <= 'Z');
        });
    if (!ok) throw fail("errors(SQLSTATE): expected five digits or capital letters, e.g. 53300");
  }
  if (e.argument && e.metric == "rejected" && !is_rejection_reason(*e.argument))
    throw fail("rejected(REASON): unknown reason \"" + *e.argument +
               "\" (a fault type, auth_failed, database_not_found, shutting_down, "
               "protocol_error, authentication_timeout, tls_failed or error_SQLSTATE)");
  static const std::pair<std::string_view, comparison> ops[] = {
      {"<=", comparison::less_equal}, {">=", comparison::greater_equal},
      {"==", comparison::equal},      {"!=", comparison::not_equal},
      {"<", comparison::less},        {">", comparison::greater}};
  bool found = false;
  for (const auto& [spelling, op] : ops) {
    if (rest.substr(0, spelling.size()) == spelling) {
      e.op = op;
      rest = trim(rest.substr(spelling.size()));
      found = true;
      break;
    }
  }
  if (!found) throw fail("expected an operator (< <= == != >= >) after " + e.metric_text());
  if (rest.empty()) throw fail("missing the value after " + std::string(to_string(e.op)));
  const char* begin = rest.data();
  const char* end = rest.data() + rest.size();
  auto [ptr, ec] = std::from_chars(begin, end, e.value);
  if (ec != std::errc() || ptr != end || !std::isfinite(e.value))
    throw fail("the value must be a number (got \"" + std::string(rest) + "\")");
  return e;
}

measurement measure(const expectation& e, const run_facts& f) {
  const std::string& m = e.metric;
  if (m == "peak_connections") {
    if (e.argument) {
      if (auto v = number_at(f.stats, {"connections", "peak_by_listener", *e.argument}))
        return {v, "stats connections.peak_by_listener." + *e.argument};
      return {std::nullopt, "no listener named " + *e.argument};
    }
    return stat(f, {"connections", "peak"});
  }
  if (m == "open_connections") return stat(f, {"connections", "current"});
  if (m == "accepted") return stat(f, {"connections", "accepted"});
  if (m == "closed") return stat(f, {"connections", "closed"});
  if (m == "logins") return stat(f, {"connections", "logins"});
  if (m == "auth_failures") return stat(f, {"connections", "auth_failures"});
  if (m == "rejected")
    return measure_count(e, f, {"connections", "rejected"}, "stats connections.rejected");
  if (m == "fired") return measure_fired(e, f);
  if (m == "errors")
    return measure_count(e, f, {"errors", "by_sqlstate"}, "stats errors.by_sqlstate");
  if (m == "max_idle_seconds") return measure_max_idle(f);
  if (m == "command_exit_code") {
    if (f.command_exit_code) return {static_cast<double>(*f.command_exit_code), "command"};
    return {std::nullopt, "the command did not run"};
  }
  if (m == "command_seconds") return {f.command_seconds, "command"};
  return {std::nullopt, "unknown metric"};
}

std::vector<outcome> evaluate(const std::vector<expectation>& expectations,
                              const run_facts& facts) {
  std::vector<outcome> out;
  for (const auto& e : expectations) {
    outcome o{&e, measure(e, facts), false};
    o.pass = o.measured.value && e.holds(*o.measured.value);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace fauxgres::harness
