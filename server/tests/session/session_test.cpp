// Session state machine: startup, authentication, simple and extended query flows, waits,
// cancel, and closes — driven with raw protocol bytes, no sockets.
#include <catch2/catch.hpp>

#include "auth/md5.hpp"
#include "tests/session/harness.hpp"

using namespace fauxgres;
using namespace fauxgres::test;
using kind = session::action::kind;

using harness = session_harness;

namespace {

// Feeds `exchange` three times: with statement logging on, so the handlers answer it, then
// twice without, so the last at least is answered from the exchange kept. Checks all three
// answers are the same bytes, and returns them.
std::string answered_alike(harness& h, const std::string& exchange) {
  const auto before = h.sent.size();
  h.context.log_statements = true;
  h.feed(exchange);
  const auto analysed = h.sent.substr(before);
  h.context.log_statements = false;
  h.feed(exchange);
  h.feed(exchange);
  CHECK(h.sent.substr(before + analysed.size()) == analysed + analysed);
  return analysed;
}

}  // namespace

TEST_CASE("trust login sends R0, 13 ParameterStatus in PG order, K and Z(I)") {
  harness h;
  auto out = h.login();
  REQUIRE(types_of(out) == "RSSSSSSSSSSSSSKZ");
  CHECK(get32(out[0].body) == 0);
  std::vector<std::string> names;
  for (std::size_t i = 1; i <= 13; ++i)
    names.push_back(out[i].body.substr(0, out[i].body.find('\0')));
  CHECK(names == std::vector<std::string>{
                     "application_name", "client_encoding", "DateStyle",
                     "default_transaction_read_only", "in_hot_standby", "integer_datetimes",
                     "IntervalStyle", "is_superuser", "server_encoding", "server_version",
                     "session_authorization", "standard_conforming_strings", "TimeZone"});
  CHECK(get32(out[14].body) == 4242);
  CHECK(get32(out[14].body, 4) == 777);
  CHECK(out[15].body == "I");
  CHECK(h.s->current_state() == session::state::ready);
  CHECK(h.s->next_action().what == kind::read);
}

TEST_CASE("startup bytes fed one at a time give the same login") {
  harness h;
  h.open();
  auto packet = startup({{"user", "app"}});
  for (std::size_t i = 0; i + 1 < packet.size(); ++i) {
    h.s->receive(packet.substr(i, 1));
    REQUIRE(h.s->output().empty());
  }
  auto out = h.feed(packet.substr(packet.size() - 1));
  CHECK(types_of(out) == "RSSSSSSSSSSSSSKZ");
}

TEST_CASE("SSLRequest without TLS answers N and the startup goes on on the same bytes") {
  harness h;
  h.open();
  h.s->receive(ssl_request());
  CHECK(std::string(h.s->output()) == "N");
  h.s->output_sent();
  auto out = h.feed(startup({{"user", "app"}}));
  CHECK(types_of(out) == "RSSSSSSSSSSSSSKZ");
}

TEST_CASE("SSLRequest with plaintext behind it: N, 08P01 FATAL, close") {
  harness h;
  h.open();
  h.s->receive(ssl_request() + startup({{"user", "app"}}));
  h.take_pieces();
  REQUIRE(h.pieces.size() == 2);  // PG writes the N at once, the FATAL after it
  CHECK(h.pieces[0] == "N");
  auto messages = split(h.pieces[1]);
  REQUIRE(types_of(messages) == "E");
  CHECK(error_field(messages[0], 'C') == "08P01");
  CHECK(error_field(messages[0], 'M') == "received unencrypted data after SSL request");
  CHECK(h.s->next_action().what == kind::close);
}

TEST_CASE("a second SSLRequest is an unsupported protocol 1234.5679") {
  harness h;
  h.open();
  h.s->receive(ssl_request());
  h.s->output_sent();
  auto out = h.feed(ssl_request());
  REQUIRE(types_of(out) == "E");
  CHECK(error_field(out[0], 'M') ==
        "unsupported frontend protocol 1234.5679: server supports 3.0 to 3.0");
  CHECK(h.s->next_action().what == kind::close);
}

TEST_CASE("protocol 3.1 gets NegotiateProtocolVersion first") {
  harness h;
  h.open();
  auto out = h.feed(startup({{"user", "app"}, {"_pq_.foo", "1"}}, 196609));
  REQUIRE(out.size() > 2);
  CHECK(out[0].type == 'v');
  CHECK(get32(out[0].body) == 196608);
  CHECK(get32(out[0].body, 4) == 1);
  CHECK(out[1].type == 'R');
}

TEST_CASE("cancel request: no bytes, close, and an event naming pid and key") {
  harness h;
  h.open();
  std::string cancel;
  put32(cancel, 16);
  put32(cancel, 80877102);
  put32(cancel, 4242);
  put32(cancel, 777);
  h.s->receive(cancel);
  CHECK(h.s->output().empty());
  CHECK(h.s->next_action().what == kind::close);
  auto events = h.s->take_events();
  REQUIRE(!events.empty());
  CHECK(events[0].what == session::event::kind::cancel_request);
  CHECK(events[0].cancel_pid == 4242);
  CHECK(events[0].cancel_key == 777);
}

TEST_CASE("password and md5 authentication check the password") {
  harness h;
  h.config.users.push_back({"app", "p@ss:w/rd%#", auth::method::password, false});
  h.config.users.push_back({"m", "secret", auth::method::md5, false});

  SECTION("cleartext right and wrong") {
    auto out = h.login("app");
    REQUIRE(types_of(out) == "R");
    CHECK(get32(out[0].body) == 3);
    CHECK(h.s->current_state() == session::state::authenticating);
    bool right = GENERATE(true, false);
    out = h.feed(password(right ? "p@ss:w/rd%#" : "p@ss"));
    if (right) {
      CHECK(types_of(out) == "RSSSSSSSSSSSSSKZ");
    } else {
      REQUIRE(types_of(out) == "E");
      CHECK(error_field(out[0], 'C') == "28P01");
      CHECK(error_field(out[0], 'M') == "password authentication failed for user \"app\"");
      CHECK(h.s->next_action().what == kind::close);
    }
  }
  SECTION("md5 with the salt sent") {
    auto out = h.login("m");
    REQUIRE(types_of(out) == "R");
    REQUIRE(get32(out[0].body) == 5);
    std::array<std::uint8_t, 4> salt{};
    std::copy(out[0].body.begin() + 4, out[0].body.begin() + 8, salt.begin());
    out = h.feed(password(auth::md5_expected_response("m", "secret", salt)));
    CHECK(types_of(out) == "RSSSSSSSSSSSSSKZ");
  }
  SECTION("empty password") {
    h.login("app");
    auto out = h.feed(password(""));
    REQUIRE(types_of(out) == "E");
    CHECK(error_field(out[0], 'M') == "empty password returned by client");
  }
  SECTION("a query instead of a password is a protocol violation") {
    h.login("app");
    auto out = h.feed(query("SELECT 1"));
    REQUIRE(types_of(out) == "E");
    CHECK(error_field(out[0], 'C') == "08P01");
    CHECK(error_field(out[0], 'M') == "expected password response, got message type 81");
  }
}

