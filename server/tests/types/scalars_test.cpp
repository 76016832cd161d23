// bool, integers, oid, floats, text-like, "char", bytea, uuid, void, regtype: vectors
// from PostgreSQL 15.20.
#include <catch2/catch.hpp>

#include "tests/types/vectors.hpp"
#include "types/catalog.hpp"

using namespace fauxgres::types;
using fauxgres::test::check_invalid;
using fauxgres::test::check_vector;
using fauxgres::test::unhex;

TEST_CASE("integers", "[values]") {
  check_vector(oid::int4, {"42", "42", "0000002a"});
  check_vector(oid::int4, {"  12  ", "12", "0000000c"});
  check_vector(oid::int4, {"-2147483648", "-2147483648", "80000000"});
  check_vector(oid::int2, {"+5", "5", "0005"});
  check_vector(oid::int2, {"-32768", "-32768", "8000"});
  check_vector(oid::int8, {"9223372036854775807", "9223372036854775807", "7fffffffffffffff"});
  check_vector(oid::int8, {"-9223372036854775808", "-9223372036854775808", "8000000000000000"});
  for (auto bad : {"", "-", "1.0", "2147483648", "1e3", "0x10", "1 2", "abc"}) {
    check_invalid(oid::int4, bad);
  }
  check_invalid(oid::int2, "32768");
  check_invalid(oid::int8, "9223372036854775808");
  CHECK(binary_to_text(oid::int2, unhex("0007")) == "7");
  CHECK_FALSE(binary_to_text(oid::int4, unhex("000007")));  // wrong size
  CHECK_FALSE(binary_to_text(oid::int4, unhex("0000000700")));
}

TEST_CASE("oid", "[values]") {
  check_vector(oid::oid, {"4294967295", "4294967295", "ffffffff"});
  check_vector(oid::oid, {"-1", "4294967295", "ffffffff"});  // wraps, as oidin
  check_vector(oid::oid, {"1028", "1028", "00000404"});
  check_invalid(oid::oid, "4294967296");
  check_invalid(oid::oid, "-2147483649");
  check_invalid(oid::oid, "");
}

TEST_CASE("bool", "[values]") {
  check_vector(oid::bool_, {"yes", "t", "01"});
  check_vector(oid::bool_, {" off ", "f", "00"});
  for (auto t : {"t", "TRUE", "tr", "y", "on", "1"}) CHECK(canonical_text(oid::bool_, t) == "t");
  for (auto f : {"f", "false", "n", "no", "of", "0"}) CHECK(canonical_text(oid::bool_, f) == "f");
  for (auto bad : {"", "o", "2", "truex", "yess"}) check_invalid(oid::bool_, bad);
  CHECK(binary_to_text(oid::bool_, unhex("02")) == "t");  // boolrecv: any nonzero
  CHECK_FALSE(binary_to_text(oid::bool_, unhex("0100")));
}

TEST_CASE("float8", "[values]") {
  check_vector(oid::float8, {"1e15", "1e+15", "430c6bf526340000"});
  check_vector(oid::float8, {"123456789012345", "123456789012345", "42dc12218377de40"});
  check_vector(oid::float8, {"1e16", "1e+16", "4341c37937e08000"});
  check_vector(oid::float8, {"0.0001", "0.0001", "3f1a36e2eb1c432d"});
  check_vector(oid::float8, {"0.00001", "1e-05", "3ee4f8b588e368f1"});
  check_vector(oid::float8, {"1.5e300", "1.5e+300", "7e41eb2d66005835"});
  check_vector(oid::float8, {"-0", "-0", "8000000000000000"});
  check_vector(oid::float8, {"nan", "NaN", "7ff8000000000000"});
  check_vector(oid::float8, {"-inf", "-Infinity", "fff0000000000000"});
  check_vector(oid::float8, {" Infinity ", "Infinity", "7ff0000000000000"});
  check_vector(oid::float8, {"0.1", "0.1", "3fb999999999999a"});
  check_vector(oid::float8, {"123456789012345.67", "123456789012345.67", "42dc12218377de6b"});
  check_vector(oid::float8, {"1234560000000", "1234560000000", "4271f7182a000000"});
  check_vector(oid::float8, {"1e3", "1000", "408f400000000000"});
  check_vector(oid::float8, {"-1.557e-09", "-1.557e-09", "be1abfc227ab1027"});
  // A shortest candidate exactly on a rounding boundary is not used by PG's output.
  check_vector(oid::float8, {"3.56492e+21", "3.5649200000000003e+21", "446828268187d1b2"});
  check_vector(oid::float8, {"3.2e+24", "3.1999999999999997e+24", "45052d02c7e14af6"});
  for (auto bad : {"1e400", "1e-400", "", "abc", "1e", "--1", "+-1", "0x10"}) {
    check_invalid(oid::float8, bad);
  }
}

