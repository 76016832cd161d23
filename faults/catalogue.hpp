// The factories behind make_fault, one per fault file. Each reads the attributes it knows
// and throws config::error naming `field.attribute` for bad values; make_fault then rejects
// the attributes nobody asked for.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "faults/attributes.hpp"
#include "faults/fault.hpp"

namespace fauxgres::faults::catalogue {

std::unique_ptr<fault> make_refuse(attributes& a);
std::unique_ptr<fault> make_accept_hang(attributes& a);
std::unique_ptr<fault> make_max_connections(attributes& a);
std::unique_ptr<fault> make_startup_error(attributes& a);
std::unique_ptr<fault> make_startup_delay(attributes& a);
std::unique_ptr<fault> make_ssl(attributes& a);
std::unique_ptr<fault> make_auth_fail(attributes& a);
std::unique_ptr<fault> make_auth_delay(attributes& a);
std::unique_ptr<fault> make_credential_expiry(attributes& a);
std::unique_ptr<fault> make_idle_drop(attributes& a);
std::unique_ptr<fault> make_idle_in_transaction_drop(attributes& a);
std::unique_ptr<fault> make_max_lifetime(attributes& a);
std::unique_ptr<fault> make_terminate(attributes& a);
std::unique_ptr<fault> make_reset_after(attributes& a);
std::unique_ptr<fault> make_query_error(attributes& a);
std::unique_ptr<fault> make_query_delay(attributes& a);
std::unique_ptr<fault> make_statement_timeout(attributes& a);
std::unique_ptr<fault> make_query_reset(attributes& a);
std::unique_ptr<fault> make_query_hang(attributes& a);
std::unique_ptr<fault> make_kill_all(attributes& a);
std::unique_ptr<fault> make_restart(attributes& a);
std::unique_ptr<fault> make_shutdown(attributes& a);
std::unique_ptr<fault> make_failover(attributes& a);
// The network faults (Toxiproxy's toxics; faults/toxic.hpp).
std::unique_ptr<fault> make_latency(attributes& a);
std::unique_ptr<fault> make_bandwidth(attributes& a);
std::unique_ptr<fault> make_slicer(attributes& a);
std::unique_ptr<fault> make_limit_data(attributes& a);
std::unique_ptr<fault> make_timeout(attributes& a);
std::unique_ptr<fault> make_reset_peer(attributes& a);
std::unique_ptr<fault> make_slow_close(attributes& a);
std::unique_ptr<fault> make_noop(attributes& a);

// The server actions: asked at no hook, scheduled by the network layer.
class scheduled_fault final : public fault {
 public:
  scheduled_fault(std::string_view type, server_action action) : type_(type), action_(action) {}
  std::string_view type() const override { return type_; }
  bool listens_to(hook) const override { return false; }
  verdict decide(hook, const connection_facts&, milliseconds) const override { return {}; }
  std::optional<server_action> scheduled() const override { return action_; }

 private:
  std::string_view type_;  // a literal
  server_action action_;
};

// The verdict a connection-ending `mode` stands for: fatal (with `error`), fin, reset or
// blackhole. Shared by idle_drop, idle_in_transaction_drop and max_lifetime.
verdict ending(std::string_view mode, const protocol::error_fields& error);

// Throws config::error naming `field.type` unless `type` is in the catalogue; planned
// types get their own message.
void check_type(std::string_view type, std::string_view field);

// `sqlstate`: five digits or capital letters (PostgreSQL's SQLSTATE alphabet).
std::optional<std::string> read_sqlstate(attributes& a);

}  // namespace fauxgres::faults::catalogue
