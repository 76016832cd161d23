// The control API end to end: a real fauxgres with --api 127.0.0.1:0, driven over HTTP,
// with libpq seeing the effect of every change (rules, actions, terminate, listeners), the
// event log and its stream, stats and metrics, the token, bad input and shutdown.
#include <csignal>

#include "api_support.hpp"

using namespace fauxgres_test;
using namespace fauxgres_test::api;
namespace json = boost::json;

namespace {

params as(const std::string& application, params extra = {}) {
  extra.emplace_back("application_name", application);
  return extra;
}

std::uint64_t connection_id(const client& api, const std::string& application) {
  const auto list = api.get("/connections").json();
  for (const auto& c : list.at("connections").as_array())
    if (c.at("application_name") == application.c_str())
      return c.at("id").to_number<std::uint64_t>();
  FAIL("no connection with application_name " << application << " in " << list);
  return 0;
}

}  // namespace

TEST_CASE("api: the ready line names the API address", "[api]") {
  const auto parsed = parse_ready_line(
      "fauxgres ready on tcp 127.0.0.1:40461, unix /tmp/x/.s.PGSQL.5432, api "
      "http://127.0.0.1:8474 (url: postgresql://postgres@127.0.0.1:40461/postgres)");
  REQUIRE(parsed);
  CHECK(parsed->listeners.size() == 2);
  CHECK(parsed->api_url == "http://127.0.0.1:8474");
  CHECK(parsed->api_host == "127.0.0.1");
  CHECK(parsed->api_port == 8474);
  CHECK(parsed->url == "postgresql://postgres@127.0.0.1:40461/postgres");

  auto s = start_api_server();
  CHECK(s.process->stdout_text().find(", api " + s.process->info().api_url + " (url: ") !=
        std::string::npos);
  auto v = s.api.get("/version");
  CHECK(v.status == 200);
  CHECK(v.json().at("name") == "fauxgres");
  CHECK(v.json().at("version").is_string());

  // The same from the config file's `api:`.
  temp_file config("api:\n  listen: 127.0.0.1:0\n");
  server_process from_file({"--config", config.path});
  REQUIRE(from_file.ready());
  CHECK(from_file.info().api_port != 0);
}

TEST_CASE("api: rules are added, changed and removed, libpq sees the effect", "[api][rules]") {
  auto s = start_api_server();
  auto added = s.api.post("/rules", R"({"type":"max_connections","limit":1,"name":"cap"})");
  REQUIRE(added.status == 201);
  CHECK(added.header("location") == "/rules/cap");
  CHECK(added.json().at("limit") == "1");

  auto first = connect(connection_params(*s.process, transport::tcp, as("first")));
  REQUIRE(PQstatus(first.get()) == CONNECTION_OK);
  auto second = connect(connection_params(*s.process, transport::tcp, as("second")));
  CHECK(PQstatus(second.get()) == CONNECTION_BAD);
  CHECK(error_text(second.get()).find("FATAL:  sorry, too many clients already") !=
        std::string::npos);
  CHECK(s.api.get("/rules/cap").json().at("fired") == 1);
  CHECK(s.api.get("/stats").json().at("errors").at("by_sqlstate").at("53300") == 1);

  auto listed = s.api.get("/connections").json().at("connections").as_array();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("application_name") == "first");
  CHECK(listed[0].at("user") == "fauxtest");
  CHECK(listed[0].at("listener") == "tcp0");
  CHECK(listed[0].at("transaction_status") == "I");
  CHECK(listed[0].at("bytes_in").to_number<std::uint64_t>() > 0);
  CHECK(listed[0].at("rules_applied").as_array().empty());

  auto taken = s.api.post("/rules", R"({"type":"auth_fail","name":"cap"})");
  CHECK(taken.status == 409);
  CHECK(taken.json().at("status") == 409);
  auto bad = s.api.post("/rules", R"({"type":"idle_drop","after":"5x"})");
  CHECK(bad.status == 400);
  CHECK(error_of(bad).starts_with("rules[new].after: expected a duration"));

  auto patched = s.api.patch("/rules/cap", R"({"limit":2})");
  CHECK(patched.status == 200);
  CHECK(patched.json().at("limit") == "2");
  second = connect(connection_params(*s.process, transport::tcp, as("second")));
  CHECK(PQstatus(second.get()) == CONNECTION_OK);

  CHECK(s.api.put("/rules/cap", R"({"type":"max_connections","limit":0})").status == 200);
  CHECK_FALSE(connects(*s.process));
  CHECK(s.api.del("/rules/cap").status == 204);
  CHECK(connects(*s.process));
  auto gone = s.api.get("/rules/cap");
  CHECK(gone.status == 404);
  CHECK(gone.json() == json::parse(R"({"error":"rule \"cap\" not found","status":404})"));
}

