// Network faults end to end (Toxiproxy's toxics): latency (down and up, jitter), bandwidth,
// slicer, limit_data, timeout (with a deadline, and held until shutdown), reset_peer,
// slow_close, noop, toxicity, windows reaching open connections, and TLS, as libpq and raw
// sockets see them. Times are measured from before the client's action, so lower bounds hold
// whatever the scheduling; upper bounds are generous.
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <csignal>

#include "fault_support.hpp"

using namespace fauxgres_test;
using namespace fauxgres_test::faults;

namespace {

// A fixture answering "SELECT big" with one text value of `size` bytes.
std::string big_fixture(std::size_t size) {
  return "queries:\n"
         "  - match: \"SELECT big\"\n"
         "    columns: [{name: big, type: text}]\n"
         "    rows: [[\"" +
         std::string(size, 'x') + "\"]]\n";
}

conn_ptr connected(const server_process& s, transport via = transport::tcp, params extra = {}) {
  auto c = connect(connection_params(s, via, std::move(extra)));
  INFO(error_text(c.get()) << s.diagnostics());
  REQUIRE(PQstatus(c.get()) == CONNECTION_OK);
  return c;
}

// How long one `SELECT 1` takes on `c`.
milliseconds round_trip(PGconn* c) {
  const auto start = steady::now();
  auto r = exec(c, "SELECT 1");
  const auto took = since(start);
  CHECK(value(r.get()) == "1");
  return took;
}

// Reads from `fd` until a ReadyForQuery came, the peer closed or the deadline; counts the
// recv() calls that returned data.
struct reads {
  wire::bytes data;
  int count = 0;
};
reads read_counting(int fd, milliseconds timeout) {
  reads out;
  const auto deadline = steady::now() + timeout;
  while (ready_status(split_all(out.data)) == 0) {
    const auto left = std::chrono::ceil<milliseconds>(deadline - steady::now()).count();
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    std::uint8_t chunk[65536];
    const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got <= 0) break;
    out.data.insert(out.data.end(), chunk, chunk + got);
    ++out.count;
  }
  return out;
}

// One request to the control API (--api): its HTTP status, or 0 if there was no answer.
int api_call(const server_process& s, const std::string& method, const std::string& path,
             const std::string& body = "") {
  const auto reply = api_request(s, method, path, body);
  INFO("API reply: " << reply);
  return http_status(reply);
}

std::int64_t fired(const boost::json::value& stats, const char* rule) {
  const auto& f = stats.at("fired").as_object();
  return f.contains(rule) ? f.at(rule).as_int64() : 0;
}

}  // namespace

TEST_CASE("latency delays every answer, login included", "[network][latency]") {
  auto server = start_with_faults({"latency:latency=150"});
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  const auto start = steady::now();
  auto conn = connected(*server, via);
  CHECK(since(start) >= 150ms);  // the StartupMessage's answer waited
  for (int i = 0; i < 3; ++i) {
    const auto took = round_trip(conn.get());
    CHECK(took >= 150ms);
    CHECK(took < 1000ms);
  }
}

TEST_CASE("latency stream=upstream delays what the client sends", "[network][latency]") {
  auto server = start_with_faults({"latency:latency=150,stream=upstream"});
  auto conn = connected(*server);
  const auto took = round_trip(conn.get());
  CHECK(took >= 150ms);
  CHECK(took < 1000ms);

  SECTION("raw: the answer to a query comes after the latency") {
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    const auto sent = steady::now();
    CHECK(ready_status(simple_query(c, "SELECT 1")) == 'I');
    CHECK(since(sent) >= 150ms);
  }
}

TEST_CASE("latency with jitter stays within latency ± jitter", "[network][latency]") {
  auto server = start_with_faults({"latency:latency=100,jitter=50"}, {"--seed", "7"});
  auto conn = connected(*server);
  for (int i = 0; i < 5; ++i) {
    const auto took = round_trip(conn.get());
    CHECK(took >= 50ms);
    CHECK(took < 1000ms);
  }
}

