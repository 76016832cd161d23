// idle_in_transaction_drop: a deadline at ReadyForQuery 'T' or 'E'.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("idle_in_transaction_drop: 25P03 after `after` in a transaction",
          "[faults][idle_in_transaction_drop]") {
  const auto f = make("idle_in_transaction_drop", {{"after", "2s"}});
  CHECK(f->decide(hook::ready, idle(0ms, 'I'), 0ms).what == kind::none);
  for (char status : {'T', 'E'}) {
    const verdict v = f->decide(hook::ready, idle(0ms, status), 0ms);
    REQUIRE(v.what == kind::deadline);
    CHECK(v.after == 2s);
    REQUIRE(v.then);
    CHECK(v.then->error.sqlstate == "25P03");
    CHECK(v.then->error.message == "terminating connection due to idle-in-transaction timeout");
  }
  const verdict reset = make("idle_in_transaction_drop", {{"after", "2s"}, {"mode", "reset"}})
                            ->decide(hook::ready, idle(0ms, 'T'), 0ms);
  CHECK(reset.describe() == "deadline 2s then reset");
  CHECK(rule_error("idle_in_transaction_drop").field() == "--fault idle_in_transaction_drop.after");
}
