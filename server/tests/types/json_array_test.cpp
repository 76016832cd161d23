// json, jsonb and arrays against PostgreSQL 15.20.
#include <catch2/catch.hpp>

#include "tests/types/vectors.hpp"
#include "types/catalog.hpp"

using namespace fauxgres::types;
using fauxgres::test::check_invalid;
using fauxgres::test::check_vector;
using fauxgres::test::hex;
using fauxgres::test::unhex;

TEST_CASE("json keeps its text", "[values][json]") {
  check_vector(oid::json, {"{\"b\":1, \"a\":[1, 2]}", "{\"b\":1, \"a\":[1, 2]}",
                           "7b2262223a312c202261223a5b312c20325d7d"});
  check_vector(oid::json, {"\"\\u00E9\"", "\"\\u00E9\"", "225c753030453922"});
  check_vector(oid::json, {"\"\\u0000\"", "\"\\u0000\"", "225c753030303022"});  // json allows it
  for (auto bad : {"", "{", "[1,]", "01", "1.", "'a'", "{\"a\" 1}", "\"\\x\"", "tru", "[1] x",
                   "\"\\ud800\"", "\"a\nb\""}) {
    check_invalid(oid::json, bad);
  }
}

TEST_CASE("jsonb normalizes", "[values][json]") {
  check_vector(oid::jsonb, {"{\"b\":1, \"a\":[1,2.50,true,null], \"b\":2,\"aa\":{}}",
                            "{\"a\": [1, 2.50, true, null], \"b\": 2, \"aa\": {}}",
                            "017b2261223a205b312c20322e35302c20747275652c206e756c6c5d2c202262223a20"
                            "322c20226161223a207b7d7d"});
  check_vector(oid::jsonb, {"1e3", "1000", "0131303030"});
  check_vector(oid::jsonb, {"[]", "[]", "015b5d"});
  check_vector(oid::jsonb, {"  3  ", "3", "0133"});
  check_vector(oid::jsonb, {"{\"k\":-0.0}", "{\"k\": 0.0}", "017b226b223a20302e307d"});
  check_vector(oid::jsonb, {"\"\\u00e9x\"", "\"éx\"", "0122c3a97822"});
  check_vector(oid::jsonb, {"\"\\ud83d\\ude00\"", "\"😀\"", "0122f09f988022"});
  check_vector(oid::jsonb, {"{\"a\":\"\\n\\/\\t\\u001f\\\"\"}", "{\"a\": \"\\n/\\t\\u001f\\\"\"}",
                            "017b2261223a20225c6e2f5c745c75303031665c22227d"});
  check_vector(oid::jsonb, {"{\"a\":1e-2, \"b\": 1E+2, \"c\": -0, \"d\": 0.10}",
                            "{\"a\": 0.01, \"b\": 100, \"c\": 0, \"d\": 0.10}",
                            "017b2261223a20302e30312c202262223a203130302c202263223a20302c202264223a"
                            "20302e31307d"});
  check_vector(oid::jsonb, {"{\"a\" : { \"x\":1 } , \"b\":[ ]}", "{\"a\": {\"x\": 1}, \"b\": []}",
                            "017b2261223a207b2278223a20317d2c202262223a205b5d7d"});
  check_vector(oid::jsonb, {"[1,[2,[3]]]", "[1, [2, [3]]]", "015b312c205b322c205b335d5d5d"});
  check_vector(oid::jsonb, {"{\"a\":1,\"a\":2}", "{\"a\": 2}", "017b2261223a20327d"});
  check_invalid(oid::jsonb, "\"\\u0000\"");
  CHECK_FALSE(binary_to_text(oid::jsonb, unhex("025b5d")));  // version 2
  CHECK_FALSE(binary_to_text(oid::jsonb, ""));
}

TEST_CASE("jsonb nesting is bounded", "[values][json]") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_FALSE(valid_text_input(oid::jsonb, deep));
  const std::string ok = std::string(100, '[') + std::string(100, ']');
  CHECK(valid_text_input(oid::jsonb, ok));
}