TEST_CASE("unknown users: trust says the role does not exist after R0") {
  harness h;
  h.config.users.push_back({"app", "pw", std::nullopt, false});
  h.config.auth = auth::method::trust;
  auto out = h.login("ghost");
  REQUIRE(types_of(out) == "RE");
  CHECK(error_field(out[1], 'C') == "28000");
  CHECK(error_field(out[1], 'M') == "role \"ghost\" does not exist");
}

TEST_CASE("unknown users under SCRAM get the SASL request like known ones") {
  harness h;
  h.config.users.push_back({"app", "pw", auth::method::scram_sha_256, false});
  auto out = h.login("ghost");
  REQUIRE(types_of(out) == "R");
  CHECK(get32(out[0].body) == 10);
  CHECK(out[0].body.substr(4, 14) == std::string("SCRAM-SHA-256\0", 14));
}

TEST_CASE("configured databases: others get 3D000 after R0") {
  harness h;
  h.config.databases = {"app"};
  auto out = h.login();
  REQUIRE(types_of(out) == "RE");
  CHECK(error_field(out[1], 'C') == "3D000");
  CHECK(error_field(out[1], 'M') == "database \"db\" does not exist");
}

TEST_CASE("simple query and transaction status") {
  harness h;
  h.login();
  auto out = h.feed(query("SELECT 1"));
  REQUIRE(types_of(out) == "TDCZ");
  CHECK(out[2].body == std::string("SELECT 1\0", 9));
  CHECK(out[3].body == "I");

  out = h.feed(query("BEGIN"));
  REQUIRE(types_of(out) == "CZ");
  CHECK(out[1].body == "T");
  out = h.feed(query("SELECT 1/0"));
  REQUIRE(types_of(out) == "EZ");
  CHECK(error_field(out[0], 'C') == "22012");
  CHECK(out[1].body == "E");
  out = h.feed(query("SELECT 1"));
  REQUIRE(types_of(out) == "EZ");
  CHECK(error_field(out[0], 'C') == "25P02");
  out = h.feed(query("ROLLBACK"));
  REQUIRE(types_of(out) == "CZ");
  CHECK(out[1].body == "I");
}

TEST_CASE("multi-statement strings: one result each, one Z, an error stops the rest") {
  harness h;
  h.login();
  CHECK(types_of(h.feed(query("SELECT 1; SELECT 2"))) == "TDCTDCZ");
  CHECK(types_of(h.feed(query("SELECT 1; SELECT 1/0; SELECT 3"))) == "TDCEZ");
  CHECK(types_of(h.feed(query(";"))) == "IZ");
}

TEST_CASE("SET of a reported parameter sends ParameterStatus before Z") {
  harness h;
  h.login();
  auto out = h.feed(query("SET application_name = 'app2'"));
  REQUIRE(types_of(out) == "CSZ");
  CHECK(out[1].body == std::string("application_name\0app2\0", 22));
}

TEST_CASE("a repeated SELECT 1 is answered alike, but never past fixtures, rules or errors") {
  harness plain;
  plain.login();
  CHECK(types_of(split(answered_alike(plain, query("SELECT 1")))) == "TDCZ");
  plain.feed(query("BEGIN"));
  CHECK(plain.feed(query("SELECT 1")).back().body == "T");
  plain.feed(query("SELECT 1/0"));
  auto refused = plain.feed(query("SELECT 1"));
  REQUIRE(types_of(refused) == "EZ");
  CHECK(error_field(refused[0], 'C') == "25P02");

  // Another server on the same thread, whose fixtures script the same text.
  harness scripted;
  scripted.fixtures = responder::fixtures::load_yaml_text(
      "queries:\n  - match: \"SELECT 1\"\n    columns: [{name: n, type: text}]\n"
      "    rows: [[scripted]]\n",
      "test");
  scripted.login();
  auto out = scripted.feed(query("SELECT 1"));
  REQUIRE(types_of(out) == "TDCZ");
  CHECK(out[1].body.ends_with("scripted"));

  // And one whose rules act on it.
  harness failing({"query_error:pattern=^SELECT 1$,sqlstate=40001"});
  failing.login();
  out = failing.feed(query("SELECT 1"));
  REQUIRE(types_of(out) == "EZ");
  CHECK(error_field(out[0], 'C') == "40001");
}

