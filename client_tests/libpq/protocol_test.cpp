// Pre-startup negotiation and protocol violations, byte for byte against
// pg15-behaviors.md §1, §2, §4, §11 and §12 (fauxgres answers as a PG 15 build without
// GSSAPI: 'N' to GSSENCRequest).
#include "test_support.hpp"

using namespace fauxgres_test;

namespace {

// Reads until the server closes; the bytes it sent.
wire::bytes until_close(raw_client& c) {
  return c.read_until_closed(3s);
}

void require_login_completes(raw_client& c, const std::vector<wire::backend_message>& msgs) {
  INFO("received: " << summarize(msgs) << " (peer " << to_string(c.peer_state()) << ")");
  REQUIRE(!msgs.empty());
  CHECK(msgs.front().type == 'R');
  REQUIRE(msgs.back().type == 'Z');
  CHECK(msgs.size() == 16);
}

const auto startup_alice = [] {
  return wire::startup_message({{"user", "alice"}, {"database", "alice"}});
};

}  // namespace

TEST_CASE("SSLRequest with ssl off gets 'N' and the same socket then logs in", "[protocol][ssl]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto client = raw_connect(*server, via);
  client.send(wire::ssl_request());
  const auto reply = client.read_at_least(1, 3s);
  CHECK(wire::to_hex(reply) == "4e");
  REQUIRE(client.peer_state() == raw_client::peer::open);
  client.send(startup_alice());
  require_login_completes(client, client.read_until('Z', 3s));
}

TEST_CASE("GSSENCRequest gets 'N' and the same socket then logs in", "[protocol][gss]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto client = raw_connect(*server, via);
  client.send(wire::gssenc_request());
  CHECK(wire::to_hex(client.read_at_least(1, 3s)) == "4e");
  REQUIRE(client.peer_state() == raw_client::peer::open);
  client.send(startup_alice());
  require_login_completes(client, client.read_until('Z', 3s));
}

TEST_CASE("SSLRequest and StartupMessage in one write: 'N', 08P01 FATAL, FIN", "[protocol][ssl]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto client = raw_connect(*server, via);
  client.send(wire::concat({wire::ssl_request(), startup_alice()}));
  const auto got = until_close(client);
  const auto expected = wire::concat(
      {wire::from_hex("4e"),
       pg_error("FATAL", "08P01", "received unencrypted data after SSL request", "postmaster.c",
                2134, "ProcessStartupPacket",
                "This could be either a client-software bug or evidence of an attempted "
                "man-in-the-middle attack.")});
  INFO("received " << wire::describe_bytes(got));
  CHECK(expected.size() == 213);
  CHECK(wire::to_hex(got) == wire::to_hex(expected));
  CHECK(client.peer_state() == raw_client::peer::fin);
}

TEST_CASE("a second SSLRequest is protocol 1234.5679: 0A000 FATAL, FIN", "[protocol][ssl]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto client = raw_connect(*server, via);
  client.send(wire::ssl_request());
  REQUIRE(wire::to_hex(client.read_at_least(1, 3s)) == "4e");
  client.send(wire::ssl_request());
  const auto got = until_close(client);
  INFO("received " << wire::describe_bytes(got));
  CHECK(wire::to_hex(got) ==
        wire::to_hex(pg_error("FATAL", "0A000",
                              "unsupported frontend protocol 1234.5679: server supports 3.0 to 3.0",
                              "postmaster.c", 2220, "ProcessStartupPacket")));
  CHECK(client.peer_state() == raw_client::peer::fin);
}

TEST_CASE("'N' followed by HTTP garbage: no bytes, FIN", "[protocol][ssl]") {
  auto server = start_server();
  auto client = raw_connect(*server, transport::tcp);
  client.send(wire::ssl_request());
  REQUIRE(wire::to_hex(client.read_at_least(1, 3s)) == "4e");
  client.send(wire::to_bytes("GET / HTTP/1.0\r\n\r\n"));
  const auto got = until_close(client);
  INFO("received " << wire::describe_bytes(got));
  CHECK(got.empty());
  CHECK(client.peer_state() == raw_client::peer::fin);
}

TEST_CASE("protocol 3.1, 3.2 and _pq_ options get NegotiateProtocolVersion first",
          "[protocol][startup]") {
  auto server = start_server();
  struct variant {
    const char* name;
    std::uint32_t protocol;
    std::vector<std::pair<std::string, std::string>> extra;
    const char* expected_v;
  };
  const auto v =
      GENERATE(variant{"3.1", 0x00030001, {}, "760000000c0003000000000000"},
               variant{"3.2 + _pq_.foo,_pq_.bar",
                       0x00030002,
                       {{"_pq_.foo", "1"}, {"_pq_.bar", "2"}},
                       "760000001e0003000000000002 5f70715f2e666f6f00 5f70715f2e62617200"},
               variant{"3.0 + _pq_.foo",
                       0x00030000,
                       {{"_pq_.foo", "1"}},
                       "76000000150003000000000001 5f70715f2e666f6f00"});
  INFO("variant: " << v.name);
  auto client = raw_connect(*server, transport::tcp);
  std::vector<std::pair<std::string, std::string>> params{{"user", "alice"}};
  params.insert(params.end(), v.extra.begin(), v.extra.end());
  client.send(wire::startup_message(params, v.protocol));
  const auto msgs = client.read_until('Z', 3s);
  INFO("received: " << summarize(msgs));
  REQUIRE(msgs.size() == 17);
  CHECK(wire::to_hex(msgs[0].wire()) == wire::to_hex(wire::from_hex(v.expected_v)));
  CHECK(wire::to_hex(msgs[1].wire()) == "520000000800000000");
  CHECK(msgs.back().type == 'Z');
}

