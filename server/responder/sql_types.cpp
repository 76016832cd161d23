// Type helpers; see sql_types.hpp. Keyword type names follow gram.y's SystemTypeName uses.
#include "responder/sql_types.hpp"

#include "types/catalog.hpp"

namespace fauxgres::responder {
namespace {

namespace oid = types::oid;

constexpr std::uint32_t timetz_oid = 1266, bit_oid = 1560, varbit_oid = 1562;

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// Keyword type spellings (gram.y) → the pg_type name they stand for. Empty when the words
// are not a keyword type.
std::string keyword_type(const std::vector<std::string>& w, const std::vector<std::int64_t>& mods,
                         std::string* error) {
  const std::string all = join_words(w);
  if (all == "int" || all == "integer") return "int4";
  if (all == "smallint") return "int2";
  if (all == "bigint") return "int8";
  if (all == "real") return "float4";
  if (all == "double precision") return "float8";
  if (all == "float") {
    if (mods.empty()) return "float8";
    if (mods[0] < 1) {
      *error = "precision for type float must be at least 1 bit";
      return {};
    }
    if (mods[0] > 53) {
      *error = "precision for type float must be less than 54 bits";
      return {};
    }
    return mods[0] <= 24 ? "float4" : "float8";
  }
  if (all == "decimal" || all == "dec" || all == "numeric") return "numeric";
  if (all == "boolean") return "bool";
  if (all == "char" || all == "character" || all == "nchar" || all == "national character" ||
      all == "national char") {
    return "bpchar";
  }
  if (all == "varchar" || all == "char varying" || all == "character varying" ||
      all == "nchar varying" || all == "national character varying" ||
      all == "national char varying") {
    return "varchar";
  }
  if (all == "bit") return "bit";
  if (all == "bit varying") return "varbit";
  if (all == "time" || all == "time without time zone") return "time";
  if (all == "time with time zone") return "timetz";
  if (all == "timestamp" || all == "timestamp without time zone") return "timestamp";
  if (all == "timestamp with time zone") return "timestamptz";
  if (all == "interval") return "interval";
  return {};
}

// Applies typmod arguments as the type's typmodin would; nullopt with `error` on misuse.
std::optional<std::int32_t> typmod_for(std::uint32_t type, const std::string& display,
                                       const std::vector<std::int64_t>& mods, bool keyword_char,
                                       std::string* error) {
  if (mods.empty()) {
    // CHARACTER without a length means CHARACTER(1); BIT means BIT(1).
    if (keyword_char && type == oid::bpchar) return varchar_typmod(1);
    if (type == bit_oid) return 1;
    return -1;
  }
  switch (type) {
    case oid::varchar:
    case oid::bpchar:
      if (mods.size() != 1) break;
      if (mods[0] < 1) {
        *error = "length for type " + display + " must be at least 1";
        return std::nullopt;
      }
      if (mods[0] > 10485760) {
        *error = "length for type " + display + " cannot exceed 10485760";
        return std::nullopt;
      }
      return varchar_typmod(mods[0]);
    case oid::numeric: {
      if (mods.size() > 2) break;
      const std::int64_t precision = mods[0];
      const std::int64_t scale = mods.size() == 2 ? mods[1] : 0;
      if (precision < 1 || precision > 1000) {
        *error = "NUMERIC precision " + std::to_string(precision) + " must be between 1 and 1000";
        return std::nullopt;
      }
      if (scale < -1000 || scale > 1000) {
        *error = "NUMERIC scale " + std::to_string(scale) + " must be between -1000 and 1000";
        return std::nullopt;
      }
      return numeric_typmod(precision, scale);
    }
    case oid::timestamp:
    case oid::timestamptz:
    case oid::time:
    case timetz_oid:
      if (mods.size() != 1 || mods[0] < 0) break;
      return static_cast<std::int32_t>(mods[0] > 6 ? 6 : mods[0]);
    case bit_oid:
    case varbit_oid:
      if (mods.size() != 1 || mods[0] < 1) break;
      return static_cast<std::int32_t>(mods[0]);
    case oid::float4:
    case oid::float8:
      return -1;  // float(p) was consumed choosing the type
    default:
      break;
  }
  *error = "type modifier is not allowed for type \"" + display + "\"";
  if (type == oid::varchar || type == oid::bpchar || type == oid::numeric) {
    *error = "invalid type modifier";
  }
  return std::nullopt;
}

}  // namespace

std::int32_t varchar_typmod(std::int64_t length) {
  return static_cast<std::int32_t>(length + 4);
}

std::int32_t numeric_typmod(std::int64_t precision, std::int64_t scale) {
  return static_cast<std::int32_t>(((precision << 16) | (scale & 0x7ff)) + 4);
}

std::optional<sql_type> resolve_type_name(const type_name& name, std::string* column_name,
                                          std::string* error) {
  if (name.words.empty()) {
    *error = "syntax error";
    return std::nullopt;
  }
  std::string typname;
  bool keyword = false;
  if (!name.quoted && (name.schema.empty() || name.schema == "pg_catalog")) {
    typname = keyword_type(name.words, name.modifiers, error);
    if (!error->empty()) return std::nullopt;
    keyword = !typname.empty();
  }
  if (typname.empty()) {
    if (name.words.size() != 1) {
      *error = "type \"" + join_words(name.words) + "\" does not exist";
      return std::nullopt;
    }
    typname = name.words[0];
  }
  if (!name.schema.empty() && name.schema != "pg_catalog") {
    *error = "schema \"" + name.schema + "\" does not exist";
    return std::nullopt;
  }
  const types::type_info* info = nullptr;
  for (const auto& t : types::all_types()) {
    if (t.name == typname) {
      info = &t;
      break;
    }
  }
  if (info == nullptr) {
    *error =
        "type \"" + (name.quoted ? name.words[0] : join_words(name.words)) + "\" does not exist";
    return std::nullopt;
  }
  const bool keyword_char = keyword && (name.words[0] == "char" || name.words[0] == "character" ||
                                        name.words[0] == "nchar" || name.words[0] == "national");
  auto typmod = typmod_for(info->oid, format_type(info->oid), name.modifiers,
                           keyword_char && name.words.back() != "varying", error);
  if (!typmod) return std::nullopt;
  if (column_name != nullptr) *column_name = typname;
  sql_type out{info->oid, *typmod};
  for (int d = 0; d < name.array_dims && out.oid != 0; ++d) {
    const types::type_info* element = types::find_type(out.oid);
    if (element == nullptr || element->array == 0) {
      *error = "could not find array type for data type " + format_type(out.oid);
      return std::nullopt;
    }
    if (is_array_type(out.oid)) break;  // int[][] is still int[]
    out.oid = element->array;
  }
  return out;
}

std::string format_type(std::uint32_t type) {
  switch (type) {
    case oid::bool_:
      return "boolean";
    case oid::char_:
      return "\"char\"";
    case oid::int2:
      return "smallint";
    case oid::int4:
      return "integer";
    case oid::int8:
      return "bigint";
    case oid::float4:
      return "real";
    case oid::float8:
      return "double precision";
    case oid::bpchar:
      return "character";
    case oid::varchar:
      return "character varying";
    case oid::time:
      return "time without time zone";
    case timetz_oid:
      return "time with time zone";
    case oid::timestamp:
      return "timestamp without time zone";
    case oid::timestamptz:
      return "timestamp with time zone";
    case bit_oid:
      return "bit";
    case varbit_oid:
      return "bit varying";
    default:
      break;
  }
  const types::type_info* info = types::find_type(type);
  if (info == nullptr) return "???";
  if (is_array_type(type)) return format_type(info->element) + "[]";
  return std::string(info->name);
}

std::string format_type_with_typmod(std::uint32_t type, std::int32_t typmod) {
  if (typmod < 0) return format_type(type);
  switch (type) {
    case oid::varchar:
    case oid::bpchar:
      return format_type(type) + "(" + std::to_string(typmod - 4) + ")";
    case oid::numeric: {
      const std::int32_t t = typmod - 4;
      return "numeric(" + std::to_string((t >> 16) & 0xffff) + "," + std::to_string(t & 0xffff) +
             ")";
    }
    case oid::timestamp:
      return "timestamp(" + std::to_string(typmod) + ") without time zone";
    case oid::timestamptz:
      return "timestamp(" + std::to_string(typmod) + ") with time zone";
    case oid::time:
      return "time(" + std::to_string(typmod) + ") without time zone";
    case timetz_oid:
      return "time(" + std::to_string(typmod) + ") with time zone";
    case bit_oid:
    case varbit_oid:
      return format_type(type) + "(" + std::to_string(typmod) + ")";
    default:
      return format_type(type);
  }
}

std::int16_t type_length(std::uint32_t type) {
  const types::type_info* info = types::find_type(type);
  return info == nullptr ? -1 : info->length;
}

int numeric_rank(std::uint32_t type) {
  switch (type) {
    case oid::int2:
      return 1;
    case oid::int4:
      return 2;
    case oid::int8:
      return 3;
    case oid::numeric:
      return 4;
    case oid::float4:
      return 5;
    case oid::float8:
      return 6;
    default:
      return 0;
  }
}

bool is_numeric_type(std::uint32_t type) {
  return numeric_rank(type) > 0;
}
bool is_integer_type(std::uint32_t type) {
  return type == oid::int2 || type == oid::int4 || type == oid::int8;
}
bool is_float_type(std::uint32_t type) {
  return type == oid::float4 || type == oid::float8;
}
bool is_string_type(std::uint32_t type) {
  return type == oid::text || type == oid::varchar || type == oid::bpchar || type == oid::name ||
         type == oid::unknown;
}
bool is_array_type(std::uint32_t type) {
  // int2vector and oidvector are plain-storage pseudo arrays PG never prints as x[].
  constexpr std::uint32_t int2vector = 22, oidvector = 30;
  if (type == int2vector || type == oidvector) return false;
  const types::type_info* info = types::find_type(type);
  return info != nullptr && info->category == 'A' && info->element != 0 && info->length == -1;
}

}  // namespace fauxgres::responder