TEST_CASE("a repeated Bind/Execute/Sync of a prepared SELECT 1 is answered alike, and only so") {
  // What pgbench -M prepared and pools send for a prepared ping, once the statement exists.
  const auto exchange = bind("", "s1") + describe('P', "") + execute("") + sync_message();
  harness first;
  first.login();
  first.feed(parse("s1", "SELECT 1") + sync_message());
  const auto analysed = answered_alike(first, exchange);
  REQUIRE(types_of(split(analysed)) == "2TDCZ");

  // Other sessions on the same thread send the same bytes; each has its own s1, or none.
  harness second;
  second.login();
  SECTION("its s1 is the same statement: the same answer") {
    second.feed(parse("s1", "SELECT 1") + sync_message());
    second.feed(query("BEGIN"));
    second.feed(query("COMMIT"));
    const auto at = second.sent.size();
    second.feed(exchange);
    CHECK(second.sent.substr(at) == analysed);
  }
  SECTION("its s1 is another statement: its own answer") {
    second.feed(parse("s1", "SELECT 2") + sync_message());
    auto out = second.feed(exchange);
    REQUIRE(types_of(out) == "2TDCZ");
    CHECK(out[2].body.substr(6) == "2");
  }
  SECTION("it has no s1: 26000, as the handlers say") {
    auto out = second.feed(exchange);
    REQUIRE(types_of(out) == "EZ");
    CHECK(error_field(out[0], 'M') == "prepared statement \"s1\" does not exist");
  }
  SECTION("in a transaction block: Z says T") {
    second.feed(parse("s1", "SELECT 1") + sync_message());
    second.feed(query("BEGIN"));
    auto out = second.feed(exchange);
    REQUIRE(types_of(out) == "2TDCZ");
    CHECK(out.back().body == "T");
    out = second.feed(execute("") + sync_message());  // the portal lives on in the block
    REQUIRE(types_of(out) == "CZ");
    CHECK(out[0].body == std::string("SELECT 0\0", 9));
  }
  SECTION("in a failed transaction: 25P02 at Bind") {
    second.feed(parse("s1", "SELECT 1") + sync_message());
    second.feed(query("BEGIN"));
    second.feed(query("SELECT 1/0"));
    auto out = second.feed(exchange);
    REQUIRE(types_of(out) == "EZ");
    CHECK(error_field(out[0], 'C') == "25P02");
  }
  SECTION("after an error in the same pipeline: skipped to the Sync") {
    second.feed(parse("s1", "SELECT 1") + sync_message());
    auto out = second.feed(execute("nope") + exchange);
    REQUIRE(types_of(out) == "EZ");
    CHECK(error_field(out[0], 'C') == "34000");
  }
  SECTION("rules that watch statements or messages still see each one") {
    harness failing({"query_error:pattern=^SELECT 1$,sqlstate=40001"});
    failing.login();
    failing.feed(parse("s1", "SELECT 1") + sync_message());
    auto out = failing.feed(exchange);
    REQUIRE(types_of(out) == "2TEZ");
    CHECK(error_field(out[2], 'C') == "40001");

    // Rules that come later (the control API) count what was answered from the kept one:
    // login 1 message, Parse and Sync 2, three exchanges of 4 each.
    second.feed(parse("s1", "SELECT 1") + sync_message());
    for (int i = 0; i < 3; ++i) REQUIRE(types_of(second.feed(exchange)) == "2TDCZ");
    faults::engine by_messages({faults::parse_rule("reset_after:messages=17")}, 1);
    second.context.faults = &by_messages;
    CHECK(types_of(second.feed(exchange)) == "2");  // Bind is message 16, Describe 17
    CHECK(second.s->next_action().what == kind::reset);
  }
  SECTION("the statements they count") {
    second.feed(parse("s1", "SELECT 1") + sync_message());
    for (int i = 0; i < 3; ++i) REQUIRE(types_of(second.feed(exchange)) == "2TDCZ");
    faults::engine by_statements({faults::parse_rule("reset_after:statements=5")}, 1);
    second.context.faults = &by_statements;
    CHECK(types_of(second.feed(exchange)) == "2TDCZ");  // the 4th
    CHECK(types_of(second.feed(exchange)) == "2T");     // the 5th is not answered
    CHECK(second.s->next_action().what == kind::reset);
  }
}

TEST_CASE("a repeated Parse/Bind/Execute/Sync of an unnamed SELECT 1 is answered alike") {
  // What pgbench -M extended and drivers without prepared statements send.
  const auto exchange =
      parse("", "SELECT 1") + bind("", "") + describe('P', "") + execute("") + sync_message();
  harness first;
  first.login();
  const auto analysed = answered_alike(first, exchange);
  REQUIRE(types_of(split(analysed)) == "12TDCZ");

  harness second;
  second.login();
  second.feed(parse("", "SELECT 2") + sync_message());
  const auto at = second.sent.size();
  second.feed(exchange);
  CHECK(second.sent.substr(at) == analysed);
  // The kept exchange defined the unnamed statement, as its Parse would have.
  auto out = second.feed(describe('S', "") + bind("", "") + execute("") + sync_message());
  REQUIRE(types_of(out) == "tT2DCZ");
  CHECK(out[3].body.substr(6) == "1");

  // Not past an error in the same pipeline.
  out = second.feed(execute("nope") + exchange);
  REQUIRE(types_of(out) == "EZ");
  CHECK(error_field(out[0], 'C') == "34000");
}

TEST_CASE("extended protocol: named statement flow as in PG") {
  harness h;
  h.login();
  auto out =
      h.feed(parse("s1", "SELECT $1::int4 + 1") + describe('S', "s1") + bind("p1", "s1", {"41"}) +
             describe('P', "p1") + execute("p1") + sync_message());
  REQUIRE(types_of(out) == "1tT2TDCZ");
  CHECK(get32(out[1].body.substr(2)) == 23);
  CHECK(out[5].body.substr(6) == "42");
}

TEST_CASE("extended protocol: Describe of a statement and of text and binary portals") {
  harness h;
  h.login();
  auto out = h.feed(parse("s1", "SELECT 1 AS a, 2 AS b") + describe('S', "s1") + bind("t", "s1") +
                    describe('P', "t") + bind("b", "s1", {}, {}, {1}) + describe('P', "b") +
                    sync_message());
  REQUIRE(types_of(out) == "1tT2T2TZ");
  // The statement's RowDescription (encoded once, at Parse) is the text portal's.
  const std::string text = out[2].body;
  CHECK(out[4].body == text);
  // Each field: name "a"/"b" and NUL, then 18 bytes ending in the format code.
  const std::string binary = out[6].body;
  REQUIRE(binary.size() == text.size());
  CHECK(text.substr(20, 2) == std::string("\0\0", 2));
  CHECK(text.substr(40, 2) == std::string("\0\0", 2));
  CHECK(binary.substr(20, 2) == std::string("\0\1", 2));
  CHECK(binary.substr(40, 2) == std::string("\0\1", 2));
  CHECK(binary.substr(0, 20) == text.substr(0, 20));
  CHECK(binary.substr(22, 18) == text.substr(22, 18));
}

TEST_CASE("a piece the socket took only in part: its rest goes first, then the next") {
  harness h;
  h.login();
  h.s->receive(query("SELECT 1/0"));  // an error goes at once, ReadyForQuery after it
  const std::string first(h.s->output());
  REQUIRE(types_of(split(first)) == "E");
  const auto before = h.s->bytes_sent();
  h.s->output_sent(3);
  CHECK(std::string(h.s->output()) == first.substr(3));
  CHECK(h.s->bytes_sent() == before + 3);
  h.s->output_sent(first.size() - 3);
  CHECK(types_of(split(std::string(h.s->output()))) == "Z");
  h.s->output_sent();
  CHECK(h.s->output().empty());
  CHECK(h.s->bytes_sent() == before + first.size() + 6);
}

TEST_CASE("extended protocol: nothing is sent before Flush or Sync") {
  harness h;
  h.login();
  h.s->receive(parse("", "SELECT 1"));
  CHECK(h.s->output().empty());
  auto out = h.feed(flush_message());
  CHECK(types_of(out) == "1");
  out = h.feed(bind("", "") + execute("") + flush_message());
  CHECK(types_of(out) == "2DC");
  CHECK(types_of(h.feed(sync_message())) == "Z");
}

TEST_CASE("extended protocol: binary parameters and results") {
  harness h;
  h.login();
  std::string forty_one;
  put32(forty_one, 41);
  auto out = h.feed(parse("", "SELECT $1::int4 + 1") + bind("", "", {forty_one}, {1}, {1}) +
                    execute("") + sync_message());
  REQUIRE(types_of(out) == "12DCZ");
  CHECK(get32(out[2].body, 6) == 42);
}

