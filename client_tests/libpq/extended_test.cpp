// The extended query protocol on a raw socket, byte for byte against pg15-behaviors.md §10:
// named statements, Describe, Flush, row limits with PortalSuspended, Close, and how an
// error skips everything up to the Sync.
#include "test_support.hpp"

using namespace fauxgres_test;

namespace {

wire::bytes wire_of(const std::vector<wire::backend_message>& msgs) {
  wire::bytes out;
  for (const auto& m : msgs) {
    const auto w = m.wire();
    out.insert(out.end(), w.begin(), w.end());
  }
  return out;
}

std::vector<wire::backend_message> read_n(raw_client& c, std::size_t n) {
  std::vector<wire::backend_message> out;
  while (out.size() < n) {
    auto m = c.read_message(3s);
    if (!m) break;
    out.push_back(std::move(*m));
  }
  return out;
}

wire::bytes text(std::string_view s) {
  return wire::to_bytes(s);
}

wire::bytes data_row(std::string_view v) {
  wire::writer w;
  w.i16(1).i32(static_cast<std::int32_t>(v.size())).raw(v);
  return wire::message('D', w);
}
wire::bytes command_complete(std::string_view tag) {
  return wire::message('C', wire::writer{}.cstr(tag));
}
wire::bytes ready(char status) {
  return wire::message('Z', wire::writer{}.u8(static_cast<std::uint8_t>(status)));
}

const auto parse_complete = wire::from_hex("31 00000004");
const auto bind_complete = wire::from_hex("32 00000004");
const auto close_complete = wire::from_hex("33 00000004");
const auto no_data = wire::from_hex("6e 00000004");
const auto portal_suspended = wire::from_hex("73 00000004");
const auto int4_column_row_description =
    wire::from_hex("54 00000021 0001 3f636f6c756d6e3f00 00000000 0000 00000017 0004 ffffffff 0000");

raw_client logged_in(const server_process& s, transport via) {
  auto c = raw_connect(s, via);
  const auto msgs = c.login("alice", "alice");
  INFO("login: " << summarize(msgs));
  REQUIRE(msgs.size() == 16);
  return c;
}

}  // namespace

TEST_CASE("named statement: Parse, Describe S, Bind, Describe P, Execute, Sync",
          "[extended][raw]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto c = logged_in(*server, via);
  c.send(wire::concat({wire::parse("s1", "SELECT $1::int4 + 1"), wire::describe('S', "s1"),
                       wire::bind("p1", "s1", {}, {text("41")}, {}), wire::describe('P', "p1"),
                       wire::execute("p1", 0), wire::sync()}));
  const auto msgs = c.read_until('Z', 3s);
  INFO("received: " << summarize(msgs));
  CHECK(wire::type_sequence(msgs) == "1 t T 2 T D C Z");
  CHECK(wire::to_hex(wire_of(msgs)) ==
        wire::to_hex(
            wire::concat({parse_complete, wire::from_hex("74 0000000a 0001 00000017"),
                          int4_column_row_description, bind_complete, int4_column_row_description,
                          data_row("42"), command_complete("SELECT 1"), ready('I')})));
}

TEST_CASE("binary parameter and binary result", "[extended][raw]") {
  auto server = start_server();
  auto c = logged_in(*server, transport::tcp);
  c.send(wire::concat({wire::parse("", "SELECT $1::int4 + 1"),
                       wire::bind("", "", {1}, {wire::from_hex("00000029")}, {1}),
                       wire::execute("", 0), wire::sync()}));
  const auto msgs = c.read_until('Z', 3s);
  INFO("received: " << summarize(msgs));
  CHECK(wire::to_hex(wire_of(msgs)) ==
        wire::to_hex(wire::concat({parse_complete, bind_complete,
                                   wire::from_hex("44 0000000e 0001 00000004 0000002a"),
                                   command_complete("SELECT 1"), ready('I')})));
}

