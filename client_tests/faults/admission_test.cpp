// Admission faults end to end: refuse (close / reset / closed listener), accept_hang,
// max_connections (error / reserved / silent), startup_error (PG15's 57P03 presets and
// custom errors) and startup_delay, as libpq and a raw socket see them.
#include <cerrno>

#include "fault_support.hpp"

using namespace fauxgres_test;
using namespace fauxgres_test::faults;

namespace {

// How libpq prints a FATAL received while connecting (after its "...failed: " prefix).
std::string fatal_line(const std::string& message) {
  return "FATAL:  " + message + "\n";
}

const std::string too_many = "sorry, too many clients already";
const std::string reserved =
    "remaining connection slots are reserved for non-replication superuser connections";

// pg15-behaviors.md §6: the too-many-clients FATAL, byte for byte. (The reference's sample
// hex has the length word 0x65; its fields add up to 0x55, which is what is checked here.)
constexpr const char* too_many_hex =
    "450000005553464154414c0056464154414c00433533333030004d736f7272792c20746f6f206d616e792063"
    "6c69656e747320616c7265616479004670726f632e63004c3335370052496e697450726f636573730000";

params as_user(const server_process& s, transport via, const std::string& password) {
  return connection_params(s, via, {{"user", "u"}, {"dbname", "d"}, {"password", password}});
}

// After a refusal window the same port and socket accept again: poll with a deadline.
void check_accepts_again(const server_process& server, steady::time_point launched,
                         milliseconds window_end) {
  for (const auto via : {transport::tcp, transport::unix_socket}) {
    INFO("transport: " << to_string(via));
    std::string last_error;
    const bool ok = retry_until(
        [&] {
          auto conn = connect(connection_params(server, via), 2s);
          last_error = error_text(conn.get());
          return PQstatus(conn.get()) == CONNECTION_OK;
        },
        6s);
    INFO("last libpq error: " << last_error);
    CHECK(ok);
    CHECK(since(launched) >= window_end);
  }
}

void check_refused(const server_process& server) {
  CHECK(connect_errno_tcp(server.tcp_host(), server.tcp_port()) == ECONNREFUSED);
  // A missing socket file, as when PostgreSQL is down.
  CHECK(connect_errno_unix(server.unix_socket_path()) == ENOENT);
  auto conn = connect(connection_params(server, transport::tcp));
  CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
  CHECK(error_text(conn.get()) ==
        libpq_failure_prefix(server, transport::tcp) +
            "Connection refused\n\tIs the server running on that host and accepting TCP/IP "
            "connections?\n");
}

}  // namespace

TEST_CASE("refuse mode=close: accepted, then closed with no byte (EOF)", "[refuse]") {
  auto server = start_with_faults({"refuse:mode=close"});
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));

  SECTION("raw socket") {
    auto c = raw_connect(*server, via);
    CHECK(silent_close(c) == "FIN");
  }
  SECTION("libpq") {
    auto conn = connect(connection_params(*server, via));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    CHECK(error_text(conn.get()) == libpq_failure_prefix(*server, via) + server_closed_text);
  }
}

TEST_CASE("refuse mode=reset: accepted, then reset (ECONNRESET)", "[refuse]") {
  auto server = start_with_faults({"refuse:mode=reset"});
  // The RST can overtake the client's own connect(): it then surfaces as the connect's
  // error instead of the first read's. Either way it is ECONNRESET, never an EOF.
  SECTION("raw socket") {
    std::optional<raw_client> c;
    try {
      c.emplace(raw_connect(*server, transport::tcp));
    } catch (const std::runtime_error& e) {
      INFO("connect failed: " << e.what());
      CHECK_THAT(e.what(), Catch::EndsWith("Connection reset by peer"));
    }
    if (c) {
      const auto got = c->read_until_closed(3s);
      INFO("received " << wire::describe_bytes(got));
      CHECK(got.empty());
      CHECK(c->peer_state() == raw_client::peer::reset);
    }
  }
  SECTION("libpq") {
    // libpq words a reset on read like an EOF; a reset during connect() names it.
    auto conn = connect(connection_params(*server, transport::tcp));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    const auto prefix = libpq_failure_prefix(*server, transport::tcp);
    const auto text = error_text(conn.get());
    CHECK((text == prefix + server_closed_text ||
           text == prefix + "Connection reset by peer\n\tIs the server running on that host and "
                            "accepting TCP/IP connections?\n"));
  }
}