TEST_CASE("protocol 2.0 gets the 72-byte V2 error, then FIN", "[protocol][startup]") {
  auto server = start_server();
  auto client = raw_connect(*server, transport::tcp);
  client.send(wire::startup_message({{"user", "alice"}}, 0x00020000));
  const auto got = until_close(client);
  const auto expected = wire::concat(
      {wire::to_bytes("EFATAL:  unsupported frontend protocol 2.0: server supports 3.0 to 3.0\n"),
       wire::bytes{0}});
  INFO("received " << wire::describe_bytes(got));
  CHECK(expected.size() == 72);
  CHECK(wire::to_hex(got) == wire::to_hex(expected));
  CHECK(client.peer_state() == raw_client::peer::fin);
}

TEST_CASE("protocol 4.0 gets the exact 0A000 FATAL, then FIN", "[protocol][startup]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto client = raw_connect(*server, via);
  client.send(wire::startup_message({{"user", "alice"}}, 0x00040000));
  const auto got = until_close(client);
  INFO("received " << wire::describe_bytes(got));
  CHECK(wire::to_hex(got) ==
        "450000008353464154414c0056464154414c00433041303030004d756e737570706f727465642066726f6e74"
        "656e642070726f746f636f6c20342e303a2073657276657220737570706f72747320332e3020746f2033"
        "2e300046706f73746d61737465722e63004c32323230005250726f63657373537461727475705061636b"
        "65740000");
  CHECK(client.peer_state() == raw_client::peer::fin);
}

TEST_CASE("startup length word out of range: no bytes, closed", "[protocol][startup]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));

  SECTION("length 4: FIN") {
    auto client = raw_connect(*server, via);
    client.send(wire::from_hex("00000004"));
    const auto got = until_close(client);
    CHECK(got.empty());
    CHECK(client.peer_state() == raw_client::peer::fin);
  }
  SECTION("length 0x7fffffff: FIN") {
    auto client = raw_connect(*server, via);
    client.send(wire::from_hex("7fffffff"));
    const auto got = until_close(client);
    CHECK(got.empty());
    CHECK(client.peer_state() == raw_client::peer::fin);
  }
  SECTION("length 10005 (one over the limit), body sent: no bytes, RST (body left unread)") {
    auto client = raw_connect(*server, via);
    wire::writer w;
    w.i32(10005).i32(static_cast<std::int32_t>(wire::protocol_3_0)).cstr("user").cstr("alice");
    w.cstr("application_name").cstr(std::string(10005 - 4 - 4 - 11 - 17 - 2, 'x')).u8(0);
    REQUIRE(w.data().size() == 10005);
    client.try_send(w.data());  // the server may close before reading everything
    const auto got = until_close(client);
    CHECK(got.empty());
    CHECK(client.peer_state() != raw_client::peer::open);
    // PG 15 reads at most 8 KB, so the unread rest turns the close into an RST (on TCP).
    if (via == transport::tcp) CHECK(client.peer_state() == raw_client::peer::reset);
  }
}

TEST_CASE("startup without a user gets 28000, then FIN", "[protocol][startup]") {
  auto server = start_server();
  const auto user = GENERATE(as<std::optional<std::string>>{}, std::nullopt, std::string(""));
  INFO("user: " << (user ? "''" : "absent"));
  auto client = raw_connect(*server, transport::tcp);
  std::vector<std::pair<std::string, std::string>> params{{"database", "alice"}};
  if (user) params.emplace_back("user", *user);
  client.send(wire::startup_message(params));
  const auto got = until_close(client);
  INFO("received " << wire::describe_bytes(got));
  CHECK(
      wire::to_hex(got) ==
      wire::to_hex(pg_error("FATAL", "28000", "no PostgreSQL user name specified in startup packet",
                            "postmaster.c", 2349, "ProcessStartupPacket")));
  CHECK(client.peer_state() == raw_client::peer::fin);
}

