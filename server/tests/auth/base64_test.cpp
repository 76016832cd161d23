// Strict base64 used by SCRAM.
#include <catch2/catch.hpp>

#include "auth/scram.hpp"

using namespace fauxgres::auth;

namespace {
std::vector<std::uint8_t> bytes_of(std::string_view s) {
  return {s.begin(), s.end()};
}
}  // namespace

TEST_CASE("base64 encodes RFC 4648 vectors", "[auth][base64]") {
  CHECK(base64_encode(bytes_of("")) == "");
  CHECK(base64_encode(bytes_of("f")) == "Zg==");
  CHECK(base64_encode(bytes_of("fo")) == "Zm8=");
  CHECK(base64_encode(bytes_of("foo")) == "Zm9v");
  CHECK(base64_encode(bytes_of("foob")) == "Zm9vYg==");
  CHECK(base64_encode(bytes_of("fooba")) == "Zm9vYmE=");
  CHECK(base64_encode(bytes_of("foobar")) == "Zm9vYmFy");
  CHECK(base64_encode(bytes_of("n,,")) == "biws");
  CHECK(base64_encode({0xfb, 0xff, 0xbf}) == "+/+/");
}

TEST_CASE("base64 decodes what it encodes", "[auth][base64]") {
  for (std::string_view s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    const auto decoded = base64_decode(base64_encode(bytes_of(s)));
    REQUIRE(decoded);
    CHECK(*decoded == bytes_of(s));
  }
  CHECK(base64_decode("+/+/") == std::vector<std::uint8_t>{0xfb, 0xff, 0xbf});
}

TEST_CASE("base64 decoding is strict", "[auth][base64]") {
  CHECK_FALSE(base64_decode("Zg"));        // no padding
  CHECK_FALSE(base64_decode("Zg="));       // short
  CHECK_FALSE(base64_decode("Z==="));      // too much padding
  CHECK_FALSE(base64_decode("Zg=a"));      // data after padding
  CHECK_FALSE(base64_decode("Zg==Zg=="));  // padding in the middle
  CHECK_FALSE(base64_decode("Zm9 v"));     // whitespace
  CHECK_FALSE(base64_decode("Zm9-"));      // url-safe alphabet
  CHECK_FALSE(base64_decode("!!!!"));
}
