// Built-in functions; see functions.hpp. Results mirror PG 15 (types, text forms); values
// that would need a database (transaction ids, locks) are fixed, plausible answers.
#include "responder/functions.hpp"

#include <cmath>
#include <cstdlib>

#include "responder/datetime.hpp"
#include "responder/numeric.hpp"
#include "responder/pg_error.hpp"
#include "responder/settings.hpp"
#include "responder/time_zones.hpp"
#include "types/catalog.hpp"
#include "types/timestamps.hpp"

namespace fauxgres::responder {
namespace {

namespace oid = types::oid;
constexpr std::uint32_t name_array = 1003, xid8 = 5069, timetz = 1266;
constexpr std::uint8_t variadic = variadic_any;

// Overloads of one name are adjacent.
constexpr function_signature table[] = {
    {"abs", builtin::abs, 1, {oid::float8}, any_type},
    {"abs", builtin::abs, 1, {oid::int4}, any_type},
    {"abs", builtin::abs, 1, {oid::int8}, any_type},
    {"abs", builtin::abs, 1, {oid::int2}, any_type},
    {"abs", builtin::abs, 1, {oid::numeric}, any_type},
    {"abs", builtin::abs, 1, {oid::float4}, any_type},
    {"char_length", builtin::length, 1, {oid::text}, oid::int4},
    {"character_length", builtin::length, 1, {oid::text}, oid::int4},
    {"clock_timestamp", builtin::clock_timestamp, 0, {}, oid::timestamptz},
    {"concat", builtin::concat, variadic, {}, oid::text},
    {"current_database", builtin::current_database, 0, {}, oid::name},
    {"current_schema", builtin::current_schema, 0, {}, oid::name},
    {"current_schemas", builtin::current_schemas, 1, {oid::bool_}, name_array},
    {"current_setting", builtin::current_setting, 1, {oid::text}, oid::text},
    {"current_setting", builtin::current_setting, 2, {oid::text, oid::bool_}, oid::text},
    {"format_type", builtin::format_type, 2, {oid::oid, oid::int4}, oid::text},
    {"length", builtin::length, 1, {oid::text}, oid::int4},
    {"lower", builtin::lower, 1, {oid::text}, oid::text},
    {"now", builtin::now, 0, {}, oid::timestamptz},
    {"octet_length", builtin::octet_length, 1, {oid::text}, oid::int4},
    {"pg_advisory_lock", builtin::advisory_void, 1, {oid::int8}, oid::void_},
    {"pg_advisory_lock", builtin::advisory_void, 2, {oid::int4, oid::int4}, oid::void_},
    {"pg_advisory_unlock", builtin::advisory_bool, 1, {oid::int8}, oid::bool_},
    {"pg_advisory_unlock", builtin::advisory_bool, 2, {oid::int4, oid::int4}, oid::bool_},
    {"pg_advisory_unlock_all", builtin::advisory_void, 0, {}, oid::void_},
    {"pg_advisory_xact_lock", builtin::advisory_void, 1, {oid::int8}, oid::void_},
    {"pg_advisory_xact_lock", builtin::advisory_void, 2, {oid::int4, oid::int4}, oid::void_},
    {"pg_backend_pid", builtin::pg_backend_pid, 0, {}, oid::int4},
    {"pg_current_xact_id", builtin::pg_current_xact_id, 0, {}, xid8},
    {"pg_is_in_recovery", builtin::pg_is_in_recovery, 0, {}, oid::bool_},
    {"pg_notify", builtin::pg_notify, 2, {oid::text, oid::text}, oid::void_},
    {"pg_postmaster_start_time", builtin::pg_postmaster_start_time, 0, {}, oid::timestamptz},
    {"pg_sleep", builtin::pg_sleep, 1, {oid::float8}, oid::void_},
    {"pg_try_advisory_lock", builtin::advisory_bool, 1, {oid::int8}, oid::bool_},
    {"pg_try_advisory_lock", builtin::advisory_bool, 2, {oid::int4, oid::int4}, oid::bool_},
    {"pg_try_advisory_xact_lock", builtin::advisory_bool, 1, {oid::int8}, oid::bool_},
    {"pg_typeof", builtin::pg_typeof, 1, {any_type}, oid::regtype},
    {"set_config", builtin::set_config, 3, {oid::text, oid::text, oid::bool_}, oid::text},
    {"statement_timestamp", builtin::statement_timestamp, 0, {}, oid::timestamptz},
    {"transaction_timestamp", builtin::now, 0, {}, oid::timestamptz},
    {"txid_current", builtin::txid_current, 0, {}, oid::int8},
    {"upper", builtin::upper, 1, {oid::text}, oid::text},
    {"version", builtin::version, 0, {}, oid::text},
};

datum text_datum(std::uint32_t type, std::string s) {
  datum d;
  d.null = false;
  d.type = type;
  d.s = std::move(s);
  return d;
}

datum int_datum(std::uint32_t type, std::int64_t v) {
  datum d;
  d.null = false;
  d.type = type;
  d.i = v;
  return d;
}

// Rounds a time to `precision` fractional second digits (CURRENT_TIMESTAMP(p)).
std::chrono::system_clock::time_point with_precision(std::chrono::system_clock::time_point t,
                                                     int precision) {
  if (precision < 0 || precision >= 6) return t;
  using namespace std::chrono;
  long long unit = 1;
  for (int i = precision; i < 6; ++i) unit *= 10;
  const long long us = duration_cast<microseconds>(t.time_since_epoch()).count();
  const long long rounded = ((us + unit / 2) / unit) * unit;
  return system_clock::time_point(duration_cast<system_clock::duration>(microseconds(rounded)));
}

std::string current_user_name(const context& ctx) {
  const auto role = ctx.session_settings.get("role");
  if (role && *role != "none") return *role;
  return ctx.session_settings.get("session_authorization").value_or(std::string(ctx.user));
}

// current_schema(): the first search_path entry that is not "$user".
std::optional<std::string> first_schema(const context& ctx) {
  const std::string path = ctx.session_settings.get("search_path").value_or("");
  std::size_t p = 0;
  while (p < path.size()) {
    std::size_t comma = path.find(',', p);
    if (comma == std::string::npos) comma = path.size();
    std::string item = path.substr(p, comma - p);
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
      item = item.substr(1, item.size() - 2);
    }
    if (!item.empty() && item != "$user") return item;
    p = comma + 1;
  }
  return std::nullopt;
}

std::string lower_ascii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string upper_ascii(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

datum abs_of(const datum& a, eval_env& env) {
  datum out = a;
  if (a.type == oid::numeric) {
    auto d = decimal::parse(a.s);
    if (d && decimal::compare(*d, decimal::from_int(0)) < 0) out.s = d->negated().to_string();
  } else if (stored_as_float(a.type)) {
    out.f = std::fabs(a.f);
  } else {
    if (a.i == INT64_MIN || !fits_integer_type(-a.i, a.type)) {
      env.error = integer_out_of_range(a.type);
      return {};
    }
    out.i = a.i < 0 ? -a.i : a.i;
  }
  return out;
}

}  // namespace

int eval_env::extra_float_digits() {
  if (!float_digits_cache) {
    auto v = ctx.session_settings.get("extra_float_digits");
    float_digits_cache = v ? std::atoi(v->c_str()) : 1;
  }
  return *float_digits_cache;
}

const types::time_zone& eval_env::time_zone() {
  if (zone_cache == nullptr) {
    zone_holder = session_time_zone(ctx.session_settings);
    zone_cache = zone_holder.get();
  }
  return *zone_cache;
}

std::span<const function_signature> find_functions(std::string_view name) {
  std::size_t first = 0;
  while (first < std::size(table) && table[first].name != name) ++first;
  std::size_t last = first;
  while (last < std::size(table) && table[last].name == name) ++last;
  return std::span<const function_signature>(table + first, last - first);
}

datum call_builtin(const function_signature& f, std::span<const datum> args, eval_env& env) {
  context& ctx = env.ctx;
  const std::uint32_t result = f.result == any_type ? args[0].type : f.result;
  if (f.id != builtin::concat && f.id != builtin::set_config && f.id != builtin::pg_typeof) {
    for (const datum& a : args) {
      if (a.null) return datum::null_of(result);  // strict functions
    }
  }
  switch (f.id) {
    case builtin::version:
      return text_datum(result, "PostgreSQL " +
                                    ctx.session_settings.get("server_version").value_or("15") +
                                    " on x86_64-pc-linux-gnu, compiled by gcc (Debian "
                                    "12.2.0-14+deb12u1) 12.2.0, 64-bit");
    case builtin::current_database:
      return text_datum(result, std::string(ctx.database));
    case builtin::current_schema: {
      auto schema = first_schema(ctx);
      return schema ? text_datum(result, *schema) : datum::null_of(result);
    }
    case builtin::current_schemas: {
      auto schema = first_schema(ctx);
      std::string list = args[0].i != 0 ? "{pg_catalog" : "{";
      if (schema && *schema != "pg_catalog") list += (list.size() > 1 ? "," : "") + *schema;
      return text_datum(result, list + "}");
    }
    case builtin::current_setting: {
      auto v = ctx.session_settings.get(args[0].s);
      if (v) return text_datum(result, *v);
      if (args.size() == 2 && args[1].i != 0) return datum::null_of(result);
      env.error = protocol::errors::unrecognized_parameter(args[0].s, false);
      return {};
    }
    case builtin::set_config: {
      if (args[0].null) {
        env.error = pg_error("22004", "SET requires parameter name");
        return {};
      }
      const bool local = !args[2].null && args[2].i != 0;
      const std::string new_value = args[1].null ? std::string() : args[1].s;
      auto error = args[1].null ? ctx.session_settings.reset(args[0].s)
                                : ctx.session_settings.set(args[0].s, new_value, local);
      if (error) {
        env.error = std::move(error);
        return {};
      }
      if (local && !ctx.session_settings.in_transaction()) return text_datum(result, new_value);
      return text_datum(result, ctx.session_settings.get(args[0].s).value_or(new_value));
    }
    case builtin::now:
      return text_datum(result, format_timestamptz(ctx.now(), env.time_zone()));
    case builtin::statement_timestamp:
    case builtin::clock_timestamp:
      return text_datum(result, format_timestamptz(ctx.statement_start(), env.time_zone()));
    case builtin::pg_postmaster_start_time:
      return text_datum(result, format_timestamptz(ctx.now(), env.time_zone()));
    case builtin::pg_backend_pid:
      return int_datum(result, ctx.backend_pid);
    case builtin::pg_sleep: {
      const double seconds = args[0].f;
      if (std::isfinite(seconds) && seconds > 0) {
        env.delay +=
            std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
      }
      return text_datum(result, "");
    }
    case builtin::advisory_void:
    case builtin::pg_notify:
      return text_datum(result, "");
    case builtin::advisory_bool:
      return int_datum(result, 1);
    case builtin::txid_current:
      return int_datum(result, 1000);
    case builtin::pg_current_xact_id:
      return text_datum(result, "1000");
    case builtin::pg_is_in_recovery:
      return int_datum(result, ctx.read_only ? 1 : 0);
    case builtin::pg_typeof:
      return int_datum(result, args[0].type);
    case builtin::format_type: {
      const auto type = static_cast<std::uint32_t>(args[0].i);
      if (types::find_type(type) == nullptr) return text_datum(result, "???");
      return text_datum(result,
                        format_type_with_typmod(type, static_cast<std::int32_t>(args[1].i)));
    }
    case builtin::upper:
      return text_datum(result, upper_ascii(args[0].s));
    case builtin::lower:
      return text_datum(result, lower_ascii(args[0].s));
    case builtin::length: {
      std::int64_t n = 0;
      for (char c : args[0].s) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
      }
      return int_datum(result, n);
    }
    case builtin::octet_length:
      return int_datum(result, static_cast<std::int64_t>(args[0].s.size()));
    case builtin::abs:
      return abs_of(args[0], env);
    case builtin::concat: {
      std::string out;
      for (const datum& a : args) {
        if (!a.null) out += datum_text(a, env.extra_float_digits());
      }
      return text_datum(result, out);
    }
  }
  return datum::null_of(result);
}

