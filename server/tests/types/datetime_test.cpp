// date, time, timestamp, timestamptz and interval against PostgreSQL 15.20 (DateStyle ISO,
// TimeZone UTC, IntervalStyle postgres).
#include <catch2/catch.hpp>

#include "tests/types/vectors.hpp"
#include "types/catalog.hpp"

using namespace fauxgres::types;
using fauxgres::test::check_invalid;
using fauxgres::test::check_vector;
using fauxgres::test::unhex;

TEST_CASE("date", "[values][datetime]") {
  check_vector(oid::date, {"2024-01-02", "2024-01-02", "0000223f"});
  check_vector(oid::date, {"2000-01-01", "2000-01-01", "00000000"});
  check_vector(oid::date, {"1999-12-31", "1999-12-31", "ffffffff"});
  check_vector(oid::date, {"infinity", "infinity", "7fffffff"});
  check_vector(oid::date, {"-infinity", "-infinity", "80000000"});
  check_vector(oid::date, {"0044-03-15 BC", "0044-03-15 BC", "fff49d7b"});
  check_vector(oid::date, {"10000-01-01", "10000-01-01", "002c95d4"});
  check_vector(oid::date, {"2024-1-2", "2024-01-02", "0000223f"});
  check_vector(oid::date, {" 2024-01-02 ", "2024-01-02", "0000223f"});
  check_vector(oid::date, {"4714-11-24 BC", "4714-11-24 BC", "ffda97a7"});
  check_vector(oid::date, {"2024-02-29", "2024-02-29", "00002279"});
  check_vector(oid::date, {"0001-02-29 BC", "0001-02-29 BC", "fff4dac6"});  // 1 BC is leap
  // DateStyle MDY when the first field is short; digits run together; two-digit years.
  check_vector(oid::date, {"20240102", "2024-01-02", "0000223f"});
  check_vector(oid::date, {"240102", "2024-01-02", "0000223f"});
  check_vector(oid::date, {"1-01-02", "2002-01-01", "000002db"});
  check_vector(oid::date, {"01/02/2024", "2024-01-02", "0000223f"});
  check_vector(oid::date, {"2024/01/02", "2024-01-02", "0000223f"});
  check_vector(oid::date, {"1/2/3", "2003-01-02", "00000449"});
  check_vector(oid::date, {"02-01-2024", "2024-02-01", "0000225d"});
  check_vector(oid::date, {"20240102 BC", "2024-01-02 BC", "ffe99447"});
  check_vector(oid::date, {"0024-01-02", "0024-01-02", "fff4fcca"});
  check_vector(oid::date, {"124-01-02", "0124-01-02", "fff58b76"});
  for (auto bad : {"24-01-02", "70-01-02", "4714-11-23 BC", "2023-02-29", "2024-13-01",
                   "2024-00-10", "0000-01-01", "a", "2024-01-02x", ""}) {
    check_invalid(oid::date, bad);
  }
}

TEST_CASE("time", "[values][datetime]") {
  check_vector(oid::time, {"04:05:06.789", "04:05:06.789", "000000036c97ca88"});
  check_vector(oid::time, {"24:00:00", "24:00:00", "000000141dd76000"});
  check_vector(oid::time, {"24:00", "24:00:00", "000000141dd76000"});
  check_vector(oid::time, {"00:00:00", "00:00:00", "0000000000000000"});
  check_vector(oid::time, {"12:34", "12:34:00", "0000000a88839e00"});
  check_vector(oid::time, {"1:2:3.5", "01:02:03.5", "00000000ddf019e0"});
  check_vector(oid::time, {"23:59:60", "24:00:00", "000000141dd76000"});
  check_vector(oid::time, {"4:", "04:00:00", "000000035a4e9000"});
  check_vector(oid::time, {"4:.5", "00:04:00.5", "000000000e55bd20"});
  check_vector(oid::time, {"4:5.", "00:04:05", "000000000e9a6740"});
  check_vector(oid::time, {"12:34:56.", "12:34:56", "0000000a8bda1c00"});
  check_vector(oid::time, {"1058", "10:58:00", "000000093130fe00"});
  check_vector(oid::time, {"061236", "06:12:36", "0000000534857d00"});
  check_vector(oid::time, {"0239.481", "02:39:00.481", "0000000238a82fe8"});
  for (auto bad : {"24:00:00.000001", "23:59:60.5", "12:00:61", "12:60", "00:60", "25:00", "a",
                   "12", "123", "12345", "1:2:3:4", "2001."}) {
    check_invalid(oid::time, bad);
  }
  CHECK_FALSE(binary_to_text(oid::time, unhex("000000141dd76001")));
}