TEST_CASE("api: kill_all and terminating one connection give libpq 57P01", "[api][actions]") {
  auto s = start_api_server();
  auto one = connect(connection_params(*s.process, transport::tcp, as("one")));
  auto two = connect(connection_params(*s.process, transport::unix_socket, as("two")));
  auto three = connect(connection_params(*s.process, transport::tcp, as("three")));
  REQUIRE(PQstatus(one.get()) == CONNECTION_OK);
  REQUIRE(PQstatus(two.get()) == CONNECTION_OK);
  REQUIRE(PQstatus(three.get()) == CONNECTION_OK);

  const auto id_one = connection_id(s.api, "one");
  CHECK(s.api.del("/connections/" + std::to_string(id_one)).status == 204);
  check_terminated(one.get(), admin_text);
  CHECK(value(exec(two.get(), "SELECT 1").get()) == "1");

  const auto id_two = connection_id(s.api, "two");
  auto terminated = s.api.post("/connections/" + std::to_string(id_two) + "/terminate");
  CHECK(terminated.status == 200);
  CHECK(terminated.json().at("terminated") == id_two);
  check_terminated(two.get(), admin_text);
  CHECK(s.api.del("/connections/999999").status == 404);
  CHECK(s.api.del("/connections/abc").status == 400);

  auto killed = s.api.post("/actions/kill_all");
  CHECK(killed.status == 200);
  CHECK(killed.json().at("action") == "kill_all");
  check_terminated(three.get(), admin_text);
  CHECK(connects(*s.process));  // new connections are accepted

  const auto events = s.api.get("/events?since=0").json().at("events").as_array();
  REQUIRE_FALSE(events.empty());
  CHECK(events.back().at("rule") == "api");
  CHECK(events.back().at("type") == "kill_all");
  CHECK(events.back().at("hook") == "server");
}

TEST_CASE("api: disabling a listener drops its connections and refuses connects",
          "[api][listeners]") {
  auto s = start_api_server();
  auto c = connect(connection_params(*s.process, transport::tcp));
  REQUIRE(PQstatus(c.get()) == CONNECTION_OK);

  auto disabled = s.api.post("/listeners/tcp0/disable");
  REQUIRE(disabled.status == 200);
  CHECK(disabled.json().at("enabled") == false);
  CHECK(disabled.json().at("open") == false);
  REQUIRE(wait_readable(PQsocket(c.get()), 5s));
  result_ptr r(PQexec(c.get(), "SELECT 1"));
  CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
  CHECK(PQstatus(c.get()) == CONNECTION_BAD);
  CHECK(connect_errno_tcp(s.process->tcp_host(), s.process->tcp_port()) == ECONNREFUSED);
  CHECK(connects(*s.process, transport::unix_socket));

  const auto listeners = s.api.get("/listeners").json().at("listeners").as_array();
  REQUIRE(listeners.size() == 2);
  CHECK(listeners[0].at("name") == "tcp0");
  CHECK(listeners[0].at("enabled") == false);
  CHECK(listeners[1].at("name") == "unix0");
  CHECK(listeners[1].at("type") == "unix");

  CHECK(s.api.post("/listeners/tcp0/enable").json().at("open") == true);
  CHECK(connects(*s.process));
  CHECK(s.api.post("/listeners/nope/disable").status == 404);
}

