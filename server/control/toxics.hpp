// Toxiproxy's JSON shapes and fauxgres rules, pure. A toxic on a proxy is a rule matched to
// the proxy's listener (`listener=<proxy>`); Toxiproxy's network types get `stream` and
// `toxicity` as attributes, fauxgres' own fault types take `toxicity` as the rule's
// `probability` (their stream is only remembered, for listing). See docs/toxiproxy.md.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "faults/rules.hpp"

namespace fauxgres::control {

// latency, bandwidth, slicer, limit_data, timeout, reset_peer, slow_close, noop.
bool is_toxiproxy_type(std::string_view type);

// A toxic as POSTed to /proxies/{proxy}/toxics.
struct toxic_request {
  std::string name;                     // given, or Toxiproxy's default <type>_<stream>
  std::string type;                     // required
  std::string stream;                   // upstream | downstream (default)
  std::optional<std::string> toxicity;  // text of a number from 0 to 1
  faults::attribute_map attributes;
};

// Checks the body as Toxiproxy does: api_error 400 "invalid toxic type" without a type,
// "stream was invalid, can be either upstream or downstream" for another stream.
toxic_request toxic_from_json(const boost::json::object& body);

// The rule keys of a toxic on `proxy`, named `rule_name`.
faults::attribute_map toxic_rule_keys(const toxic_request& toxic, std::string_view proxy,
                                      std::string_view rule_name);

// An update (POST/PATCH /proxies/{p}/toxics/{t}): `attributes` merged into the rule's keys
// (null removes one), `toxicity` replaced when given.
faults::attribute_map updated_toxic_keys(const faults::rule& r, const boost::json::object& body);

// Toxiproxy's toxic JSON: {"name", "type", "stream", "toxicity", "attributes"}. `stream` is
// shown for rules whose fault has none (fauxgres' own types).
boost::json::object toxic_to_json(const faults::rule& r, std::string_view toxic_name,
                                  std::string_view stream = "downstream");

// An attribute's text as Toxiproxy would show it: whole numbers as numbers ("200" → 200).
boost::json::value attribute_value(std::string_view text);

}  // namespace fauxgres::control
