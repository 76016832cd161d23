// kill_all: at `at` after server start, every session gets PG15's 57P01 "terminating
// connection due to administrator command" and a FIN, as in `pg_ctl stop -m fast` or
// pg_terminate_backend on every backend; new connections are accepted as before.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {

std::unique_ptr<fault> make_kill_all(attributes& a) {
  return std::make_unique<scheduled_fault>(
      "kill_all",
      server_action{server_action::kind::kill_all, a.required_duration("at"), milliseconds(0)});
}

}  // namespace fauxgres::faults::catalogue