std::uint32_t sql_value_type(std::string_view name) {
  if (name == "current_date") return oid::date;
  if (name == "current_time") return timetz;
  if (name == "current_timestamp") return oid::timestamptz;
  if (name == "localtime") return oid::time;
  if (name == "localtimestamp") return oid::timestamp;
  return oid::name;  // users, catalog, schema
}

datum sql_value(std::string_view name, int precision, eval_env& env) {
  context& ctx = env.ctx;
  const std::uint32_t type = sql_value_type(name);
  const auto when = with_precision(ctx.now(), precision);
  const types::time_zone& tz = env.time_zone();
  if (name == "current_date") return text_datum(type, format_date(when, tz));
  if (name == "current_time") return text_datum(type, format_time(when, tz, true));
  if (name == "current_timestamp") return text_datum(type, format_timestamptz(when, tz));
  if (name == "localtime") return text_datum(type, format_time(when, tz, false));
  if (name == "localtimestamp") return text_datum(type, format_timestamp(when, tz));
  if (name == "session_user") {
    return text_datum(
        type, ctx.session_settings.get("session_authorization").value_or(std::string(ctx.user)));
  }
  if (name == "current_catalog") return text_datum(type, std::string(ctx.database));
  if (name == "current_schema") {
    auto schema = first_schema(ctx);
    return schema ? text_datum(type, *schema) : datum::null_of(type);
  }
  return text_datum(type, current_user_name(ctx));  // current_user, user, current_role
}

}  // namespace fauxgres::responder
