// query_hang: matching statements are never answered.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("query_hang hangs matching statements", "[faults][query_hang]") {
  const auto f = make("query_hang", {{"pattern", "^commit$"}});
  CHECK(f->listens_to(hook::query));
  CHECK(f->decide(hook::query, querying("select 1"), 0ms).what == kind::none);
  CHECK(f->decide(hook::query, querying("COMMIT"), 0ms).what == kind::hang);
  CHECK(make("query_hang")->decide(hook::query, querying("anything"), 0ms).what == kind::hang);
  CHECK(rule_error("query_hang:rows=1").field() == "--fault query_hang.rows");
}
