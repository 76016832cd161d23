// Command execution; see commands.hpp. The session applies the transaction state change
// itself (from statement_plan::control); this code decides tags, notices and errors, and
// keeps settings and savepoints in step.
#include "responder/commands.hpp"

#include "responder/pg_error.hpp"
#include "responder/settings.hpp"
#include "types/catalog.hpp"

namespace fauxgres::responder {
namespace {

protocol::error_fields warning(std::string sqlstate, std::string message) {
  return pg_error(std::move(sqlstate), std::move(message), "WARNING");
}

bool in_block(const context& ctx) {
  return ctx.transaction_status != 'I';
}

execution with_error(protocol::error_fields e) {
  execution ex;
  ex.error = std::move(e);
  return ex;
}

execution tagged(std::string tag) {
  execution ex;
  ex.tag = std::move(tag);
  return ex;
}

// Applies transaction modes (BEGIN ISOLATION LEVEL ..., SET TRANSACTION ...).
std::optional<protocol::error_fields> apply_modes(const transaction_modes& modes, context& ctx,
                                                  bool local) {
  for (const auto& [name, value] : modes) {
    if (auto e = ctx.session_settings.set(name, value, local)) return e;
  }
  return std::nullopt;
}

std::optional<protocol::error_fields> set_role(const std::string& role, context& ctx) {
  settings& s = ctx.session_settings;
  if (role == "none") return s.reset("role");
  if (role != s.user() && !s.superuser()) {
    return pg_error("42501", "permission denied to set role \"" + role + "\"");
  }
  return s.set("role", role);
}

}  // namespace

column text_column(std::string name) {
  column c;
  c.name = std::move(name);
  c.type_oid = types::oid::text;
  c.type_len = -1;
  return c;
}

transaction_control control_of(const transaction_plan& plan) {
  switch (plan.verb) {
    case transaction_verb::begin:
    case transaction_verb::start:
      return transaction_control::begin;
    case transaction_verb::commit:
      return transaction_control::commit;
    case transaction_verb::rollback:
      return transaction_control::rollback;
    case transaction_verb::savepoint:
      return transaction_control::savepoint;
    case transaction_verb::release:
      return transaction_control::release;
    case transaction_verb::rollback_to:
      return transaction_control::rollback_to_savepoint;
    default:
      return transaction_control::none;
  }
}

std::optional<protocol::error_fields> refuse_write(const std::string& command, const context& ctx) {
  if (ctx.read_only || ctx.session_settings.get("transaction_read_only") == "on") {
    return protocol::errors::read_only_transaction(command);
  }
  return std::nullopt;
}

execution execute_transaction(const transaction_plan& plan, context& ctx) {
  settings& s = ctx.session_settings;
  switch (plan.verb) {
    case transaction_verb::begin:
    case transaction_verb::start: {
      execution ex = tagged(plan.tag);
      if (in_block(ctx)) {
        ex.notices.push_back(warning("25001", "there is already a transaction in progress"));
        return ex;
      }
      if (!plan.modes.empty()) {
        s.transaction_begin();  // idempotent: the session calls it too
        if (auto e = apply_modes(plan.modes, ctx, true)) return with_error(*e);
      }
      return ex;
    }
    case transaction_verb::commit:
    case transaction_verb::rollback: {
      const bool commit = plan.verb == transaction_verb::commit;
      if (plan.chain) {
        if (!in_block(ctx)) {
          return with_error(pg_error("25P01", std::string(commit ? "COMMIT" : "ROLLBACK") +
                                                  " AND CHAIN can only be used in transaction "
                                                  "blocks"));
        }
        return with_error(pg_error("0A000", "fauxgres does not support AND CHAIN"));
      }
      execution ex = tagged(plan.tag);
      if (!in_block(ctx)) {
        ex.notices.push_back(protocol::errors::no_transaction_in_progress(!commit));
      } else if (ctx.transaction_status == 'E') {
        ex.tag = "ROLLBACK";  // COMMIT of a failed transaction rolls back
      }
      return ex;
    }
    case transaction_verb::savepoint:
      if (!in_block(ctx)) {
        return with_error(protocol::errors::outside_transaction_block("SAVEPOINT", false));
      }
      s.savepoint(plan.name);
      return tagged(plan.tag);
    case transaction_verb::release:
    case transaction_verb::rollback_to: {
      const bool release = plan.verb == transaction_verb::release;
      if (!in_block(ctx)) {
        return with_error(protocol::errors::outside_transaction_block(
            release ? "RELEASE SAVEPOINT" : "ROLLBACK TO SAVEPOINT", false));
      }
      const bool found =
          release ? s.release_savepoint(plan.name) : s.rollback_to_savepoint(plan.name);
      if (!found) {
        return with_error(protocol::errors::savepoint_does_not_exist(plan.name, release));
      }
      return tagged(plan.tag);
    }
    case transaction_verb::prepare_transaction:
      return with_error(with_hint(pg_error("55000", "prepared transactions are disabled"),
                                  "Set max_prepared_transactions to a nonzero value."));
    case transaction_verb::commit_prepared:
    case transaction_verb::rollback_prepared:
      if (in_block(ctx)) {
        return with_error(pg_error("25001", plan.tag + " cannot run inside a transaction block"));
      }
      return with_error(pg_error(
          "42704", "prepared transaction with identifier \"" + plan.name + "\" does not exist"));
  }
  return tagged(plan.tag);
}

execution execute_set(const set_plan& plan, context& ctx) {
  settings& s = ctx.session_settings;
  execution ex = tagged(plan.tag);
  std::optional<protocol::error_fields> e;
  switch (plan.action) {
    case set_action::set:
      if (plan.local && !in_block(ctx)) {
        ex.notices.push_back(protocol::errors::set_local_outside_transaction());
      }
      if (plan.name == "role")
        e = set_role(plan.value, ctx);
      else
        e = s.set(plan.name, plan.value, plan.local);
      break;
    case set_action::reset:
      if (plan.local && !in_block(ctx)) {
        ex.notices.push_back(protocol::errors::set_local_outside_transaction());
      }
      e = s.reset(plan.name);
      break;
    case set_action::reset_all:
      s.reset_all();
      break;
    case set_action::session_authorization:
      e = s.set_session_authorization(
          plan.is_default ? std::nullopt : std::optional<std::string_view>(plan.value), plan.local);
      break;
    case set_action::set_transaction:
      if (!in_block(ctx)) {
        ex.notices.push_back(protocol::errors::outside_transaction_block("SET TRANSACTION", true));
        break;
      }
      e = apply_modes(plan.modes, ctx, true);
      break;
    case set_action::session_characteristics:
      e = apply_modes(plan.modes, ctx, false);
      break;
    case set_action::constraints:
      if (!in_block(ctx)) {
        ex.notices.push_back(protocol::errors::outside_transaction_block("SET CONSTRAINTS", true));
      }
      break;
  }
  if (e) return with_error(std::move(*e));
  return ex;
}

std::vector<column> show_columns(const show_plan& plan, const context& ctx,
                                 std::optional<protocol::error_fields>& error) {
  if (plan.name.empty()) {
    return {text_column("name"), text_column("setting"), text_column("description")};
  }
  auto shown = ctx.session_settings.show(plan.name);
  if (!shown) {
    error = protocol::errors::unrecognized_parameter(plan.name, false);
    return {};
  }
  return {text_column(shown->first)};
}

execution execute_show(const show_plan& plan, context& ctx) {
  execution ex = tagged("SHOW");
  if (plan.name.empty()) {
    for (auto& [name, setting, description] : ctx.session_settings.show_all()) {
      ex.rows.push_back({std::move(name), std::move(setting), std::move(description)});
    }
    return ex;
  }
  auto shown = ctx.session_settings.show(plan.name);
  if (!shown) return with_error(protocol::errors::unrecognized_parameter(plan.name, false));
  // A read-only (hot standby) server reports itself so.
  if (ctx.read_only &&
      (shown->first == "transaction_read_only" || shown->first == "in_hot_standby")) {
    shown->second = "on";
  }
  ex.rows.push_back({std::move(shown->second)});
  return ex;
}

execution execute_utility(const utility_plan& plan, context& ctx) {
  switch (plan.check) {
    case utility_check::outside_transaction:
      if (in_block(ctx)) {
        return with_error(pg_error("25001", plan.tag + " cannot run inside a transaction block"));
      }
      break;
    case utility_check::superuser:
      if (!ctx.session_settings.superuser()) {
        return with_error(pg_error(
            "42501", "must be superuser or have privileges of pg_checkpoint to do CHECKPOINT"));
      }
      break;
    case utility_check::none:
      break;
  }
  if (plan.discard_settings) ctx.session_settings.discard_all();
  execution ex = tagged(plan.tag);
  ex.command = plan.command;
  ex.command_target = plan.target;
  return ex;
}

}  // namespace fauxgres::responder
