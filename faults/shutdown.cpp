// shutdown: at `at`, PG15's smart shutdown: open sessions go on untouched, every new
// connection gets FATAL 57P03 "the database system is shutting down" right after its
// StartupMessage. When the last session ends the listeners close (connects are refused);
// without the control API the process then exits, as the postmaster does.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {

std::unique_ptr<fault> make_shutdown(attributes& a) {
  return std::make_unique<scheduled_fault>(
      "shutdown",
      server_action{server_action::kind::shutdown, a.required_duration("at"), milliseconds(0)});
}

}  // namespace fauxgres::faults::catalogue
