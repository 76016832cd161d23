// Conversion of values between PostgreSQL's text form and its binary wire form for the
// built-in types drivers use. Values travel through fauxgres in text form; binary is
// produced or parsed only at the protocol edge.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fauxgres::types {

// Binary encoding of a text-form value of type `oid` (e.g. "42" as int4 → 00 00 00 2a).
// nullopt when the type has no binary codec here or the text is not a valid value.
std::optional<std::string> text_to_binary(std::uint32_t oid, std::string_view text);

// Text form of a binary-encoded value (e.g. int2 00 07 → "7"); nullopt when invalid.
std::optional<std::string> binary_to_text(std::uint32_t oid, std::string_view binary);
// Whether the type's binary form is its text in the client encoding (PG's receive function
// reads it with pq_getmsgtext, which checks the encoding first): text, varchar, bpchar,
// name, unknown and json.
bool binary_is_text(std::uint32_t oid);

// Whether `text` is a valid text-form input for the type (int ranges, bool spellings, ...).
// Types without a codec here cannot be checked and count as valid.
bool valid_text_input(std::uint32_t oid, std::string_view text);

// Canonical output form, e.g. bool "true" → "t", int " 42" → "42", float8 "1e3" → "1000".
// nullopt when invalid; types without a codec here come back unchanged.
std::optional<std::string> canonical_text(std::uint32_t oid, std::string_view text);

}  // namespace fauxgres::types
