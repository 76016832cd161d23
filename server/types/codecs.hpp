// Internal: the per-type text ⇄ binary codecs behind values.hpp. Every codec validates
// what it reads; nullopt means "PG would reject this value".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fauxgres::types::detail {

using maybe_string = std::optional<std::string>;

maybe_string numeric_to_binary(std::string_view text);
maybe_string numeric_to_text(std::string_view binary);

maybe_string date_to_binary(std::string_view text);
maybe_string date_to_text(std::string_view binary);
maybe_string time_to_binary(std::string_view text);
maybe_string time_to_text(std::string_view binary);
maybe_string timestamp_to_binary(std::string_view text);
maybe_string timestamp_to_text(std::string_view binary);
maybe_string timestamptz_to_binary(std::string_view text);
maybe_string timestamptz_to_text(std::string_view binary);
maybe_string interval_to_binary(std::string_view text);
maybe_string interval_to_text(std::string_view binary);

// json's binary form is its text; jsonb's is a version byte (1) and the normalized text.
maybe_string json_validate(std::string_view text);
maybe_string jsonb_normalize(std::string_view text);

// 1-D arrays of an element type that has a codec here.
maybe_string array_to_binary(std::uint32_t element_oid, std::string_view text);
maybe_string array_to_text(std::uint32_t element_oid, std::string_view binary);

// Scalar codecs by oid (no arrays); false when the type has none.
bool has_scalar_codec(std::uint32_t oid);
maybe_string scalar_to_binary(std::uint32_t oid, std::string_view text);
maybe_string scalar_to_text(std::uint32_t oid, std::string_view binary);

}  // namespace fauxgres::types::detail
