// The password bytes fed to SCRAM (see also the PG-verified verifiers in scram_test.cpp).
#include <catch2/catch.hpp>

#include "auth/saslprep.hpp"

using fauxgres::auth::saslprep_or_raw;

TEST_CASE("SASLprep subset", "[auth][saslprep]") {
  CHECK(saslprep_or_raw("p@ss:w/rd%#=x") == "p@ss:w/rd%#=x");  // ASCII unchanged
  CHECK(saslprep_or_raw("a\x01z") == "a\x01z");  // ASCII controls pass (PG: pure ASCII)
  CHECK(saslprep_or_raw("") == "");
  CHECK(saslprep_or_raw("\xc3\xa9t\xc3\xa9") == "\xc3\xa9t\xc3\xa9");
  CHECK(saslprep_or_raw("a\xe3\x80\x80z") == "a z");                 // U+3000 ideographic space
  CHECK(saslprep_or_raw("a\xef\xbb\xbfz\xc3\xa9") == "az\xc3\xa9");  // U+FEFF dropped
  CHECK(saslprep_or_raw("\xff\xfe") == "\xff\xfe");                  // invalid UTF-8: raw
  CHECK(saslprep_or_raw("\xc0\xafx") == "\xc0\xafx");                // overlong: raw
  CHECK(saslprep_or_raw("\xc3") == "\xc3");                          // truncated: raw
  CHECK(saslprep_or_raw("\xee\x80\x80\xc2\xa0") == "\xee\x80\x80\xc2\xa0");  // private use: raw
}