TEST_CASE("extended protocol: row limits suspend the portal") {
  harness h;
  h.login();
  auto out = h.feed(parse("", "SELECT 1") + bind("", "") + execute("", 1) + execute("", 1) +
                    sync_message());
  CHECK(types_of(out) == "12DsCZ");
  CHECK(out[4].body == std::string("SELECT 0\0", 9));
}

TEST_CASE("extended protocol: a prepared SELECT <integer> answers alike at every Bind") {
  // Its answer is computed once, at Parse: every portal must still get all of it.
  harness h;
  h.login();
  REQUIRE(types_of(h.feed(parse("s", "SELECT 7") + sync_message())) == "1Z");
  for (int round = 0; round < 2; ++round) {
    auto out = h.feed(bind("a", "s") + execute("a", 1) + execute("a", 1) + sync_message());
    REQUIRE(types_of(out) == "2DsCZ");
    CHECK(out[1].body.substr(6) == "7");
    CHECK(out[3].body == std::string("SELECT 0\0", 9));
    out = h.feed(bind("", "s", {}, {}, {1}) + execute("") + sync_message());
    REQUIRE(types_of(out) == "2DCZ");
    CHECK(get32(out[1].body, 6) == 7);
    CHECK(out[2].body == std::string("SELECT 1\0", 9));
  }
}

TEST_CASE("extended protocol: an error skips to Sync") {
  harness h;
  h.login();
  auto out = h.feed(parse("a", "SELECT 1") + bind("", "a") + execute("") +
                    parse("b", "SELECT 1/0") + bind("", "b") + execute("") +
                    parse("c", "SELECT 2") + bind("", "c") + execute("") + sync_message());
  auto types = types_of(out);
  CHECK(types.substr(0, 4) == "12DC");
  CHECK(types.back() == 'Z');
  CHECK(types.find('E') != std::string::npos);
  out = h.feed(bind("", "c") + sync_message());
  REQUIRE(types_of(out) == "EZ");
  CHECK(error_field(out[0], 'C') == "26000");
}

TEST_CASE("extended protocol: unknown names and duplicate statements") {
  harness h;
  h.login();
  auto out = h.feed(bind("", "nosuch") + sync_message());
  CHECK(error_field(out[0], 'M') == "prepared statement \"nosuch\" does not exist");
  out = h.feed(execute("nosuchportal") + sync_message());
  CHECK(error_field(out[0], 'C') == "34000");
  h.feed(parse("a", "SELECT 1") + sync_message());
  out = h.feed(parse("a", "SELECT 1") + sync_message());
  CHECK(error_field(out[0], 'C') == "42P05");
  out = h.feed(parse("", "SELECT $1::int") + bind("", "") + sync_message());
  REQUIRE(types_of(out) == "1EZ");
  CHECK(error_field(out[1], 'M') ==
        "bind message supplies 0 parameters, but prepared statement \"\" requires 1");
}

TEST_CASE("extended protocol: a statement's portal outlives it; a second Execute as in PG") {
  // What PG 15 answers to Parse, Bind, Execute, Execute, Sync: the portal runs its own
  // statement whole; statements that end the transaction drop it (34000 next), other
  // commands leave it done (55000 next), queries send nothing more.
  struct expected {
    const char* sql;
    const char* types;
    const char* second;  // SQLSTATE of the second Execute, or its CommandComplete tag
  };
  const auto e = GENERATE(values<expected>({{"DISCARD ALL", "12CEZ", "34000"},
                                            {"COMMIT", "12NCEZ", "34000"},
                                            {"ROLLBACK", "12NCEZ", "34000"},
                                            {"CLOSE ALL", "12CEZ", "55000"},
                                            {"DEALLOCATE ALL", "12CEZ", "55000"},
                                            {"SET search_path = x", "12CEZ", "55000"},
                                            {"SELECT 1", "12DCCZ", "SELECT 0"},
                                            {"SHOW TimeZone", "12DCCZ", "SHOW"}}));
  const std::string portal = GENERATE("", "p1");  // (fauxgres::test::bind, not std::bind)
  INFO(e.sql << " in portal \"" << portal << "\"");
  harness h;
  h.login();
  auto out = h.feed(parse("", e.sql) + test::bind(portal, "") + execute(portal) + execute(portal) +
                    sync_message());
  REQUIRE(types_of(out) == e.types);
  const auto& second = out[out.size() - 2];
  if (second.type == 'E') {
    CHECK(error_field(second, 'C') == e.second);
    CHECK(error_field(second, 'M') ==
          "portal \"" + portal + "\" " +
              (std::string(e.second) == "34000" ? "does not exist" : "cannot be run"));
  } else {
    CHECK(second.body == cstr(e.second));
  }
  CHECK(h.s->transaction_status() == 'I');
  out = h.feed(query("SELECT 1"));  // and the session goes on
  CHECK(types_of(out) == "TDCZ");
}

TEST_CASE("extended protocol: COMMIT closes the transaction's other portals at once") {
  harness h;
  h.login();
  h.feed(query("BEGIN"));
  auto out = h.feed(parse("q", "SELECT 1") + bind("open", "q") + parse("c", "COMMIT") +
                    bind("", "c") + execute("") + execute("open") + sync_message());
  REQUIRE(types_of(out) == "1212CEZ");
  CHECK(error_field(out[5], 'M') == "portal \"open\" does not exist");
  CHECK(out.back().body == "I");
}

TEST_CASE("bind parameters that are not valid UTF-8 get 22021 naming the portal") {
  harness h;
  h.login();
  // Text parameters are checked before the type's input (a NUL byte is invalid too); so
  // are binary ones whose binary form is text.
  struct bad {
    std::string value;
    std::int16_t format;
    std::int32_t type;
    const char* bytes;
  };
  const auto b = GENERATE(values<bad>({{std::string("1\0"
                                                    "2",
                                                    3),
                                        0, 23, "0x00"},
                                       {"a\xff"
                                        "b",
                                        0, 25, "0xff"},
                                       {std::string("a\0b", 3), 1, 25, "0x00"},
                                       {"\xe2\x82", 1, 1043, "0xe2 0x82"}}));
  const std::string portal = GENERATE("", "p1");  // (fauxgres::test::bind, not std::bind)
  auto out =
      h.feed(parse("", "SELECT $1", {b.type}) + test::bind(portal, "", {b.value}, {b.format}) +
             execute(portal) + sync_message());
  REQUIRE(types_of(out) == "1EZ");
  CHECK(error_field(out[1], 'C') == "22021");
  CHECK(error_field(out[1], 'M') ==
        std::string("invalid byte sequence for encoding \"UTF8\": ") + b.bytes);
  CHECK(error_field(out[1], 'W') ==
        (portal.empty() ? std::string("unnamed portal") : "portal \"p1\"") + " parameter $1");
  CHECK(error_field(out[1], 'R') == "report_invalid_encoding_int");
}

