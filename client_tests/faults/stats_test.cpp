// The counters in --stats-file end to end (docs/stats.md): peaks per listener, user and
// application_name, rejections by reason, errors by SQLSTATE, durations, idle time and the
// open-connections series, after real libpq sessions.
#include <poll.h>

#include "fault_support.hpp"

using namespace fauxgres_test;
using namespace fauxgres_test::faults;

namespace {

std::int64_t number(const boost::json::value& v) {
  return v.to_number<std::int64_t>();
}

params as_user(const server_process& s, transport via, const std::string& user,
               const std::string& password, const std::string& application = "") {
  params p = connection_params(s, via, {{"user", user}, {"dbname", "d"}, {"password", password}});
  if (!application.empty()) p.emplace_back("application_name", application);
  return p;
}

}  // namespace

TEST_CASE("stats file: connections, rejections, errors, durations, idle time", "[stats]") {
  temp_dir dir;
  const std::string path = dir.path + "/stats.json";
  auto server = start_with_faults({"max_connections:limit=3"},
                                  {"--user", "app=secret", "--user", "admin=secret", "--auth",
                                   "password", "--stats-file", path});
  {
    auto a = connect(as_user(*server, transport::tcp, "app", "secret", "worker"));
    auto b = connect(as_user(*server, transport::unix_socket, "app", "secret", "worker"));
    auto c = connect(as_user(*server, transport::tcp, "admin", "secret"));
    REQUIRE(PQstatus(a.get()) == CONNECTION_OK);
    REQUIRE(PQstatus(b.get()) == CONNECTION_OK);
    REQUIRE(PQstatus(c.get()) == CONNECTION_OK);
    auto over = connect(as_user(*server, transport::tcp, "app", "secret"));  // 53300
    CHECK(PQstatus(over.get()) == CONNECTION_BAD);
    CHECK(sqlstate(exec(a.get(), "SELECT 1/0").get()) == "22012");
    ::poll(nullptr, 0, 300);  // a idles 300 ms between statements
    CHECK(value(exec(a.get(), "SELECT 1").get()) == "1");
  }
  auto wrong = connect(as_user(*server, transport::tcp, "app", "nope"));  // 28P01
  CHECK(PQstatus(wrong.get()) == CONNECTION_BAD);
  wrong.reset();
  server->stop();

  const auto json = read_json_file(path);
  INFO("stats: " << boost::json::serialize(json));
  const auto& c = json.at("connections");
  CHECK(number(c.at("accepted")) == 5);
  CHECK(number(c.at("closed")) == 5);
  CHECK(number(c.at("current")) == 0);
  CHECK(number(c.at("peak")) == 4);  // the one turned away counted while it was open
  CHECK(number(c.at("logins")) == 3);
  CHECK(number(c.at("auth_failures")) == 1);
  CHECK(number(c.at("peak_by_listener").at("tcp0")) == 3);
  CHECK(number(c.at("by_listener").at("unix0").at("peak")) == 1);
  CHECK(number(c.at("by_listener").at("unix0").at("current")) == 0);
  CHECK(number(c.at("by_user").at("app").at("peak")) == 3);
  CHECK(number(c.at("by_user").at("admin").at("peak")) == 1);
  CHECK(number(c.at("by_application_name").at("worker").at("peak")) == 2);
  CHECK(number(c.at("rejected").at("max_connections")) == 1);
  CHECK(number(c.at("rejected").at("auth_failed")) == 1);
  CHECK(number(c.at("rejected_total")) == 2);
  const auto& durations = c.at("durations");
  CHECK(number(durations.at("count")) == 5);
  CHECK(number(durations.at("max_ms")) >= 300);
  CHECK(number(durations.at("buckets").at("lt_1s")) +
            number(durations.at("buckets").at("lt_10s")) ==
        5);
  CHECK(number(c.at("max_idle_ms")) >= 290);
  const auto& errors = json.at("errors").at("by_sqlstate");
  CHECK(number(errors.at("53300")) == 1);
  CHECK(number(errors.at("22012")) == 1);
  CHECK(number(errors.at("28P01")) == 1);
  const auto& points = json.at("open_connections").at("points").as_array();
  REQUIRE(points.size() >= 2);
  std::int64_t highest = 0;
  for (const auto& p : points) highest = std::max(highest, number(p.as_array().at(2)));
  CHECK(highest == 4);
  CHECK(number(points.back().as_array().at(1)) == 0);
}
