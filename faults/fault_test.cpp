// Hook names and verdict descriptions (what events say).
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;

TEST_CASE("hook names", "[faults][fault]") {
  CHECK(to_string(hook::accept) == "accept");
  CHECK(to_string(hook::ssl_request) == "ssl_request");
  CHECK(to_string(hook::startup) == "startup");
  CHECK(to_string(hook::auth) == "auth");
  CHECK(to_string(hook::ready) == "ready");
  CHECK(to_string(hook::query) == "query");
}

TEST_CASE("verdict descriptions", "[faults][fault]") {
  fauxgres::protocol::error_fields e;
  e.sqlstate = "57P05";
  CHECK(verdict{}.describe() == "none");
  CHECK(verdicts::close().describe() == "close");
  CHECK(verdicts::reset().describe() == "reset");
  CHECK(verdicts::hang().describe() == "hang");
  CHECK(verdicts::fatal(e).describe() == "fatal 57P05");
  CHECK(verdicts::error(e).describe() == "error 57P05");
  CHECK(verdicts::delay(250ms).describe() == "delay 250ms");
  CHECK(verdicts::delay(0ms).describe() == "delay 0ms");
  CHECK(verdicts::delay(90s).describe() == "delay 90s");
  CHECK(verdicts::delay(5min).describe() == "delay 5m");
  CHECK(verdicts::delay(2h).describe() == "delay 2h");
  CHECK(verdicts::timeout(1s).describe() == "timeout 1s");
  CHECK(verdicts::ssl_answer('N').describe() == "ssl_answer 'N'");
  CHECK(verdicts::ssl_answer('\0').describe() == "ssl_answer 0x00");
  CHECK(verdicts::deadline(5s, verdicts::reset()).describe() == "deadline 5s then reset");
  CHECK(verdicts::deadline(-5s, verdicts::reset()).after == 0ms);
  CHECK(verdicts::reset_after_rows(2).describe() == "reset after 2 rows");
}
