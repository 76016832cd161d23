// terminate: 57P01 at a time since server start, to the connections open then.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("terminate is put to every open connection at `at`", "[faults][terminate]") {
  const auto f = make("terminate", {{"at", "10s"}});
  CHECK(f->moment() == 10s);
  CHECK(f->listens_to(hook::moment));
  CHECK_FALSE(f->listens_to(hook::ready));  // no deadline: it does not wait for idleness
  const verdict v = f->decide(hook::moment, querying("SELECT pg_sleep(5)"), 10s);
  CHECK(v.what == kind::fatal);
  CHECK(v.error.severity == "FATAL");
  CHECK(v.error.sqlstate == "57P01");
  CHECK(v.error.message == "terminating connection due to administrator command");
  CHECK(f->decide(hook::ready, idle(1s), 10s).what == kind::none);
  // Added late: connected at 9 s, ended; connected at 11 s, left alone.
  CHECK(f->decide(hook::moment, idle(3s), 12s).what == kind::fatal);
  CHECK(f->decide(hook::moment, idle(1s), 12s).what == kind::none);
  CHECK(rule_error("terminate").field() == "--fault terminate.at");
}
