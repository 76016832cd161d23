// The process contract: --help / --version, flag errors, Unix socket file ownership,
// SIGTERM (57P01 to every client, socket file removed) and authentication_timeout.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>

#include "test_support.hpp"

using namespace fauxgres_test;

namespace {

using clock = std::chrono::steady_clock;

bool path_exists(const std::string& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0;
}

// A socket file nobody listens on, as a crashed server leaves behind.
void make_stale_socket(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  REQUIRE(path.size() < sizeof addr.sun_path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  ::close(fd);
  REQUIRE(path_exists(path));
}

}  // namespace

TEST_CASE("the --help and --version flags exit 0 with text", "[cli]") {
  SECTION("--help") {
    const auto r = run_command({fauxgres_binary(), "--help"}, 5s);
    INFO(describe_wait_status(r.status) << "\nstdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exited_ok());
    CHECK_THAT(r.out, Catch::Contains("--listen"));
    CHECK_THAT(r.out, Catch::Contains("--unix-socket-dir"));
  }
  SECTION("--version") {
    const auto r = run_command({fauxgres_binary(), "--version"}, 5s);
    INFO(describe_wait_status(r.status) << "\nstdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exited_ok());
    CHECK_THAT(r.out, Catch::Contains("fauxgres"));
  }
}

TEST_CASE("a bad flag value exits non-zero naming the flag", "[cli]") {
  struct bad {
    std::vector<std::string> args;
    std::string names;
  };
  const auto b = GENERATE(bad{{"--listen", "nope"}, "listen"}, bad{{"--auth", "bogus"}, "auth"},
                          bad{{"--authentication-timeout", "soon"}, "authentication-timeout"},
                          bad{{"--no-such-flag"}, "no-such-flag"});
  std::vector<std::string> argv{fauxgres_binary()};
  argv.insert(argv.end(), b.args.begin(), b.args.end());
  const auto r = run_command(argv, 5s);
  INFO("args: " << b.args.front() << "\n"
                << describe_wait_status(r.status) << "\nstdout: " << r.out
                << "\nstderr: " << r.err);
  CHECK(!r.timed_out);
  REQUIRE(r.exit_code().has_value());
  CHECK(*r.exit_code() != 0);
  CHECK_THAT(r.out + r.err, Catch::Contains(b.names));
}

TEST_CASE("a socket file held by a live server is not stolen", "[cli][unix]") {
  auto first = start_server();
  const auto dir = first->unix_socket_dir();
  server_process::options opts;
  opts.unix_socket_dir = dir;
  opts.ready_timeout = 5s;
  server_process second(opts);
  CHECK(!second.ready());
  const auto status = second.wait_exit(5s);
  INFO("second instance: " << second.diagnostics());
  REQUIRE(status.has_value());
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) != 0);

  CHECK(path_exists(first->unix_socket_path()));
  auto conn = connect(connection_params(*first, transport::unix_socket, {{"user", "alice"}}));
  INFO("libpq: " << PQerrorMessage(conn.get()));
  CHECK(PQstatus(conn.get()) == CONNECTION_OK);
}

TEST_CASE("a stale socket file is replaced", "[cli][unix]") {
  char tmpl[] = "/tmp/fauxgres-stale-XXXXXX";
  REQUIRE(::mkdtemp(tmpl));
  const std::string dir = tmpl;
  struct remove_dir {
    std::string path;
    ~remove_dir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  } cleanup{dir};
  make_stale_socket(dir + "/.s.PGSQL.5432");
  server_process::options opts;
  opts.unix_socket_dir = dir;
  server_process server(opts);
  INFO(server.diagnostics());
  REQUIRE(server.ready());
  CHECK(server.unix_socket_path() == dir + "/.s.PGSQL.5432");
  auto conn = connect(connection_params(server, transport::unix_socket, {{"user", "alice"}}));
  INFO("libpq: " << PQerrorMessage(conn.get()));
  CHECK(PQstatus(conn.get()) == CONNECTION_OK);
}

TEST_CASE("SIGTERM sends 57P01 to every client, exits 0 and removes the socket file",
          "[cli][shutdown]") {
  auto server = start_server();
  auto tcp = raw_connect(*server, transport::tcp);
  auto unix_client = raw_connect(*server, transport::unix_socket);
  REQUIRE(tcp.login("alice", "alice").size() == 16);
  REQUIRE(unix_client.login("bob", "bob").size() == 16);
  auto in_txn = raw_connect(*server, transport::tcp);
  REQUIRE(in_txn.login("carol", "carol").size() == 16);
  in_txn.send(wire::query("BEGIN"));
  REQUIRE(wire::type_sequence(in_txn.read_until('Z', 3s)) == "C Z");
  const auto socket_path = server->unix_socket_path();
  REQUIRE(path_exists(socket_path));

  REQUIRE(server->signal(SIGTERM));
  const auto expected =
      pg_error("FATAL", "57P01", "terminating connection due to administrator command",
               "postgres.c", 3211, "ProcessInterrupts");
  REQUIRE(
      wire::to_hex(expected) ==
      "450000007453464154414c0056464154414c00433537503031004d7465726d696e6174696e6720636f6e6e6563"
      "74696f6e2064756520746f2061646d696e6973747261746f7220636f6d6d616e640046706f7374677265732e"
      "63004c33323131005250726f63657373496e74657272757074730000");
  for (auto* c : {&tcp, &unix_client, &in_txn}) {
    const auto got = c->read_until_closed(5s);
    INFO("received " << wire::describe_bytes(got));
    CHECK(wire::to_hex(got) == wire::to_hex(expected));
    CHECK(c->peer_state() == raw_client::peer::fin);
  }
  const auto status = server->wait_exit(5s);
  INFO(server->diagnostics());
  REQUIRE(status.has_value());
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK(!path_exists(socket_path));
}

TEST_CASE("authentication_timeout closes a silent client with no bytes", "[cli][timeout]") {
  auto server = start_server({"--authentication-timeout", "300ms"});
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  const std::string stage =
      GENERATE(as<std::string>{}, "nothing sent", "2 bytes sent", "after SSLRequest");
  INFO("transport: " << to_string(via) << ", " << stage);
  const auto start = clock::now();
  auto client = raw_connect(*server, via);
  if (stage == "2 bytes sent") client.send(wire::from_hex("0000"));
  if (stage == "after SSLRequest") {
    client.send(wire::ssl_request());
    REQUIRE(wire::to_hex(client.read_at_least(1, 2s)) == "4e");
  }
  const auto got = client.read_until_closed(3s);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count();
  INFO("closed after " << ms << " ms; received " << wire::describe_bytes(got));
  CHECK(got.empty());
  CHECK(client.peer_state() == raw_client::peer::fin);
  CHECK(ms >= 250);
  CHECK(ms <= 2000);
}

TEST_CASE("authentication_timeout also covers a client stalled at the password prompt",
          "[cli][timeout]") {
  auto args = user_flag("app", "secret");
  args.insert(args.end(), {"--auth", "password", "--authentication-timeout", "300ms"});
  auto server = start_server(args);
  const auto start = clock::now();
  auto client = raw_connect(*server, transport::tcp);
  client.send(wire::startup_message({{"user", "app"}}));
  auto request = client.read_message(2s);
  REQUIRE(request);
  CHECK(wire::to_hex(request->wire()) == "520000000800000003");
  const auto got = client.read_until_closed(3s);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count();
  INFO("closed after " << ms << " ms; received " << wire::describe_bytes(got));
  CHECK(got.empty());
  CHECK(client.peer_state() == raw_client::peer::fin);
  CHECK(ms >= 250);
  CHECK(ms <= 2000);
}
