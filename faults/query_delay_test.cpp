// query_delay: a delay before matching statements.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("query_delay delays matching statements", "[faults][query_delay]") {
  const auto f = make("query_delay", {{"pattern", "pg_sleep|FROM orders"}, {"delay", "3s"}});
  CHECK(f->listens_to(hook::query));
  CHECK(f->decide(hook::query, querying("select 1"), 0ms).what == kind::none);
  const verdict v = f->decide(hook::query, querying("select * from ORDERS"), 0ms);
  CHECK(v.what == kind::delay);
  CHECK(v.after == 3s);
  CHECK(make("query_delay", {{"delay", "10ms"}})->decide(hook::query, querying("x"), 0ms).what ==
        kind::delay);
  CHECK(rule_error("query_delay:pattern=x").field() == "--fault query_delay.delay");
}

TEST_CASE("query_delay handles long statements", "[faults][query_delay]") {
  const std::string big = "insert into t values " + std::string(2'000'000, 'x') + " returning id";
  const auto f = make("query_delay", {{"pattern", "values.*returning"}, {"delay", "1s"}});
  CHECK(f->decide(hook::query, querying(big), 0ms).what == kind::delay);
}
