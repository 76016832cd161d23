// Toxiproxy's API on the control port, end to end with libpq: listeners as proxies, a proxy
// created on a free port, a toxic of a fauxgres fault type on it only, disable/enable,
// delete, and Toxiproxy's status codes and error shapes.
#include "api_support.hpp"

using namespace fauxgres_test;
using namespace fauxgres_test::api;
namespace json = boost::json;

namespace {

params via_port(std::uint16_t port) {
  return {{"host", "127.0.0.1"}, {"port", std::to_string(port)}, {"user", "app"}};
}

std::uint16_t port_of(const json::value& proxy) {
  const auto listen = json::value_to<std::string>(proxy.at("listen"));
  return static_cast<std::uint16_t>(std::stoi(listen.substr(listen.rfind(':') + 1)));
}

}  // namespace

TEST_CASE("toxiproxy api: listeners are proxies of the fake upstream", "[api][toxiproxy]") {
  auto s = start_api_server();
  auto all = s.api.get("/proxies").json();
  REQUIRE(all.as_object().size() == 2);
  CHECK(all.at("tcp0").at("upstream") == "fake");
  CHECK(all.at("tcp0").at("enabled") == true);
  CHECK(all.at("tcp0").at("listen") ==
        (s.process->tcp_host() + ":" + std::to_string(s.process->tcp_port())).c_str());
  CHECK(all.at("unix0").at("listen") == s.process->unix_socket_path().c_str());
  CHECK(all.at("tcp0").at("toxics").as_array().empty());
}

TEST_CASE("toxiproxy api: a proxy, a toxic on it, disable, delete", "[api][toxiproxy]") {
  auto s = start_api_server();
  auto created =
      s.api.post("/proxies", R"({"name":"pg","listen":"localhost:0","upstream":"fake"})");
  REQUIRE(created.status == 201);
  const auto proxy = created.json();
  CHECK(proxy.at("name") == "pg");
  CHECK(proxy.at("enabled") == true);
  const auto port = port_of(proxy);
  REQUIRE(port != 0);
  CHECK(json::value_to<std::string>(proxy.at("listen")) == "127.0.0.1:" + std::to_string(port));
  auto c = connect(via_port(port));
  REQUIRE(PQstatus(c.get()) == CONNECTION_OK);

  CHECK(
      s.api.post("/proxies", R"({"name":"pg","listen":"127.0.0.1:0","upstream":"fake"})").json() ==
      json::parse(R"({"error":"proxy already exists","status":409})"));
  auto elsewhere =
      s.api.post("/proxies", R"({"name":"x","listen":"127.0.0.1:0","upstream":"db:5432"})");
  CHECK(elsewhere.status == 400);
  CHECK(error_of(elsewhere).find("only \"fake\"") != std::string::npos);

  // A fauxgres fault as a toxic: only connections through the proxy are refused.
  auto toxic = s.api.post("/proxies/pg/toxics",
                          R"({"type":"startup_error","attributes":{"preset":"starting_up"}})");
  REQUIRE(toxic.status == 200);
  CHECK(toxic.json() == json::parse(R"({"name":"startup_error_downstream","type":"startup_error",
      "stream":"downstream","toxicity":1,"attributes":{"preset":"starting_up"}})"));
  auto refused = connect(via_port(port));
  CHECK(error_text(refused.get()).find("the database system is starting up") != std::string::npos);
  CHECK(connects(*s.process));
  const auto rule = s.api.get("/rules/startup_error_downstream").json();
  CHECK(rule.at("listener") == "pg");
  CHECK(rule.at("fired") == 1);
  CHECK(s.api
            .post("/proxies/pg/toxics",
                  R"({"type":"startup_error","attributes":{"preset":"recovery"}})")
            .status == 409);
  CHECK(s.api.get("/proxies/pg/toxics").json().as_array().size() == 1);
  CHECK(s.api.get("/proxies/pg").json().at("toxics").as_array().size() == 1);

  auto updated = s.api.post("/proxies/pg/toxics/startup_error_downstream",
                            R"({"attributes":{"preset":"recovery"}})");
  CHECK(updated.status == 200);
  CHECK(updated.json().at("attributes").at("preset") == "recovery");
  refused = connect(via_port(port));
  CHECK(error_text(refused.get()).find("the database system is in recovery mode") !=
        std::string::npos);
  CHECK(s.api.del("/proxies/pg/toxics/startup_error_downstream").status == 204);
  CHECK(s.api.del("/proxies/pg/toxics/startup_error_downstream").json() ==
        json::parse(R"({"error":"toxic not found","status":404})"));
  auto again = connect(via_port(port));
  CHECK(PQstatus(again.get()) == CONNECTION_OK);

  // Disabled: its connections are dropped and connects refused, as a disabled Toxiproxy proxy.
  auto disabled = s.api.patch("/proxies/pg", R"({"enabled":false})");
  CHECK(disabled.status == 200);
  CHECK(disabled.json().at("enabled") == false);
  REQUIRE(wait_readable(PQsocket(c.get()), 5s));
  result_ptr r(PQexec(c.get(), "SELECT 1"));
  CHECK(PQstatus(c.get()) == CONNECTION_BAD);
  CHECK(connect_errno_tcp("127.0.0.1", port) == ECONNREFUSED);
  CHECK(connects(*s.process));  // tcp0 is not touched
  CHECK(s.api.post("/proxies/pg", R"({"enabled":true})").json().at("enabled") == true);
  CHECK(PQstatus(connect(via_port(port)).get()) == CONNECTION_OK);

  CHECK(s.api.del("/proxies/pg").status == 204);
  CHECK(connect_errno_tcp("127.0.0.1", port) == ECONNREFUSED);
  CHECK(s.api.get("/proxies/pg").json() ==
        json::parse(R"({"error":"proxy not found","status":404})"));
}

TEST_CASE("toxiproxy api: populate and reset", "[api][toxiproxy]") {
  auto s = start_api_server();
  auto populated = s.api.post("/populate",
                              R"([{"name":"a","listen":"127.0.0.1:0","upstream":"fake"},
          {"name":"b","listen":"127.0.0.1:0","upstream":"fake","enabled":false}])");
  REQUIRE(populated.status == 201);
  const auto proxies = populated.json().at("proxies").as_array();
  REQUIRE(proxies.size() == 2);
  CHECK(proxies[1].at("enabled") == false);
  CHECK(connect_errno_tcp("127.0.0.1", port_of(proxies[1])) == ECONNREFUSED);
  auto missing = s.api.post("/populate", R"([{"name":"c"}])");
  CHECK(missing.status == 400);
  CHECK(error_of(missing) == "missing required field: upstream at proxy 1");

  REQUIRE(s.api.post("/proxies/a/toxics", R"({"type":"auth_fail","name":"no"})").status == 200);
  CHECK(s.api.post("/reset").status == 204);  // toxics gone, proxies enabled, proxies kept
  CHECK(s.api.get("/proxies/a/toxics").json().as_array().empty());
  CHECK(s.api.get("/proxies/b").json().at("enabled") == true);
  CHECK(PQstatus(connect(via_port(port_of(proxies[1]))).get()) == CONNECTION_OK);
}