TEST_CASE("timestamp", "[values][datetime]") {
  check_vector(oid::timestamp,
               {"2024-01-02 03:04:05.123456", "2024-01-02 03:04:05.123456", "0002b0ec8517d580"});
  check_vector(oid::timestamp, {"2024-01-02 03:04:05", "2024-01-02 03:04:05", "0002b0ec8515f340"});
  check_vector(oid::timestamp, {"2024-01-02T03:04:05", "2024-01-02 03:04:05", "0002b0ec8515f340"});
  check_vector(oid::timestamp,
               {"1999-12-31 23:59:59.5", "1999-12-31 23:59:59.5", "fffffffffff85ee0"});
  check_vector(oid::timestamp,
               {"0001-01-01 00:00:00 BC", "0001-01-01 00:00:00 BC", "ff1fc63d1bb12000"});
  check_vector(oid::timestamp, {"infinity", "infinity", "7fffffffffffffff"});
  check_vector(oid::timestamp, {"epoch", "1970-01-01 00:00:00", "fffca2fec4c82000"});
  check_vector(oid::timestamp,
               {"2024-01-02 03:04:05.1234567", "2024-01-02 03:04:05.123457", "0002b0ec8517d581"});
  check_vector(oid::timestamp,
               {"2024-01-02 03:04:05.9999995", "2024-01-02 03:04:06", "0002b0ec85253580"});
  check_vector(oid::timestamp, {"2024-01-02", "2024-01-02 00:00:00", "0002b0e9f2c0a000"});
  // A zone is ignored by timestamp without time zone.
  check_vector(oid::timestamp,
               {"2024-01-02 03:04:05+02", "2024-01-02 03:04:05", "0002b0ec8515f340"});
  check_vector(oid::timestamp, {"2024-01-02 24:00:00", "2024-01-03 00:00:00", "0002b0fe10980000"});
  check_vector(oid::timestamp,
               {"2024-07-24 07:20:60.5", "2024-07-24 07:21:00.5", "0002c0f7e38c5020"});
  check_vector(oid::timestamp, {"2024-01-02 061236", "2024-01-02 06:12:36", "0002b0ef27461d00"});
  check_vector(oid::timestamp, {"2024-01-02 8:1.5", "2024-01-02 00:08:01.5", "0002b0ea0f73bb60"});
  check_vector(oid::timestamp, {"2024-01-02T0304", "2024-01-02 03:04:00", "0002b0ec84c9a800"});
  for (auto bad : {"2024-01-02 25:00:00", "2024-02-30 00:00:00", "x", "2024-01-02 03:04:05 junk",
                   "2024-01-02 24:00:00.5", "2024-01-02 23:60:00"}) {
    check_invalid(oid::timestamp, bad);
  }
}

TEST_CASE("timestamptz in UTC", "[values][datetime]") {
  check_vector(oid::timestamptz, {"2024-01-02 03:04:05.123456+02", "2024-01-02 01:04:05.123456+00",
                                  "0002b0ead7f08d80"});
  check_vector(oid::timestamptz,
               {"2024-01-02 03:04:05.1", "2024-01-02 03:04:05.1+00", "0002b0ec851779e0"});
  check_vector(oid::timestamptz, {"-infinity", "-infinity", "8000000000000000"});
  check_vector(oid::timestamptz,
               {"2024-01-02T03:04:05Z", "2024-01-02 03:04:05+00", "0002b0ec8515f340"});
  check_vector(oid::timestamptz,
               {"2024-01-02 03:04:05 UTC", "2024-01-02 03:04:05+00", "0002b0ec8515f340"});
  check_vector(oid::timestamptz,
               {"2024-01-02 03:04:05-0530", "2024-01-02 08:34:05+00", "0002b0f12141f940"});
  check_vector(oid::timestamptz,
               {"2024-01-02 03:04:05-05:30", "2024-01-02 08:34:05+00", "0002b0f12141f940"});
  CHECK(binary_to_text(oid::timestamptz, unhex("ff1fc63d1bb12000")) == "0001-01-01 00:00:00+00 BC");
}

