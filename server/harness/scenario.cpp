// See scenario.hpp. The `faults:` list and each timeline `add:` go through the config file's
// own parser (config::load_yaml_config), so they accept exactly what a config file does.
#include "harness/scenario.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config/values.hpp"

namespace fauxgres::harness {

namespace {

using std::chrono::milliseconds;

std::string item(std::string_view path, std::size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

std::string scalar(const YAML::Node& node, const std::string& field) {
  if (!node.IsScalar()) throw config::error(field, "", "expected a single value");
  return node.Scalar();
}

// The config file's `faults:` entries for `list` (a YAML sequence), parsed by the config
// parser itself.
std::vector<config::fault_entry> fault_entries(const YAML::Node& list, std::string_view origin) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "faults" << YAML::Value << list << YAML::EndMap;
  config::server_config parsed;
  config::load_yaml_config(out.c_str(), origin, parsed);
  return parsed.fault_entries;
}

faults::rule build_rule(const config::fault_entry& entry, const std::string& field,
                        std::string_view origin) {
  try {
    return faults::make_rule(entry.type,
                             faults::attribute_map(entry.keys.begin(), entry.keys.end()), field);
  } catch (const config::error& e) {
    throw config::error(e.field(), e.value(), e.why(), std::string(origin));
  }
}

// A timeline `add:` mapping: one fault entry, checked as a rule, and named.
faults::rule timeline_rule(const YAML::Node& node, const std::string& field,
                           std::string_view origin) {
  if (!node.IsMap())
    throw config::error(field, "", "expected a rule: a mapping with type: and its keys");
  YAML::Node list(YAML::NodeType::Sequence);
  list.push_back(node);
  std::vector<config::fault_entry> entries;
  try {
    entries = fault_entries(list, origin);
  } catch (const config::error& e) {
    std::string inner = e.field();
    if (inner.rfind("faults[0]", 0) == 0) inner = field + inner.substr(9);
    throw config::error(inner, e.value(), e.why(), std::string(origin));
  }
  faults::rule r = build_rule(entries.front(), field, origin);
  if (r.name.empty())
    throw config::error(field + ".name", "", "a rule added by the timeline needs a name",
                        std::string(origin));
  return r;
}

timeline_entry parse_entry(const YAML::Node& node, const std::string& field,
                           std::string_view origin) {
  if (!node.IsMap()) throw config::error(field, "", "expected a mapping: {at: 2s, ...}");
  static const std::set<std::string> allowed{"at", "since", "add", "remove", "action", "duration"};
  for (const auto& pair : node) {
    const std::string key = pair.first.IsScalar() ? pair.first.Scalar() : "";
    if (!allowed.contains(key))
      throw config::error(field + "." + key, "",
                          "unknown key (expected at, since, and one of add, remove, action; "
                          "duration with restart and failover)");
  }
  timeline_entry e;
  e.field = field;
  if (!node["at"]) throw config::error(field + ".at", "", "missing: when, from server start");
  e.at = faults::parse_duration(scalar(node["at"], field + ".at"), field + ".at");
  if (node["since"]) {
    const std::string since = scalar(node["since"], field + ".since");
    if (since == "first_login")
      e.since = timeline_entry::base::first_login;
    else if (since != "start")
      throw config::error(field + ".since", since, "expected start or first_login");
  }
  const int kinds = (node["add"] ? 1 : 0) + (node["remove"] ? 1 : 0) + (node["action"] ? 1 : 0);
  if (kinds != 1) throw config::error(field, "", "needs exactly one of add, remove, action");
  if (node["duration"] && !node["action"])
    throw config::error(field + ".duration", "", "only with action: restart or failover");
  if (node["add"]) {
    e.what = timeline_entry::kind::add;
    e.rule = timeline_rule(node["add"], field + ".add", origin);
    e.name = e.rule.name;
  } else if (node["remove"]) {
    e.what = timeline_entry::kind::remove;
    e.name = config::parse_name(scalar(node["remove"], field + ".remove"), field + ".remove");
  } else {
    e.what = timeline_entry::kind::action;
    const std::string name = scalar(node["action"], field + ".action");
    auto kind = faults::server_action_kind(name);
    if (!kind)
      throw config::error(field + ".action", name,
                          "expected kill_all, restart, shutdown or failover");
    e.action = *kind;
    const bool timed = *kind == faults::server_action::kind::restart ||
                       *kind == faults::server_action::kind::failover;
    if (node["duration"]) {
      if (!timed)
        throw config::error(field + ".duration", "", "only with action: restart or failover");
      e.duration = faults::parse_duration(scalar(node["duration"], field + ".duration"),
                                          field + ".duration");
    }
  }
  return e;
}

std::string duration_text(milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + "s";
  return std::to_string(d.count()) + "ms";
}

void parse_root(const YAML::Node& root, std::string_view origin, scenario& s) {
  if (!root || root.IsNull()) return;
  if (!root.IsMap()) throw config::error("yaml", "", "the top level must be a mapping");
  static const std::set<std::string> allowed{"description", "faults", "timeline", "expect"};
  for (const auto& pair : root) {
    const std::string key = pair.first.IsScalar() ? pair.first.Scalar() : "";
    if (!allowed.contains(key))
      throw config::error(key, "",
                          "unknown key (expected one of: description, faults, timeline, expect)");
  }
  if (root["description"]) s.description = scalar(root["description"], "description");
  if (root["faults"]) {
    if (!root["faults"].IsSequence()) throw config::error("faults", "", "expected a list");
    s.faults = fault_entries(root["faults"], origin);
    for (const auto& entry : s.faults) build_rule(entry, entry.field, origin);
  }
  if (root["timeline"]) {
    const YAML::Node list = root["timeline"];
    if (!list.IsSequence()) throw config::error("timeline", "", "expected a list");
    for (std::size_t i = 0; i < list.size(); ++i)
      s.timeline.push_back(parse_entry(list[i], item("timeline", i), origin));
    std::stable_sort(s.timeline.begin(), s.timeline.end(),
                     [](const auto& a, const auto& b) { return a.at < b.at; });
  }
  if (root["expect"]) {
    const YAML::Node list = root["expect"];
    if (!list.IsSequence()) throw config::error("expect", "", "expected a list of strings");
    for (std::size_t i = 0; i < list.size(); ++i)
      s.expectations.push_back(
          parse_expectation(scalar(list[i], item("expect", i)), item("expect", i)));
  }
}

}  // namespace

std::string timeline_entry::describe() const {
  switch (what) {
    case kind::add:
      return "add " + rule.type + " rule " + name;
    case kind::remove:
      return "remove rule " + name;
    case kind::action: {
      std::string text(faults::to_string(action));
      if (action == faults::server_action::kind::restart ||
          action == faults::server_action::kind::failover)
        text += " (down " + duration_text(duration) + ")";
      return text;
    }
  }
  return "?";
}

scenario parse_scenario(std::string_view yaml, std::string_view origin) {
  scenario s;
  s.origin = std::string(origin);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    throw config::error("yaml", "",
                        "invalid YAML at line " + std::to_string(e.mark.line + 1) + ", column " +
                            std::to_string(e.mark.column + 1) + ": " + e.msg,
                        std::string(origin));
  }
  try {
    parse_root(root, origin, s);
  } catch (const config::error& e) {
    if (!e.origin().empty()) throw;
    throw config::error(e.field(), e.value(), e.why(), std::string(origin));
  } catch (const YAML::Exception& e) {
    throw config::error("yaml", "", e.msg, std::string(origin));
  }
  return s;
}