TEST_CASE("api: restart refuses for its duration, failover leaves a read-only standby",
          "[api][actions]") {
  auto s = start_api_server();
  auto c = connect(connection_params(*s.process, transport::tcp));
  REQUIRE(PQstatus(c.get()) == CONNECTION_OK);
  auto restarted = s.api.post("/actions/restart", R"({"duration":"600ms"})");
  REQUIRE(restarted.status == 200);
  const auto at = steady::now();
  CHECK(restarted.json().at("duration_ms") == 600);
  check_terminated(c.get(), admin_text);
  CHECK(connect_errno_tcp(s.process->tcp_host(), s.process->tcp_port()) == ECONNREFUSED);
  CHECK(retry_until([&] { return connects(*s.process); }, 5s));
  CHECK(since(at) >= 500ms);

  CHECK(s.api.post("/actions/failover", R"({"duration":100})").status == 200);
  REQUIRE(retry_until([&] { return connects(*s.process); }, 5s));
  auto standby = connect(connection_params(*s.process, transport::tcp));
  CHECK(value(exec(standby.get(), "SHOW transaction_read_only").get()) == "on");

  CHECK(s.api.post("/reset").status == 204);
  auto primary = connect(connection_params(*s.process, transport::tcp));
  CHECK(value(exec(primary.get(), "SHOW transaction_read_only").get()) == "off");
  CHECK(s.api.post("/actions/restart", R"({"duration":"soon"})").status == 400);
}

TEST_CASE("api: smart shutdown ends accepting, the API keeps the server, reset revives it",
          "[api][actions]") {
  auto s = start_api_server();
  auto session = connect(connection_params(*s.process, transport::tcp));
  REQUIRE(PQstatus(session.get()) == CONNECTION_OK);
  CHECK(s.api.post("/actions/shutdown").status == 200);

  auto refused = connect(connection_params(*s.process, transport::tcp));
  CHECK(error_text(refused.get()).find("the database system is shutting down") !=
        std::string::npos);
  CHECK(value(exec(session.get(), "SELECT 1").get()) == "1");
  session.reset();
  CHECK(retry_until(
      [&] {
        return connect_errno_tcp(s.process->tcp_host(), s.process->tcp_port()) == ECONNREFUSED;
      },
      5s));
  CHECK_FALSE(s.process->wait_exit(200ms));  // still running: the API keeps it
  CHECK(s.api.get("/version").status == 200);
  CHECK(s.api.post("/reset").status == 204);
  CHECK(connects(*s.process));
}

TEST_CASE("api: events by cursor and as a stream", "[api][events]") {
  auto s = start_api_server();
  line_stream stream(s.api.host, s.api.port, "/events/stream");
  REQUIRE(stream.status() == 200);

  REQUIRE(s.api.post("/rules", R"({"type":"max_connections","limit":0,"name":"none"})").status ==
          201);
  CHECK_FALSE(connects(*s.process));
  const auto line = stream.next_line(5s);
  REQUIRE(line);
  const auto event = json::parse(*line);
  CHECK(event.at("rule") == "none");
  CHECK(event.at("type") == "max_connections");
  CHECK(event.at("hook") == "startup");
  CHECK(event.at("action") == "fatal 53300");
  CHECK(event.at("sequence") == 1);

  CHECK(s.api.post("/actions/kill_all").status == 200);
  const auto action = stream.next_line(5s);
  REQUIRE(action);
  CHECK(json::parse(*action).at("rule") == "api");

  auto page = s.api.get("/events?since=0&limit=1").json();
  CHECK(page.at("events").as_array().size() == 1);
  CHECK(page.at("next") == 1);
  CHECK(page.at("more") == true);
  page = s.api.get("/events?since=1").json();
  REQUIRE(page.at("events").as_array().size() == 1);
  CHECK(page.at("events").at(0).at("type") == "kill_all");
  CHECK(page.at("next") == 2);
  CHECK(s.api.get("/events?since=x").status == 400);

  // A stream from a cursor replays what followed it.
  line_stream replay(s.api.host, s.api.port, "/events/stream?since=1");
  const auto replayed = replay.next_line(5s);
  REQUIRE(replayed);
  CHECK(json::parse(*replayed).at("sequence") == 2);
}

