// SQL cursors. In PG a cursor is a portal like those Bind makes, so DECLARE adds one to the
// session's named portals, FETCH and MOVE move through any of them, and CLOSE name closes
// one of either kind. A cursor's rows are computed when it is declared; a fixture's latency
// and error wait for the first FETCH or MOVE, where PG runs the query.
#include <utility>

#include "protocol/error_fields.hpp"
#include "responder/cursor_view.hpp"
#include "session/session_parts.hpp"

namespace fauxgres::session {

responder::execution session::run_cursor_statement(const responder::statement_plan& plan,
                                                   std::span<const responder::value> parameters,
                                                   responder::context& ctx, const portal* running) {
  using kind = responder::cursor_statement::kind;
  const responder::cursor_statement& statement = *plan.cursor;
  responder::execution ex;
  if (statement.what == kind::declare) return declare_cursor(plan, parameters, ctx);
  if (statement.what == kind::view) {  // PG's pg_cursor() lists the DECLAREd portals only
    std::vector<responder::cursor_entry> cursors;
    for (const auto& [name, p] : portals_) {
      if (!p.declared_by.empty())
        cursors.push_back(
            {name, p.declared_by, p.holdable, !p.formats.empty(), p.scrollable, p.declared_at});
    }
    return responder::read_cursor_view(*statement.view, cursors, *settings_);
  }
  auto found = portals_.find(statement.name);
  if (found == portals_.end()) {
    ex.error =
        protocol::errors::cursor_does_not_exist(statement.name, statement.what == kind::fetch);
    return ex;
  }
  if (statement.what == kind::close) {
    if (&found->second == running) {  // its own portal: the one executing the CLOSE
      ex.error = protocol::errors::active_portal_cannot_be_dropped(statement.name);
      return ex;
    }
    portals_.erase(found);
    ex.tag = "CLOSE CURSOR";
    return ex;
  }
  portal& cursor = found->second;
  if (cursor.failed || &cursor == running) {
    ex.error = protocol::errors::portal_cannot_be_run(statement.name);
    return ex;
  }
  if (!cursor.answer && cursor.plan->columns) {  // a protocol portal whose query waits to run
    auto result = run_statement(*cursor.plan, cursor.parameters, ctx);
    cursor.delay_due = std::exchange(result.delay, {});
    cursor.answer = std::make_shared<const responder::execution>(std::move(result));
    cursor.executed = true;
  }
  // The first FETCH or MOVE runs the query: it waits out its latency and meets its error.
  ex.delay = std::exchange(cursor.delay_due, {});
  if (cursor.answer && cursor.answer->error) {
    cursor.failed = true;
    ex.error = cursor.answer->error;
    return ex;
  }
  static const std::vector<responder::row> no_rows;
  const auto& rows = cursor.answer ? cursor.answer->rows : no_rows;
  auto fetched =
      responder::run_fetch(cursor.position, rows.size(), statement.fetch, cursor.scrollable);
  if (fetched.error) {
    cursor.failed = true;
    ex.error = std::move(fetched.error);
    return ex;
  }
  ex.rows.reserve(fetched.sent);
  for (std::uint64_t i = 0; i < fetched.sent; ++i) ex.rows.push_back(rows[fetched.row(i)]);
  ex.tag = (statement.fetch.move ? "MOVE " : "FETCH ") + std::to_string(fetched.processed);
  if (!statement.fetch.move && cursor.plan->columns) ex.columns = cursor.plan->columns;
  return ex;
}

// PerformCursorOpen: a cursor without HOLD needs a transaction block, and its name must be
// free; then its query, analysed with the DECLARE, runs with the DECLARE's parameters.
responder::execution session::declare_cursor(const responder::statement_plan& declare,
                                             std::span<const responder::value> parameters,
                                             responder::context& ctx) {
  const responder::cursor_statement& statement = *declare.cursor;
  responder::execution ex;
  if (!statement.hold && tx_status_ == 'I') {
    ex.error = protocol::errors::outside_transaction_block("DECLARE CURSOR", false);
    return ex;
  }
  if (portals_.contains(statement.name)) {
    ex.error = protocol::errors::portal_already_exists(statement.name);
    return ex;
  }
  const auto& plan = statement.query_plan;
  auto result = run_statement(*plan, parameters, ctx);
  if (result.error && !plan->runs_at_execute) {  // a folding error: PG plans at DECLARE
    ex.error = std::move(result.error);
    return ex;
  }
  portal cursor;
  cursor.delay_due = std::exchange(result.delay, {});
  if (statement.binary && plan->columns) cursor.formats.assign(plan->columns->size(), 1);
  cursor.scrollable = statement.scroll.value_or(plan->scans_backward);
  cursor.plan = plan;
  cursor.answer = std::make_shared<const responder::execution>(std::move(result));
  cursor.executed = true;
  cursor.holdable = statement.hold;
  // PG keeps the whole query string, every statement of a simple query's.
  cursor.declared_by = pending_simple_ ? pending_simple_->sql : declare.text;
  cursor.declared_at = ctx.statement_start();
  store_portal(statement.name, std::move(cursor));
  ex.tag = "DECLARE CURSOR";
  return ex;
}

// The cursor a FETCH plan reads, if it exists now; null for every other plan and for MOVE.
session::portal* session::fetched_cursor(const responder::statement_plan& plan) {
  if (!plan.cursor || plan.cursor->what != responder::cursor_statement::kind::fetch ||
      plan.cursor->fetch.move) {
    return nullptr;
  }
  auto found = portals_.find(plan.cursor->name);
  return found == portals_.end() ? nullptr : &found->second;
}

// A FETCH bound to a portal returns its cursor's columns (PG's UtilityTupleDescriptor),
// which its plan could not know: the portal gets a copy of the plan that does.
std::shared_ptr<const responder::statement_plan> session::with_cursor_columns(
    std::shared_ptr<const responder::statement_plan> plan) {
  const portal* cursor = fetched_cursor(*plan);
  if (!cursor || !cursor->plan->columns) return plan;
  auto copy = std::make_shared<responder::statement_plan>(*plan);
  copy->columns = cursor->plan->columns;
  return copy;
}

}  // namespace fauxgres::session
