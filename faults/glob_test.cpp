// Globs for application_name and client_address.
#include "faults/glob.hpp"
#include "faults/testing.hpp"

using fauxgres::faults::glob_match;

TEST_CASE("glob_match", "[faults][glob]") {
  CHECK(glob_match("*", ""));
  CHECK(glob_match("*", "anything"));
  CHECK(glob_match("psql", "psql"));
  CHECK_FALSE(glob_match("psql", "psql2"));
  CHECK(glob_match("worker-*", "worker-12"));
  CHECK_FALSE(glob_match("worker-*", "web-1"));
  CHECK(glob_match("*-api", "orders-api"));
  CHECK(glob_match("a*b*c", "aXXbYYbc"));
  CHECK_FALSE(glob_match("a*b*c", "aXXbYYb"));
  CHECK(glob_match("10.0.?.*", "10.0.3.17"));
  CHECK_FALSE(glob_match("10.0.?.*", "10.0.33.17"));
  CHECK(glob_match("**x", "yyx"));
  CHECK_FALSE(glob_match("?", ""));
}
