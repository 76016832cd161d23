// Backend messages against the bytes a real PostgreSQL 15.20 sent (pg15-behaviors.md and
// captures of the same server).
#include <array>
#include <catch2/catch.hpp>
#include <vector>

#include "protocol/backend.hpp"
#include "tests/hex.hpp"

using namespace fauxgres::protocol;
using fauxgres::test::hex;
using fauxgres::test::unhex;

namespace {
// A string literal with its embedded NULs (and without the implicit final one).
template <std::size_t N>
std::string bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

template <typename F>
std::string written(F&& write) {
  std::string out;
  backend_writer w(out);
  write(w);
  return out;
}
}  // namespace

// pg15-behaviors.md calls this message 102 bytes with length word 0x65, but its own hex
// is 86 bytes; a 15.20 with max_connections=2 sent exactly these 86 bytes (length 0x55).
TEST_CASE("ErrorResponse: the too-many-clients FATAL", "[backend]") {
  const auto out = written([](backend_writer& w) { w.error_response(errors::too_many_clients()); });
  CHECK(out.size() == 86);
  CHECK(hex(out) ==
        "450000005553464154414c0056464154414c00433533333030004d736f7272792c20746f6f206d616e792063"
        "6c69656e747320616c7265616479004670726f632e63004c3335370052496e697450726f636573730000");
}

TEST_CASE("ErrorResponse: session-ending FATALs", "[backend]") {
  CHECK(hex(written([](backend_writer& w) { w.error_response(errors::idle_session_timeout()); })) ==
        "450000007353464154414c0056464154414c00433537503035004d7465726d696e6174696e6720636f6e6e65"
        "6374696f6e2064756520746f2069646c652d73657373696f6e2074696d656f75740046706f7374677265732e"
        "63004c33333734005250726f63657373496e74657272757074730000");
  CHECK(hex(written([](backend_writer& w) { w.error_response(errors::admin_terminate()); })) ==
        "450000007453464154414c0056464154414c00433537503031004d7465726d696e6174696e6720636f6e6e65"
        "6374696f6e2064756520746f2061646d696e6973747261746f7220636f6d6d616e640046706f737467726573"
        "2e63004c33323131005250726f63657373496e74657272757074730000");
  CHECK(hex(written(
            [](backend_writer& w) { w.error_response(errors::password_failed("u_pass")); })) ==
        "450000006653464154414c0056464154414c00433238503031004d70617373776f72642061757468656e7469"
        "636174696f6e206661696c656420666f7220757365722022755f70617373220046617574682e63004c333334"
        "0052617574685f6661696c65640000");
  CHECK(hex(written(
            [](backend_writer& w) { w.error_response(errors::unsupported_protocol(4, 0)); })) ==
        "450000008353464154414c0056464154414c00433041303030004d756e737570706f727465642066726f6e74"
        "656e642070726f746f636f6c20342e303a2073657276657220737570706f72747320332e3020746f20332e30"
        "0046706f73746d61737465722e63004c32323230005250726f63657373537461727475705061636b65740000");
}

TEST_CASE("ErrorResponse: cancel ERROR", "[backend]") {
  CHECK(hex(written([](backend_writer& w) { w.error_response(errors::cancel_user_request()); })) ==
        "4500000068534552524f5200564552524f5200433537303134004d63616e63656c696e672073746174656d65"
        "6e742064756520746f207573657220726571756573740046706f7374677265732e63004c3333343900525072"
        "6f63657373496e74657272757074730000");
}

TEST_CASE("NoticeResponse: immediate-shutdown WARNING", "[backend]") {
  CHECK(hex(written(
            [](backend_writer& w) { w.notice_response(errors::immediate_shutdown_warning()); })) ==
        "4e00000074535741524e494e4700565741524e494e4700433537503031004d7465726d696e6174696e672063"
        "6f6e6e656374696f6e2064756520746f20696d6d6564696174652073687574646f776e20636f6d6d616e6400"
        "46706f7374677265732e63004c323930370052717569636b6469650000");
}

TEST_CASE("ErrorResponse field order S V C M D H P W F L R, optional fields omitted", "[backend]") {
  error_fields e;
  e.severity = "ERROR";
  e.sqlstate = "XX000";
  e.message = "m";
  e.detail = "d";
  e.hint = "h";
  e.position = 7;
  e.where = "w";
  e.file = "f.c";
  e.line = 12;
  e.routine = "r";
  const auto all = written([&](backend_writer& w) { w.error_response(e); });
  CHECK(all.substr(5) == bytes("SERROR\0VERROR\0CXX000\0Mm\0Dd\0Hh\0P7\0Ww\0Ff.c\0L12\0Rr\0\0"));
  e.file.clear();  // no F, so no L and R either
  e.detail.clear();
  e.position = 0;
  const auto bare = written([&](backend_writer& w) { w.error_response(e); });
  CHECK(bare.substr(5) == bytes("SERROR\0VERROR\0CXX000\0Mm\0Hh\0Ww\0\0"));
  CHECK(hex(bare.substr(0, 5)) == "4500000023");
}

