// Routing of the control API: endpoints, path parameters, queries, 404 and 405.
#include <catch2/catch.hpp>

#include "control/router.hpp"

using namespace fauxgres::control;

TEST_CASE("router: fauxgres endpoints with their parameters") {
  auto r = match_route("GET", "/rules");
  REQUIRE(r.found);
  CHECK(r.found->what == endpoint::rules_list);

  r = match_route("PATCH", "/rules/idle_drop%231");
  REQUIRE(r.found);
  CHECK(r.found->what == endpoint::rule_patch);
  CHECK(r.found->params == std::vector<std::string>{"idle_drop#1"});

  r = match_route("POST", "/connections/42/terminate");
  REQUIRE(r.found);
  CHECK(r.found->what == endpoint::connection_terminate);
  CHECK(r.found->params == std::vector<std::string>{"42"});
  CHECK(match_route("DELETE", "/connections/42").found->what == endpoint::connection_terminate);

  CHECK(match_route("POST", "/listeners/tcp0/disable").found->what == endpoint::listener_disable);
  CHECK(match_route("POST", "/actions/restart").found->what == endpoint::action_restart);
  CHECK(match_route("GET", "/events/stream").found->what == endpoint::events_stream);
  CHECK(match_route("POST", "/stats/reset").found->what == endpoint::stats_reset);
  CHECK(match_route("GET", "/rules/").found->what == endpoint::rules_list);  // trailing slash
}

TEST_CASE("router: queries are decoded") {
  auto r = match_route("GET", "/events?since=12&limit=5&x=a+b%2Fc&flag");
  REQUIRE(r.found);
  CHECK(r.found->what == endpoint::events_list);
  CHECK(r.found->query.at("since") == "12");
  CHECK(r.found->query.at("limit") == "5");
  CHECK(r.found->query.at("x") == "a b/c");
  CHECK(r.found->query.at("flag").empty());
}

TEST_CASE("router: Toxiproxy endpoints") {
  CHECK(match_route("GET", "/proxies").found->what == endpoint::proxies_list);
  CHECK(match_route("POST", "/proxies").found->what == endpoint::proxy_create);
  CHECK(match_route("POST", "/populate").found->what == endpoint::populate);
  CHECK(match_route("POST", "/proxies/pg").found->what == endpoint::proxy_update);
  CHECK(match_route("PATCH", "/proxies/pg").found->what == endpoint::proxy_update);
  auto r = match_route("DELETE", "/proxies/pg/toxics/latency_downstream");
  REQUIRE(r.found);
  CHECK(r.found->what == endpoint::toxic_delete);
  CHECK(r.found->params == std::vector<std::string>{"pg", "latency_downstream"});
  CHECK(match_route("POST", "/proxies/pg/toxics/t").found->what == endpoint::toxic_update);
  CHECK(match_route("POST", "/reset").found->what == endpoint::reset);
  CHECK(match_route("GET", "/version").found->what == endpoint::version);
}

TEST_CASE("router: unknown paths give nothing, known paths the methods they allow") {
  auto r = match_route("GET", "/nope");
  CHECK_FALSE(r.found);
  CHECK(r.allow.empty());

  r = match_route("DELETE", "/rules");
  CHECK_FALSE(r.found);
  CHECK(r.allow == "GET, POST");

  r = match_route("POST", "/rules/x");
  CHECK_FALSE(r.found);
  CHECK(r.allow == "GET, PUT, PATCH, DELETE");

  CHECK_FALSE(match_route("GET", "/rules/a/b").found);
}

TEST_CASE("router: percent decoding keeps bad escapes") {
  CHECK(percent_decode("a%2Fb") == "a/b");
  CHECK(percent_decode("100%") == "100%");
  CHECK(percent_decode("%zz") == "%zz");
  CHECK(percent_decode("a+b") == "a+b");
  CHECK(percent_decode("a+b", true) == "a b");
}
