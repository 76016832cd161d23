// SCRAM-SHA-256 server exchange: RFC 7677 vector, verifiers from a real PG 15, success and
// failure paths, channel binding, and PG 15's exact errors for malformed messages.
#include <catch2/catch.hpp>

#include "auth/digest.hpp"
#include "auth/scram.hpp"

using namespace fauxgres::auth;
using outcome = scram_exchange::step::outcome;

namespace {

std::vector<std::uint8_t> b64(std::string_view text) {
  auto decoded = base64_decode(text);
  REQUIRE(decoded);
  return *decoded;
}

std::vector<std::uint8_t> bytes_of(std::string_view s) {
  return {s.begin(), s.end()};
}

const std::vector<std::uint8_t> test_salt = bytes_of("0123456789abcdef");
const std::vector<std::uint8_t> test_nonce = bytes_of("server-nonce-18byt");  // 18 bytes
const std::vector<std::uint8_t> end_point = sha256(as_bytes("certificate"));

scram_exchange make_exchange(std::string_view password,
                             std::optional<std::vector<std::uint8_t>> tls = std::nullopt) {
  return scram_exchange(make_scram_secret(password, test_salt), false, test_nonce, std::move(tls));
}

// What a client sends as client-final-message for `password`, given the messages so far.
std::string client_final(std::string_view password, std::string_view client_first_bare,
                         std::string_view server_first, std::string_view without_proof) {
  const std::string_view attrs = server_first;
  const auto s_at = attrs.find(",s=");
  const auto i_at = attrs.find(",i=");
  const auto salt = b64(attrs.substr(s_at + 3, i_at - s_at - 3));
  const int iterations = std::stoi(std::string(attrs.substr(i_at + 3)));
  const auto salted = pbkdf2_hmac_sha256(password, salt, iterations);
  const auto client_key = hmac_sha256(salted, as_bytes("Client Key"));
  const std::string auth = std::string(client_first_bare) + "," + std::string(server_first) + "," +
                           std::string(without_proof);
  const auto signature = hmac_sha256(sha256(client_key), as_bytes(auth));
  std::vector<std::uint8_t> proof(32);
  for (std::size_t i = 0; i < 32; ++i) proof[i] = client_key[i] ^ signature[i];
  return std::string(without_proof) + ",p=" + base64_encode(proof);
}

std::string nonce_of(std::string_view server_first) {
  return std::string(server_first.substr(2, server_first.find(',') - 2));
}

struct expected_error {
  std::string sqlstate, message, detail;
  int line;
  std::string routine;
};

void check_error(const scram_exchange::step& step, const expected_error& want) {
  REQUIRE(step.result == outcome::protocol_error);
  CHECK(step.server_message.empty());
  CHECK(step.error.severity == "FATAL");
  CHECK(step.error.sqlstate == want.sqlstate);
  CHECK(step.error.message == want.message);
  CHECK(step.error.detail == want.detail);
  CHECK(step.error.file == "auth-scram.c");
  CHECK(step.error.line == want.line);
  CHECK(step.error.routine == want.routine);
}

const std::string malformed = "malformed SCRAM message";

}  // namespace

