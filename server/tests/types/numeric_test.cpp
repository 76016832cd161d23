// numeric's text syntax and binary form, against PostgreSQL 15.20.
#include <catch2/catch.hpp>

#include "tests/types/vectors.hpp"
#include "types/catalog.hpp"

using namespace fauxgres::types;
using fauxgres::test::check_invalid;
using fauxgres::test::check_vector;
using fauxgres::test::unhex;

TEST_CASE("numeric vectors", "[values][numeric]") {
  check_vector(oid::numeric, {"123.45", "123.45", "0002000000000002007b1194"});
  check_vector(oid::numeric, {"0", "0", "0000000000000000"});
  check_vector(oid::numeric, {"0.00", "0.00", "0000000000000002"});
  check_vector(oid::numeric, {"-0.5", "-0.5", "0001ffff400000011388"});
  check_vector(oid::numeric, {"1e3", "1000", "000100000000000003e8"});
  check_vector(oid::numeric, {"1.5e-3", "0.0015", "0001ffff00000004000f"});
  check_vector(oid::numeric, {"10000", "10000", "00010001000000000001"});
  check_vector(oid::numeric, {"12345678.9", "12345678.9", "000300010000000104d2162e2328"});
  check_vector(oid::numeric, {"0.0001", "0.0001", "0001ffff000000040001"});
  check_vector(oid::numeric, {"100.00100", "100.00100", "00020000000000050064000a"});
  check_vector(oid::numeric, {"1e-20", "0.00000000000000000001", "0001fffb000000140001"});
  check_vector(oid::numeric, {"1.", "1", "00010000000000000001"});
  check_vector(oid::numeric, {".5", "0.5", "0001ffff000000011388"});
  check_vector(oid::numeric, {" +.5e+1 ", "5", "00010000000000000005"});
  check_vector(oid::numeric, {"-0", "0", "0000000000000000"});
  check_vector(oid::numeric, {"1E 5", "100000", "0001000100000000000a"});  // strtol skips spaces
  check_vector(oid::numeric, {"nan", "NaN", "00000000c0000000"});
  // PG sends dscale 32 for infinities: the special header's bits read as a short dscale.
  check_vector(oid::numeric, {"inf", "Infinity", "00000000d0000020"});
  check_vector(oid::numeric, {"-Infinity", "-Infinity", "00000000f0000020"});
  const auto big = text_to_binary(oid::numeric, "1e1000");
  REQUIRE(big);
  CHECK(fauxgres::test::hex(*big) == "000100fa000000000001");
  CHECK(canonical_text(oid::numeric, "1e1000") == "1" + std::string(1000, '0'));
  CHECK(fauxgres::test::hex(*text_to_binary(oid::numeric, "1e1001")) == "000100fa00000000000a");
}

TEST_CASE("numeric rejects what numeric_in rejects", "[values][numeric]") {
  for (auto bad : {"", ".", "1,5", "1e", "e5", "--1", "1.2.3", "abc", "1e99999999", "1e-20000",
                   "1E+ 5", "-nan"}) {
    check_invalid(oid::numeric, bad);
  }
}

TEST_CASE("numeric binary validation", "[values][numeric]") {
  CHECK_FALSE(binary_to_text(oid::numeric, unhex("0001000000000000")));       // digit missing
  CHECK_FALSE(binary_to_text(oid::numeric, unhex("000100000000000027 10")));  // 10000
  CHECK_FALSE(binary_to_text(oid::numeric, unhex("0000000012340000")));       // bad sign
  CHECK_FALSE(binary_to_text(oid::numeric, unhex("0000000000004000")));       // dscale too big
  CHECK(binary_to_text(oid::numeric, unhex("0001000200000000 0001")) == "100000000");
  CHECK(binary_to_text(oid::numeric, unhex("0001fffe00000008 0001")) == "0.00000001");
  // Digits past dscale are not shown, as get_str_from_var.
  CHECK(binary_to_text(oid::numeric, unhex("0001ffff00000001 1388")) == "0.5");
  CHECK(binary_to_text(oid::numeric, unhex("0001ffff00000002 04d2")) == "0.12");
}
