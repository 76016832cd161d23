// query_reset: RST after k DataRows.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("query_reset resets after `rows` rows", "[faults][query_reset]") {
  const verdict none = make("query_reset")->decide(hook::query, querying("select 1"), 0ms);
  CHECK(none.what == kind::reset_after_rows);
  CHECK(none.rows == 0);
  const auto f = make("query_reset", {{"pattern", "big_table"}, {"rows", "3"}});
  CHECK(f->decide(hook::query, querying("select 1"), 0ms).what == kind::none);
  const verdict v = f->decide(hook::query, querying("select * from big_table"), 0ms);
  CHECK(v.what == kind::reset_after_rows);
  CHECK(v.rows == 3);
  CHECK(v.describe() == "reset after 3 rows");
  CHECK(rule_error("query_reset:rows=many").field() == "--fault query_reset.rows");
}
