// The password bytes fed to SCRAM (see also the PG-verified verifiers in scram_test.cpp).
#include <catch2/catch.hpp>

#include "auth/saslprep.hpp"

using fauxgres::auth::saslprep_or_raw;

TEST_CASE("SASLprep: ASCII and invalid UTF-8 pass unchanged", "[auth][saslprep]") {
  CHECK(saslprep_or_raw("p@ss:w/rd%#=x") == "p@ss:w/rd%#=x");
  CHECK(saslprep_or_raw("a\x01z") == "a\x01z");  // ASCII controls pass (PG: pure ASCII)
  CHECK(saslprep_or_raw("") == "");
  CHECK(saslprep_or_raw("\xff\xfe") == "\xff\xfe");    // invalid UTF-8
  CHECK(saslprep_or_raw("\xc0\xafx") == "\xc0\xafx");  // overlong
  CHECK(saslprep_or_raw("\xc3") == "\xc3");            // truncated
}

TEST_CASE("SASLprep: mapping and NFKC", "[auth][saslprep]") {
  CHECK(saslprep_or_raw("\xc3\xa9t\xc3\xa9") == "\xc3\xa9t\xc3\xa9");  // already NFKC
  CHECK(saslprep_or_raw("a\xe3\x80\x80z") == "a z");                   // U+3000 → space
  CHECK(saslprep_or_raw("a\xef\xbb\xbfz\xc3\xa9") == "az\xc3\xa9");    // U+FEFF dropped
  CHECK(saslprep_or_raw("\xef\xac\x81x") == "fix");                    // U+FB01 ligature
  CHECK(saslprep_or_raw("\xef\xbc\xa1\xef\xbc\xa2") == "AB");          // fullwidth
  CHECK(saslprep_or_raw("\xe2\x85\xa8") == "IX");                      // U+2168 roman nine
  CHECK(saslprep_or_raw("a\xcc\x88") == "\xc3\xa4");                   // a + U+0308 composes
  CHECK(saslprep_or_raw("\xd7\x90\xd7\x91") == "\xd7\x90\xd7\x91");    // right-to-left only
}

TEST_CASE("SASLprep: what PG rejects falls back to the raw bytes", "[auth][saslprep]") {
  CHECK(saslprep_or_raw("\xee\x80\x80\xc2\xa0") == "\xee\x80\x80\xc2\xa0");  // private use
  CHECK(saslprep_or_raw("\xc3\xa9\x07") == "\xc3\xa9\x07");                  // control
  CHECK(saslprep_or_raw("\xc2\xad") == "\xc2\xad");                          // empty once mapped
  CHECK(saslprep_or_raw("\xc8\xa1\xef\xac\x81") == "\xc8\xa1\xef\xac\x81");  // U+0221: new in 4.0
  // Bidi: a right-to-left letter with a left-to-right one, or not at both ends.
  CHECK(saslprep_or_raw("\xd7\x90\xef\xac\x81") == "\xd7\x90\xef\xac\x81");
  const std::string alef = "\xd7\x90";  // U+05D0, right-to-left
  CHECK(saslprep_or_raw(alef + "1") == alef + "1");
  CHECK(saslprep_or_raw("1\xd7\x90") == "1\xd7\x90");
}