TEST_CASE("api: stats, metrics and their reset", "[api][stats]") {
  auto s = start_api_server({"--fault", "max_connections:limit=0,name=none"});
  CHECK_FALSE(connects(*s.process));
  auto stats = s.api.get("/stats").json();
  CHECK(stats.at("connections").at("accepted") == 1);
  CHECK(stats.at("connections").at("rejected").at("max_connections") == 1);
  CHECK(stats.at("fired").at("none") == 1);

  const auto metrics = s.api.get("/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.header("content-type").starts_with("text/plain; version=0.0.4"));
  CHECK(metrics.body.find("fauxgres_connections_accepted_total 1\n") != std::string::npos);
  CHECK(metrics.body.find("fauxgres_errors_total{sqlstate=\"53300\"} 1\n") != std::string::npos);
  CHECK(metrics.body.find("fauxgres_connections_rejected_total{reason=\"max_connections\"} 1\n") !=
        std::string::npos);
  CHECK(
      metrics.body.find("fauxgres_fault_fired_total{rule=\"none\",type=\"max_connections\"} 1\n") !=
      std::string::npos);

  CHECK(s.api.post("/stats/reset").status == 204);
  stats = s.api.get("/stats").json();
  CHECK(stats.at("connections").at("accepted") == 0);
  CHECK(stats.at("fired").at("none") == 0);
}

TEST_CASE("api: the bearer token", "[api][token]") {
  auto s = start_api_server({}, "s3cret");
  auto none = call(s.api.host, s.api.port, "GET", "/rules");
  CHECK(none.status == 401);
  CHECK(none.json().at("status") == 401);
  CHECK(none.header("www-authenticate") == "Bearer");
  auto wrong =
      call(s.api.host, s.api.port, "GET", "/rules", {}, {{"Authorization", "Bearer s3cres"}});
  CHECK(wrong.status == 401);
  CHECK(s.api.get("/rules").status == 200);  // the client sends the token

  // A non-loopback address needs one: a configuration error naming the flag, exit 2.
  const auto result = run_command({fauxgres_binary(), "--api", "0.0.0.0:0"}, 10s);
  CHECK(result.exit_code() == 2);
  CHECK(result.err.find("--api-token") != std::string::npos);
}

TEST_CASE("api: bad input gets a JSON error", "[api][errors]") {
  auto s = start_api_server();
  auto big = s.api.post("/rules", std::string((1 << 20) + 10, ' '));
  CHECK(big.status == 413);
  CHECK(big.json().at("status") == 413);
  auto bad = s.api.post("/rules", "{nope");
  CHECK(bad.status == 400);
  CHECK(error_of(bad).starts_with("bad request body: "));
  auto missing = s.api.get("/nope");
  CHECK(missing.status == 404);
  CHECK(missing.json().at("status") == 404);
  auto method = s.api.del("/rules");
  CHECK(method.status == 405);
  CHECK(method.header("allow") == "GET, POST");
  CHECK(s.api.post("/actions/kill_all", R"({"x":1})").status == 400);

  // Not HTTP at all: 400 and the connection closed.
  auto raw = raw_client::tcp(s.api.host, s.api.port);
  const std::string garbage = "garbage\r\n\r\n";
  raw.send(std::span(reinterpret_cast<const std::uint8_t*>(garbage.data()), garbage.size()));
  const auto answer = raw.read_until_closed(5s);
  const std::string text(answer.begin(), answer.end());
  CHECK(text.starts_with("HTTP/1.1 400 Bad Request\r\n"));
  CHECK(text.find(R"("status":400)") != std::string::npos);
  CHECK(s.api.get("/version").status == 200);  // still serving
}

TEST_CASE("api: SIGTERM stops the server even with an event stream open", "[api][shutdown]") {
  auto s = start_api_server();
  line_stream stream(s.api.host, s.api.port, "/events/stream");
  REQUIRE(stream.status() == 200);
  REQUIRE(s.process->signal(SIGTERM));
  const auto status = s.process->wait_exit(5s);
  REQUIRE(status);
  CHECK(describe_wait_status(*status) == "exited with 0");
  CHECK_FALSE(stream.next_line(2s));
  CHECK(stream.ended());
}