TEST_CASE("bandwidth: a large answer takes size / rate", "[network][bandwidth]") {
  temp_file fixtures(big_fixture(200'000));
  auto server = start_with_faults({"bandwidth:rate=500"}, {"--fixtures", fixtures.path});
  auto conn = connected(*server);
  const auto start = steady::now();
  auto r = exec(conn.get(), "SELECT big", 10s);
  const auto took = since(start);
  REQUIRE(PQresultStatus(r.get()) == PGRES_TUPLES_OK);
  CHECK(value(r.get()).size() == 200'000);
  INFO("took " << took.count() << " ms");
  CHECK(took >= 400ms);  // 200 KB at 500 KB/s
  CHECK(took < 3000ms);
  CHECK(round_trip(conn.get()) < 300ms);  // a small answer is quick

  SECTION("upstream: a large query takes size / rate to arrive") {
    auto up = start_with_faults({"bandwidth:rate=100,stream=upstream"});
    auto c = connected(*up);
    const std::string sql = "SELECT '" + std::string(50'000, 'y') + "'";
    const auto sent = steady::now();
    auto big = exec(c.get(), sql, 10s);
    CHECK(value(big.get()).size() == 50'000);
    CHECK(since(sent) >= 500ms);  // 50 KB at 100 KB/s
  }
}

TEST_CASE("slicer: the same bytes in many small reads", "[network][slicer]") {
  auto server = start_with_faults({"slicer:average_size=10,delay=3000"});
  auto plain = start_with_faults({});
  auto login_bytes = [](const server_process& s, int* count) {
    auto c = raw_connect(s, transport::tcp);
    send_startup(c, "u", "d");
    auto got = read_counting(c.fd(), 3s);
    *count = got.count;
    return got.data;
  };
  int sliced_reads = 0;
  int plain_reads = 0;
  const auto sliced = login_bytes(*server, &sliced_reads);
  const auto whole = login_bytes(*plain, &plain_reads);
  const auto msgs = split_all(sliced);
  INFO("sliced: " << summarize(msgs) << " in " << sliced_reads << " reads");
  CHECK(wire::type_sequence(msgs) == wire::type_sequence(split_all(whole)));
  CHECK(sliced.size() == whole.size());
  CHECK(ready_status(msgs) == 'I');
  CHECK(plain_reads <= 2);
  CHECK(sliced_reads >= static_cast<int>(sliced.size() / 20));  // ~10 bytes, 3 ms apart
}

TEST_CASE("limit_data closes after `bytes`", "[network][limit_data]") {
  SECTION("downstream: exactly 100 bytes, then EOF") {
    auto server = start_with_faults({"limit_data:bytes=100"});
    auto c = raw_connect(*server, transport::tcp);
    send_startup(c, "u", "d");
    const auto got = c.read_until_closed(3s);
    CHECK(got.size() == 100);
    CHECK(c.peer_state() == raw_client::peer::fin);
    auto conn = connect(connection_params(*server, transport::tcp));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    CHECK_THAT(error_text(conn.get()),
               Catch::Contains("server closed the connection unexpectedly"));
  }
  SECTION("upstream: the server sees 8 bytes, the client EOF") {
    auto server = start_with_faults({"limit_data:bytes=8,stream=upstream"});
    auto c = raw_connect(*server, transport::tcp);
    send_startup(c, "u", "d");
    CHECK(silent_close(c) == "FIN");
  }
  SECTION("counted over the connection: a session runs until the limit") {
    auto server = start_with_faults({"limit_data:bytes=2000"});
    auto conn = connected(*server);
    int ok = 0;
    for (int i = 0; i < 100 && PQstatus(conn.get()) == CONNECTION_OK; ++i) {
      auto r = exec_all(conn.get(), "SELECT 1");
      if (!r.empty() && PQresultStatus(r.front().get()) == PGRES_TUPLES_OK) ++ok;
    }
    CHECK(ok > 5);
    CHECK(ok < 60);  // the login and each answer (~60 bytes) count
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
  }
}

TEST_CASE("timeout holds everything, then closes", "[network][timeout]") {
  auto server = start_with_faults({"timeout:timeout=300"});
  auto c = raw_connect(*server, transport::tcp);
  const auto start = steady::now();
  send_startup(c, "u", "d");
  const auto got = c.read_until_closed(3s);
  const auto took = since(start);
  INFO("received " << wire::describe_bytes(got));
  CHECK(got.empty());
  CHECK(c.peer_state() == raw_client::peer::fin);
  CHECK(took >= 290ms);  // counted from accept, a moment before `start`'s send
  CHECK(took < 2000ms);

  bool timed_out = false;
  auto conn = connect(connection_params(*server, transport::tcp), 3s, &timed_out);
  CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
  CHECK_FALSE(timed_out);
}

TEST_CASE("timeout=0 holds until the server shuts down", "[network][timeout]") {
  const auto stream = GENERATE(std::string("downstream"), std::string("upstream"));
  INFO("stream: " << stream);
  auto server = start_with_faults({"timeout:timeout=0,stream=" + stream});
  auto c = raw_connect(*server, transport::tcp);
  send_startup(c, "u", "d");
  CHECK(c.read_for(500ms).empty());
  CHECK(c.peer_state() == raw_client::peer::open);
  const auto stop = steady::now();
  REQUIRE(server->signal(SIGTERM));
  const auto status = server->wait_exit(5s);
  REQUIRE(status);
  CHECK(WIFEXITED(*status));
  CHECK(since(stop) < 2000ms);
  c.read_until_closed(2s);
  CHECK(c.peer_state() != raw_client::peer::open);
}

TEST_CASE("a connection whose client left while held ends", "[network][timeout]") {
  // One connection at a time: the second logs in only once the server saw the first go.
  auto server = start_with_faults({"timeout:listener=unix", "max_connections:limit=1"});
  {
    auto held = raw_connect(*server, transport::unix_socket);
    send_startup(held, "u", "d");
    CHECK(held.read_for(300ms).empty());
  }
  CHECK(retry_until(
      [&] {
        auto c = connect(connection_params(*server, transport::tcp));
        return PQstatus(c.get()) == CONNECTION_OK;
      },
      3s, 50ms));
}

TEST_CASE("a rule's window reaches open connections", "[network][timeout][latency]") {
  SECTION("latency comes and goes on the same connection") {
    auto server = start_with_faults({"latency:latency=200,from=600ms,until=1500ms"});
    auto conn = connected(*server);
    CHECK(round_trip(conn.get()) < 150ms);  // before `from`
    CHECK(retry_until([&] { return round_trip(conn.get()) >= 200ms; }, 3s));
    CHECK(retry_until([&] { return round_trip(conn.get()) < 150ms; }, 3s));
  }
  SECTION("timeout=0 holds answers until its window ends, then lets them go") {
    auto server = start_with_faults({"timeout:from=400ms,until=1200ms"});
    auto conn = connected(*server);
    milliseconds held{0};
    CHECK(retry_until(
        [&] {
          held = round_trip(conn.get());
          return held >= 200ms;
        },
        3s));
    INFO("held for " << held.count() << " ms");
    CHECK(held < 1500ms);
    CHECK(round_trip(conn.get()) < 150ms);
  }
  SECTION("upstream: the query is held, then reaches the server") {
    auto server = start_with_faults({"timeout:stream=upstream,from=400ms,until=1000ms"});
    auto conn = connected(*server);
    milliseconds held{0};
    CHECK(retry_until(
        [&] {
          held = round_trip(conn.get());
          return held >= 200ms;
        },
        3s));
    CHECK(held < 1300ms);
    CHECK(round_trip(conn.get()) < 150ms);
  }
}

TEST_CASE("toxics added and removed through the API reach open connections", "[network][api]") {
  auto server = start_with_faults({}, {"--api", "127.0.0.1:0"});
  REQUIRE(server->info().api_port != 0);
  auto conn = connected(*server);  // a pool's connection, open before any toxic
  CHECK(round_trip(conn.get()) < 150ms);

  SECTION("latency comes with the toxic and goes with it") {
    REQUIRE(api_call(*server, "POST", "/proxies/tcp0/toxics",
                     R"({"name":"slow","type":"latency","attributes":{"latency":200}})") == 200);
    CHECK(round_trip(conn.get()) >= 200ms);
    CHECK(round_trip(conn.get()) >= 200ms);
    REQUIRE(api_call(*server, "DELETE", "/proxies/tcp0/toxics/slow") == 204);
    CHECK(round_trip(conn.get()) < 150ms);
  }
  SECTION("timeout=0 on an idle connection: its next answer waits for the toxic to go") {
    REQUIRE(api_call(*server, "POST", "/proxies/tcp0/toxics",
                     R"({"name":"cut","type":"timeout","attributes":{"timeout":0}})") == 200);
    REQUIRE(PQsendQuery(conn.get(), "SELECT 1") == 1);
    CHECK_FALSE(wait_result_ready(conn.get(), steady::now() + 300ms));
    const auto removed = steady::now();
    REQUIRE(api_call(*server, "DELETE", "/proxies/tcp0/toxics/cut") == 204);
    const auto results = collect_results(conn.get(), 3s);
    CHECK(since(removed) < 1000ms);
    REQUIRE(results.size() == 1);
    CHECK(value(results.front().get()) == "1");
  }
  SECTION("timeout=300 added to an idle connection closes it, no data needed") {
    const auto added = steady::now();
    REQUIRE(api_call(*server, "POST", "/proxies/tcp0/toxics",
                     R"({"type":"timeout","attributes":{"timeout":300}})") == 200);
    REQUIRE(wait_readable(PQsocket(conn.get()), 3s));  // the FIN arrives
    CHECK(since(added) >= 300ms);
    CHECK(since(added) < 2000ms);
    if (PQsendQuery(conn.get(), "SELECT 1") == 1) collect_results(conn.get(), 3s);
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
  }
}

TEST_CASE("reset_peer: RST instead of the answer", "[network][reset_peer]") {
  SECTION("timeout=0: at once") {
    auto server = start_with_faults({"reset_peer"});
    auto c = raw_connect(*server, transport::tcp);
    send_startup(c, "u", "d");
    CHECK(silent_close(c) == "RST");
    auto conn = connect(connection_params(*server, transport::tcp));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
  }
  SECTION("timeout=200: 200 ms after the first data") {
    auto server = start_with_faults({"reset_peer:timeout=200"});
    auto c = raw_connect(*server, transport::tcp);
    const auto start = steady::now();
    send_startup(c, "u", "d");
    CHECK(silent_close(c) == "RST");
    CHECK(since(start) >= 200ms);
    CHECK(since(start) < 2000ms);
  }
  SECTION("upstream: the client's first bytes trigger it") {
    auto server = start_with_faults({"reset_peer:stream=upstream,user=app"});
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c, "app", "d");  // the user is not known before the StartupMessage
    c.send(wire::query("SELECT 1"));
    CHECK(silent_close(c) == "RST");
  }
}

TEST_CASE("slow_close delays the FIN", "[network][slow_close]") {
  auto server = start_with_faults({"slow_close:delay=300"});
  SECTION("after a Terminate") {
    auto c = raw_connect(*server, transport::tcp);
    login_ok(c);
    const auto start = steady::now();
    c.send(wire::terminate());
    CHECK(silent_close(c) == "FIN");
    CHECK(since(start) >= 300ms);
    CHECK(since(start) < 2000ms);
  }
  SECTION("after a FATAL") {
    auto fatal = start_with_faults({"slow_close:delay=300", "auth_fail"});
    auto c = raw_connect(*fatal, transport::tcp);
    const auto start = steady::now();
    send_startup(c, "u", "d");
    const auto m = c.read_message(3s);
    REQUIRE(m);
    CHECK(wire::field(*m, 'C') == "28P01");
    CHECK(since(start) < 250ms);  // the data is not delayed
    CHECK(silent_close(c) == "FIN");
    CHECK(since(start) >= 300ms);
  }
}

TEST_CASE("toxicity 0 never applies; noop and the stats", "[network][toxicity]") {
  temp_dir dir;
  const auto stats_file = dir.path + "/stats.json";
  auto server = start_with_faults({"latency:latency=500,toxicity=0,name=never", "noop:name=watch"},
                                  {"--stats-file", stats_file});
  for (int i = 0; i < 3; ++i) {
    auto conn = connected(*server);
    CHECK(round_trip(conn.get()) < 300ms);
  }
  server->stop();
  const auto stats = read_json_file(stats_file);
  CHECK(fired(stats, "never") == 0);
  CHECK(fired(stats, "watch") == 3);  // once per connection
  bool seen = false;
  for (const auto& e : stats.at("events").as_array()) {
    if (e.at("rule").as_string() != "watch") continue;
    seen = true;
    CHECK(e.at("hook").as_string() == "data");
    CHECK(e.at("action").as_string() == "noop downstream");
  }
  CHECK(seen);
}

TEST_CASE("network faults shape TLS connections", "[network][tls]") {
  SECTION("latency on every round trip, handshake included") {
    auto server = start_with_faults({"latency:latency=100"}, {"--ssl", "on"});
    const auto start = steady::now();
    auto conn = connected(*server, transport::tcp, {{"sslmode", "require"}});
    CHECK(PQsslInUse(conn.get()) == 1);
    CHECK(since(start) >= 300ms);  // 'S', the handshake, the startup answer
    const auto took = round_trip(conn.get());
    CHECK(took >= 100ms);
    CHECK(took < 1000ms);
  }
  SECTION("slicer: the encrypted bytes still make sense") {
    temp_file fixtures(big_fixture(50'000));
    auto server = start_with_faults({"slicer:average_size=500,size_variation=200,delay=100"},
                                    {"--ssl", "on", "--fixtures", fixtures.path});
    auto conn = connected(*server, transport::tcp, {{"sslmode", "require"}});
    auto r = exec(conn.get(), "SELECT big", 10s);
    CHECK(value(r.get()).size() == 50'000);
  }
  SECTION("limit_data cuts the TLS stream") {
    auto server = start_with_faults({"limit_data:bytes=3000"}, {"--ssl", "on"});
    auto conn = connect(connection_params(*server, transport::tcp, {{"sslmode", "require"}}));
    bool closed = PQstatus(conn.get()) != CONNECTION_OK;
    for (int i = 0; i < 100 && !closed; ++i) {
      auto r = exec_all(conn.get(), "SELECT 1");
      closed = PQstatus(conn.get()) != CONNECTION_OK;
    }
    CHECK(closed);
  }
}
