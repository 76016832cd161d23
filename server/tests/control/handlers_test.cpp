// The control API's handlers against a server that is built but not started (no sockets):
// rule CRUD with 201/404/405/409, PATCH merging, actions recorded as events, the event
// cursor, version, reset, and Toxiproxy's errors for unknown proxies.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "control/handlers.hpp"

using namespace fauxgres;
using namespace fauxgres::control;
namespace json = boost::json;

namespace {

struct fixture {
  config::server_config config;
  responder::fixtures answers;
  faults::engine rules{{}, 7};
  observe::logger log{"text", "off"};
  net::server server{config, answers, rules, log};
  handlers api{server, config, log};

  response call(std::string method, std::string target, std::string body = {}) {
    return api.handle({std::move(method), std::move(target), std::move(body)});
  }
  json::value call_json(std::string method, std::string target, std::string body = {}) {
    return json::parse(call(std::move(method), std::move(target), std::move(body)).body);
  }
};

}  // namespace

TEST_CASE("handlers: rules are created, shown, changed and removed") {
  fixture f;
  auto created = f.call("POST", "/rules", R"({"type":"max_connections","limit":1,"name":"cap"})");
  CHECK(created.status == 201);
  CHECK(json::parse(created.body).at("limit") == "1");
  CHECK(f.rules.find("cap") != nullptr);

  auto taken = f.call("POST", "/rules", R"({"type":"max_connections","limit":2,"name":"cap"})");
  CHECK(taken.status == 409);
  CHECK(json::parse(taken.body).at("status") == 409);

  auto bad = f.call("POST", "/rules", R"({"type":"idle_drop","after":"5x"})");
  CHECK(bad.status == 400);
  CHECK(json::value_to<std::string>(json::parse(bad.body).at("error"))
            .starts_with("rules[new].after: expected a duration"));

  auto patched = f.call_json("PATCH", "/rules/cap", R"({"limit":5,"user":"app"})");
  CHECK(patched.at("limit") == "5");
  CHECK(patched.at("user") == "app");
  CHECK(f.rules.find("cap")->match.user == "app");
  patched = f.call_json("PATCH", "/rules/cap", R"({"user":null})");
  CHECK_FALSE(patched.as_object().contains("user"));

  auto put = f.call("PUT", "/rules/other", R"({"type":"auth_fail"})");
  CHECK(put.status == 201);
  put = f.call("PUT", "/rules/other", R"({"type":"auth_delay","delay":"1s"})");
  CHECK(put.status == 200);
  CHECK(f.rules.find("other")->type == "auth_delay");

  auto listed = f.call_json("GET", "/rules");
  CHECK(listed.at("rules").as_array().size() == 2);
  CHECK(listed.at("seed") == 7);

  CHECK(f.call("DELETE", "/rules/cap").status == 204);
  CHECK(f.call("DELETE", "/rules/cap").status == 404);
  CHECK(f.call("GET", "/rules/cap").status == 404);
}

TEST_CASE("handlers: 404 and 405 with Allow") {
  fixture f;
  CHECK(f.call("GET", "/nope").status == 404);
  auto r = f.call("DELETE", "/rules");
  CHECK(r.status == 405);
  REQUIRE(r.headers.size() == 1);
  CHECK(r.headers[0].first == "Allow");
  CHECK(r.headers[0].second == "GET, POST");
  CHECK(f.call("DELETE", "/connections/9").status == 404);
  CHECK(f.call("DELETE", "/connections/x").status == 400);
  CHECK(f.call("POST", "/listeners/nope/disable").status == 404);
}

TEST_CASE("handlers: actions are recorded as events, the event cursor moves on") {
  fixture f;
  auto r = f.call("POST", "/actions/restart", R"({"duration":"250ms"})");
  CHECK(r.status == 200);
  CHECK(json::parse(r.body).at("duration_ms") == 250);
  CHECK(f.call("POST", "/actions/restart", R"({"duration":"soon"})").status == 400);
  CHECK(f.call("POST", "/actions/kill_all", R"({"x":1})").status == 400);
  CHECK(f.call("POST", "/actions/kill_all").status == 200);

  auto events = f.call_json("GET", "/events?since=0");
  REQUIRE(events.at("events").as_array().size() == 2);
  CHECK(events.at("events").at(0).at("rule") == "api");
  CHECK(events.at("events").at(0).at("type") == "restart");
  CHECK(events.at("events").at(0).at("hook") == "server");
  CHECK(events.at("events").at(1).at("type") == "kill_all");
  CHECK(events.at("next") == 2);
  CHECK(f.call_json("GET", "/events?since=2").at("events").as_array().empty());
  CHECK(f.call_json("GET", "/events?since=0&limit=1").at("more") == true);

  std::uint64_t cursor = 1;
  auto lines = f.api.event_lines(cursor, 10);
  CHECK(cursor == 2);
  CHECK(lines.find("\"kill_all\"") != std::string::npos);
  CHECK(lines.back() == '\n');
  CHECK(f.api.event_lines(cursor, 10).empty());

  auto stream = f.call("GET", "/events/stream");
  CHECK(stream.stream_events_after == 2u);
  CHECK(f.call("GET", "/events/stream?since=0").stream_events_after == 0u);
}

TEST_CASE("handlers: version, stats, metrics, reset") {
  fixture f;
  auto v = f.call_json("GET", "/version");
  CHECK(v.at("version") == FAUXGRES_VERSION);
  CHECK(v.at("name") == "fauxgres");
  CHECK(f.call_json("GET", "/stats").as_object().contains("connections"));
  CHECK(f.call("POST", "/stats/reset").status == 204);
  auto metrics = f.call("GET", "/metrics");
  CHECK(metrics.content_type.starts_with("text/plain"));
  CHECK(metrics.body.find("fauxgres_connections_current 0") != std::string::npos);
  f.call("POST", "/rules", R"({"type":"auth_fail"})");
  CHECK(f.call("POST", "/reset").status == 204);
  CHECK(f.rules.rules().empty());
}

TEST_CASE("handlers: Toxiproxy errors for what does not exist") {
  fixture f;
  auto r = f.call("GET", "/proxies/pg");
  CHECK(r.status == 404);
  CHECK(json::parse(r.body) == json::parse(R"({"error":"proxy not found","status":404})"));
  CHECK(f.call("GET", "/proxies/pg/toxics").status == 404);
  CHECK(f.call("DELETE", "/proxies/pg").status == 404);
  CHECK(f.call_json("GET", "/proxies").as_object().empty());
  CHECK(f.call_json("POST", "/proxies", R"({"name":"pg"})") ==
        json::parse(R"({"error":"missing required field: upstream","status":400})"));
  CHECK(f.call_json("POST", "/proxies", R"({"upstream":"fake"})") ==
        json::parse(R"({"error":"missing required field: name","status":400})"));
  auto upstream = f.call("POST", "/proxies", R"({"name":"pg","upstream":"db:5432"})");
  CHECK(upstream.status == 400);
  CHECK(upstream.body.find("only \\\"fake\\\"") != std::string::npos);
  CHECK(f.call("POST", "/populate", R"({"name":"x"})").status == 400);
  CHECK(f.call_json("POST", "/populate", "[]") == json::parse(R"({"proxies":[]})"));
}
