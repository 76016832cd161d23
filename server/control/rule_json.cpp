// See rule_json.hpp.
#include "control/rule_json.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "config/error.hpp"
#include "control/http_types.hpp"

namespace fauxgres::control {

namespace json = boost::json;

std::string scalar_text(const json::value& value, const std::string& field) {
  switch (value.kind()) {
    case json::kind::string:
      return std::string(value.get_string());
    case json::kind::int64:
      return std::to_string(value.get_int64());
    case json::kind::uint64:
      return std::to_string(value.get_uint64());
    case json::kind::double_: {
      char buffer[64];
      const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.get_double(),
                                           std::chars_format::fixed);
      if (ec != std::errc()) throw api_error(400, field + ": number out of range");
      return std::string(buffer, end);
    }
    case json::kind::bool_:
      return value.get_bool() ? "true" : "false";
    default:
      throw api_error(400, field + ": expected a string, a number or a boolean");
  }
}

json::object parse_body(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return {};
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec) throw api_error(400, "bad request body: " + ec.message());
  if (!value.is_object()) throw api_error(400, "bad request body: expected a JSON object");
  return std::move(value.as_object());
}

rule_input rule_input_from_json(const json::object& body, const std::string& field,
                                bool type_optional) {
  rule_input input;
  for (const auto& [key, value] : body) {
    const std::string name(key);
    if (name == "fired") continue;  // read-only: a rule as listed can be sent back
    const std::string text = scalar_text(value, field + "." + name);
    if (name == "type") {
      input.type = text;
    } else {
      input.keys[name] = text;
    }
  }
  if (input.type.empty() && !type_optional)
    throw api_error(400, field + ".type: missing fault type");
  return input;
}

faults::rule build_rule(const rule_input& input, const std::string& field) {
  try {
    return faults::make_rule(input.type, input.keys, field);
  } catch (const config::error& e) {
    throw api_error(400, e.what());
  }
}

json::object rule_to_json(const faults::rule& r, std::uint64_t fired) {
  json::object out;
  out["name"] = r.name;
  out["type"] = r.type;
  for (const auto& [key, value] : r.given)
    if (key != "name") out[key] = value;
  out["fired"] = fired;
  return out;
}

json::object event_to_json(const faults::fired_event& e) {
  return {{"sequence", e.sequence}, {"at_ms", e.at.count()}, {"connection", e.connection},
          {"rule", e.rule},         {"type", e.type},        {"hook", faults::to_string(e.where)},
          {"action", e.action}};
}

}  // namespace fauxgres::control
