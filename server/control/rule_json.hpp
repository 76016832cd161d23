// Rules and events as the control API reads and writes them, pure. A rule in JSON has the
// same keys as an entry of the YAML `faults:` list (type, name, the fault's attributes,
// match keys, rule keys); strings, numbers and booleans are accepted and turned into the
// text faults::make_rule validates. A rule out is its keys as given plus name, type and
// how often it fired.
#pragma once

#include <boost/json/fwd.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "faults/rules.hpp"

namespace fauxgres::control {

// A JSON scalar as rule text: "5s" stays, 5 → "5", 0.25 → "0.25", true → "true". Anything
// else throws api_error 400 naming `field`.
std::string scalar_text(const boost::json::value& value, const std::string& field);

// The request body parsed as a JSON object (empty body: an empty object); api_error 400
// "bad request body: ..." otherwise.
boost::json::object parse_body(std::string_view body);

struct rule_input {
  std::string type;
  faults::attribute_map keys;  // every key but `type` (and the read-only `fired`)
};

// A rule object's keys. `field` names it in errors ("rules[new]"). A missing `type` is an
// error unless `type_optional` (PATCH).
rule_input rule_input_from_json(const boost::json::object& body, const std::string& field,
                                bool type_optional = false);

// Builds and validates the rule (faults::make_rule); bad keys throw api_error 400 with the
// config::error text ("rules[new].after: expected a duration ...").
faults::rule build_rule(const rule_input& input, const std::string& field);

boost::json::object rule_to_json(const faults::rule& r, std::uint64_t fired);
boost::json::object event_to_json(const faults::fired_event& e);

}  // namespace fauxgres::control