scenario load_scenario(const std::string& path) {
  const std::string file = config::readable_file(path, "--scenario");
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) throw config::error("--scenario", path, "could not read the file");
  return parse_scenario(text.str(), path);
}

void check_scenario(const scenario& s,
                    const std::vector<std::pair<std::string, std::string>>& initial_rules) {
  std::set<std::string, std::less<>> present;
  std::set<std::string, std::less<>> ever;
  for (const auto& [name, type] : initial_rules) present.insert(name), ever.insert(name);
  for (const auto& e : s.timeline) {
    if (e.what == timeline_entry::kind::add) {
      if (present.contains(e.name))
        throw config::error(e.field + ".add.name", e.name,
                            "a rule of that name exists at that time", s.origin);
      present.insert(e.name);
      ever.insert(e.name);
    } else if (e.what == timeline_entry::kind::remove) {
      if (!present.contains(e.name))
        throw config::error(e.field + ".remove", e.name, "no rule of that name at that time",
                            s.origin);
      present.erase(e.name);
    }
  }
  for (const auto& x : s.expectations) {
    if (x.metric != "fired" || !x.argument) continue;
    if (ever.contains(*x.argument) || is_fault_type(*x.argument)) continue;
    std::string names;
    for (const auto& n : ever) names += (names.empty() ? "" : ", ") + n;
    throw config::error(
        x.field, x.text,
        "fired(" + *x.argument + "): no rule and no fault type of that name" +
            (names.empty() ? std::string(" (no rules)") : " (rules: " + names + ")"),
        s.origin);
  }
}

}  // namespace fauxgres::harness