TEST_CASE("an empty query in a failed transaction: Parse and Execute pass, Bind refuses") {
  harness h;
  h.login();
  h.feed(query("BEGIN"));
  h.feed(query("SELECT 1/0"));
  auto out = h.feed(query(""));
  CHECK(types_of(out) == "IZ");
  out = h.feed(parse("", "") + bind("", "") + sync_message());
  REQUIRE(types_of(out) == "1EZ");
  CHECK(error_field(out[1], 'C') == "25P02");
  CHECK(error_field(out[1], 'L') == "1691");
  CHECK(out.back().body == "E");
}

TEST_CASE("savepoint commands outside a block: 25P01 from CheckTransactionBlock") {
  harness h;
  h.login();
  const std::string sql = GENERATE("SAVEPOINT s", "RELEASE SAVEPOINT s", "ROLLBACK TO SAVEPOINT s");
  auto out = h.feed(query(sql));
  REQUIRE(types_of(out) == "EZ");
  CHECK(error_field(out[0], 'C') == "25P01");
  CHECK(error_field(out[0], 'M') ==
        sql.substr(0, sql.size() - 2) + " can only be used in transaction blocks");
  CHECK(error_field(out[0], 'F') == "xact.c");
  CHECK(error_field(out[0], 'R') == "CheckTransactionBlock");
}

TEST_CASE("a utility statement runs at Execute, after BindComplete, as in PG") {
  harness h;
  h.login();
  SECTION("its error comes after BindComplete") {
    auto out = h.feed(parse("", "SAVEPOINT s") + bind("", "") + execute("") + sync_message());
    REQUIRE(types_of(out) == "12EZ");
    CHECK(error_field(out[2], 'C') == "25P01");
  }
  SECTION("bound but never executed, it does nothing") {
    auto out = h.feed(parse("", "SET application_name = 'zz'") + bind("", "") + sync_message());
    CHECK(types_of(out) == "12Z");  // no ParameterStatus: the SET never ran
    out = h.feed(query("SHOW application_name"));
    REQUIRE(types_of(out) == "TDCZ");
    CHECK(out[1].body == std::string("\0\1\0\0\0\0", 6));
  }
  SECTION("it sees what ran between its Bind and its Execute") {
    h.feed(query("BEGIN"));
    auto out = h.feed(parse("show", "SHOW work_mem") + parse("set", "SET work_mem = '8MB'") +
                      bind("p1", "show") + bind("p2", "set") + execute("p2") + execute("p1") +
                      sync_message());
    REQUIRE(types_of(out) == "1122CDCZ");
    CHECK(out[5].body.substr(6) == "8MB");
  }
}

TEST_CASE("savepoint, cursor and prepared statement names that do not exist, as PG says") {
  harness h;
  h.login();
  h.feed(query("BEGIN"));
  auto out = h.feed(query("RELEASE SAVEPOINT nope"));
  REQUIRE(types_of(out) == "EZ");
  CHECK(error_field(out[0], 'C') == "3B001");
  CHECK(error_field(out[0], 'M') == "savepoint \"nope\" does not exist");
  CHECK(error_field(out[0], 'L') == "4320");  // PG 15.20; 15.18 says 4317
  CHECK(error_field(out[0], 'R') == "ReleaseSavepoint");
  h.feed(query("ROLLBACK"));
  h.feed(query("BEGIN"));
  out = h.feed(query("ROLLBACK TO SAVEPOINT nope"));
  REQUIRE(types_of(out) == "EZ");
  CHECK(error_field(out[0], 'L') == "4431");  // 15.18: 4428
  CHECK(error_field(out[0], 'R') == "RollbackToSavepoint");
  h.feed(query("ROLLBACK"));

  out = h.feed(query("CLOSE nope"));
  REQUIRE(types_of(out) == "EZ");
  CHECK(error_field(out[0], 'C') == "34000");
  CHECK(error_field(out[0], 'M') == "cursor \"nope\" does not exist");
  CHECK(error_field(out[0], 'F') == "portalcmds.c");
  CHECK(error_field(out[0], 'R') == "PerformPortalClose");

  out = h.feed(query("DEALLOCATE nope"));
  REQUIRE(types_of(out) == "EZ");
  CHECK(error_field(out[0], 'C') == "26000");
  CHECK(error_field(out[0], 'M') == "prepared statement \"nope\" does not exist");
  CHECK(error_field(out[0], 'R') == "FetchPreparedStatement");
  out = h.feed(parse("", "DEALLOCATE nope") + bind("", "") + execute("") + sync_message());
  REQUIRE(types_of(out) == "12EZ");
  CHECK(error_field(out[2], 'C') == "26000");
  // One the session has goes, as before.
  h.feed(parse("s1", "SELECT 1") + sync_message());
  CHECK(types_of(h.feed(query("DEALLOCATE s1"))) == "CZ");
  out = h.feed(bind("", "s1") + sync_message());
  REQUIRE(types_of(out) == "EZ");
  CHECK(error_field(out[0], 'C') == "26000");
}