TEST_CASE("one-dimensional arrays", "[values][array]") {
  check_vector(oid::int4_array, {"{1,2,3}", "{1,2,3}",
                                 "0000000100000000000000170000000300000001000000040000000100000004"
                                 "000000020000000400000003"});
  check_vector(oid::int4_array, {"{}", "{}", "000000000000000000000017"});
  check_vector(
      oid::int4_array,
      {"{1,NULL}", "{1,NULL}", "00000001000000010000001700000002000000010000000400000001ffffffff"});
  check_vector(oid::int4_array,
               {"{ 1 , 2 }", "{1,2}",
                "000000010000000000000017000000020000000100000004000000010000000400"
                "000002"});
  check_vector(oid::int4_array,
               {"[0:1]={1,2}", "[0:1]={1,2}",
                "000000010000000000000017000000020000000000000004000000010000000400"
                "000002"});
  check_vector(oid::oid_array,
               {"{1,2}", "{1,2}",
                "00000001000000000000001a00000002000000010000000400000001000000040000"
                "0002"});
  check_vector(1016, {"{1,2}", "{1,2}",
                      "0000000100000000000000140000000200000001000000080000000000000001000000080000"
                      "000000000002"});
  check_vector(
      1005, {"{1,2}", "{1,2}", "0000000100000000000000150000000200000001000000020001000000020002"});
  check_vector(
      oid::text_array,
      {"{a,\"b c\",\"\",\"NULL\",\"x\\\"y\",null,\"a\\\\b\"}",
       "{a,\"b c\",\"\",\"NULL\",\"x\\\"y\",NULL,\"a\\\\b\"}",
       "000000010000000100000019000000070000000100000001610000000362206300000000000000044e55"
       "4c4c00000003782279ffffffff00000003615c62"});
  check_vector(oid::text_array, {"{\" a \"}", "{\" a \"}",
                                 "000000010000000000000019000000010000000100000003206120"});
  check_vector(oid::text_array,
               {"{a b}", "{\"a b\"}", "000000010000000000000019000000010000000100000003612062"});
  check_vector(oid::text_array,
               {"{\"\"}", "{\"\"}", "000000010000000000000019000000010000000100000000"});
  check_vector(1015, {"{\"a,b\",\"{}\"}", "{\"a,b\",\"{}\"}",
                      "000000010000000000000413000000020000000100000003612c62000000027b7d"});
  check_vector(1000,
               {"{t,f}", "{t,f}", "000000010000000000000010000000020000000100000001010000000100"});
  check_vector(1022, {"{1.5,NaN}", "{1.5,NaN}",
                      "0000000100000000000002bd0000000200000001000000083ff8000000000000000000087ff8"
                      "000000000000"});
  for (auto bad : {"", "x", "{", "{1,}", "{a}", "{1,2", "{1}x", "{{1,2},{3,4}}", "[1:3]={1,2}"}) {
    check_invalid(oid::int4_array, bad);
  }
}

TEST_CASE("array binary validation", "[values][array]") {
  // asyncpg's $1::oid[]: binary in, text form out.
  CHECK(binary_to_text(oid::oid_array,
                       unhex("00000001 00000000 0000001a 00000002 00000001 00000004 00000017"
                             "00000004 00000019")) == "{23,25}");
  CHECK_FALSE(
      binary_to_text(oid::oid_array, unhex("00000001 00000000 00000017 00000000 00000001")));
  CHECK_FALSE(
      binary_to_text(oid::int4_array, unhex("00000001 00000002 00000017 00000000 00000001")));
  CHECK_FALSE(binary_to_text(oid::int4_array,
                             unhex("00000001 00000000 00000017 7fffffff 00000001 00000004")));
  CHECK_FALSE(binary_to_text(
      oid::int4_array, unhex("00000001 00000000 00000017 00000001 00000001 00000004 000001")));
  CHECK_FALSE(binary_to_text(
      oid::int4_array, unhex("00000001 00000000 00000017 00000001 00000001 00000003 000001")));
  CHECK_FALSE(binary_to_text(
      oid::int4_array, unhex("00000001 00000000 00000017 00000001 00000001 00000004 00000001 ff")));
  CHECK(hex(*text_to_binary(oid::int4_array, "{}")) == "000000000000000000000017");
}
