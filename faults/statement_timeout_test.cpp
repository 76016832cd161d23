// statement_timeout: 57014 after `after`, by the session.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("statement_timeout gives a timeout verdict", "[faults][statement_timeout]") {
  const auto f = make("statement_timeout", {{"pattern", "report"}, {"after", "1s"}});
  CHECK(f->listens_to(hook::query));
  CHECK(f->decide(hook::query, querying("select 1"), 0ms).what == kind::none);
  const verdict v = f->decide(hook::query, querying("select * from report_daily"), 0ms);
  CHECK(v.what == kind::timeout);
  CHECK(v.after == 1s);
  CHECK(v.describe() == "timeout 1s");
  CHECK(rule_error("statement_timeout").field() == "--fault statement_timeout.after");
}