TEST_CASE("protocol-2 error for a 2.0 startup is 72 bytes", "[backend]") {
  const auto out = written([](backend_writer& w) {
    w.v2_error("FATAL:  unsupported frontend protocol 2.0: server supports 3.0 to 3.0");
  });
  CHECK(out.size() == 72);
  CHECK(hex(out) ==
        "45464154414c3a2020756e737570706f727465642066726f6e74656e642070726f746f636f6c20322e303a20"
        "73657276657220737570706f72747320332e3020746f20332e300a00");
}

TEST_CASE("encryption responses are single bytes", "[backend]") {
  CHECK(written([](backend_writer& w) { w.encryption_response('N'); }) == "N");
  CHECK(written([](backend_writer& w) { w.encryption_response('S'); }) == "S");
}

TEST_CASE("NegotiateProtocolVersion examples", "[backend]") {
  const std::vector<std::string> none;
  CHECK(hex(written([&](backend_writer& w) { w.negotiate_protocol_version(0x30000, none); })) ==
        "760000000c0003000000000000");
  const std::vector<std::string> two{"_pq_.foo", "_pq_.bar"};
  CHECK(hex(written([&](backend_writer& w) { w.negotiate_protocol_version(0x30000, two); })) ==
        "760000001e00030000000000025f70715f2e666f6f005f70715f2e62617200");
  const std::vector<std::string> one{"_pq_.foo"};
  CHECK(hex(written([&](backend_writer& w) { w.negotiate_protocol_version(0x30000, one); })) ==
        "760000001500030000000000015f70715f2e666f6f00");
}

TEST_CASE("SELECT 1: T D C Z", "[backend]") {
  const std::array<field_description, 1> fields{{{"?column?", 0, 0, 23, 4, -1, 0}}};
  const std::array<std::optional<std::string>, 1> row{std::string("1")};
  const auto out = written([&](backend_writer& w) {
    w.row_description(fields);
    w.data_row(row);
    w.command_complete("SELECT 1");
    w.ready_for_query('I');
  });
  CHECK(out == unhex("54000000210001 3f636f6c756d6e3f00 00000000 0000 00000017 0004 ffffffff 0000"
                     "44 0000000b 0001 00000001 31"
                     "43 0000000d 53454c4543542031 00"
                     "5a 00000005 49"));
}

TEST_CASE("CommandComplete with a row count is the tag, a space and the count", "[backend]") {
  CHECK(written([](backend_writer& w) { w.command_complete("SELECT", 1); }) ==
        written([](backend_writer& w) { w.command_complete("SELECT 1"); }));
  CHECK(written([](backend_writer& w) { w.command_complete("SELECT", 18446744073709551615u); }) ==
        bytes("C\0\0\0\x20SELECT 18446744073709551615\0"));
}

TEST_CASE("an encoded message is appended as it is", "[backend]") {
  std::string cached;
  backend_writer(cached).no_data();
  CHECK(written([&](backend_writer& w) {
          w.bind_complete();
          w.encoded(cached);
        }) == bytes("2\0\0\0\x04n\0\0\0\x04"));
}

TEST_CASE("RowDescription and DataRow with text column and NULL", "[backend]") {
  // SELECT 1 AS a, 'x'::text, NULL AS n on 15.20.
  const std::array<field_description, 3> fields{
      {{"a", 0, 0, 23, 4, -1, 0}, {"text", 0, 0, 25, -1, -1, 0}, {"n", 0, 0, 25, -1, -1, 0}}};
  const std::array<std::optional<std::string>, 3> row{std::string("1"), std::string("x"),
                                                      std::nullopt};
  const auto out = written([&](backend_writer& w) {
    w.row_description(fields);
    w.data_row(row);
  });
  CHECK(hex(out) ==
        "540000004500036100000000000000000000170004ffffffff00007465787400000000000000000000"
        "19ffffffffffff00006e0000000000000000000019ffffffffffff0000"
        "4400000014000300000001310000000178ffffffff");
}