TEST_CASE("float4", "[values]") {
  check_vector(oid::float4, {"1e6", "1e+06", "49742400"});
  check_vector(oid::float4, {"1e5", "100000", "47c35000"});
  check_vector(oid::float4, {"123456", "123456", "47f12000"});
  check_vector(oid::float4, {"1234567", "1.234567e+06", "4996b438"});
  check_vector(oid::float4, {"0.0001", "0.0001", "38d1b717"});
  check_vector(oid::float4, {"0.00001", "1e-05", "3727c5ac"});
  check_vector(oid::float4, {"3.14", "3.14", "4048f5c3"});
  check_vector(oid::float4, {"1e-45", "1e-45", "00000001"});
  check_vector(oid::float4, {"-4.4151e+08", "-4.4151002e+08", "cdd28744"});
  check_invalid(oid::float4, "1e99");
}

TEST_CASE("text-like types", "[values]") {
  for (std::uint32_t t : {oid::text, oid::varchar, oid::bpchar, oid::unknown}) {
    check_vector(t, {"héllo", "héllo", "68c3a96c6c6f"});
    check_vector(t, {"", "", ""});
    check_invalid(t, "\xff");                       // not UTF-8
    check_invalid(t, std::string_view("a\0b", 3));  // NUL
  }
  check_vector(oid::bpchar, {"ab ", "ab ", "616220"});
  check_vector(oid::name, {"x", "x", "78"});
  const std::string long_name(70, 'n');
  CHECK(canonical_text(oid::name, long_name) == std::string(63, 'n'));
  CHECK(canonical_text(oid::name, std::string(62, 'n') + "é") == std::string(62, 'n'));
  CHECK_FALSE(binary_to_text(oid::name, std::string(64, 'n')));
}

TEST_CASE("\"char\"", "[values]") {
  check_vector(oid::char_, {"é", "\\303", "c3"});
  check_vector(oid::char_, {"", "", "00"});
  check_vector(oid::char_, {"ab", "a", "61"});
  check_vector(oid::char_, {"\\101", "A", "41"});
  CHECK_FALSE(binary_to_text(oid::char_, "ab"));
}

TEST_CASE("bytea", "[values]") {
  check_vector(oid::bytea, {"\\x DEADbeef", "\\xdeadbeef", "deadbeef"});
  check_vector(oid::bytea, {"a\\\\b\\001", "\\x615c6201", "615c6201"});
  check_vector(oid::bytea, {"", "\\x", ""});
  check_vector(oid::bytea, {"\\x", "\\x", ""});
  for (auto bad : {"\\xzz", "\\x123", "a\\b", "\\400", "\\"}) check_invalid(oid::bytea, bad);
  CHECK(binary_to_text(oid::bytea, std::string("\0\xff", 2)) == "\\x00ff");
}

TEST_CASE("uuid", "[values]") {
  const std::string_view canonical = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
  const std::string_view bytes = "a0eebc999c0b4ef8bb6d6bb9bd380a11";
  check_vector(oid::uuid, {"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", canonical, bytes});
  check_vector(oid::uuid, {"{a0eebc999c0b4ef8bb6d6bb9bd380a11}", canonical, bytes});
  check_vector(oid::uuid, {"a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", canonical, bytes});
  check_vector(oid::uuid, {"a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11", canonical, bytes});
  for (auto bad : {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-", " a0eebc999c0b4ef8bb6d6bb9bd380a11",
                   "a0eebc999c0b4ef8bb6d6bb9bd380a11 ", "a0eebc999c0b4ef8bb6d6bb9bd380a1-1",
                   "{a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0eebc999c0b4ef8bb6d6bb9bd380a1", "a"}) {
    check_invalid(oid::uuid, bad);
  }
}

TEST_CASE("void and regtype", "[values]") {
  check_vector(oid::void_, {"", "", ""});
  CHECK_FALSE(binary_to_text(oid::void_, "x"));
  check_vector(oid::regtype, {"int4", "integer", "00000017"});
  check_vector(oid::regtype, {"varchar", "character varying", "00000413"});
  check_vector(oid::regtype, {"\"char\"", "\"char\"", "00000012"});
  check_vector(oid::regtype, {"int4[]", "integer[]", "000003ef"});
  check_vector(oid::regtype, {"timestamptz", "timestamp with time zone", "000004a0"});
  check_vector(oid::regtype, {"25", "text", "00000019"});
  check_invalid(oid::regtype, "nosuch");
}

TEST_CASE("types without a codec", "[values]") {
  CHECK_FALSE(text_to_binary(600, "(1,2)"));  // point
  CHECK(valid_text_input(600, "anything"));
  CHECK(canonical_text(600, "(1,2)") == "(1,2)");
}
