// Built-in functions the responder evaluates (version(), now(), current_setting(), pg_sleep(),
// ...): their signatures for type resolution, and their evaluation.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "protocol/error_fields.hpp"
#include "responder/datum.hpp"
#include "responder/responder.hpp"
#include "types/time_zone.hpp"

namespace fauxgres::responder {

enum class builtin : std::uint8_t {
  version,
  current_database,
  current_schema,
  current_schemas,
  current_setting,
  set_config,
  now,
  statement_timestamp,
  clock_timestamp,
  pg_backend_pid,
  pg_sleep,
  advisory_void,
  advisory_bool,
  txid_current,
  pg_current_xact_id,
  pg_is_in_recovery,
  pg_typeof,
  format_type,
  upper,
  lower,
  length,
  octet_length,
  abs,
  concat,
  pg_notify,
  pg_postmaster_start_time,
};

inline constexpr std::uint32_t any_type = 0;
inline constexpr std::uint8_t variadic_any = 255;

struct function_signature {
  std::string_view name;
  builtin id;
  std::uint8_t nargs;  // or variadic_any
  std::uint32_t args[3];
  std::uint32_t result;  // any_type: the type of the first argument
};

// All overloads named `name` (lower case); empty if fauxgres does not know the function.
std::span<const function_signature> find_functions(std::string_view name);

// What a function or SQL-value function can read and change.
struct eval_env {
  context& ctx;
  std::chrono::milliseconds delay{0};
  std::vector<protocol::error_fields> notices;
  std::optional<protocol::error_fields> error;

  // extra_float_digits and the TimeZone, read from the settings on first use: most
  // statements need neither.
  int extra_float_digits();
  const types::time_zone& time_zone();
  std::optional<int> float_digits_cache{};
  const types::time_zone* zone_cache = nullptr;
  std::shared_ptr<const types::time_zone> zone_holder{};  // keeps a found zone_cache alive
};

// Evaluates a built-in function on already-evaluated arguments (NULLs included: every
// built-in here is strict except concat and set_config's third argument).
datum call_builtin(const function_signature& f, std::span<const datum> args, eval_env& env);

// SQL-value functions: current_user, current_timestamp, ... (`precision` < 0 for none).
datum sql_value(std::string_view name, int precision, eval_env& env);
std::uint32_t sql_value_type(std::string_view name);

}  // namespace fauxgres::responder
