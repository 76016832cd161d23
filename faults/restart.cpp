// restart: at `at`, a fast shutdown (57P01 to every session) and then a server that is
// down for `duration` (default 1s): connects are refused (ECONNREFUSED, the socket file
// gone), then accepted again.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {

std::unique_ptr<fault> make_restart(attributes& a) {
  auto at = a.required_duration("at");
  auto down_for = a.duration("duration").value_or(milliseconds(1000));
  return std::make_unique<scheduled_fault>(
      "restart", server_action{server_action::kind::restart, at, down_for});
}

}  // namespace fauxgres::faults::catalogue
