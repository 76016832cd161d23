// Rule keys end to end: times, from/until windows, probability replayed by --seed, match
// keys (user, application_name glob, nth, every, listener, client_address), and the
// --stats-file counters written at exit.
#include <sys/wait.h>

#include "fault_support.hpp"

using namespace fauxgres_test;
using namespace fauxgres_test::faults;

namespace {

const std::string starting_up = "FATAL:  the database system is starting up\n";

// One raw login attempt: 'x' when the StartupMessage is refused with an ErrorResponse,
// '.' when authentication starts, '?' otherwise.
char attempt(const server_process& s, transport via,
             const std::vector<std::pair<std::string, std::string>>& extra = {}) {
  auto c = raw_connect(s, via);
  send_startup(c, "u", "d", extra);
  const auto m = c.read_message(3s);
  if (!m) return '?';
  return m->type == 'E' ? 'x' : m->type == 'R' ? '.' : '?';
}

std::string attempts(const server_process& s, int n, transport via = transport::tcp) {
  std::string out;
  for (int i = 0; i < n; ++i) out += attempt(s, via);
  return out;
}

bool refused_with(const server_process& s, const std::string& text) {
  auto conn = connect(connection_params(s, transport::tcp));
  return PQstatus(conn.get()) == CONNECTION_BAD &&
         error_text(conn.get()) == libpq_failure_prefix(s, transport::tcp) + text;
}

}  // namespace

TEST_CASE("times=1 fires once", "[rules]") {
  auto server = start_with_faults({"startup_error:preset=starting_up,times=1"});
  CHECK(refused_with(*server, starting_up));
  CHECK(connects(*server));
  CHECK(connects(*server));
}

TEST_CASE("times=0 disables a rule", "[rules]") {
  auto server = start_with_faults({"startup_error:preset=starting_up,times=0"});
  CHECK(attempts(*server, 3) == "...");
}

TEST_CASE("from/until: a window measured from server start", "[rules]") {
  const auto launched = steady::now();
  auto server = start_with_faults({"startup_error:preset=starting_up,from=1s,until=2s"});
  if (since(launched) < 800ms) {
    CHECK(connects(*server));
  } else {
    WARN("server took too long to start to observe the time before from=");
  }
  REQUIRE(retry_until([&] { return refused_with(*server, starting_up); }, 4s));
  CHECK(since(launched) >= 1s);
  REQUIRE(retry_until([&] { return connects(*server); }, 4s));
  CHECK(since(launched) >= 2s);
}

TEST_CASE("probability with --seed: the same seed replays the same decisions", "[rules]") {
  auto run = [](const std::string& seed) {
    auto server =
        start_with_faults({"startup_error:preset=starting_up,probability=0.5"}, {"--seed", seed});
    return attempts(*server, 20);
  };
  const auto first = run("42");
  const auto again = run("42");
  const auto other = run("7");
  INFO("seed 42: " << first << ", again: " << again << ", seed 7: " << other);
  CHECK(first.find('?') == std::string::npos);
  CHECK(first.find('x') != std::string::npos);
  CHECK(first.find('.') != std::string::npos);
  CHECK(first == again);
  CHECK(first != other);
}

TEST_CASE("match keys pick the connections a rule applies to", "[rules]") {
  SECTION("application_name glob") {
    auto server = start_with_faults({"startup_error:preset=starting_up,application_name=worker-*"});
    auto worker =
        connect(connection_params(*server, transport::tcp, {{"application_name", "worker-7"}}));
    CHECK(error_text(worker.get()) == libpq_failure_prefix(*server, transport::tcp) + starting_up);
    auto web = connect(connection_params(*server, transport::tcp, {{"application_name", "web"}}));
    CHECK(PQstatus(web.get()) == CONNECTION_OK);
    auto unnamed = connect(connection_params(*server, transport::tcp));
    CHECK(PQstatus(unnamed.get()) == CONNECTION_OK);
  }
  SECTION("user") {
    auto server = start_with_faults({"startup_error:preset=starting_up,user=app"});
    CHECK(attempt(*server, transport::tcp) == '.');
    auto c = raw_connect(*server, transport::tcp);
    send_startup(c, "app", "d");
    const auto m = c.read_message(3s);
    REQUIRE(m);
    CHECK(wire::field(*m, 'C') == "57P03");
  }
  SECTION("nth=2 and every=2") {
    auto nth = start_with_faults({"startup_error:preset=starting_up,nth=2"});
    CHECK(attempts(*nth, 4) == ".x..");
    auto every = start_with_faults({"startup_error:preset=starting_up,every=2"});
    CHECK(attempts(*every, 5) == ".x.x.");
  }
  SECTION("listener and client_address") {
    auto by_listener = start_with_faults({"startup_error:preset=starting_up,listener=unix"});
    CHECK(attempt(*by_listener, transport::tcp) == '.');
    CHECK(attempt(*by_listener, transport::unix_socket) == 'x');
    auto by_address =
        start_with_faults({"startup_error:preset=starting_up,client_address=127.0.0.*"});
    CHECK(attempt(*by_address, transport::tcp) == 'x');
    CHECK(attempt(*by_address, transport::unix_socket) == '.');
  }
}