// Compared with PostgreSQL 15.18 statement by statement (psql), and through psycopg2's
// and psycopg 3's server-side cursors.
TEST_CASE("DECLARE, FETCH, MOVE and CLOSE work on portals as in PG") {
  harness h;
  h.fixtures = responder::fixtures::load_yaml_text(R"yaml(
- match: SELECT n FROM five
  columns: [{name: n, type: int4}]
  rows: [[1], [2], [3], [4], [5]]
)yaml",
                                                   "inline");
  h.login();
  auto cells = [](const std::vector<backend_message>& out) {
    std::string s;
    for (const auto& m : out) {
      if (m.type == 'D') s += m.body.substr(6) + ",";
    }
    return s;
  };
  auto out = h.feed(query("DECLARE c CURSOR FOR SELECT n FROM five"));
  REQUIRE(types_of(out) == "EZ");
  CHECK(error_field(out[0], 'C') == "25P01");
  CHECK(error_field(out[0], 'M') == "DECLARE CURSOR can only be used in transaction blocks");

  h.feed(query("BEGIN"));
  out = h.feed(query("DECLARE c CURSOR FOR SELECT n FROM five; FETCH 2 FROM c; MOVE 1 IN c"));
  REQUIRE(types_of(out) == "CTDDCCZ");
  CHECK(cells(out) == "1,2,");
  CHECK(out[4].body == std::string("FETCH 2\0", 8));
  CHECK(out[5].body == std::string("MOVE 1\0", 7));
  out = h.feed(query("FETCH PRIOR FROM c"));
  CHECK(cells(out) == "2,");
  out = h.feed(query("DECLARE c CURSOR FOR SELECT 1"));
  CHECK(error_field(out[0], 'C') == "42P03");
  h.feed(query("ROLLBACK"));
  h.feed(query("BEGIN"));
  out = h.feed(query("DECLARE d CURSOR FOR SELECT nope()"));
  CHECK(error_field(out[0], 'P') == "29");  // counted in the DECLARE, as PG does
  h.feed(query("ROLLBACK"));
  out = h.feed(query("FETCH c"));  // the transaction took it
  CHECK(error_field(out[0], 'C') == "34000");
  CHECK(error_field(out[0], 'R') == "PerformPortalFetch");

  SECTION("WITH HOLD outlives its commit, not its rollback") {
    out = h.feed(query("DECLARE h CURSOR WITH HOLD FOR SELECT n FROM five"));
    REQUIRE(types_of(out) == "CZ");
    CHECK(cells(h.feed(query("FETCH 2 h"))) == "1,2,");
    h.feed(query("BEGIN"));
    h.feed(query("DECLARE w CURSOR WITH HOLD FOR SELECT n FROM five"));
    h.feed(query("ROLLBACK"));
    CHECK(error_field(h.feed(query("FETCH w"))[0], 'C') == "34000");
    CHECK(cells(h.feed(query("FETCH h"))) == "3,");
    CHECK(types_of(h.feed(query("CLOSE h"))) == "CZ");
    CHECK(error_field(h.feed(query("CLOSE h"))[0], 'C') == "34000");
    // An implicit transaction that fails takes the cursors it declared; one committed first
    // (COMMIT in the query string) keeps them.
    h.feed(query("DECLARE f CURSOR WITH HOLD FOR SELECT n FROM five; SELECT 1/0"));
    CHECK(error_field(h.feed(query("FETCH f"))[0], 'C') == "34000");
    h.feed(parse("", "DECLARE g CURSOR WITH HOLD FOR SELECT n FROM five") + bind("", "") +
           execute("") + parse("", "SELECT 1/0") + bind("", "") + sync_message());
    CHECK(error_field(h.feed(query("FETCH g"))[0], 'C') == "34000");
    h.feed(query("DECLARE k CURSOR WITH HOLD FOR SELECT n FROM five; COMMIT; SELECT 1/0"));
    CHECK(cells(h.feed(query("FETCH k"))) == "1,");
  }
  SECTION("a SELECT without FROM only scans forward, and a failed FETCH ends the cursor") {
    h.feed(query("DECLARE one CURSOR WITH HOLD FOR SELECT 1 AS one"));
    CHECK(cells(h.feed(query("FETCH one"))) == "1,");
    h.feed(query("BEGIN"));
    out = h.feed(query("FETCH PRIOR FROM one"));
    CHECK(error_field(out[0], 'C') == "55000");
    h.feed(query("ROLLBACK"));
    out = h.feed(query("FETCH one"));
    CHECK(error_field(out[0], 'C') == "55000");
    CHECK(error_field(out[0], 'M') == "portal \"one\" cannot be run");
  }
  SECTION("FETCH in the extended protocol: the cursor's columns, in the Bind's formats") {
    h.feed(query("BEGIN"));
    h.feed(query("DECLARE c SCROLL CURSOR FOR SELECT n FROM five"));
    out = h.feed(parse("f", "FETCH 2 FROM c") + describe('S', "f") + bind("", "f", {}, {}, {1}) +
                 describe('P', "") + execute("", 1) + execute("") + sync_message());
    REQUIRE(types_of(out) == "1tT2TDsDCZ");
    CHECK(out[5].body.substr(6) == std::string("\0\0\0\1", 4));  // binary int4 1
    CHECK(out[8].body == std::string("FETCH 2\0", 8));
    out = h.feed(describe('P', "c") + sync_message());  // psycopg 3 describes the cursor
    CHECK(types_of(out) == "TZ");
    // psycopg 3 sends a ServerCursor's parameters with its DECLARE.
    out = h.feed(parse("", "DECLARE p CURSOR FOR SELECT $1::int + 1 AS v") + describe('S', "") +
                 bind("", "", {std::string("41")}) + execute("") + sync_message());
    REQUIRE(types_of(out) == "1tn2CZ");
    CHECK(cells(h.feed(query("FETCH p"))) == "42,");
    out = h.feed(query("CLOSE c"));
    CHECK(types_of(out) == "CZ");
  }
  SECTION("CLOSE and FETCH reach protocol portals too") {
    h.feed(query("BEGIN"));
    h.feed(parse("", "SELECT n FROM five") + bind("p", "") + execute("p", 2) + sync_message());
    CHECK(cells(h.feed(query("FETCH ALL FROM p"))) == "3,4,5,");
    CHECK(error_field(h.feed(query("FETCH PRIOR FROM p"))[0], 'C') == "55000");
    h.feed(query("ROLLBACK"));
    h.feed(query("BEGIN"));
    h.feed(parse("", "SELECT n FROM five") + bind("p", "") + sync_message());
    CHECK(types_of(h.feed(query("CLOSE p"))) == "CZ");
    out = h.feed(execute("p") + sync_message());
    CHECK(error_field(out[0], 'C') == "34000");
    h.feed(query("ROLLBACK"));
    h.feed(query("BEGIN"));
    // A portal whose own statement closes or fetches it: PG refuses, the session lives on.
    out = h.feed(parse("", "CLOSE p") + bind("p", "") + execute("p") + sync_message());
    REQUIRE(types_of(out) == "12EZ");
    CHECK(error_field(out[2], 'C') == "24000");
    CHECK(error_field(out[2], 'M') == "cannot drop active portal \"p\"");
    h.feed(query("ROLLBACK"));
    h.feed(query("BEGIN"));
    out = h.feed(parse("", "FETCH p") + bind("p", "") + execute("p") + sync_message());
    REQUIRE(types_of(out) == "12EZ");
    CHECK(error_field(out[2], 'M') == "portal \"p\" cannot be run");
  }
}