TEST_CASE("refuse mode=closed from server start: refused, then accepted after until=", "[refuse]") {
  const auto launched = steady::now();
  auto server = start_with_faults({"refuse:mode=closed,until=2s"});
  const auto early = since(launched);
  INFO("server ready after " << early.count() << " ms");
  if (early < 1800ms)
    check_refused(*server);
  else
    WARN("server took too long to start to observe the refusal window");
  check_accepts_again(*server, launched, 2s);
}

TEST_CASE("refuse mode=closed in a later window: accepted, refused, accepted again", "[refuse]") {
  const auto launched = steady::now();
  auto server = start_with_faults({"refuse:mode=closed,from=1s,until=2s"});
  if (since(launched) < 800ms) {
    auto before = connect(connection_params(*server, transport::tcp));
    CHECK(PQstatus(before.get()) == CONNECTION_OK);
  } else {
    WARN("server took too long to start to connect before from=");
  }
  // Wait for the window to start: the listener closes, so connect() is refused.
  REQUIRE(retry_until(
      [&] { return connect_errno_tcp(server->tcp_host(), server->tcp_port()) == ECONNREFUSED; },
      4s));
  CHECK(since(launched) >= 1s);
  if (since(launched) < 1800ms)
    check_refused(*server);
  else
    WARN("too late to check the window itself");
  check_accepts_again(*server, launched, 2s);
}

TEST_CASE("accept_hang: the connect succeeds and nothing ever comes back", "[accept_hang]") {
  auto server = start_with_faults({"accept_hang"});

  SECTION("raw socket, before and after a StartupMessage") {
    const auto via = GENERATE(transport::tcp, transport::unix_socket);
    INFO("transport: " << to_string(via));
    auto c = raw_connect(*server, via);
    auto got = c.read_for(500ms);
    CHECK(got.empty());
    CHECK(c.peer_state() == raw_client::peer::open);
    send_startup(c, "u", "d");
    got = c.read_for(1s);
    INFO("received " << wire::describe_bytes(got));
    CHECK(got.empty());
    CHECK(c.peer_state() == raw_client::peer::open);
  }
  SECTION("libpq gives up at its connect_timeout") {
    // libpq raises connect_timeout values below 2 to 2 seconds.
    const auto start = steady::now();
    auto conn =
        blocking_connect(connection_params(*server, transport::tcp, {{"connect_timeout", "1"}}));
    const auto took = since(start);
    INFO("took " << took.count() << " ms");
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    CHECK(error_text(conn.get()) ==
          libpq_failure_prefix(*server, transport::tcp) + "timeout expired\n");
    CHECK(took >= 1900ms);
    CHECK(took < 5s);
  }
}

TEST_CASE("max_connections: over the limit, 53300 right after the StartupMessage",
          "[max_connections]") {
  auto server =
      start_with_faults({"max_connections:limit=2"}, {"--user", "u=secret", "--auth", "password"});
  auto first = connect(as_user(*server, transport::tcp, "secret"));
  auto second = connect(as_user(*server, transport::unix_socket, "secret"));
  REQUIRE(PQstatus(first.get()) == CONNECTION_OK);
  REQUIRE(PQstatus(second.get()) == CONNECTION_OK);

  SECTION("raw: the FATAL comes before any authentication request, then FIN") {
    auto c = raw_connect(*server, transport::tcp);
    send_startup(c, "u", "d");
    const auto m = c.read_message(3s);
    REQUIRE(m);
    CHECK(m->type == 'E');
    CHECK(wire::to_hex(m->wire()) == too_many_hex);
    CHECK(too_many_hex == fatal_hex("53300", too_many, "proc.c", 357, "InitProcess"));
    const auto rest = c.read_until_closed(3s);
    CHECK(rest.empty());
    CHECK(c.peer_state() == raw_client::peer::fin);
  }
  SECTION("libpq, right or wrong password, on either listener") {
    const std::string password = GENERATE(as<std::string>{}, "secret", "wrong");
    const auto via = GENERATE(transport::tcp, transport::unix_socket);
    INFO("password " << password << ", transport " << to_string(via));
    auto third = connect(as_user(*server, via, password));
    CHECK(PQstatus(third.get()) == CONNECTION_BAD);
    CHECK(error_text(third.get()) == libpq_failure_prefix(*server, via) + fatal_line(too_many));
  }
  SECTION("a slot freed is a slot taken") {
    first.reset();
    std::string last_error;
    const bool ok = retry_until(
        [&] {
          auto conn = connect(as_user(*server, transport::tcp, "secret"));
          last_error = error_text(conn.get());
          return PQstatus(conn.get()) == CONNECTION_OK;
        },
        5s);
    INFO("last libpq error: " << last_error);
    CHECK(ok);
  }
}

