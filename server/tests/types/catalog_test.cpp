// The pg_type table and name look-ups.
#include <algorithm>
#include <catch2/catch.hpp>

#include "types/catalog.hpp"

using namespace fauxgres::types;

TEST_CASE("catalog holds PG 15's pg_catalog types sorted by oid", "[catalog]") {
  const auto types = all_types();
  CHECK(types.size() == 463);
  CHECK(std::is_sorted(types.begin(), types.end(),
                       [](const type_info& a, const type_info& b) { return a.oid < b.oid; }));
  CHECK(std::all_of(types.begin(), types.end(),
                    [](const type_info& t) { return t.namespace_oid == 11; }));
}

TEST_CASE("find_type by oid", "[catalog]") {
  const type_info* int4 = find_type(23);
  REQUIRE(int4);
  CHECK(int4->name == "int4");
  CHECK(int4->length == 4);
  CHECK(int4->kind == 'b');
  CHECK(int4->category == 'N');
  CHECK(int4->array == 1007);
  const type_info* arr = find_type(oid::oid_array);
  REQUIRE(arr);
  CHECK(arr->name == "_oid");
  CHECK(arr->element == 26);
  CHECK(arr->category == 'A');
  const type_info* range = find_type(3904);
  REQUIRE(range);
  CHECK(range->name == "int4range");
  CHECK(range->kind == 'r');
  CHECK(range->range_subtype == 23);
  CHECK(find_type(3908)->range_subtype == oid::timestamp);
  CHECK(find_type(4451)->kind == 'm');      // int4multirange
  CHECK(find_type(603)->delimiter == ';');  // box
  CHECK(find_type(2278)->kind == 'p');      // void
  CHECK(find_type(83)->kind == 'c');        // pg_class
  CHECK(find_type(19)->length == 64);       // name
  CHECK(find_type(0) == nullptr);
  CHECK(find_type(99999) == nullptr);
}

TEST_CASE("find_type_by_name with SQL aliases", "[catalog]") {
  auto oid_of = [](std::string_view n) {
    const type_info* t = find_type_by_name(n);
    return t ? t->oid : 0u;
  };
  CHECK(oid_of("int") == 23);
  CHECK(oid_of("INTEGER") == 23);
  CHECK(oid_of("int4") == 23);
  CHECK(oid_of("bigint") == 20);
  CHECK(oid_of("smallint") == 21);
  CHECK(oid_of("boolean") == 16);
  CHECK(oid_of("bool") == 16);
  CHECK(oid_of("real") == 700);
  CHECK(oid_of("float") == 701);
  CHECK(oid_of("double  precision") == 701);
  CHECK(oid_of("float8") == 701);
  CHECK(oid_of("float(24)") == 700);
  CHECK(oid_of("float(25)") == 701);
  CHECK(oid_of("varchar") == 1043);
  CHECK(oid_of("character varying") == 1043);
  CHECK(oid_of("varchar(10)") == 1043);
  CHECK(oid_of("character") == 1042);
  CHECK(oid_of("char") == 1042);
  CHECK(oid_of("\"char\"") == 18);
  CHECK(oid_of("pg_catalog.\"char\"") == 18);
  CHECK(oid_of("text") == 25);
  CHECK(oid_of("name") == 19);
  CHECK(oid_of("oid") == 26);
  CHECK(oid_of("numeric") == 1700);
  CHECK(oid_of("decimal") == 1700);
  CHECK(oid_of("numeric(5, 2)") == 1700);
  CHECK(oid_of("bytea") == 17);
  CHECK(oid_of("date") == 1082);
  CHECK(oid_of("time") == 1083);
  CHECK(oid_of("time without time zone") == 1083);
  CHECK(oid_of("timestamp") == 1114);
  CHECK(oid_of("Timestamp Without Time Zone") == 1114);
  CHECK(oid_of("timestamptz") == 1184);
  CHECK(oid_of("timestamp with time zone") == 1184);
  CHECK(oid_of("interval") == 1186);
  CHECK(oid_of("uuid") == 2950);
  CHECK(oid_of("json") == 114);
  CHECK(oid_of("jsonb") == 3802);
  CHECK(oid_of("void") == 2278);
  CHECK(oid_of("regtype") == 2206);
  CHECK(oid_of("pg_catalog.int4") == 23);
  CHECK(oid_of("PG_CATALOG.TEXT") == 25);
  CHECK(oid_of(" int4[] ") == 1007);
  CHECK(oid_of("integer[]") == 1007);
  CHECK(oid_of("oid[]") == 1028);
  CHECK(oid_of("text[]") == 1009);
  CHECK(oid_of("\"CHAR\"") == 0);  // quoted names keep their case
  CHECK(oid_of("nosuchtype") == 0);
  CHECK(oid_of("") == 0);
}

TEST_CASE("format_type names as regtype output", "[catalog]") {
  CHECK(format_type(23) == "integer");
  CHECK(format_type(1043) == "character varying");
  CHECK(format_type(18) == "\"char\"");
  CHECK(format_type(1007) == "integer[]");
  CHECK(format_type(1184) == "timestamp with time zone");
  CHECK(format_type(25) == "text");
  CHECK(format_type(3904) == "int4range");
  CHECK(format_type(2276) == "\"any\"");
  CHECK(format_type(123456) == "123456");
}
