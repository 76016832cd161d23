// What COMMAND gets: libpq variables and a DATABASE_URL with everything percent-encoded.
#include <catch2/catch.hpp>

#include "harness/environment.hpp"

using namespace fauxgres::harness;
using strings = std::vector<std::string>;

TEST_CASE("percent_encode keeps unreserved characters only", "[harness][env]") {
  CHECK(percent_encode("app_1-x.y~z") == "app_1-x.y~z");
  CHECK(percent_encode("p@ss:w/rd%#") == "p%40ss%3Aw%2Frd%25%23");
  CHECK(percent_encode("a b") == "a%20b");
  CHECK(percent_encode("\xc3\xa9") == "%C3%A9");
}

TEST_CASE("DATABASE_URL for TCP, IPv6 and Unix sockets", "[harness][env]") {
  client_identity who{"app", std::string("s3:cr%40t"), "my db"};
  CHECK(database_url({false, "127.0.0.1", 5433}, who) ==
        "postgresql://app:s3%3Acr%2540t@127.0.0.1:5433/my%20db");
  CHECK(database_url({false, "::1", 5432}, client_identity{}) ==
        "postgresql://postgres@[::1]:5432/postgres");
  CHECK(database_url({true, "/cloudsql/p:r:i", 5432}, client_identity{}) ==
        "postgresql://postgres@/postgres?host=%2Fcloudsql%2Fp%3Ar%3Ai&port=5432");
  client_identity empty_password{"u", std::string(), "d"};
  CHECK(database_url({false, "127.0.0.1", 1}, empty_password) == "postgresql://u:@127.0.0.1:1/d");
}

TEST_CASE("client_environment: PG variables, and none for what is not there", "[harness][env]") {
  auto env = client_environment({false, "127.0.0.1", 6000}, client_identity{}, std::nullopt);
  auto value = [&](const std::string& name) -> std::optional<std::string> {
    for (const auto& [n, v] : env)
      if (n == name) return v.value_or("<unset>");
    return std::nullopt;
  };
  CHECK(value("PGHOST") == "127.0.0.1");
  CHECK(value("PGPORT") == "6000");
  CHECK(value("PGUSER") == "postgres");
  CHECK(value("PGPASSWORD") == "<unset>");
  CHECK(value("PGDATABASE") == "postgres");
  CHECK(value("DATABASE_URL") == "postgresql://postgres@127.0.0.1:6000/postgres");
  CHECK(value("FAUXGRES_API") == "<unset>");
  auto with_api = client_environment({true, "/tmp", 5432}, {"a", "b", "c"},
                                     std::string("http://127.0.0.1:8080"));
  CHECK(with_api.back() == std::pair<std::string, std::optional<std::string>>{
                               "FAUXGRES_API", "http://127.0.0.1:8080"});
}

TEST_CASE("apply_environment replaces, removes and appends", "[harness][env]") {
  strings base{"PATH=/bin", "PGPASSWORD=old", "PGHOST=elsewhere", "PGHOST=twice", "HOME=/root"};
  auto out = apply_environment(base, {{"PGHOST", "127.0.0.1"},
                                      {"PGPASSWORD", std::nullopt},
                                      {"PGPORT", "5432"},
                                      {"NOT_THERE", std::nullopt}});
  CHECK(out == strings{"PATH=/bin", "PGHOST=127.0.0.1", "HOME=/root", "PGPORT=5432"});
  // A name that is a prefix of another is not confused with it.
  CHECK(apply_environment({"PGHOSTADDR=1.2.3.4"}, {{"PGHOST", "h"}}) ==
        strings{"PGHOSTADDR=1.2.3.4", "PGHOST=h"});
}