// Compared with PostgreSQL 15.18 through psql. psycopg 3 reads the view before closing a
// cursor it never used; a 0A000 there failed the application's transaction.
TEST_CASE("pg_cursors lists the DECLAREd cursors, as PG's pg_cursor() does") {
  harness h;
  h.login();
  auto rows = [](const std::vector<backend_message>& out) {
    std::string s;
    for (const auto& m : out) {
      if (m.type != 'D') continue;
      for (const auto& cell : data_row_cells(m)) s += cell.value_or("NULL") + "|";
      s += "\n";
    }
    return s;
  };
  const std::string psycopg = "SELECT 1 FROM pg_catalog.pg_cursors WHERE name = 'c'";
  h.feed(query("BEGIN"));
  auto out = h.feed(query(psycopg));
  REQUIRE(types_of(out) == "TCZ");
  CHECK(out[1].body == std::string("SELECT 0\0", 9));
  const std::string declares =
      "DECLARE c SCROLL CURSOR WITH HOLD FOR SELECT 1 AS one; DECLARE \"d x\" BINARY CURSOR FOR "
      "SELECT 2";
  h.feed(query(declares));
  h.feed(parse("", "SELECT 3") + bind("p", "") + sync_message());  // a protocol portal: unlisted
  out = h.feed(query(psycopg));
  REQUIRE(types_of(out) == "TDCZ");
  CHECK(rows(out) == "1|\n");
  out = h.feed(query("SET TimeZone = 'Asia/Seoul'; SELECT * FROM pg_cursors ORDER BY name DESC"));
  REQUIRE(types_of(out) == "CTDDCSZ");  // PG reports the TimeZone just before ReadyForQuery
  const auto columns = row_description_columns(out[1]);
  REQUIRE(columns.size() == 6);
  CHECK(columns[0].name == "name");
  CHECK(columns[0].table_oid == 12077);  // the view's, as PG's RowDescription has it
  CHECK(columns[5].name == "creation_time");
  CHECK(columns[5].column_attr == 6);
  CHECK(columns[5].type_oid == 1184);
  // The statement is the whole query string, as PG keeps it; the time is in the session's zone.
  CHECK(rows(out) == "d x|" + declares + "|f|t|f|2023-11-15 07:13:20+09|\n" + "c|" + declares +
                         "|t|f|t|2023-11-15 07:13:20+09|\n");
  // The extended protocol reads it at Execute, as PG runs pg_cursor(): it sees a cursor
  // declared after its Bind.
  out = h.feed(parse("v", "SELECT name FROM pg_cursors WHERE name = $$e$$") + bind("v", "v") +
               parse("", "DECLARE e CURSOR FOR SELECT 4") + bind("", "") + execute("") +
               execute("v") + sync_message());
  REQUIRE(types_of(out) == "1212CDCZ");
  CHECK(rows(out) == "e|\n");
  h.feed(query("COMMIT"));
  CHECK(rows(h.feed(query("SELECT name, is_holdable FROM pg_cursors"))) == "c|t|\n");
  // Other reads of the view are not answered (fixtures can script them).
  out = h.feed(query("SELECT count(*) FROM pg_cursors"));
  CHECK(error_field(out[0], 'C') == "0A000");
}

// A fixture answers as a running statement: in the extended protocol its latency and error
// come at Execute, after BindComplete (PG's run-time errors: 1 2 E Z), and the error after
// the latency; a cursor over it meets both at its first FETCH, where PG runs the query.
TEST_CASE("a fixture's latency and error come as its statement runs") {
  harness h;
  h.fixtures = responder::fixtures::load_yaml_text(R"yaml(
- match: UPDATE t SET a = 1
  latency: 800ms
  error: {sqlstate: "40001", message: could not serialize access due to concurrent update}
- match: SELECT n FROM slow
  latency: 300ms
  columns: [{name: n, type: int4}]
  rows: [[1], [2]]
- match: SELECT n FROM broken
  error: {sqlstate: "XX001", message: invalid page in block 7}
)yaml",
                                                   "inline");
  h.login();
  SECTION("extended: BindComplete, the wait, then the error") {
    h.s->receive(parse("", "UPDATE t SET a = 1") + bind("", "") + execute("") + sync_message());
    REQUIRE(h.s->current_state() == session::state::waiting);
    CHECK(h.s->next_action().wait_for == std::chrono::milliseconds(800));
    h.s->wait_finished();
    auto out = h.take();
    REQUIRE(types_of(out) == "12EZ");
    CHECK(error_field(out[2], 'C') == "40001");
  }
  SECTION("simple: the wait, then the error; statement_timeout cuts it short") {
    h.s->receive(query("UPDATE t SET a = 1"));
    REQUIRE(h.s->current_state() == session::state::waiting);
    h.s->wait_finished();
    auto out = h.take();
    REQUIRE(types_of(out) == "EZ");
    CHECK(error_field(out[0], 'C') == "40001");
    h.feed(query("SET statement_timeout = 100"));
    h.s->receive(query("UPDATE t SET a = 1"));
    CHECK(h.s->next_action().wait_for == std::chrono::milliseconds(100));
    h.s->wait_finished();
    out = h.take();
    REQUIRE(types_of(out) == "EZ");
    CHECK(error_field(out[0], 'C') == "57014");
  }
  SECTION("a cursor: DECLARE at once, the first FETCH waits or fails") {
    h.feed(query("BEGIN"));
    CHECK(types_of(h.feed(query("DECLARE c CURSOR FOR SELECT n FROM slow"))) == "CZ");
    h.s->receive(query("FETCH 1 FROM c"));
    REQUIRE(h.s->current_state() == session::state::waiting);
    CHECK(h.s->next_action().wait_for == std::chrono::milliseconds(300));
    h.s->wait_finished();
    CHECK(types_of(h.take()) == "TDCZ");
    CHECK(types_of(h.feed(query("FETCH 1 FROM c"))) == "TDCZ");  // no second wait
    CHECK(types_of(h.feed(query("DECLARE b CURSOR FOR SELECT n FROM broken"))) == "CZ");
    auto out = h.feed(query("FETCH b"));
    REQUIRE(types_of(out) == "EZ");
    CHECK(error_field(out[0], 'C') == "XX001");
    CHECK(out[1].body == "E");
  }
  SECTION("FETCH runs a protocol portal bound to it but not executed") {
    h.feed(query("BEGIN"));
    h.feed(parse("", "SELECT n FROM slow") + bind("p", "") + sync_message());
    h.s->receive(query("FETCH ALL FROM p"));
    REQUIRE(h.s->current_state() == session::state::waiting);
    h.s->wait_finished();
    auto out = h.take();
    REQUIRE(types_of(out) == "TDDCZ");
    CHECK(out[3].body == std::string("FETCH 2\0", 8));
  }
}

