// The public value conversions: scalar types through their codecs, arrays ("_int4",
// "_text", ...) through the array codec of their element type.
#include "types/values.hpp"

#include "types/catalog.hpp"
#include "types/codecs.hpp"

namespace fauxgres::types {
namespace {

// The element oid when `oid` is an array of a type with a codec here, else 0.
std::uint32_t array_element(std::uint32_t oid) {
  const type_info* t = find_type(oid);
  if (!t || t->element == 0 || !t->name.starts_with('_')) return 0;
  return detail::has_scalar_codec(t->element) ? t->element : 0;
}

bool has_codec(std::uint32_t oid) {
  return detail::has_scalar_codec(oid) || array_element(oid) != 0;
}

}  // namespace

std::optional<std::string> text_to_binary(std::uint32_t oid, std::string_view text) {
  if (detail::has_scalar_codec(oid)) return detail::scalar_to_binary(oid, text);
  if (const auto element = array_element(oid)) return detail::array_to_binary(element, text);
  return std::nullopt;
}

std::optional<std::string> binary_to_text(std::uint32_t oid, std::string_view binary) {
  if (detail::has_scalar_codec(oid)) return detail::scalar_to_text(oid, binary);
  if (const auto element = array_element(oid)) return detail::array_to_text(element, binary);
  return std::nullopt;
}

bool binary_is_text(std::uint32_t oid) {
  switch (oid) {
    case oid::text:
    case oid::varchar:
    case oid::bpchar:
    case oid::name:
    case oid::unknown:
    case oid::json:
      return true;
    default:
      return false;
  }
}

// Types without a codec here cannot be checked and are taken as valid.
bool valid_text_input(std::uint32_t oid, std::string_view text) {
  return !has_codec(oid) || text_to_binary(oid, text).has_value();
}

std::optional<std::string> canonical_text(std::uint32_t oid, std::string_view text) {
  if (!has_codec(oid)) return std::string(text);
  const auto binary = text_to_binary(oid, text);
  if (!binary) return std::nullopt;
  return binary_to_text(oid, *binary);
}

}  // namespace fauxgres::types
