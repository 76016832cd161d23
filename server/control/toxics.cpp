// See toxics.hpp.
#include "control/toxics.hpp"

#include <array>
#include <boost/json.hpp>
#include <charconv>

#include "control/http_types.hpp"
#include "control/rule_json.hpp"
#include "faults/toxic.hpp"

namespace fauxgres::control {

namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 8> toxiproxy_types{
    "latency", "bandwidth", "slicer", "limit_data", "timeout", "reset_peer", "slow_close", "noop"};

// Keys a toxic's rule has that are not its Toxiproxy attributes.
bool is_toxic_field(std::string_view key, bool network) {
  return key == "name" || key == "listener" || key == "stream" || key == "toxicity" ||
         (!network && key == "probability");
}

std::string toxicity_text(const json::value& value) {
  const std::string text = scalar_text(value, "toxicity");
  double p = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), p);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || p < 0 || p > 1)
    throw api_error(400,
                    "bad request body: toxicity must be a number from 0 to 1 (got " + text + ")");
  return text;
}

json::value number_value(double d) {
  if (d == static_cast<double>(static_cast<std::int64_t>(d))) return static_cast<std::int64_t>(d);
  return d;
}

}  // namespace

bool is_toxiproxy_type(std::string_view type) {
  for (auto t : toxiproxy_types)
    if (t == type) return true;
  return false;
}

toxic_request toxic_from_json(const json::object& body) {
  toxic_request t;
  if (const auto* type = body.if_contains("type"); type && !type->is_null())
    t.type = scalar_text(*type, "type");
  if (t.type.empty()) throw api_error(400, "invalid toxic type");
  t.stream = "downstream";
  if (const auto* stream = body.if_contains("stream"); stream && !stream->is_null()) {
    t.stream = scalar_text(*stream, "stream");
    if (t.stream.empty()) t.stream = "downstream";
  }
  if (t.stream != "upstream" && t.stream != "downstream")
    throw api_error(400, "stream was invalid, can be either upstream or downstream");
  if (const auto* name = body.if_contains("name"); name && !name->is_null())
    t.name = scalar_text(*name, "name");
  if (t.name.empty()) t.name = t.type + "_" + t.stream;
  if (const auto* toxicity = body.if_contains("toxicity"); toxicity && !toxicity->is_null())
    t.toxicity = toxicity_text(*toxicity);
  if (const auto* attributes = body.if_contains("attributes");
      attributes && !attributes->is_null()) {
    if (!attributes->is_object())
      throw api_error(400, "bad request body: attributes must be an object");
    for (const auto& [key, value] : attributes->get_object()) {
      if (value.is_null()) continue;
      const std::string name(key);
      if (name == "listener" || name == "name" || name == "stream" || name == "toxicity")
        throw api_error(400, "attributes." + name + ": set by the toxic itself, not an attribute");
      t.attributes[name] = scalar_text(value, "attributes." + name);
    }
  }
  return t;
}

faults::attribute_map toxic_rule_keys(const toxic_request& toxic, std::string_view proxy,
                                      std::string_view rule_name) {
  faults::attribute_map keys = toxic.attributes;
  keys["listener"] = std::string(proxy);
  keys["name"] = std::string(rule_name);
  if (is_toxiproxy_type(toxic.type)) {
    keys["stream"] = toxic.stream;
    if (toxic.toxicity) keys["toxicity"] = *toxic.toxicity;
  } else if (toxic.toxicity) {
    if (keys.count("probability"))
      throw api_error(400, "bad request body: give toxicity or attributes.probability, not both");
    keys["probability"] = *toxic.toxicity;
  }
  return keys;
}

faults::attribute_map updated_toxic_keys(const faults::rule& r, const json::object& body) {
  faults::attribute_map keys = r.given;
  const bool network = is_toxiproxy_type(r.type);
  if (const auto* attributes = body.if_contains("attributes");
      attributes && !attributes->is_null()) {
    if (!attributes->is_object())
      throw api_error(400, "bad request body: attributes must be an object");
    for (const auto& [key, value] : attributes->get_object()) {
      const std::string name(key);
      if (is_toxic_field(name, network))
        throw api_error(400, "attributes." + name + ": set by the toxic itself, not an attribute");
      if (value.is_null()) {
        keys.erase(name);
      } else {
        keys[name] = scalar_text(value, "attributes." + name);
      }
    }
  }
  if (const auto* toxicity = body.if_contains("toxicity"); toxicity && !toxicity->is_null())
    keys[network ? "toxicity" : "probability"] = toxicity_text(*toxicity);
  return keys;
}

json::object toxic_to_json(const faults::rule& r, std::string_view toxic_name,
                           std::string_view stream) {
  const faults::toxic* network = r.impl ? r.impl->network() : nullptr;
  json::object attributes;
  for (const auto& [key, value] : r.given)
    if (!is_toxic_field(key, network != nullptr)) attributes[key] = attribute_value(value);
  return {{"name", toxic_name},
          {"type", r.type},
          {"stream", network ? faults::to_string(network->stream()) : stream},
          {"toxicity", number_value(network ? network->toxicity() : r.probability)},
          {"attributes", std::move(attributes)}};
}

json::value attribute_value(std::string_view text) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  const bool canonical = !text.empty() && ec == std::errc() && end == text.data() + text.size() &&
                         std::to_string(n) == text;
  if (canonical) return n;
  return json::string(text);
}

}  // namespace fauxgres::control
