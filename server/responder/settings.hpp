// A session's run-time parameters (GUCs) with PostgreSQL 15's defaults, SET/RESET/SHOW
// semantics, transaction-scoped rollback, and the ParameterStatus reports they cause.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/error_fields.hpp"

namespace fauxgres::responder {

class settings {
 public:
  // Defaults as PG 15 reports them; `user` fills session_authorization and friends.
  settings(std::string_view user, std::string_view server_version, bool superuser);

  // Applies a startup-packet parameter (after auth): unknown names and bad values give
  // PG's FATAL errors (42704 / 22023). `application_name`, `client_encoding`, `DateStyle`,
  // `options` (-c name=value), ... are understood.
  std::optional<protocol::error_fields> apply_startup(std::string_view name, std::string_view value);

  // SET name = value (case-insensitive name). `local`: SET LOCAL. Errors as PG (ERROR).
  std::optional<protocol::error_fields> set(std::string_view name, std::string_view value,
                                            bool local = false);
  std::optional<protocol::error_fields> reset(std::string_view name);
  void reset_all();

  // SHOW: the display name (as PG names the column) and the value; nullopt if unknown.
  std::optional<std::pair<std::string, std::string>> show(std::string_view name) const;
  std::optional<std::string> get(std::string_view name) const;

  // The 13 GUC_REPORT parameters in PG's order, with current values.
  std::vector<std::pair<std::string, std::string>> reported() const;
  // Reported parameters whose value changed since the last call (for ParameterStatus
  // after CommandComplete); clears the list.
  std::vector<std::pair<std::string, std::string>> take_report_changes();

  // Transaction scoping: SET inside a transaction is undone by ROLLBACK; SET LOCAL ends
  // with the transaction.
  void transaction_begin();
  void transaction_commit();
  void transaction_rollback();

 private:
  struct entry;
  std::map<std::string, std::string> values_;  // lower-case name → value
  // Implementation detail left to settings.cpp.
  std::map<std::string, std::string> at_begin_;
  std::map<std::string, std::string> local_saved_;
  bool in_transaction_ = false;
  std::map<std::string, std::string> last_reported_;
};

}  // namespace fauxgres::responder
