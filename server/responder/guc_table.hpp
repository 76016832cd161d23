// The run-time parameters fauxgres knows, with PostgreSQL 15's defaults, types, ranges,
// units and contexts (who may change them). Constant data; sorted by lower-case name.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace fauxgres::responder {

enum class guc_type : std::uint8_t { boolean, integer, real, string, enumeration };

// PGC_* contexts, reduced to what decides SET's answer.
enum class guc_context : std::uint8_t {
  internal,    // never settable: "cannot be changed"
  postmaster,  // "cannot be changed without restarting the server"
  sighup,      // "cannot be changed now"
  backend,     // startup packet only: "cannot be set after connection start"
  superuser,   // SET needs superuser: "permission denied to set parameter"
  user,
};

// Base unit of an integer parameter (GUC_UNIT_*).
enum class guc_unit : std::uint8_t { none, kilobytes, blocks, milliseconds, seconds, minutes };

enum guc_flags : std::uint8_t {
  guc_report = 1,        // GUC_REPORT: sent as ParameterStatus
  guc_list_quote = 2,    // GUC_LIST_QUOTE: list elements are quoted identifiers
  guc_list = 4,          // GUC_LIST_INPUT: SET takes a list
  guc_no_reset_all = 8,  // left alone by RESET ALL
  guc_no_show_all = 16,  // hidden from SHOW ALL
  guc_transaction = 32,  // transaction_*: only meaningful inside a transaction
};

struct guc_definition {
  std::string_view name;  // canonical spelling (SHOW's column name), e.g. "DateStyle"
  guc_type type;
  guc_context context;
  std::string_view default_value;  // as SHOW prints it
  double min = 0;
  double max = 0;
  guc_unit unit = guc_unit::none;
  std::string_view enum_values;  // ", "-separated, the order PG lists them in hints
  std::uint8_t flags = 0;
  std::string_view description;  // short_desc, for SHOW ALL
};

std::span<const guc_definition> all_gucs();
// Case-insensitive lookup by name.
const guc_definition* find_guc(std::string_view name);

// The 13 GUC_REPORT names in ParameterStatus order (alphabetical, case-insensitive).
std::span<const std::string_view> reported_gucs();

}  // namespace fauxgres::responder