TEST_CASE("startup packet without the final terminator gets 08P01, then FIN",
          "[protocol][startup]") {
  auto server = start_server();
  auto client = raw_connect(*server, transport::tcp);
  wire::writer body;
  body.i32(static_cast<std::int32_t>(wire::protocol_3_0))
      .cstr("user")
      .cstr("alice");  // no final NUL
  client.send(wire::concat(
      {wire::writer{}.i32(static_cast<std::int32_t>(body.data().size() + 4)).data(), body.data()}));
  const auto got = until_close(client);
  INFO("received " << wire::describe_bytes(got));
  CHECK(wire::to_hex(got) ==
        wire::to_hex(pg_error("FATAL", "08P01",
                              "invalid startup packet layout: expected terminator as last byte",
                              "postmaster.c", 2332, "ProcessStartupPacket")));
  CHECK(client.peer_state() == raw_client::peer::fin);
}

TEST_CASE("unknown message type after login gets 08P01 FATAL, then FIN", "[protocol][violation]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto client = raw_connect(*server, via);
  REQUIRE(client.login("alice", "alice").size() == 16);
  client.send(wire::message('Y', wire::writer{}));
  const auto got = until_close(client);
  INFO("received " << wire::describe_bytes(got));
  CHECK(wire::to_hex(got) ==
        wire::to_hex(pg_error("FATAL", "08P01", "invalid frontend message type 89", "postgres.c",
                              446, "SocketBackend")));
  CHECK(client.peer_state() == raw_client::peer::fin);
}

TEST_CASE("a bad message length after login: no bytes, FIN", "[protocol][violation]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  const auto length = GENERATE(as<const char*>{}, "00000002", "7fffffff");
  INFO("transport: " << to_string(via) << ", length word " << length);
  auto client = raw_connect(*server, via);
  REQUIRE(client.login("alice", "alice").size() == 16);
  client.send(wire::concat({wire::to_bytes("Q"), wire::from_hex(length)}));
  const auto got = until_close(client);
  INFO("received " << wire::describe_bytes(got));
  CHECK(got.empty());
  CHECK(client.peer_state() == raw_client::peer::fin);
}

TEST_CASE("Terminate: no bytes, FIN", "[protocol]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  const bool in_transaction = GENERATE(false, true);
  INFO("transport: " << to_string(via) << ", in transaction: " << in_transaction);
  auto client = raw_connect(*server, via);
  REQUIRE(client.login("alice", "alice").size() == 16);
  if (in_transaction) {
    client.send(wire::query("BEGIN"));
    const auto msgs = client.read_until('Z', 3s);
    INFO("BEGIN: " << summarize(msgs));
    REQUIRE(wire::type_sequence(msgs) == "C Z");
    CHECK(wire::to_hex(msgs.back().wire()) == "5a0000000554");
  }
  client.send(wire::terminate());
  const auto got = until_close(client);
  INFO("received " << wire::describe_bytes(got));
  CHECK(got.empty());
  CHECK(client.peer_state() == raw_client::peer::fin);
}

TEST_CASE("Query without a NUL gets 08P01 ERROR and the session stays open",
          "[protocol][violation]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto client = raw_connect(*server, via);
  REQUIRE(client.login("alice", "alice").size() == 16);
  client.send(wire::message('Q', wire::writer{}.raw(std::string_view("SELECT 1"))));
  const auto got = client.read_until('Z', 3s);
  INFO("received: " << summarize(got));
  REQUIRE(got.size() == 2);
  CHECK(wire::to_hex(got[0].wire()) ==
        wire::to_hex(pg_error("ERROR", "08P01", "invalid string in message", "pqformat.c", 595,
                              "pq_getmsgstring")));
  CHECK(wire::to_hex(got[1].wire()) == "5a0000000549");
  client.send(wire::query("SELECT 1"));
  wire::bytes reply;
  for (const auto& m : client.read_until('Z', 3s)) {
    const auto w = m.wire();
    reply.insert(reply.end(), w.begin(), w.end());
  }
  CHECK(wire::to_hex(reply) == wire::to_hex(select_1_reply()));
}

TEST_CASE("SELECT 1 over the simple protocol, byte for byte", "[protocol][query]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto client = raw_connect(*server, via);
  REQUIRE(client.login("alice", "alice").size() == 16);
  client.send(wire::query("SELECT 1"));
  const auto expected = select_1_reply();
  const auto got = client.read_at_least(expected.size(), 3s);
  INFO("received " << wire::describe_bytes(got));
  CHECK(wire::to_hex(got) == wire::to_hex(expected));
}

TEST_CASE("CopyData and CopyDone outside COPY are ignored", "[protocol][violation]") {
  auto server = start_server();
  auto client = raw_connect(*server, transport::tcp);
  REQUIRE(client.login("alice", "alice").size() == 16);
  client.send(wire::concat({wire::message('d', wire::writer{}.raw(std::string_view("xyz"))),
                            wire::message('c', wire::writer{}), wire::query("SELECT 1")}));
  const auto expected = select_1_reply();
  const auto got = client.read_at_least(expected.size(), 3s);
  INFO("received " << wire::describe_bytes(got));
  CHECK(wire::to_hex(got) == wire::to_hex(expected));
}
