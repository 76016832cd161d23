// Test helper: checks one value both ways against bytes a real PostgreSQL 15.20 produced
// (SELECT '<text>'::type with text and binary result formats).
#pragma once

#include <catch2/catch.hpp>
#include <string_view>

#include "tests/hex.hpp"
#include "types/values.hpp"

namespace fauxgres::test {

struct vector {
  std::string_view input;   // text as a client would send it
  std::string_view output;  // PG's text output
  std::string_view binary;  // PG's binary output, hex
};

inline void check_vector(std::uint32_t oid, const vector& v) {
  INFO("oid " << oid << " input '" << v.input << "'");
  const auto bin = types::text_to_binary(oid, v.input);
  REQUIRE(bin.has_value());
  CHECK(hex(*bin) == v.binary);
  CHECK(types::binary_to_text(oid, unhex(v.binary)) == v.output);
  CHECK(types::canonical_text(oid, v.input) == v.output);
  CHECK(types::valid_text_input(oid, v.input));
}

inline void check_invalid(std::uint32_t oid, std::string_view input) {
  INFO("oid " << oid << " input '" << input << "'");
  CHECK_FALSE(types::text_to_binary(oid, input).has_value());
  CHECK_FALSE(types::valid_text_input(oid, input));
  CHECK_FALSE(types::canonical_text(oid, input).has_value());
}

}  // namespace fauxgres::test
