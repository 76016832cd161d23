// rules_from_config: the configuration's fault rules, file first, then flags.
#include "config/error.hpp"
#include "faults/rules.hpp"

namespace fauxgres::faults {

std::vector<rule> rules_from_config(const config::server_config& config) {
  std::vector<rule> rules;
  for (const auto& entry : config.fault_entries) {
    try {
      rules.push_back(
          make_rule(entry.type, attribute_map(entry.keys.begin(), entry.keys.end()), entry.field));
    } catch (const config::error& e) {
      throw config::error(e.field(), e.value(), e.why(), entry.origin);
    }
  }
  for (const auto& text : config.fault_flags) rules.push_back(parse_rule(text));
  return rules;
}

}  // namespace fauxgres::faults