TEST_CASE("max_connections scope=listener counts only that listener", "[max_connections]") {
  auto server = start_with_faults({"max_connections:limit=1,scope=listener"});
  auto held = connect(connection_params(*server, transport::tcp));
  REQUIRE(PQstatus(held.get()) == CONNECTION_OK);
  auto other = connect(connection_params(*server, transport::unix_socket));
  CHECK(PQstatus(other.get()) == CONNECTION_OK);
  auto over = connect(connection_params(*server, transport::tcp));
  CHECK(PQstatus(over.get()) == CONNECTION_BAD);
  CHECK(error_text(over.get()) ==
        libpq_failure_prefix(*server, transport::tcp) + fatal_line(too_many));
}

TEST_CASE("max_connections variant=reserved: authentication first, then 53300",
          "[max_connections]") {
  auto server = start_with_faults({"max_connections:limit=2,variant=reserved"},
                                  {"--user", "u=secret", "--auth", "password"});
  auto first = connect(as_user(*server, transport::tcp, "secret"));
  auto second = connect(as_user(*server, transport::tcp, "secret"));
  REQUIRE(PQstatus(first.get()) == CONNECTION_OK);
  REQUIRE(PQstatus(second.get()) == CONNECTION_OK);

  SECTION("raw: R(3), password, R(0), then the FATAL and FIN") {
    auto c = raw_connect(*server, transport::tcp);
    send_startup(c, "u", "d");
    const auto request = c.read_message(3s);
    REQUIRE(request);
    CHECK(wire::to_hex(request->wire()) == "520000000800000003");
    c.send(wire::password("secret"));
    const auto msgs = c.read_until('E', 3s);
    INFO("received: " << summarize(msgs));
    REQUIRE(wire::type_sequence(msgs) == "R E");
    CHECK(wire::to_hex(msgs[0].wire()) == "520000000800000000");
    CHECK(wire::to_hex(msgs[1].wire()) ==
          fatal_hex("53300", reserved, "postinit.c", 886, "InitPostgres"));
    CHECK(silent_close(c) == "FIN");
  }
  SECTION("libpq with the right password") {
    auto third = connect(as_user(*server, transport::tcp, "secret"));
    CHECK(PQstatus(third.get()) == CONNECTION_BAD);
    CHECK(error_text(third.get()) ==
          libpq_failure_prefix(*server, transport::tcp) + fatal_line(reserved));
  }
  SECTION("libpq with a wrong password gets 28P01 instead") {
    auto third = connect(as_user(*server, transport::tcp, "wrong"));
    CHECK(PQstatus(third.get()) == CONNECTION_BAD);
    CHECK(error_text(third.get()) ==
          libpq_failure_prefix(*server, transport::tcp) +
              fatal_line("password authentication failed for user \"u\""));
  }
}

// PG15 lets superusers use the reserved slots.
TEST_CASE("max_connections variant=reserved lets a superuser in, as PG15 does",
          "[max_connections]") {
  temp_file config(
      "auth: password\n"
      "users:\n"
      "  - name: u\n"
      "    password: secret\n"
      "  - name: admin\n"
      "    password: admin\n"
      "    superuser: true\n");
  auto server =
      start_with_faults({"max_connections:limit=1,variant=reserved"}, {"--config", config.path});
  auto held = connect(as_user(*server, transport::tcp, "secret"));
  REQUIRE(PQstatus(held.get()) == CONNECTION_OK);
  auto user = connect(as_user(*server, transport::tcp, "secret"));
  CHECK(error_text(user.get()) ==
        libpq_failure_prefix(*server, transport::tcp) + fatal_line(reserved));
  auto admin = connect(connection_params(
      *server, transport::tcp, {{"user", "admin"}, {"dbname", "d"}, {"password", "admin"}}));
  INFO("libpq: " << error_text(admin.get()));
  CHECK(PQstatus(admin.get()) == CONNECTION_OK);
}

TEST_CASE("max_connections variant=silent: closed at accept with no byte", "[max_connections]") {
  auto server = start_with_faults({"max_connections:limit=2,variant=silent"});
  auto first = connect(connection_params(*server, transport::tcp));
  auto second = connect(connection_params(*server, transport::tcp));
  REQUIRE(PQstatus(first.get()) == CONNECTION_OK);
  REQUIRE(PQstatus(second.get()) == CONNECTION_OK);

  SECTION("raw socket: EOF without sending anything") {
    const auto via = GENERATE(transport::tcp, transport::unix_socket);
    INFO("transport: " << to_string(via));
    auto c = raw_connect(*server, via);
    CHECK(silent_close(c) == "FIN");
  }
  SECTION("libpq") {
    auto third = connect(connection_params(*server, transport::tcp));
    CHECK(PQstatus(third.get()) == CONNECTION_BAD);
    CHECK(error_text(third.get()) ==
          libpq_failure_prefix(*server, transport::tcp) + server_closed_text);
  }
}

