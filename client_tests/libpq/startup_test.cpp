// Startup end to end: what libpq sees after a trust login, and the exact startup reply
// bytes (pg15-behaviors.md §4).
#include <algorithm>

#include "test_support.hpp"

using namespace fauxgres_test;

TEST_CASE("trust login reports PG 15's parameters to libpq", "[startup]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));

  auto conn =
      connect(connection_params(*server, via, {{"user", "alice"}, {"application_name", "probe"}}));
  INFO("libpq: " << PQerrorMessage(conn.get()));
  REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);

  auto param = [&](const char* name) {
    const char* v = PQparameterStatus(conn.get(), name);
    return v ? std::string(v) : std::string("<unset>");
  };
  CHECK(param("server_version") == pg_server_version);
  CHECK(param("server_encoding") == "UTF8");
  CHECK(param("client_encoding") == "UTF8");
  CHECK(param("DateStyle") == "ISO, MDY");
  CHECK(param("IntervalStyle") == "postgres");
  CHECK(param("integer_datetimes") == "on");
  CHECK(param("standard_conforming_strings") == "on");
  CHECK(param("default_transaction_read_only") == "off");
  CHECK(param("in_hot_standby") == "off");
  CHECK(param("application_name") == "probe");
  CHECK(param("session_authorization") == "alice");
  CHECK(param("TimeZone") != "<unset>");
  CHECK(param("is_superuser") != "<unset>");
  CHECK(PQbackendPID(conn.get()) != 0);
  CHECK(PQprotocolVersion(conn.get()) == 3);
  CHECK(PQserverVersion(conn.get()) == 150020);
  CHECK(PQtransactionStatus(conn.get()) == PQTRANS_IDLE);
}

TEST_CASE("startup reply is R(0), 13 ParameterStatus in PG's order, K, Z(I)", "[startup][raw]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));

  auto client = raw_connect(*server, via);
  client.send(wire::startup_message({{"user", "alice"}, {"database", "alice"}}));
  const auto msgs = client.read_until('Z', 3s);
  INFO("received: " << summarize(msgs) << " (peer " << to_string(client.peer_state()) << ")");
  REQUIRE(msgs.size() == 16);

  CHECK(wire::to_hex(msgs[0].wire()) == "520000000800000000");
  const auto& names = reported_parameter_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto& m = msgs[1 + i];
    CHECK(m.type == 'S');
    CHECK(wire::parameter_status(m).first == names[i]);
  }
  auto value_of = [&](std::size_t i) { return wire::parameter_status(msgs[1 + i]).second; };
  CHECK(value_of(0) == "");  // application_name
  CHECK(value_of(1) == "UTF8");
  CHECK(value_of(2) == "ISO, MDY");
  CHECK(value_of(3) == "off");
  CHECK(value_of(4) == "off");
  CHECK(value_of(5) == "on");
  CHECK(value_of(6) == "postgres");
  CHECK(value_of(7) == "off");  // is_superuser for an ordinary role
  CHECK(value_of(8) == "UTF8");
  CHECK(value_of(9) == pg_server_version);
  CHECK(value_of(10) == "alice");
  CHECK(value_of(11) == "on");

  const auto& k = msgs[14];
  CHECK(k.type == 'K');
  REQUIRE(k.body.size() == 8);
  CHECK(wire::read_i32(k.body, 0) != 0);
  CHECK(wire::to_hex(msgs[15].wire()) == "5a0000000549");
  // Nothing else follows the ReadyForQuery.
  CHECK(client.buffered() == 0);
  CHECK(client.peer_state() == raw_client::peer::open);
}

TEST_CASE("startup parameters are echoed and the database defaults to the user", "[startup][raw]") {
  auto server = start_server();
  auto client = raw_connect(*server, transport::tcp);
  client.send(wire::startup_message({{"user", "bob"}, {"application_name", "probe"}}));
  const auto msgs = client.read_until('Z', 3s);
  INFO("received: " << summarize(msgs));
  REQUIRE(msgs.size() == 16);
  CHECK(wire::parameter_status(msgs[1]) ==
        std::pair<std::string, std::string>{"application_name", "probe"});
  CHECK(wire::parameter_status(msgs[11]) ==
        std::pair<std::string, std::string>{"session_authorization", "bob"});
  CHECK(msgs.back().type == 'Z');
}

TEST_CASE("a cancel request socket never receives a byte and is closed", "[startup][raw][cancel]") {
  auto server = start_server();
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto client = raw_connect(*server, via);
  client.send(wire::cancel_request(999999, 12345));
  CHECK(silent_close(client) == "FIN");
}

TEST_CASE("the ready line names every listener and a URL", "[startup][cli]") {
  const auto parsed = parse_ready_line(
      "fauxgres ready on tcp 127.0.0.1:40461, tcp [::1]:5433, unix /tmp/x/.s.PGSQL.5432 "
      "(url: postgresql://postgres@127.0.0.1:40461/postgres)");
  REQUIRE(parsed);
  REQUIRE(parsed->listeners.size() == 3);
  CHECK(parsed->listeners[0].host == "127.0.0.1");
  CHECK(parsed->listeners[0].port == 40461);
  CHECK(parsed->listeners[1].host == "::1");
  CHECK(parsed->listeners[1].port == 5433);
  CHECK(parsed->listeners[2].path == "/tmp/x/.s.PGSQL.5432");
  CHECK(parsed->listeners[2].port == 5432);
  CHECK(parsed->url == "postgresql://postgres@127.0.0.1:40461/postgres");

  auto server = start_server();
  CHECK(server->tcp_port() != 0);
  CHECK(server->unix_socket_path() == server->work_dir() + "/sock/.s.PGSQL.5432");
  CHECK_THAT(server->info().url, Catch::StartsWith("postgresql://"));
  const std::string out = server->stdout_text();
  INFO("stdout: " << out);
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);  // the ready line and nothing else
}
