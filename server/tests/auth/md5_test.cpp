// MD5 password hashing against values computed with md5sum and read from a real PG 15.
#include <catch2/catch.hpp>

#include "auth/md5.hpp"
#include "auth/methods.hpp"

using namespace fauxgres::auth;

TEST_CASE("md5 stored hash is md5(password + user)", "[auth][md5]") {
  // printf 'pencilpostgres' | md5sum
  CHECK(md5_stored_hash("postgres", "pencil") == "md54c21b325d75177d5e9b9789a50ab0c9c");
  // pg_authid.rolpassword of a PG 15 role u_md5 with password 'pencil'
  CHECK(md5_stored_hash("u_md5", "pencil") == "md56520b9e6d1360465923cccaa4a18e5f0");
}

TEST_CASE("md5 response is md5(hex(md5(password + user)) + salt)", "[auth][md5]") {
  const std::array<std::uint8_t, 4> salt{0x01, 0x02, 0x03, 0x04};
  CHECK(md5_expected_response("postgres", "pencil", salt) == "md5dba33b405438ce4ca5423846a9bffead");
  const std::array<std::uint8_t, 4> salt2{0xde, 0xad, 0xbe, 0xef};
  CHECK(md5_expected_response("app", "p@ss:w/rd%#=x", salt2) ==
        "md5b6ad1a1b4532d94c7d90ec10ae76c955");
}

TEST_CASE("md5 response check", "[auth][md5]") {
  const std::array<std::uint8_t, 4> salt{0x01, 0x02, 0x03, 0x04};
  CHECK(md5_response_matches("md5dba33b405438ce4ca5423846a9bffead", "postgres", "pencil", salt));
  CHECK_FALSE(
      md5_response_matches("md5dba33b405438ce4ca5423846a9bffeae", "postgres", "pencil", salt));
  CHECK_FALSE(
      md5_response_matches("md5dba33b405438ce4ca5423846a9bffead", "postgres", "Pencil", salt));
  CHECK_FALSE(
      md5_response_matches("md5dba33b405438ce4ca5423846a9bffead", "Postgres", "pencil", salt));
  const std::array<std::uint8_t, 4> other{0x01, 0x02, 0x03, 0x05};
  CHECK_FALSE(
      md5_response_matches("md5dba33b405438ce4ca5423846a9bffead", "postgres", "pencil", other));
  CHECK_FALSE(md5_response_matches("", "postgres", "pencil", salt));
  CHECK_FALSE(
      md5_response_matches("md5dba33b405438ce4ca5423846a9bffea", "postgres", "pencil", salt));
}

TEST_CASE("method names round-trip", "[auth][methods]") {
  for (method m : {method::trust, method::password, method::md5, method::scram_sha_256}) {
    CHECK(method_from_string(to_string(m)) == m);
  }
  CHECK(to_string(method::scram_sha_256) == "scram-sha-256");
  CHECK_FALSE(method_from_string("SCRAM-SHA-256"));
  CHECK_FALSE(method_from_string("scram"));
  CHECK_FALSE(method_from_string(""));
  CHECK_FALSE(method_from_string("md5 "));
}

TEST_CASE("constant-time equality", "[auth][methods]") {
  CHECK(constant_time_equals("", ""));
  CHECK(constant_time_equals("secret", "secret"));
  CHECK_FALSE(constant_time_equals("secret", "secreT"));
  CHECK_FALSE(constant_time_equals("secret", "secret!"));
  CHECK_FALSE(constant_time_equals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}
