// accept_hang: accepted and never answered.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("accept_hang hangs at accept only", "[faults][accept_hang]") {
  const auto f = make("accept_hang");
  CHECK(f->listens_to(hook::accept));
  CHECK_FALSE(f->listens_to(hook::ssl_request));
  CHECK(f->decide(hook::accept, accepted(), 0ms).what == verdict::kind::hang);
  CHECK(f->decide(hook::startup, started(), 0ms).what == verdict::kind::none);
}

TEST_CASE("accept_hang: every 3rd connection with nth/every", "[faults][accept_hang]") {
  auto e = engine_of("accept_hang:every=3");
  for (std::uint64_t n = 1; n <= 6; ++n) {
    const bool hangs = e.decide(hook::accept, accepted(n), n, 0ms).what == verdict::kind::hang;
    CHECK(hangs == (n % 3 == 0));
  }
  CHECK(e.fired("accept_hang#1") == 2);
  CHECK(rule_error("accept_hang:delay=5s").field() == "--fault accept_hang.delay");
}