TEST_CASE("Describe S of SELECT 1 and the same batch without Describe", "[extended][raw]") {
  auto server = start_server();
  auto c = logged_in(*server, transport::tcp);

  SECTION("P D(S) S: 1 t(0) T Z") {
    c.send(wire::concat({wire::parse("", "SELECT 1"), wire::describe('S', ""), wire::sync()}));
    const auto msgs = c.read_until('Z', 3s);
    INFO("received: " << summarize(msgs));
    CHECK(wire::to_hex(wire_of(msgs)) ==
          wire::to_hex(wire::concat({parse_complete, wire::from_hex("74 00000006 0000"),
                                     int4_column_row_description, ready('I')})));
  }
  SECTION("P B E S: 1 2 D C Z, no RowDescription") {
    c.send(wire::concat({wire::parse("", "SELECT 1"), wire::bind("", "", {}, {}, {}),
                         wire::execute("", 0), wire::sync()}));
    const auto msgs = c.read_until('Z', 3s);
    INFO("received: " << summarize(msgs));
    CHECK(wire::to_hex(wire_of(msgs)) ==
          wire::to_hex(wire::concat({parse_complete, bind_complete, data_row("1"),
                                     command_complete("SELECT 1"), ready('I')})));
  }
  SECTION("a statement without rows: NoData") {
    c.send(wire::concat({wire::parse("", "SET work_mem = 1024"), wire::describe('S', ""),
                         wire::bind("", "", {}, {}, {}), wire::describe('P', ""),
                         wire::execute("", 0), wire::sync()}));
    const auto msgs = c.read_until('Z', 3s);
    INFO("received: " << summarize(msgs));
    CHECK(
        wire::to_hex(wire_of(msgs)) ==
        wire::to_hex(wire::concat({parse_complete, wire::from_hex("74 00000006 0000"), no_data,
                                   bind_complete, no_data, command_complete("SET"), ready('I')})));
  }
  SECTION("an empty query: 1 2 n I Z") {
    c.send(wire::concat({wire::parse("", ""), wire::bind("", "", {}, {}, {}),
                         wire::describe('P', ""), wire::execute("", 0), wire::sync()}));
    const auto msgs = c.read_until('Z', 3s);
    INFO("received: " << summarize(msgs));
    CHECK(wire::to_hex(wire_of(msgs)) ==
          wire::to_hex(wire::concat({parse_complete, bind_complete, no_data,
                                     wire::from_hex("49 00000004"), ready('I')})));
  }
}

TEST_CASE("Flush returns ParseComplete without a Sync and nothing comes without one",
          "[extended][raw]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto c = logged_in(*server, via);

  c.send(wire::parse("", "SELECT 1"));
  // A negative check needs a bounded wait: nothing may arrive before a Flush or Sync.
  const auto early = c.read_for(200ms);
  INFO("before Flush: " << wire::describe_bytes(early));
  CHECK(early.empty());

  c.send(wire::flush());
  auto msgs = read_n(c, 1);
  CHECK(wire::to_hex(wire_of(msgs)) == wire::to_hex(parse_complete));

  c.send(wire::concat({wire::bind("", "", {}, {}, {}), wire::execute("", 0), wire::flush()}));
  msgs = read_n(c, 3);
  INFO("after B E H: " << summarize(msgs));
  CHECK(wire::to_hex(wire_of(msgs)) ==
        wire::to_hex(wire::concat({bind_complete, data_row("1"), command_complete("SELECT 1")})));
  CHECK(c.read_for(100ms).empty());

  c.send(wire::sync());
  msgs = read_n(c, 1);
  CHECK(wire::to_hex(wire_of(msgs)) == wire::to_hex(ready('I')));
}

TEST_CASE("Execute with max_rows=2 suspends the portal and Sync destroys it", "[extended][raw]") {
  temp_file fixtures(generate_series_fixture(5));
  auto server = start_server({"--fixtures", fixtures.path});
  auto c = logged_in(*server, transport::tcp);

  c.send(wire::concat({wire::parse("", "SELECT generate_series(1,5)"),
                       wire::bind("pp", "", {}, {}, {}), wire::execute("pp", 2), wire::flush()}));
  auto msgs = read_n(c, 5);
  INFO("first Execute: " << summarize(msgs));
  CHECK(wire::to_hex(wire_of(msgs)) ==
        wire::to_hex(wire::concat(
            {parse_complete, bind_complete, data_row("1"), data_row("2"), portal_suspended})));

  c.send(wire::concat({wire::execute("pp", 2), wire::flush()}));
  msgs = read_n(c, 3);
  INFO("second Execute: " << summarize(msgs));
  CHECK(wire::to_hex(wire_of(msgs)) ==
        wire::to_hex(wire::concat({data_row("3"), data_row("4"), portal_suspended})));

  c.send(wire::concat({wire::execute("pp", 2), wire::flush()}));
  msgs = read_n(c, 2);
  INFO("third Execute: " << summarize(msgs));
  CHECK(wire::to_hex(wire_of(msgs)) ==
        wire::to_hex(wire::concat({data_row("5"), command_complete("SELECT 1")})));

  c.send(wire::concat({wire::execute("pp", 2), wire::sync()}));
  msgs = c.read_until('Z', 3s);
  INFO("fourth Execute: " << summarize(msgs));
  CHECK(wire::to_hex(wire_of(msgs)) ==
        wire::to_hex(wire::concat({command_complete("SELECT 0"), ready('I')})));

  c.send(wire::concat({wire::execute("pp", 2), wire::sync()}));
  msgs = c.read_until('Z', 3s);
  INFO("after Sync: " << summarize(msgs));
  REQUIRE(wire::type_sequence(msgs) == "E Z");
  CHECK(wire::field(msgs[0], 'C') == "34000");
  CHECK(wire::field(msgs[0], 'M') == "portal \"pp\" does not exist");
}

