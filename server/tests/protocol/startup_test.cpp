// Startup-phase framing and decoding, with the outcomes a real PostgreSQL 15.20 gave for
// the same packets.
#include <catch2/catch.hpp>
#include <vector>

#include "protocol/backend.hpp"
#include "protocol/frontend.hpp"
#include "tests/hex.hpp"

using namespace fauxgres::protocol;
using fauxgres::test::hex;
using fauxgres::test::unhex;

namespace {

std::string be32(std::uint32_t v) {
  return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
}

// Length word + protocol + body as given (body must carry its own terminators).
std::string packet(std::uint32_t code, std::string_view body) {
  return be32(static_cast<std::uint32_t>(8 + body.size())) + be32(code) + std::string(body);
}

std::string params(std::initializer_list<std::pair<std::string_view, std::string_view>> kv) {
  std::string body;
  for (const auto& [k, v] : kv) {
    body += k;
    body.push_back('\0');
    body += v;
    body.push_back('\0');
  }
  body.push_back('\0');
  return body;
}

const startup_rejection& rejection(const startup_packet& p) {
  REQUIRE(std::holds_alternative<startup_rejection>(p));
  return std::get<startup_rejection>(p);
}

void require_fatal(const startup_packet& p, std::string_view sqlstate, std::string_view message) {
  const auto& r = rejection(p);
  CHECK(r.what == startup_rejection::action::fatal);
  CHECK(r.error.sqlstate == sqlstate);
  CHECK(r.error.message == message);
}

}  // namespace

TEST_CASE("startup framing: every prefix needs more, then complete", "[startup]") {
  const std::string p = packet(protocol_3_0, params({{"user", "u"}, {"database", "d"}}));
  for (std::size_t n = 0; n < p.size(); ++n) {
    INFO("prefix " << n);
    CHECK(frame_startup_packet(std::string_view(p).substr(0, n)).state ==
          startup_frame::status::need_more);
  }
  const auto f = frame_startup_packet(p + "extra");
  CHECK(f.state == startup_frame::status::complete);
  CHECK(f.length == p.size());
}

TEST_CASE("startup framing: hostile length words close silently", "[startup]") {
  for (std::uint32_t len : {0u, 4u, 7u, 10005u, 0x7fffffffu, 0x80000000u, 0xffffffffu}) {
    INFO("length " << len);
    // Judged from the length word alone, before any body byte arrives.
    CHECK(frame_startup_packet(be32(len)).state == startup_frame::status::bad_length);
  }
  // 'N' then HTTP: "GET " read as a length.
  CHECK(frame_startup_packet("GET / HTTP/1.0\r\n\r\n").state == startup_frame::status::bad_length);
  const auto largest = frame_startup_packet(be32(10004));
  CHECK(largest.state == startup_frame::status::need_more);
  const std::string full = be32(10004) + std::string(10000, 'x');
  CHECK(frame_startup_packet(full).state == startup_frame::status::complete);
  CHECK(frame_startup_packet(be32(8)).state == startup_frame::status::need_more);
}

TEST_CASE("encryption and cancel requests", "[startup]") {
  CHECK(std::holds_alternative<ssl_request>(decode_startup_packet(unhex("00000008 04d2162f"))));
  CHECK(std::holds_alternative<gssenc_request>(decode_startup_packet(unhex("00000008 04d21630"))));
  // 15.20 answers 'N' to a 12-byte SSLRequest (the length is not checked).
  CHECK(std::holds_alternative<ssl_request>(
      decode_startup_packet(unhex("0000000c 04d2162f 00000000"))));
  const auto cancel = decode_startup_packet(unhex("00000010 04d2162e 000043e9 7ca17464"));
  REQUIRE(std::holds_alternative<cancel_request>(cancel));
  CHECK(std::get<cancel_request>(cancel).process_id == 0x43e9);
  CHECK(std::get<cancel_request>(cancel).secret_key == 0x7ca17464);
  for (auto bad : {"0000000c 04d2162e 00000001", "00000014 04d2162e 00000001 00000002 00000003"}) {
    CHECK(rejection(decode_startup_packet(unhex(bad))).what ==
          startup_rejection::action::silent_close);
  }
}

TEST_CASE("a second SSLRequest or GSSENCRequest is protocol 1234.567x", "[startup]") {
  const startup_options done{true, true};
  require_fatal(decode_startup_packet(unhex("00000008 04d2162f"), done), "0A000",
                "unsupported frontend protocol 1234.5679: server supports 3.0 to 3.0");
  require_fatal(decode_startup_packet(unhex("00000008 04d21630"), done), "0A000",
                "unsupported frontend protocol 1234.5680: server supports 3.0 to 3.0");
  // Only SSL done: GSS is still answered.
  CHECK(std::holds_alternative<gssenc_request>(
      decode_startup_packet(unhex("00000008 04d21630"), startup_options{true, false})));
}