TEST_CASE("RFC 7677 test vector", "[auth][scram]") {
  auto exchange =
      scram_exchange::with_nonce_text(make_scram_secret("pencil", b64("W22ZaJ0SNY7soEsUEjb6gQ==")),
                                      false, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0", std::nullopt);
  const auto first = exchange.client_first("SCRAM-SHA-256", "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
  REQUIRE(first.result == outcome::continue_exchange);
  CHECK(first.server_message ==
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
  const auto final = exchange.client_final(
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  REQUIRE(final.result == outcome::success);
  CHECK(final.server_message == "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
  CHECK(exchange.finished());
}

TEST_CASE("verifiers match those a real PG 15 stored", "[auth][scram]") {
  struct row {
    std::string password, salt, stored_key, server_key;
  };
  // pg_authid.rolpassword: SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>
  const std::vector<row> rows = {
      {"pencil", "P6p57hACpuafxCcWQVLdkA==", "wVSusxxQ1GOc9thJLcTnHTdjU5bux8JptsWXm7Q/LVk=",
       "PT645wZP5DGDbxTvw9bmcam3HtDRAV39mlBUTXXV+Ds="},
      {"p@ss:w/rd%#=x", "Un96BYey4nmg8vwI15Gldw==", "r6BR67nhCYXtFeB9QKnrcuapk01Imk2PfNAIdFQRvY0=",
       "jx2v5fbzVAmKBaUMP8mULNdfd0xL82ZGxBAk8UtXgpE="},
      {"p\xc3\xa4ssw\xc3\xb6rd",
       "BBSU/ftu/fV6kO4ROdWkPw==", "8+ItCQMgPCDZzmTiDiZWQspGzFoiaB6J2XHQogcF6EE=",
       "Dr3mXVaKBHlDrwqUGUq2oBHYOiyLlb1IPySIizHOVDA="},
      // U+00A0 no-break space maps to ' '.
      {"a\xc2\xa0"
       "b",
       "e0MOHc0Ld0QkGxiVFnkS8w==", "bzyfgAYDcIXvo7KrtqJYqx2JXvIwOqKFCZc9bf6VB74=",
       "HN9ot+oUtVdRoDysxpGRfXCXBanmq9vS35D1ds8MAT0="},
      // U+00AD soft hyphen maps to nothing.
      {"x\xc2\xad"
       "y",
       "DC0e5fqkCsVvmqNZ6ztEnQ==", "rtuqLjA9WdjQmyerf9/R7WHDQ/w6RO9pDfUC+gfZEaw=",
       "fQg/p6HuQJ3I6MB+dpSKa4Pm+fLehsff7t8Rm/5itKE="},
      // A control character is prohibited: the raw bytes are used.
      {"\xc3\xa9\x07", "/vifb/P+y/M9aYDUjj0C3A==", "waO8NNuvg6Vog6EwThpd4wKMOUt+zw6dWSV5EhWa2aI=",
       "0sGClPy0561imwZ+LN0sm9mF/zaapakuknCMDeg5uUE="},
      // NFKC: the "fi" ligature U+FB01 becomes "fi"; U+00A0 maps to ' '.
      {"\xef\xac\x81x\xc2\xa0"
       "1",
       "wkBYsyPkuww0TrldWZOHwQ==", "q09o+MYabmmpd3KwD7UEyRzlfZDwwHONrfwI5gbNLAg=",
       "Zqo/6I2ZqBK3AeqAO6S22y7cDH+xggrXfRaK6Qq3xqo="},
      // NFKC: fullwidth letters.
      {"\xef\xbc\xa1\xef\xbc\xa2",
       "Db07azdFQ9/kGPcUhfhUEA==", "+kgP1jei8anzEVpmTw9rMyy/hAwZINV2/ZB48MfAyWE=",
       "ytIE0A/JFCtZ18JoBdAmziW5QDEs410PvhhUbicQbG8="},
      // NFKC: U+2168 ROMAN NUMERAL NINE becomes "IX".
      {"\xe2\x85\xa8", "p9bYheFa/L3ZUjnJnJQbNA==", "aGi0U7RDXh1mag1e8ksQl2H0LOcU1MJWwoebFbSq0TA=",
       "0U8lz6eUdl8w2WkN+JDqxvOi7uG95sxsFDnY1/Gne8I="},
      // NFKC: a + U+0308 composes to U+00E4.
      {"a\xcc\x88", "HtzpRKooYnx3BExIw5ywTA==", "nR6+IS43mn+7rjgWkZ9rh2CypUIiliKQXJMPmSDUzBI=",
       "0WXi22FzACFSLF0nG6Hh+BfgZbMLoOEqfZvqYYU6r2g="},
      // Right-to-left only: passes the bidi check.
      {"\xd7\x90\xd7\x91",
       "xXapSwgsds0JWYXPeqS/QA==", "RhXqsNvDlca6E67VsvL87/qKqkjphr58SSZYECAazCQ=",
       "xtQEkCim7GoYUpAuyiDMt9geTNJ5Oj1kfliu51ICKxI="},
      // Right-to-left with left-to-right (U+FB01): bidi check fails, raw bytes.
      {"\xd7\x90\xef\xac\x81",
       "p3eh5SieKWPPG15PdMGIlg==", "eABwB1WTLcf0eBHL+KmBu9+0aBLXREeEN9g4MMeEIp8=",
       "0NBqSjbLeSnrZyFz/TiixteqExOhsjGiUsL8ZA/pH44="},
      // Right-to-left not at both ends: raw bytes.
      {"\xd7\x90"
       "1",
       "nKjOfbmYAvswqt7HA5S5SQ==", "J/Bt5WXYuc3KfoIx7SqM/C+VfunGdU+o7kenlaUq2Yk=",
       "G1Ez4H+crgmXNbpUJO3VE3lsxtPMTLHS4BlNJx4H6fU="},
      // U+0221 is unassigned in Unicode 3.2: raw bytes, no NFKC of U+FB01.
      {"\xc8\xa1\xef\xac\x81",
       "0pu9aPJ0kmI8EZerWKj1zw==", "tEy3tOIaQGSjF2MDWOJ4ODbI8JVfBlPbsPK+X5m5hqQ=",
       "ydUb8lRlKMw8e8jWRZSl2tIYk8A+M5+/tWzBjflGw6Y="},
      // Empty once mapped: raw bytes.
      {"\xc2\xad", "WhWh6cG54NYnIPHa62bk6A==", "R4E5k0vt0ZvPVV3ylaRinLcMDJgJ+mpw/RrrkAJLOM4=",
       "KJ3vzbfPwPCo/G/9TmtdOBMmsNLsPrrBXtN7WM22VfM="},
  };
  for (const auto& r : rows) {
    INFO(r.password);
    const auto secret = make_scram_secret(r.password, b64(r.salt));
    CHECK(secret.iterations == 4096);
    CHECK(base64_encode(secret.stored_key) == r.stored_key);
    CHECK(base64_encode(secret.server_key) == r.server_key);
  }
}

TEST_CASE("mechanisms list PLUS first with TLS", "[auth][scram]") {
  CHECK(scram_exchange::mechanisms(false) == std::vector<std::string>{"SCRAM-SHA-256"});
  CHECK(scram_exchange::mechanisms(true) ==
        std::vector<std::string>{"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"});
}

TEST_CASE("mock salt is stable per user and server secret", "[auth][scram]") {
  const auto a = mock_salt("ghost", "secret-1");
  CHECK(a.size() == 16);
  CHECK(a == mock_salt("ghost", "secret-1"));
  CHECK(a != mock_salt("ghost2", "secret-1"));
  CHECK(a != mock_salt("ghost", "secret-2"));
  const auto full = hmac_sha256(as_bytes("secret-1"), as_bytes("ghost"));
  CHECK(std::equal(a.begin(), a.end(), full.begin()));
  const auto mock = make_mock_scram_secret("ghost", "secret-1");
  CHECK(mock.salt == a);
  CHECK(mock.iterations == 4096);
  CHECK(mock.stored_key == std::vector<std::uint8_t>(32, 0));
}

TEST_CASE("a full exchange with any n= user name succeeds", "[auth][scram]") {
  const std::string user = GENERATE(as<std::string>{}, "", "*", "someone else", "u=2Cx");
  auto exchange = make_exchange("p@ss:w/rd%#=x");
  const std::string bare = "n=" + user + ",r=clientnonce";
  const auto first = exchange.client_first("SCRAM-SHA-256", "n,," + bare);
  REQUIRE(first.result == outcome::continue_exchange);
  CHECK(first.server_message ==
        "r=clientnonce" + base64_encode(test_nonce) + ",s=" + base64_encode(test_salt) + ",i=4096");
  CHECK(base64_encode(test_nonce).size() == 24);
  const auto final = exchange.client_final(client_final(
      "p@ss:w/rd%#=x", bare, first.server_message, "c=biws,r=" + nonce_of(first.server_message)));
  CHECK(final.result == outcome::success);
  CHECK(final.server_message.rfind("v=", 0) == 0);
  CHECK(final.server_message.size() == 2 + 44);
}

TEST_CASE("server signature is HMAC(ServerKey, AuthMessage)", "[auth][scram]") {
  auto exchange = make_exchange("pencil");
  const std::string bare = "n=,r=abc";
  const auto first = exchange.client_first("SCRAM-SHA-256", "n,," + bare);
  const std::string without_proof = "c=biws,r=" + nonce_of(first.server_message) + ",x=ext";
  const auto final =
      exchange.client_final(client_final("pencil", bare, first.server_message, without_proof));
  REQUIRE(final.result == outcome::success);
  const auto secret = make_scram_secret("pencil", test_salt);
  const std::string auth = bare + "," + first.server_message + "," + without_proof;
  CHECK(final.server_message ==
        "v=" + base64_encode(hmac_sha256(secret.server_key, as_bytes(auth))));
}

TEST_CASE("y flag without TLS, with eSws", "[auth][scram]") {
  auto exchange = make_exchange("pencil");
  const auto first = exchange.client_first("SCRAM-SHA-256", "y,,n=,r=abc");
  REQUIRE(first.result == outcome::continue_exchange);
  const auto final = exchange.client_final(client_final(
      "pencil", "n=,r=abc", first.server_message, "c=eSws,r=" + nonce_of(first.server_message)));
  CHECK(final.result == outcome::success);
}

TEST_CASE("wrong password fails without a server message", "[auth][scram]") {
  auto exchange = make_exchange("pencil");
  const auto first = exchange.client_first("SCRAM-SHA-256", "n,,n=,r=abc");
  const auto final = exchange.client_final(client_final(
      "Pencil", "n=,r=abc", first.server_message, "c=biws,r=" + nonce_of(first.server_message)));
  CHECK(final.result == outcome::failure);
  CHECK(final.server_message.empty());
  CHECK(exchange.finished());
  CHECK(exchange.client_final("c=biws").result == outcome::protocol_error);
}

TEST_CASE("a proof of the right length but wrong value fails", "[auth][scram]") {
  auto exchange = make_exchange("pencil");
  const auto first = exchange.client_first("SCRAM-SHA-256", "n,,n=,r=abc");
  const auto final = exchange.client_final("c=biws,r=" + nonce_of(first.server_message) +
                                           ",p=" + std::string(43, 'A') + "=");
  CHECK(final.result == outcome::failure);
}

TEST_CASE("doomed exchange runs to the end and fails even with the right proof", "[auth][scram]") {
  const auto mock = make_mock_scram_secret("ghost", "server-secret");
  scram_exchange exchange(mock, true, test_nonce, std::nullopt);
  const auto first = exchange.client_first("SCRAM-SHA-256", "n,,n=,r=abc");
  REQUIRE(first.result == outcome::continue_exchange);
  CHECK(first.server_message.find(",s=" + base64_encode(mock_salt("ghost", "server-secret")) +
                                  ",i=4096") != std::string::npos);
  const auto final = exchange.client_final(client_final(
      "anything", "n=,r=abc", first.server_message, "c=biws,r=" + nonce_of(first.server_message)));
  CHECK(final.result == outcome::failure);

  // Doomed with a real verifier and the right password still fails.
  scram_exchange doomed(make_scram_secret("pencil", test_salt), true, test_nonce, std::nullopt);
  const auto f2 = doomed.client_first("SCRAM-SHA-256", "n,,n=,r=abc");
  CHECK(doomed
            .client_final(client_final("pencil", "n=,r=abc", f2.server_message,
                                       "c=biws,r=" + nonce_of(f2.server_message)))
            .result == outcome::failure);
}

TEST_CASE("nonce mismatch is a protocol error", "[auth][scram]") {
  auto exchange = make_exchange("pencil");
  const auto first = exchange.client_first("SCRAM-SHA-256", "n,,n=,r=abc");
  const std::string nonce = nonce_of(first.server_message);
  SECTION("extra character") {
    check_error(
        exchange.client_final(
            client_final("pencil", "n=,r=abc", first.server_message, "c=biws,r=" + nonce + "x")),
        {"08P01", "invalid SCRAM response", "Nonce does not match.", 404, "scram_exchange"});
  }
  SECTION("client nonce only") {
    check_error(
        exchange.client_final(
            client_final("pencil", "n=,r=abc", first.server_message, "c=biws,r=abc")),
        {"08P01", "invalid SCRAM response", "Nonce does not match.", 404, "scram_exchange"});
  }
}

TEST_CASE("SASLInitialResponse without data gets an empty continue", "[auth][scram]") {
  auto exchange = make_exchange("pencil");
  const auto empty = exchange.client_first("SCRAM-SHA-256", std::nullopt);
  REQUIRE(empty.result == outcome::continue_exchange);
  CHECK(empty.server_message.empty());
  const auto first = exchange.response("n,,n=,r=abc");
  REQUIRE(first.result == outcome::continue_exchange);
  const auto final = exchange.response(client_final("pencil", "n=,r=abc", first.server_message,
                                                    "c=biws,r=" + nonce_of(first.server_message)));
  CHECK(final.result == outcome::success);
}

TEST_CASE("client-first extensions, trailing commas and empty nonces are accepted as PG does",
          "[auth][scram]") {
  for (std::string_view message : {"n,,n=,r=abc,", "n,,n=,r=abc,x=1", "n,,n=,r=", "n,,n=*,r=abc"}) {
    INFO(message);
    auto exchange = make_exchange("pencil");
    CHECK(exchange.client_first("SCRAM-SHA-256", message).result == outcome::continue_exchange);
  }
}

TEST_CASE("malformed client-first messages get PG 15's errors", "[auth][scram]") {
  struct row {
    std::string mechanism, message;
    expected_error error;
  };
  const std::string first = "read_client_first_message";
  const std::vector<row> rows = {
      {"SCRAM-SHA-1",
       "n,,n=,r=abc",
       {"08P01", "client selected an invalid SASL authentication mechanism", "", 256,
        "scram_init"}},
      {"SCRAM-SHA-256-PLUS",
       "n,,n=,r=abc",
       {"08P01", "client selected an invalid SASL authentication mechanism", "", 256,
        "scram_init"}},
      {"SCRAM-SHA-256", "", {"08P01", malformed, "The message is empty.", 366, "scram_exchange"}},
      {"SCRAM-SHA-256",
       std::string("n,,n=,r=a\0bc", 12),
       {"08P01", malformed, "Message length does not match input length.", 371, "scram_exchange"}},
      {"SCRAM-SHA-256",
       "hello",
       {"08P01", malformed, "Unexpected channel-binding flag \"'h'\".", 1025, first}},
      {"SCRAM-SHA-256",
       "\x01,,n=,r=abc",
       {"08P01", malformed, "Unexpected channel-binding flag \"0x01\".", 1025, first}},
      {"SCRAM-SHA-256",
       " ,,n=,r=abc",
       {"08P01", malformed, "Unexpected channel-binding flag \"0x20\".", 1025, first}},
      {"SCRAM-SHA-256",
       "n",
       {"08P01", malformed, "Comma expected, but found character \"0x00\".", 963, first}},
      {"SCRAM-SHA-256",
       "nx",
       {"08P01", malformed, "Comma expected, but found character \"'x'\".", 963, first}},
      {"SCRAM-SHA-256",
       "yx",
       {"08P01", malformed, "Comma expected, but found character \"'x'\".", 993, first}},
      {"SCRAM-SHA-256",
       "p=tls-server-end-point,,n=,r=abc",
       {"08P01", malformed,
        "The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message "
        "includes channel binding data.",
        1007, first}},
      {"SCRAM-SHA-256",
       "n,a=x,n=,r=abc",
       {"0A000", "client uses authorization identity, but it is not supported", "", 1036, first}},
      {"SCRAM-SHA-256",
       "n,b,n=,r=abc",
       {"08P01", malformed, "Unexpected attribute \"'b'\" in client-first-message.", 1040, first}},
      {"SCRAM-SHA-256",
       "n,,m=ext,n=,r=abc",
       {"0A000", "client requires an unsupported SCRAM extension", "", 1057, first}},
      {"SCRAM-SHA-256",
       "n,,x=,r=abc",
       {"08P01", malformed, "Expected attribute \"n\" but found \"'x'\".", 712, "read_attr_value"}},
      {"SCRAM-SHA-256",
       "n,,nx,r=abc",
       {"08P01", malformed, "Expected character \"=\" for attribute \"n\".", 720,
        "read_attr_value"}},
      {"SCRAM-SHA-256",
       "n,,n=,",
       {"08P01", malformed, "Expected attribute \"r\" but found \"0x00\".", 712,
        "read_attr_value"}},
      {"SCRAM-SHA-256",
       "n,,n=,r=a b",
       {"08P01", "non-printable characters in SCRAM nonce", "", 1071, first}},
      {"SCRAM-SHA-256",
       "n,,n=,r=ab\x01c",
       {"08P01", "non-printable characters in SCRAM nonce", "", 1071, first}},
      {"SCRAM-SHA-256",
       "n,,n=,r=abc\xff",
       {"08P01", "non-printable characters in SCRAM nonce", "", 1071, first}},
      {"SCRAM-SHA-256",
       "n,,n=,r=abc,1=x",
       {"08P01", malformed, "Attribute expected, but found invalid character \"'1'\".", 838,
        "read_any_attr"}},
      {"SCRAM-SHA-256",
       "n,,n=,r=abc,x",
       {"08P01", malformed, "Expected character \"=\" for attribute \"x\".", 848, "read_any_attr"}},
  };
  for (const auto& r : rows) {
    INFO(r.mechanism << " " << r.message);
    auto exchange = make_exchange("pencil");
    check_error(exchange.client_first(r.mechanism, r.message), r.error);
    CHECK(exchange.finished());
  }
}

TEST_CASE("malformed client-final messages get PG 15's errors", "[auth][scram]") {
  const std::string final = "read_client_final_message";
  struct row {
    std::string message;  // "NONCE" is replaced by the combined nonce
    expected_error error;
  };
  const std::vector<row> rows = {
      {"", {"08P01", malformed, "The message is empty.", 366, "scram_exchange"}},
      {std::string("c=biws\0,r=NONCE", 15),
       {"08P01", malformed, "Message length does not match input length.", 371, "scram_exchange"}},
      {"r=NONCE,p=xx",
       {"08P01", malformed, "Expected attribute \"c\" but found \"'r'\".", 712, "read_attr_value"}},
      {"c=biws,p=xx",
       {"08P01", malformed, "Expected attribute \"r\" but found \"'p'\".", 712, "read_attr_value"}},
      {"c=eSws,r=NONCE,p=xx",
       {"08P01", "unexpected SCRAM channel-binding attribute in client-final-message", "", 1335,
        final}},
      {"c=,r=NONCE,p=xx",
       {"08P01", "unexpected SCRAM channel-binding attribute in client-final-message", "", 1335,
        final}},
      {"c=biws,r=NONCE",
       {"08P01", malformed, "Attribute expected, but found end of string.", 825, "read_any_attr"}},
      {"c=biws,r=NONCE,x=1",
       {"08P01", malformed, "Attribute expected, but found end of string.", 825, "read_any_attr"}},
      {"c=biws,r=NONCE,1=2,p=xx",
       {"08P01", malformed, "Attribute expected, but found invalid character \"'1'\".", 838,
        "read_any_attr"}},
      {"c=biws,r=NONCE,p=abcd",
       {"08P01", malformed, "Malformed proof in client-final-message.", 1353, final}},
      {"c=biws,r=NONCE,p=!!!!",
       {"08P01", malformed, "Malformed proof in client-final-message.", 1353, final}},
      {"c=biws,r=NONCE,p=",
       {"08P01", malformed, "Malformed proof in client-final-message.", 1353, final}},
      {"c=biws,r=NONCE,p=" + std::string(43, 'A') + "=,x=1",
       {"08P01", malformed, "Garbage found at the end of client-final-message.", 1361, final}},
  };
  for (const auto& r : rows) {
    auto exchange = make_exchange("pencil");
    const auto first = exchange.client_first("SCRAM-SHA-256", "n,,n=,r=abc");
    std::string message = r.message;
    if (const auto at = message.find("NONCE"); at != std::string::npos) {
      message.replace(at, 5, nonce_of(first.server_message));
    }
    INFO(message);
    check_error(exchange.client_final(message), r.error);
  }
}

TEST_CASE("a trailing comma after the proof is not garbage", "[auth][scram]") {
  auto exchange = make_exchange("pencil");
  const auto first = exchange.client_first("SCRAM-SHA-256", "n,,n=,r=abc");
  const auto final = exchange.client_final("c=biws,r=" + nonce_of(first.server_message) +
                                           ",p=" + std::string(43, 'A') + "=,");
  CHECK(final.result == outcome::failure);
}

TEST_CASE("channel binding with tls-server-end-point", "[auth][scram][tls]") {
  const std::string gs2 = "p=tls-server-end-point,,";
  std::vector<std::uint8_t> cbind(gs2.begin(), gs2.end());
  cbind.insert(cbind.end(), end_point.begin(), end_point.end());
  const std::string c = "c=" + base64_encode(cbind);

  SECTION("success") {
    auto exchange = make_exchange("pencil", end_point);
    const auto first = exchange.client_first("SCRAM-SHA-256-PLUS", gs2 + "n=,r=abc");
    REQUIRE(first.result == outcome::continue_exchange);
    CHECK(exchange.channel_binding());
    const auto final = exchange.client_final(client_final(
        "pencil", "n=,r=abc", first.server_message, c + ",r=" + nonce_of(first.server_message)));
    CHECK(final.result == outcome::success);
  }
  SECTION("wrong password") {
    auto exchange = make_exchange("pencil", end_point);
    const auto first = exchange.client_first("SCRAM-SHA-256-PLUS", gs2 + "n=,r=abc");
    const auto final = exchange.client_final(client_final(
        "x", "n=,r=abc", first.server_message, c + ",r=" + nonce_of(first.server_message)));
    CHECK(final.result == outcome::failure);
  }
  SECTION("binding data for another certificate") {
    auto exchange = make_exchange("pencil", sha256(as_bytes("other certificate")));
    const auto first = exchange.client_first("SCRAM-SHA-256-PLUS", gs2 + "n=,r=abc");
    check_error(
        exchange.client_final(client_final("pencil", "n=,r=abc", first.server_message,
                                           c + ",r=" + nonce_of(first.server_message))),
        {"28000", "SCRAM channel binding check failed", "", 1317, "read_client_final_message"});
  }
  SECTION("biws with PLUS") {
    auto exchange = make_exchange("pencil", end_point);
    const auto first = exchange.client_first("SCRAM-SHA-256-PLUS", gs2 + "n=,r=abc");
    check_error(
        exchange.client_final(client_final("pencil", "n=,r=abc", first.server_message,
                                           "c=biws,r=" + nonce_of(first.server_message))),
        {"28000", "SCRAM channel binding check failed", "", 1317, "read_client_final_message"});
  }
  SECTION("plain SCRAM over TLS still works with n") {
    auto exchange = make_exchange("pencil", end_point);
    const auto first = exchange.client_first("SCRAM-SHA-256", "n,,n=,r=abc");
    CHECK_FALSE(exchange.channel_binding());
    const auto final = exchange.client_final(client_final(
        "pencil", "n=,r=abc", first.server_message, "c=biws,r=" + nonce_of(first.server_message)));
    CHECK(final.result == outcome::success);
  }
}

TEST_CASE("channel-binding negotiation errors", "[auth][scram][tls]") {
  const std::string first = "read_client_first_message";
  struct row {
    std::string mechanism, message;
    expected_error error;
  };
  const std::string no_data =
      "The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel "
      "binding data.";
  const std::vector<row> rows = {
      {"SCRAM-SHA-256-PLUS", "n,,n=,r=abc", {"08P01", malformed, no_data, 956, first}},
      {"SCRAM-SHA-256-PLUS", "y,,n=,r=abc", {"08P01", malformed, no_data, 978, first}},
      {"SCRAM-SHA-256",
       "y,,n=,r=abc",
       {"28000", "SCRAM channel binding negotiation error",
        "The client supports SCRAM channel binding but thinks the server does not.  However, "
        "this server does support channel binding.",
        985, first}},
      {"SCRAM-SHA-256-PLUS",
       "p=tls-unique,,n=,r=abc",
       {"08P01", "unsupported SCRAM channel-binding type \"tls-unique\"", "", 1019, first}},
      {"SCRAM-SHA-256-PLUS",
       "p=tls-unique-abcdefghijklmnopqrstuvwxyz\x01,,n=,r=abc",
       {"08P01", "unsupported SCRAM channel-binding type \"tls-unique-abcdefghijklmnopqrs\"", "",
        1019, first}},
      {"SCRAM-SHA-256-PLUS",
       "p=tls-server-end-pointn=,r=abc",
       {"08P01", "unsupported SCRAM channel-binding type \"tls-server-end-pointn=\"", "", 1019,
        first}},
      {"SCRAM-SHA-256-PLUS",
       "px,,n=,r=abc",
       {"08P01", malformed, "Expected character \"=\" for attribute \"p\".", 720,
        "read_attr_value"}},
      {"SCRAM-SHA-256-PLUS",
       "p=tls-server-end-point,b,n=,r=abc",
       {"08P01", malformed, "Unexpected attribute \"'b'\" in client-first-message.", 1040, first}},
      {"SCRAM-SHA-256-PLUS",
       "p=tls-server-end-point,a=x,n=,r=abc",
       {"0A000", "client uses authorization identity, but it is not supported", "", 1036, first}},
      {"SCRAM-SHA-256",
       "p=tls-server-end-point,,n=,r=abc",
       {"08P01", malformed,
        "The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message "
        "includes channel binding data.",
        1007, first}},
  };
  for (const auto& r : rows) {
    INFO(r.mechanism << " " << r.message);
    auto exchange = make_exchange("pencil", end_point);
    check_error(exchange.client_first(r.mechanism, r.message), r.error);
  }
}

TEST_CASE("messages out of order are refused", "[auth][scram]") {
  auto exchange = make_exchange("pencil");
  CHECK(exchange.response("n,,n=,r=abc").result == outcome::protocol_error);
  auto twice = make_exchange("pencil");
  REQUIRE(twice.client_first("SCRAM-SHA-256", "n,,n=,r=abc").result == outcome::continue_exchange);
  const auto again = twice.client_first("SCRAM-SHA-256", "n,,n=,r=abc");
  CHECK(again.result == outcome::protocol_error);
  CHECK(again.error.sqlstate == "XX000");
}