TEST_CASE("startup reply: R(0), 13 ParameterStatus, K, Z in 410 bytes", "[backend]") {
  const std::array<std::pair<std::string_view, std::string_view>, 13> params{{
      {"application_name", ""},
      {"client_encoding", "UTF8"},
      {"DateStyle", "ISO, MDY"},
      {"default_transaction_read_only", "off"},
      {"in_hot_standby", "off"},
      {"integer_datetimes", "on"},
      {"IntervalStyle", "postgres"},
      {"is_superuser", "on"},
      {"server_encoding", "UTF8"},
      {"server_version", "15.20 (Debian 15.20-0+deb12u1)"},
      {"session_authorization", "postgres"},
      {"standard_conforming_strings", "on"},
      {"TimeZone", "Etc/UTC"},
  }};
  const auto out = written([&](backend_writer& w) {
    w.authentication_ok();
    for (const auto& [name, value] : params) w.parameter_status(name, value);
    w.backend_key_data(0x62f0, static_cast<std::int32_t>(0xdd51d605));
    w.ready_for_query('I');
  });
  CHECK(out.size() == 410);
  CHECK(hex(out) ==
        "52000000080000000053000000166170706c69636174696f6e5f6e616d6500005300000019636c69656e745f"
        "656e636f64696e670055544638005300000017446174655374796c650049534f2c204d445900530000002664"
        "656661756c745f7472616e73616374696f6e5f726561645f6f6e6c79006f6666005300000017696e5f686f74"
        "5f7374616e646279006f6666005300000019696e74656765725f6461746574696d6573006f6e00530000001b"
        "496e74657276616c5374796c6500706f73746772657300530000001469735f737570657275736572006f6e00"
        "53000000197365727665725f656e636f64696e6700555446380053000000327365727665725f76657273696f"
        "6e0031352e3230202844656269616e2031352e32302d302b646562313275312900530000002373657373696f"
        "6e5f617574686f72697a6174696f6e00706f7374677265730053000000237374616e646172645f636f6e666f"
        "726d696e675f737472696e6773006f6e00530000001554696d655a6f6e65004574632f555443004b0000000c"
        "000062f0dd51d6055a0000000549");
}

TEST_CASE("authentication requests", "[backend]") {
  CHECK(hex(written([](backend_writer& w) { w.authentication_cleartext_password(); })) ==
        "520000000800000003");
  const std::array<std::uint8_t, 4> salt{0x01, 0x02, 0xfe, 0xff};
  CHECK(hex(written([&](backend_writer& w) { w.authentication_md5_password(salt); })) ==
        "520000000c000000050102feff");
  const std::array<std::string_view, 1> scram{"SCRAM-SHA-256"};
  CHECK(hex(written([&](backend_writer& w) { w.authentication_sasl(scram); })) ==
        "52000000170000000a534352414d2d5348412d3235360000");
  const std::array<std::string_view, 2> both{"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"};
  const auto plus = written([&](backend_writer& w) { w.authentication_sasl(both); });
  CHECK(hex(plus.substr(0, 9)) == "520000002a0000000a");
  CHECK(plus.size() == 43);
  CHECK(written([](backend_writer& w) { w.authentication_sasl_continue("r=abc,s=xyz,i=4096"); }) ==
        unhex("52 0000001a 0000000b") + "r=abc,s=xyz,i=4096");
  CHECK(written([](backend_writer& w) { w.authentication_sasl_final("v=sig"); }) ==
        unhex("52 0000000d 0000000c") + "v=sig");
}

TEST_CASE("extended-protocol acknowledgements", "[backend]") {
  CHECK(hex(written([](backend_writer& w) { w.parse_complete(); })) == "3100000004");
  CHECK(hex(written([](backend_writer& w) { w.bind_complete(); })) == "3200000004");
  CHECK(hex(written([](backend_writer& w) { w.close_complete(); })) == "3300000004");
  CHECK(hex(written([](backend_writer& w) { w.no_data(); })) == "6e00000004");
  CHECK(hex(written([](backend_writer& w) { w.portal_suspended(); })) == "7300000004");
  CHECK(hex(written([](backend_writer& w) { w.empty_query_response(); })) == "4900000004");
  const std::array<std::uint32_t, 1> oids{23};
  CHECK(hex(written([&](backend_writer& w) { w.parameter_description(oids); })) ==
        "740000000a000100000017");
  CHECK(hex(written([](backend_writer& w) { w.parameter_description({}); })) == "74000000060000");
}

TEST_CASE("NotificationResponse and BackendKeyData", "[backend]") {
  // LISTEN ch; NOTIFY ch, 'hi' on 15.20, backend pid 0x62f0.
  CHECK(hex(written([](backend_writer& w) { w.notification_response(0x62f0, "ch", "hi"); })) ==
        "410000000e000062f0636800686900");
  CHECK(hex(written([](backend_writer& w) { w.backend_key_data(0x43e9, 0x7ca17464); })) ==
        "4b0000000c000043e97ca17464");
}

TEST_CASE("a batch appends to the caller's buffer", "[backend]") {
  std::string out = "x";
  backend_writer w(out);
  w.command_complete("BEGIN");
  w.ready_for_query('T');
  CHECK(out == "x" + unhex("43 0000000a 424547494e00 5a 00000005 54"));
}
