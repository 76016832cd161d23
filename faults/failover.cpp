// failover: at `at`, a restart (57P01 to every session, refused for `duration`, default
// 1s) after which the server is a read-only standby, as when a DNS name still points at
// the old primary: writes get 25006 "cannot execute INSERT in a read-only transaction",
// transaction_read_only is on and pg_is_in_recovery() is true.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {

std::unique_ptr<fault> make_failover(attributes& a) {
  auto at = a.required_duration("at");
  auto down_for = a.duration("duration").value_or(milliseconds(1000));
  return std::make_unique<scheduled_fault>(
      "failover", server_action{server_action::kind::failover, at, down_for});
}

}  // namespace fauxgres::faults::catalogue