TEST_CASE("pg_sleep waits, then finishes or is cancelled with 57014") {
  harness h;
  h.login();
  h.s->receive(query("SELECT pg_sleep(2)"));
  CHECK(h.s->current_state() == session::state::waiting);
  CHECK(h.s->next_action().what == kind::wait);
  CHECK(h.s->next_action().wait_for == std::chrono::milliseconds(2000));
  CHECK(h.take().empty());  // PG holds the RowDescription until the statement ends
  SECTION("finished") {
    h.s->wait_finished();
    CHECK(types_of(h.take()) == "TDCZ");
    CHECK(h.pieces.size() == 1);
  }
  SECTION("cancelled") {
    h.s->cancel();
    auto out = h.take();
    REQUIRE(types_of(out) == "TEZ");
    // As PG: the error is flushed at once, with the T before it; Z comes in its own send.
    REQUIRE(h.pieces.size() == 2);
    CHECK(types_of(split(h.pieces[0])) == "TE");
    CHECK(error_field(out[1], 'C') == "57014");
    CHECK(error_field(out[1], 'M') == "canceling statement due to user request");
    CHECK(h.s->current_state() == session::state::ready);
    CHECK(types_of(h.feed(query("SELECT 1"))) == "TDCZ");
  }
  SECTION("statement_timeout shorter than the sleep") {
    h.s->wait_finished();
    h.take();
    h.feed(query("SET statement_timeout = '100ms'"));
    h.s->receive(query("SELECT pg_sleep(2)"));
    CHECK(h.s->next_action().wait_for == std::chrono::milliseconds(100));
    h.s->wait_finished();
    auto out = h.take();
    REQUIRE(types_of(out) == "TEZ");
    CHECK(error_field(out[1], 'M') == "canceling statement due to statement timeout");
    CHECK(h.pieces.size() == 2);
  }
  SECTION("terminated: T and the FATAL in one send, then the close") {
    h.s->terminate(protocol::errors::admin_terminate());
    auto out = h.take();
    REQUIRE(types_of(out) == "TE");
    CHECK(h.pieces.size() == 1);
    CHECK(error_field(out[1], 'C') == "57P01");
    CHECK(h.s->next_action().what == kind::close);
  }
}

TEST_CASE("a cancel while idle does nothing") {
  harness h;
  h.login();
  h.s->cancel();
  CHECK(h.take().empty());
  CHECK(types_of(h.feed(query("SELECT 1"))) == "TDCZ");
}

TEST_CASE("session end: Terminate, bad message types, termination, idle timeouts") {
  harness h;
  h.login();
  SECTION("Terminate closes without bytes") {
    CHECK(h.feed(terminate_message()).empty());
    CHECK(h.s->next_action().what == kind::close);
    CHECK(h.s->current_state() == session::state::closed);
  }
  SECTION("unknown type is FATAL 08P01 with its decimal code") {
    auto out = h.feed(message('Y', ""));
    REQUIRE(types_of(out) == "E");
    CHECK(error_field(out[0], 'S') == "FATAL");
    CHECK(error_field(out[0], 'M') == "invalid frontend message type 89");
  }
  SECTION("bad length closes silently") {
    std::string bad = "Q";
    put32(bad, 2);
    CHECK(h.feed(bad).empty());
    CHECK(h.s->next_action().what == kind::close);
  }
  SECTION("administrator termination") {
    h.s->terminate(protocol::errors::admin_terminate());
    auto out = h.take();
    REQUIRE(types_of(out) == "E");
    CHECK(error_field(out[0], 'C') == "57P01");
  }
  SECTION("idle_session_timeout") {
    h.feed(query("SET idle_session_timeout = '2s'"));
    CHECK(h.s->deadline() == std::chrono::milliseconds(2000));
    h.s->deadline_reached();
    auto out = h.take();
    REQUIRE(types_of(out) == "E");
    CHECK(error_field(out[0], 'C') == "57P05");
  }
  SECTION("idle in transaction") {
    h.feed(query("SET idle_in_transaction_session_timeout = 500"));
    CHECK(h.s->deadline() == std::chrono::milliseconds(0));
    h.feed(query("BEGIN"));
    CHECK(h.s->deadline() == std::chrono::milliseconds(500));
    h.s->deadline_reached();
    auto out = h.take();
    REQUIRE(types_of(out) == "E");
    CHECK(error_field(out[0], 'C') == "25P03");
  }
}

TEST_CASE("timeouts read once are re-read after SET, RESET, ROLLBACK and ROLLBACK TO") {
  harness h;
  h.login();
  CHECK(h.s->deadline() == std::chrono::milliseconds(0));  // read and kept
  h.feed(query("SET idle_session_timeout = '3s'"));
  CHECK(h.s->deadline() == std::chrono::milliseconds(3000));
  h.feed(query("RESET idle_session_timeout"));
  CHECK(h.s->deadline() == std::chrono::milliseconds(0));

  h.feed(query("BEGIN"));
  h.feed(query("SET LOCAL idle_in_transaction_session_timeout = 700"));
  CHECK(h.s->deadline() == std::chrono::milliseconds(700));
  h.feed(query("SAVEPOINT a"));
  h.feed(query("SET idle_in_transaction_session_timeout = 900"));
  CHECK(h.s->deadline() == std::chrono::milliseconds(900));
  h.feed(query("ROLLBACK TO SAVEPOINT a"));
  CHECK(h.s->deadline() == std::chrono::milliseconds(700));
  h.feed(query("ROLLBACK"));
  h.feed(query("BEGIN"));
  CHECK(h.s->deadline() == std::chrono::milliseconds(0));  // SET LOCAL ended with it
  h.feed(query("COMMIT"));

  h.feed(query("SET statement_timeout = '50ms'"));
  h.s->receive(query("SELECT pg_sleep(1)"));
  CHECK(h.s->next_action().wait_for == std::chrono::milliseconds(50));
}

TEST_CASE("a read that ends inside a message keeps the part for the next read") {
  harness h;
  h.login();
  const std::string second = query("SELECT 2");
  auto out = h.feed(query("SELECT 1") + second.substr(0, 6));
  REQUIRE(types_of(out) == "TDCZ");
  CHECK(out[1].body == std::string("\0\1\0\0\0\1"
                                   "1",
                                   7));
  out = h.feed(second.substr(6));
  REQUIRE(types_of(out) == "TDCZ");
  CHECK(out[1].body == std::string("\0\1\0\0\0\1"
                                   "2",
                                   7));
  // Whole messages again after the held part was used up.
  CHECK(types_of(h.feed(query("SELECT 3") + query("SELECT 4"))) == "TDCZTDCZ");
}

TEST_CASE("termination during startup is silent, as PG during authentication") {
  harness h;
  h.config.users.push_back({"app", "pw", auth::method::password, false});
  h.login("app");
  h.s->terminate(protocol::errors::admin_terminate());
  CHECK(h.take().empty());
  CHECK(h.s->next_action().what == kind::close);
}