TEST_CASE("an ErrorResponse is sent at once, without waiting for Flush or Sync",
          "[extended][raw]") {
  auto server = start_server();
  auto c = logged_in(*server, transport::tcp);
  c.send(wire::concat(
      {wire::parse("", "SELEC 1"), wire::bind("", "", {}, {}, {}), wire::execute("", 0)}));
  auto m = c.read_message(2s);
  REQUIRE(m);
  INFO("received: " << summarize({*m}));
  CHECK(m->type == 'E');
  CHECK(wire::field(*m, 'C') == "42601");
  // Everything up to the Sync is skipped; the Sync then gives Z.
  CHECK(c.read_for(100ms).empty());
  c.send(wire::sync());
  const auto msgs = c.read_until('Z', 3s);
  CHECK(wire::to_hex(wire_of(msgs)) == wire::to_hex(ready('I')));
}

TEST_CASE("Close of a nonexistent statement or portal is CloseComplete", "[extended][raw]") {
  auto server = start_server();
  auto c = logged_in(*server, transport::tcp);
  c.send(wire::concat({wire::close('S', "nosuch"), wire::close('P', "nosuch"), wire::sync()}));
  const auto msgs = c.read_until('Z', 3s);
  INFO("received: " << summarize(msgs));
  CHECK(wire::to_hex(wire_of(msgs)) ==
        wire::to_hex(wire::concat({close_complete, close_complete, ready('I')})));
}

TEST_CASE("an error in a pipelined batch skips to the Sync", "[extended][raw]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto c = logged_in(*server, via);
  c.send(wire::concat({wire::parse("a", "SELECT 1"), wire::bind("", "a", {}, {}, {}),
                       wire::execute("", 0), wire::parse("b", "SELECT 1/0"),
                       wire::bind("", "b", {}, {}, {}), wire::execute("", 0),
                       wire::parse("c", "SELECT 3"), wire::bind("", "c", {}, {}, {}),
                       wire::execute("", 0), wire::sync()}));
  auto msgs = c.read_until('Z', 3s);
  INFO("received: " << summarize(msgs));
  REQUIRE(wire::type_sequence(msgs) == "1 2 D C 1 E Z");
  CHECK(wire::field(msgs[5], 'S') == "ERROR");
  CHECK(wire::field(msgs[5], 'C') == "22012");
  CHECK(wire::field(msgs[5], 'M') == "division by zero");
  CHECK(wire::to_hex(msgs[6].wire()) == "5a0000000549");

  // Statement b was parsed; c never was.
  c.send(wire::concat({wire::describe('S', "b"), wire::sync()}));
  msgs = c.read_until('Z', 3s);
  INFO("Describe b: " << summarize(msgs));
  CHECK(wire::type_sequence(msgs) == "t T Z");
  c.send(wire::concat({wire::bind("", "c", {}, {}, {}), wire::execute("", 0), wire::sync()}));
  msgs = c.read_until('Z', 3s);
  INFO("Bind c: " << summarize(msgs));
  REQUIRE(wire::type_sequence(msgs) == "E Z");
  CHECK(wire::field(msgs[0], 'C') == "26000");
  CHECK(wire::field(msgs[0], 'M') == "prepared statement \"c\" does not exist");
}