TEST_CASE("startup_error presets send PG15's exact 57P03 errors", "[startup_error]") {
  struct preset {
    std::string name, message;
    int line;
    std::optional<std::string> detail;
  };
  const auto p =
      GENERATE(preset{"starting_up", "the database system is starting up", 2413, std::nullopt},
               preset{"not_yet_accepting", "the database system is not yet accepting connections",
                      2419, "Consistent recovery state has not been yet reached."},
               preset{"shutting_down", "the database system is shutting down", 2430, std::nullopt},
               preset{"recovery", "the database system is in recovery mode", 2435, std::nullopt});
  INFO("preset " << p.name);
  auto server = start_with_faults({"startup_error:preset=" + p.name});

  SECTION("raw: the FATAL right after the StartupMessage, then FIN") {
    auto c = raw_connect(*server, transport::tcp);
    send_startup(c, "u", "d");
    const auto m = c.read_message(3s);
    REQUIRE(m);
    CHECK(wire::to_hex(m->wire()) ==
          fatal_hex("57P03", p.message, "postmaster.c", p.line, "ProcessStartupPacket", p.detail));
    CHECK(silent_close(c) == "FIN");
  }
  SECTION("libpq") {
    const auto via = GENERATE(transport::tcp, transport::unix_socket);
    INFO("transport: " << to_string(via));
    auto conn = connect(connection_params(*server, via));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    std::string expected = libpq_failure_prefix(*server, via) + fatal_line(p.message);
    if (p.detail) expected += "DETAIL:  " + *p.detail + "\n";
    CHECK(error_text(conn.get()) == expected);
  }
}

TEST_CASE("startup_error with a custom SQLSTATE, message, detail and hint", "[startup_error]") {
  SECTION("FATAL") {
    auto server =
        start_with_faults({"startup_error:sqlstate=08004,message=\"rejected, try "
                           "later\",detail=maintenance window,hint=retry in 5 s"});
    auto c = raw_connect(*server, transport::tcp);
    send_startup(c, "u", "d");
    const auto m = c.read_message(3s);
    REQUIRE(m);
    CHECK(wire::to_hex(m->wire()) == injected_error_hex("FATAL", "08004", "rejected, try later",
                                                        "maintenance window", "retry in 5 s"));
    CHECK(silent_close(c) == "FIN");

    auto conn = connect(connection_params(*server, transport::tcp));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    CHECK(error_text(conn.get()) == libpq_failure_prefix(*server, transport::tcp) +
                                        "FATAL:  rejected, try later\nDETAIL:  maintenance "
                                        "window\nHINT:  retry in 5 s\n");
  }
  SECTION("severity=ERROR") {
    auto server = start_with_faults({"startup_error:sqlstate=XX000,message=boom,severity=ERROR"});
    auto conn = connect(connection_params(*server, transport::tcp));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    CHECK(error_text(conn.get()) ==
          libpq_failure_prefix(*server, transport::tcp) + "ERROR:  boom\n");
  }
}

TEST_CASE("startup_delay: the answer to the StartupMessage comes late", "[startup_delay]") {
  auto server = start_with_faults({"startup_delay:delay=600ms"});

  SECTION("raw socket") {
    auto c = raw_connect(*server, transport::tcp);
    const auto start = steady::now();
    send_startup(c, "u", "d");
    const auto msgs = c.read_until('Z', 5s);
    const auto took = since(start);
    INFO("received: " << summarize(msgs) << " after " << took.count() << " ms");
    CHECK(ready_status(msgs) == 'I');
    CHECK(took >= 600ms);
    CHECK(took < 2500ms);
  }
  SECTION("libpq") {
    const auto start = steady::now();
    auto conn = connect(connection_params(*server, transport::unix_socket));
    const auto took = since(start);
    INFO("libpq: " << error_text(conn.get()) << " after " << took.count() << " ms");
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    CHECK(took >= 600ms);
    CHECK(took < 2500ms);
    const auto query_start = steady::now();
    CHECK(value(exec(conn.get(), "SELECT 1").get()) == "1");
    CHECK(since(query_start) < 600ms);  // only the login is delayed
  }
}
