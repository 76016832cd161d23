// Validation and normalisation of parameter values, as guc.c's parse_and_validate_value
// and the check hooks do: booleans, integers with units, enums, DateStyle, TimeZone,
// client_encoding, lists. The result is the text SHOW prints.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/error_fields.hpp"
#include "responder/guc_table.hpp"

namespace fauxgres::responder {

struct guc_value_result {
  std::string value;
  std::optional<protocol::error_fields> error;
};

// `given_name` is the name as the client wrote it (PG quotes it in parse errors);
// `current` is the parameter's current value (DateStyle keeps the parts not given).
guc_value_result normalise_guc_value(const guc_definition& def, std::string_view given_name,
                                     std::string_view value, std::string_view current, bool fatal);

// parse_bool: on/off/true/false/yes/no/1/0 and unique prefixes.
std::optional<bool> parse_guc_bool(std::string_view value);

// "-c name=value" / "--name=value" pairs of the startup `options` parameter.
std::optional<std::string> next_startup_option(std::string_view& options, std::string* name);

// Custom ("extension.name") parameter names: two or more identifiers joined by dots.
bool valid_custom_name(std::string_view name);

// The TimeZone value PG shows for a fixed UTC offset in seconds east (pg_tzset_offset).
std::string posix_offset_zone(long east_seconds);

}  // namespace fauxgres::responder