TEST_CASE("interval, postgres style", "[values][datetime]") {
  check_vector(oid::interval,
               {"1 year 2 mons 3 days 04:05:06.789", "1 year 2 mons 3 days 04:05:06.789",
                "000000036c97ca88000000030000000e"});
  check_vector(oid::interval, {"-1 days 2 hours 3 minutes", "-1 days +02:03:00",
                               "00000001b7e1dd00ffffffff00000000"});
  check_vector(oid::interval, {"0", "00:00:00", "00000000000000000000000000000000"});
  check_vector(oid::interval,
               {"-1 year -2 mons", "-1 years -2 mons", "000000000000000000000000fffffff2"});
  check_vector(oid::interval, {"-04:05:06", "-04:05:06", "fffffffc93743f800000000000000000"});
  check_vector(oid::interval,
               {"1 day -00:00:01", "1 day -00:00:01", "fffffffffff0bdc00000000100000000"});
  check_vector(oid::interval, {"1.5 days", "1 day 12:00:00", "0000000a0eebb0000000000100000000"});
  check_vector(oid::interval,
               {"1 mon -1 day", "1 mon -1 days", "0000000000000000ffffffff00000001"});
  check_vector(oid::interval, {"100 hours", "100:00:00", "00000053d1ac10000000000000000000"});
  check_vector(oid::interval,
               {"-0.000001 sec", "-00:00:00.000001", "ffffffffffffffff0000000000000000"});
  check_vector(oid::interval, {"1 year", "1 year", "0000000000000000000000000000000c"});
  check_vector(oid::interval, {"1.5 years", "1 year 6 mons", "00000000000000000000000000000012"});
  check_vector(oid::interval, {"2 weeks", "14 days", "00000000000000000000000e00000000"});
  check_vector(oid::interval, {"1 day ago", "-1 days", "0000000000000000ffffffff00000000"});
  check_vector(oid::interval, {"P1Y2M3DT4H5M6S", "1 year 2 mons 3 days 04:05:06",
                               "000000036c8bc080000000030000000e"});
  check_vector(oid::interval, {"@ 1 minute", "00:01:00", "00000000039387000000000000000000"});
  check_vector(oid::interval, {"1:2", "01:02:00", "00000000ddbab2000000000000000000"});
  check_vector(oid::interval,
               {"1 millisecond", "00:00:00.001", "00000000000003e80000000000000000"});
  check_vector(oid::interval, {"0.5 mon", "15 days", "00000000000000000000000f00000000"});
  check_vector(oid::interval, {"5", "00:00:05", "00000000004c4b400000000000000000"});
  check_vector(oid::interval, {"1.5", "00:00:01.5", "000000000016e3600000000000000000"});
  check_vector(oid::interval,
               {"-1 day +2 hours", "-1 days +02:00:00", "00000001ad274800ffffffff00000000"});
  check_vector(oid::interval, {"1day", "1 day", "00000000000000000000000100000000"});
  check_vector(oid::interval, {"1 hour 30", "01:00:30", "00000000d85d67800000000000000000"});
  check_vector(oid::interval, {"1 year 6 months 1.5 weeks", "1 year 6 mons 10 days 12:00:00",
                               "0000000a0eebb0000000000a00000012"});
  check_vector(oid::interval, {"0.1 sec", "00:00:00.1", "00000000000186a00000000000000000"});
  check_vector(oid::interval, {"5.", "00:00:05", "00000000004c4b400000000000000000"});
  check_vector(oid::interval, {".", "00:00:00", "00000000000000000000000000000000"});
  check_vector(oid::interval, {"1 02:03", "1 day 02:03:00", "00000001b7e1dd000000000100000000"});
  check_vector(oid::interval, {"1 2 hours", "1 day 02:00:00", "00000001ad2748000000000100000000"});
  check_vector(oid::interval, {"1 day ago ago", "-1 days", "0000000000000000ffffffff00000000"});
  check_vector(oid::interval,
               {"01:00 ago 1 day", "-1 days -01:00:00", "ffffffff296c5c00ffffffff00000000"});
  // Fractions go through doubles as in PG: 0.70 * 30 days is exactly 21 days there.
  check_vector(oid::interval, {"+96.70 mon 2 minute", "8 years 21 days 00:02:00",
                               "0000000007270e000000001500000060"});
  check_vector(oid::interval,
               {"2 year +41.30 mon", "5 years 5 mons 9 days", "00000000000000000000000900000041"});
  for (auto bad :
       {"", "abc", "1 fortnight", "1 day 2 parsecs", "99999999999 years", "5 ago", "1 day 5 ago",
        "ago", "1 2", "1 day 2 days", "1 hour 01:00", "-2562047788:00:54.775808"}) {
    check_invalid(oid::interval, bad);
  }
  check_vector(oid::interval, {"-2562047788 hours -54.775808 seconds", "-2562047788:00:54.775808",
                               "80000000000000000000000000000000"});
  check_vector(oid::interval, {"2562047788 hours 54.775807 seconds", "2562047788:00:54.775807",
                               "7fffffffffffffff0000000000000000"});
  // INT64_MIN microseconds must print without overflow.
  CHECK(binary_to_text(oid::interval, unhex("80000000000000000000000000000000")) ==
        "-2562047788:00:54.775808");
}
