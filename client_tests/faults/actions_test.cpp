// Server-wide actions end to end, scheduled by rules: kill_all, restart, shutdown (smart)
// and failover, as libpq and a raw socket see them (pg15-behaviors.md §8). Each action's
// `at` is measured from server start; tests wait for its effects with deadlines.
#include <sys/wait.h>

#include <cerrno>
#include <filesystem>

#include "fault_support.hpp"

using namespace fauxgres_test;
using namespace fauxgres_test::faults;

TEST_CASE("kill_all: every session gets 57P01 then FIN; new connections are accepted",
          "[actions][kill_all]") {
  auto server = start_with_faults({"kill_all:at=700ms"});
  auto raw = raw_connect(*server, transport::tcp);
  login_ok(raw);
  auto tcp = connect(connection_params(*server, transport::tcp));
  auto local = connect(connection_params(*server, transport::unix_socket));
  REQUIRE(PQstatus(tcp.get()) == CONNECTION_OK);
  REQUIRE(PQstatus(local.get()) == CONNECTION_OK);

  const auto m = raw.read_message(5s);
  REQUIRE(m);
  CHECK(wire::to_hex(m->wire()) == admin_terminate_hex);
  CHECK(silent_close(raw) == "FIN");
  check_terminated(tcp.get(), admin_text);
  check_terminated(local.get(), admin_text);

  CHECK(connects(*server, transport::tcp));
  CHECK(connects(*server, transport::unix_socket));
}

TEST_CASE("restart: 57P01, refused for `duration`, then accepted again", "[actions][restart]") {
  auto server = start_with_faults({"restart:at=600ms,duration=800ms"});
  auto c = connect(connection_params(*server, transport::tcp));
  REQUIRE(PQstatus(c.get()) == CONNECTION_OK);
  REQUIRE(wait_readable(PQsocket(c.get()), 5s));
  const auto killed = steady::now();
  check_terminated(c.get(), admin_text);

  // Down: connects are refused and the socket file is gone, as with a stopped postmaster.
  CHECK(connect_errno_tcp(server->tcp_host(), server->tcp_port()) == ECONNREFUSED);
  CHECK_FALSE(std::filesystem::exists(server->unix_socket_path()));
  auto refused = connect(connection_params(*server, transport::tcp), 2s);
  CHECK(error_text(refused.get()).find("Connection refused") != std::string::npos);

  CHECK(retry_until([&] { return connects(*server, transport::tcp); }, 5s));
  CHECK(since(killed) >= 700ms);
  CHECK(connects(*server, transport::unix_socket));
}

TEST_CASE("shutdown (smart): sessions go on, new ones get 57P03, the last one ends it",
          "[actions][shutdown]") {
  auto server = start_with_faults({"shutdown:at=500ms"});
  auto session = connect(connection_params(*server, transport::tcp));
  REQUIRE(PQstatus(session.get()) == CONNECTION_OK);

  std::string refusal;
  CHECK(retry_until(
      [&] {
        auto c = connect(connection_params(*server, transport::unix_socket), 2s);
        if (PQstatus(c.get()) == CONNECTION_OK) return false;
        refusal = error_text(c.get());
        return true;
      },
      5s));
  CHECK(refusal.find("FATAL:  the database system is shutting down") != std::string::npos);
  CHECK(value(exec(session.get(), "SELECT 1").get()) == "1");  // untouched
  CHECK(server->wait_exit(300ms) == std::nullopt);             // still serving it

  session.reset();  // the last session ends: the server stops like the postmaster
  const auto status = server->wait_exit(5s);
  REQUIRE(status);
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK(connect_errno_tcp(server->tcp_host(), server->tcp_port()) == ECONNREFUSED);
  CHECK_FALSE(std::filesystem::exists(server->unix_socket_path()));
}

TEST_CASE("failover: a restart, then a read-only standby", "[actions][failover]") {
  auto server = start_with_faults({"failover:at=500ms,duration=300ms"});
  auto c = connect(connection_params(*server, transport::tcp));
  REQUIRE(PQstatus(c.get()) == CONNECTION_OK);
  CHECK(value(exec(c.get(), "SHOW transaction_read_only").get()) == "off");
  check_terminated(c.get(), admin_text);

  conn_ptr standby;
  CHECK(retry_until(
      [&] {
        standby = connect(connection_params(*server, transport::tcp), 2s);
        return PQstatus(standby.get()) == CONNECTION_OK;
      },
      5s));
  REQUIRE(PQstatus(standby.get()) == CONNECTION_OK);
  auto r = exec(standby.get(), "INSERT INTO accounts VALUES (1)");
  CHECK(sqlstate(r.get()) == "25006");
  CHECK(primary_message(r.get()) == "cannot execute INSERT in a read-only transaction");
  CHECK(value(exec(standby.get(), "SHOW transaction_read_only").get()) == "on");
  CHECK(value(exec(standby.get(), "SELECT pg_is_in_recovery()").get()) == "t");
  CHECK(value(exec(standby.get(), "SELECT 1").get()) == "1");  // reads still work
}

TEST_CASE("server actions are events in the stats file", "[actions][stats]") {
  temp_dir dir;
  const auto stats_file = dir.path + "/stats.json";
  auto server = start_with_faults({"kill_all:at=300ms,name=kill"}, {"--stats-file", stats_file});
  auto c = connect(connection_params(*server, transport::tcp));
  check_terminated(c.get(), admin_text);
  server->stop();
  const auto stats = read_json_file(stats_file);
  CHECK(stats.at("fired").at("kill").as_int64() == 1);
  const auto& events = stats.at("events").as_array();
  REQUIRE_FALSE(events.empty());
  CHECK(events.front().at("hook").as_string() == "server");
  CHECK(events.front().at("type").as_string() == "kill_all");
}