TEST_CASE("stats file (--stats-file): fired counts and events as JSON at exit", "[rules][stats]") {
  temp_dir dir;
  const std::string path = dir.path + "/stats.json";
  auto server = start_with_faults(
      {"startup_error:preset=starting_up,times=2,name=boot",
       "query_error:sqlstate=40001,pattern=^update", "query_delay:delay=1ms,pattern=never"},
      {"--stats-file", path, "--seed", "1234"});
  CHECK(refused_with(*server, starting_up));
  CHECK(refused_with(*server, starting_up));
  {
    auto conn = connect(connection_params(*server, transport::tcp));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    CHECK(sqlstate(exec(conn.get(), "UPDATE t SET a = 1").get()) == "40001");
  }
  server->stop();
  INFO(server->diagnostics());
  const auto json = read_json_file(path);
  INFO("stats: " << boost::json::serialize(json));
  const auto& root = json.as_object();
  REQUIRE(root.contains("fired"));
  const auto& fired = root.at("fired").as_object();
  CHECK(fired.at("boot").to_number<std::int64_t>() == 2);
  CHECK(fired.at("query_error#1").to_number<std::int64_t>() == 1);
  CHECK(fired.at("query_delay#1").to_number<std::int64_t>() == 0);
  CHECK(root.at("seed").to_number<std::uint64_t>() == 1234);
  CHECK(root.at("connections").at("accepted").to_number<std::int64_t>() == 3);
  const auto& events = root.at("events").as_array();
  REQUIRE(events.size() == 3);
  CHECK(events[0].at("rule").as_string() == "boot");
  CHECK(events[0].at("hook").as_string() == "startup");
  CHECK(events[2].at("rule").as_string() == "query_error#1");
  CHECK(events[2].at("hook").as_string() == "query");
}

TEST_CASE("a bad rule stops startup with an error naming the field", "[rules][cli]") {
  temp_dir dir;
  struct bad_rule {
    std::string rule, message;
  };
  const auto b = GENERATE(
      bad_rule{"idle_drop:after=5x",
               "fauxgres: --fault idle_drop.after: expected a duration such as 250ms, 5s, 5m or "
               "1h (a bare number is milliseconds) (got \"5x\")\n"},
      bad_rule{"startup_error:sqlstate=4001,message=x",
               "fauxgres: --fault startup_error.sqlstate: expected five digits or capital "
               "letters, e.g. 40001 (got \"4001\")\n"},
      bad_rule{"refuse:mode=close,user=app",
               "fauxgres: --fault refuse.user: not known yet when refuse is decided (before the "
               "StartupMessage)\n"});
  INFO("--fault " << b.rule);
  const auto r = run_command({fauxgres_binary(), "--fault", b.rule, "--listen", "127.0.0.1:0",
                              "--unix-socket-dir", dir.path});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code() == 2);
  CHECK(r.err == b.message);
  CHECK(r.out.empty());
}

// Fails under ASan (the CI build): with any rule, fauxgres' shutdown hits a heap-use-after-free
// (server::schedule_'s timers outlive io_) and aborts after writing the stats (report).
TEST_CASE("fauxgres with fault rules exits cleanly on SIGTERM", "[rules][stats][!mayfail]") {
  auto server = start_with_faults({"startup_error:preset=starting_up,from=1h"});
  const int status = server->stop();
  INFO(server->diagnostics());
  CHECK(describe_wait_status(status) == "exited with 0");
}
