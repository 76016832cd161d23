// A session's run-time parameters (GUCs) with PostgreSQL 15's defaults, SET/RESET/SHOW
// semantics, transaction-scoped rollback, and the ParameterStatus reports they cause.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "protocol/error_fields.hpp"

namespace fauxgres::responder {

// PostgreSQL 15 reports 13 parameters with ParameterStatus.
inline constexpr std::size_t reported_parameter_count = 13;

class settings {
 public:
  // Defaults as PG 15 reports them; `user` fills session_authorization and friends.
  settings(std::string_view user, std::string_view server_version, bool superuser);

  // Applies a startup-packet parameter (after auth): unknown names and bad values give
  // PG's FATAL errors (42704 / 22023). `application_name`, `client_encoding`, `DateStyle`,
  // `options` (-c name=value), ... are understood. `user`, `database` and `replication`
  // are the session's business and are ignored here. Startup values are what RESET
  // returns to.
  std::optional<protocol::error_fields> apply_startup(std::string_view name,
                                                      std::string_view value);

  // SET name = value (case-insensitive name). `local`: SET LOCAL (outside a transaction it
  // is validated and has no effect; the caller sends PG's warning). Errors as PG (ERROR).
  std::optional<protocol::error_fields> set(std::string_view name, std::string_view value,
                                            bool local = false);
  // RESET name (SET name TO DEFAULT).
  std::optional<protocol::error_fields> reset(std::string_view name);
  // RESET ALL: every parameter not marked GUC_NO_RESET_ALL.
  void reset_all();
  // DISCARD ALL: RESET ALL plus SET SESSION AUTHORIZATION DEFAULT and RESET ROLE.
  void discard_all();
  // SET SESSION AUTHORIZATION role | DEFAULT (nullopt): only superusers may switch role.
  std::optional<protocol::error_fields> set_session_authorization(
      std::optional<std::string_view> role, bool local = false);

  // SHOW: the display name (as PG names the column) and the value; nullopt if unknown.
  std::optional<std::pair<std::string, std::string>> show(std::string_view name) const;
  std::optional<std::string> get(std::string_view name) const;
  // SHOW ALL rows: name, setting, description; sorted by name.
  std::vector<std::tuple<std::string, std::string, std::string>> show_all() const;

  // The 13 GUC_REPORT parameters in PG's order, with current values. Also marks them as
  // reported, so take_report_changes() only returns later changes.
  std::vector<std::pair<std::string, std::string>> reported() const;
  // Reported parameters whose value changed since the last call (for ParameterStatus
  // after CommandComplete); clears the list. Cheap when nothing was set.
  std::vector<std::pair<std::string, std::string>> take_report_changes();

  // Transaction scoping: SET inside a transaction is undone by ROLLBACK; SET LOCAL ends
  // with the transaction. transaction_begin is idempotent (the responder calls it for
  // BEGIN with transaction modes before the session does).
  void transaction_begin();
  void transaction_commit();
  void transaction_rollback();
  bool in_transaction() const { return in_transaction_; }

  // Savepoints (names as PG folds them): ROLLBACK TO restores the settings as they were.
  void savepoint(std::string_view name);
  bool release_savepoint(std::string_view name);      // false: no such savepoint
  bool rollback_to_savepoint(std::string_view name);  // false: no such savepoint

  const std::string& user() const { return user_; }
  bool superuser() const { return superuser_; }
  // Changes whenever a value may have changed: callers cache what they read per statement.
  std::uint32_t version() const { return version_; }

 private:
  using value_map = std::map<std::string, std::string, std::less<>>;
  struct snapshot {
    value_map session;
    value_map local;
  };
  struct savepoint_entry {
    std::string name;
    std::shared_ptr<const snapshot> state;  // taken lazily at the first change after it
  };

  std::optional<std::string_view> value_of(std::string_view lower_name) const;
  std::optional<protocol::error_fields> check_settable(std::string_view given_name,
                                                       std::string_view lower_name,
                                                       bool fatal) const;
  void before_change();
  void changed() {
    dirty_ = true;
    ++version_;
  }

  std::string user_;
  std::string server_version_;
  std::string server_version_num_;
  bool superuser_ = false;
  value_map reset_;    // startup / per-session defaults (what RESET returns to)
  value_map session_;  // SET values
  value_map local_;    // SET LOCAL values of the current transaction
  std::map<std::string, std::string, std::less<>> custom_names_;  // lower → as first written
  bool in_transaction_ = false;
  std::shared_ptr<const snapshot> transaction_state_;  // settings at BEGIN, taken lazily
  std::vector<savepoint_entry> savepoints_;
  // Hashes of the values last sent in ParameterStatus, one per reported parameter (a map
  // of 13 strings per session would dominate an idle connection's memory).
  mutable std::array<std::size_t, reported_parameter_count> last_reported_{};
  mutable bool dirty_ = true;
  std::uint32_t version_ = 0;
};

}  // namespace fauxgres::responder