TEST_CASE("extended-protocol errors: parse error, parameter count, unknown portal",
          "[extended][raw]") {
  auto server = start_server();
  auto c = logged_in(*server, transport::tcp);

  SECTION("parse error skips Bind and Execute") {
    c.send(wire::concat({wire::parse("", "SELEC 1"), wire::bind("", "", {}, {}, {}),
                         wire::execute("", 0), wire::sync()}));
    const auto msgs = c.read_until('Z', 3s);
    INFO("received: " << summarize(msgs));
    REQUIRE(wire::type_sequence(msgs) == "E Z");
    CHECK(wire::field(msgs[0], 'C') == "42601");
    CHECK(wire::field(msgs[0], 'M') == "syntax error at or near \"SELEC\"");
    CHECK(wire::field(msgs[0], 'P') == "1");
  }
  SECTION("wrong parameter count") {
    c.send(wire::concat({wire::parse("", "SELECT $1::int4"), wire::bind("", "", {}, {}, {}),
                         wire::execute("", 0), wire::sync()}));
    const auto msgs = c.read_until('Z', 3s);
    INFO("received: " << summarize(msgs));
    REQUIRE(wire::type_sequence(msgs) == "1 E Z");
    CHECK(wire::field(msgs[1], 'C') == "08P01");
    CHECK(wire::field(msgs[1], 'M') ==
          "bind message supplies 0 parameters, but prepared statement \"\" requires 1");
  }
  SECTION("unknown portal") {
    c.send(wire::concat({wire::execute("nosuchportal", 0), wire::sync()}));
    const auto msgs = c.read_until('Z', 3s);
    INFO("received: " << summarize(msgs));
    REQUIRE(wire::type_sequence(msgs) == "E Z");
    CHECK(wire::field(msgs[0], 'C') == "34000");
    CHECK(wire::field(msgs[0], 'M') == "portal \"nosuchportal\" does not exist");
  }
  SECTION("duplicate statement name") {
    c.send(
        wire::concat({wire::parse("a", "SELECT 1"), wire::parse("a", "SELECT 2"), wire::sync()}));
    const auto msgs = c.read_until('Z', 3s);
    INFO("received: " << summarize(msgs));
    REQUIRE(wire::type_sequence(msgs) == "1 E Z");
    CHECK(wire::field(msgs[1], 'C') == "42P05");
    CHECK(wire::field(msgs[1], 'M') == "prepared statement \"a\" already exists");
  }
}

TEST_CASE("extended protocol inside a failed transaction", "[extended][raw][transaction]") {
  auto server = start_server();
  auto c = logged_in(*server, transport::tcp);
  c.send(wire::query("BEGIN"));
  REQUIRE(wire::type_sequence(c.read_until('Z', 3s)) == "C Z");

  c.send(wire::concat({wire::parse("", "SELECT 1/0"), wire::bind("", "", {}, {}, {}),
                       wire::execute("", 0), wire::sync()}));
  auto msgs = c.read_until('Z', 3s);
  INFO("1/0: " << summarize(msgs));
  CHECK(wire::type_sequence(msgs) == "1 E Z");
  CHECK(wire::to_hex(msgs.back().wire()) == "5a0000000545");

  c.send(wire::concat({wire::parse("", "SELECT 1"), wire::sync()}));
  msgs = c.read_until('Z', 3s);
  INFO("next Parse: " << summarize(msgs));
  REQUIRE(wire::type_sequence(msgs) == "E Z");
  CHECK(wire::field(msgs[0], 'C') == "25P02");
  CHECK(wire::field(msgs[0], 'R') == "exec_parse_message");
  CHECK(wire::to_hex(msgs.back().wire()) == "5a0000000545");

  c.send(wire::sync());
  msgs = c.read_until('Z', 3s);
  CHECK(wire::to_hex(wire_of(msgs)) == "5a0000000545");

  c.send(wire::query("ROLLBACK"));
  msgs = c.read_until('Z', 3s);
  CHECK(wire::to_hex(wire_of(msgs)) ==
        wire::to_hex(wire::concat({command_complete("ROLLBACK"), ready('I')})));
}

TEST_CASE("a Query inside an unfinished extended batch implies a Sync", "[extended][raw]") {
  auto server = start_server();
  auto c = logged_in(*server, transport::tcp);
  c.send(wire::concat({wire::parse("", "SELECT 1"), wire::bind("", "", {}, {}, {}),
                       wire::execute("", 0), wire::query("SELECT 1"), wire::sync()}));
  const auto msgs = read_n(c, 9);
  INFO("received: " << summarize(msgs));
  CHECK(wire::type_sequence(msgs) == "1 2 D C T D C Z Z");
}