TEST_CASE("protocol versions", "[startup]") {
  const std::string body = params({{"user", "postgres"}});
  // 2.0: the protocol-2 error, exactly the 72 bytes 15.20 sends.
  const auto v2 = rejection(decode_startup_packet(packet(0x20000, body)));
  REQUIRE(v2.what == startup_rejection::action::v2_fatal);
  std::string out;
  backend_writer(out).v2_error(v2.error.message);
  CHECK(out.size() == 72);
  CHECK(hex(out) ==
        "45464154414c3a2020756e737570706f727465642066726f6e74656e642070726f746f636f6c20322e303a20"
        "73657276657220737570706f72747320332e3020746f20332e300a00");
  CHECK(rejection(decode_startup_packet(packet(0x10000, body))).what ==
        startup_rejection::action::v2_fatal);
  CHECK(rejection(decode_startup_packet(packet(0x20005, body))).error.message ==
        "FATAL:  unsupported frontend protocol 2.5: server supports 3.0 to 3.0");
  CHECK(rejection(decode_startup_packet(packet(5, body))).what ==
        startup_rejection::action::v2_fatal);  // 0.5
  // 0.0 and majors above 3 get a v3 ErrorResponse.
  require_fatal(decode_startup_packet(packet(0, body)), "0A000",
                "unsupported frontend protocol 0.0: server supports 3.0 to 3.0");
  require_fatal(decode_startup_packet(packet(0x40000, body)), "0A000",
                "unsupported frontend protocol 4.0: server supports 3.0 to 3.0");
  require_fatal(decode_startup_packet(packet(80877105, body)), "0A000",
                "unsupported frontend protocol 1234.5681: server supports 3.0 to 3.0");
  require_fatal(decode_startup_packet(packet(0xffffffff, body)), "0A000",
                "unsupported frontend protocol 65535.65535: server supports 3.0 to 3.0");
  // 3.x is accepted; the session negotiates down.
  const auto v31 = decode_startup_packet(packet(0x30001, body));
  REQUIRE(std::holds_alternative<startup_message>(v31));
  CHECK(std::get<startup_message>(v31).protocol_version == 0x30001);
}

TEST_CASE("StartupMessage parameters in packet order", "[startup]") {
  const auto p = decode_startup_packet(packet(protocol_3_0, params({{"user", "app"},
                                                                    {"database", "db"},
                                                                    {"_pq_.foo", "x"},
                                                                    {"client_encoding", "'utf-8'"},
                                                                    {"application_name", ""}})));
  REQUIRE(std::holds_alternative<startup_message>(p));
  const auto& m = std::get<startup_message>(p);
  CHECK(m.protocol_version == protocol_3_0);
  REQUIRE(m.parameters.size() == 5);
  CHECK(m.parameters[0] == std::pair<std::string, std::string>{"user", "app"});
  CHECK(m.parameters[2].first == "_pq_.foo");
  CHECK(m.parameters[3].second == "'utf-8'");
  CHECK(m.parameters[4].second.empty());
}

TEST_CASE("StartupMessage layout and user errors", "[startup]") {
  const std::string layout = "invalid startup packet layout: expected terminator as last byte";
  require_fatal(decode_startup_packet(packet(protocol_3_0, "")), "08P01", layout);
  require_fatal(decode_startup_packet(packet(protocol_3_0, std::string("user\0", 5) + '\0')),
                "08P01", layout);  // a key without a value
  require_fatal(decode_startup_packet(packet(protocol_3_0, std::string("user\0postgres\0", 14))),
                "08P01", layout);  // no final NUL
  require_fatal(
      decode_startup_packet(packet(protocol_3_0, std::string("user\0postgres\0\0ab", 17))), "08P01",
      layout);  // bytes after the terminator
  require_fatal(decode_startup_packet(packet(protocol_3_0, std::string(1, '\0'))), "28000",
                "no PostgreSQL user name specified in startup packet");
  require_fatal(decode_startup_packet(packet(protocol_3_0, params({{"database", "postgres"}}))),
                "28000", "no PostgreSQL user name specified in startup packet");
  require_fatal(decode_startup_packet(packet(protocol_3_0, params({{"user", ""}}))), "28000",
                "no PostgreSQL user name specified in startup packet");
}

TEST_CASE("replication values as PG's parse_bool plus database", "[startup]") {
  for (auto ok : {"true", "tr", "TRUE", "of", "off", "on", "yes", "Y", "1", "0", "n", "database"}) {
    INFO(ok);
    CHECK(std::holds_alternative<startup_message>(
        decode_startup_packet(packet(protocol_3_0, params({{"user", "u"}, {"replication", ok}})))));
  }
  for (auto bad : {"bogus", "o", "Database", "2", "", "truex", "onn"}) {
    INFO(bad);
    const auto decoded =
        decode_startup_packet(packet(protocol_3_0, params({{"user", "u"}, {"replication", bad}})));
    const auto& r = rejection(decoded);
    CHECK(r.error.sqlstate == "22023");
    CHECK(r.error.message ==
          "invalid value for parameter \"replication\": \"" + std::string(bad) + "\"");
    CHECK(r.error.hint == "Valid values are: \"false\", 0, \"true\", 1, \"database\".");
  }
  // Checked as soon as the pair is read, before a later layout error (as 15.20 did).
  require_fatal(
      decode_startup_packet(packet(protocol_3_0, std::string("replication\0bogus\0user\0", 23))),
      "22023", "invalid value for parameter \"replication\": \"bogus\"");
}

TEST_CASE("decode tolerates truncated packets", "[startup]") {
  for (std::string_view p : {std::string_view(""), std::string_view("\0\0\0\x08", 4)}) {
    CHECK(rejection(decode_startup_packet(p)).what == startup_rejection::action::silent_close);
  }
}
