// Execution of transaction control, SET / RESET / SHOW and utility statements against the
// session's state, with PG 15's tags, warnings and errors.
#pragma once

#include <optional>
#include <vector>

#include "protocol/error_fields.hpp"
#include "responder/plan.hpp"

namespace fauxgres::responder {

transaction_control control_of(const transaction_plan& plan);

execution execute_transaction(const transaction_plan& plan, context& ctx);
execution execute_set(const set_plan& plan, context& ctx);
execution execute_show(const show_plan& plan, context& ctx);
execution execute_utility(const utility_plan& plan, context& ctx);

// SHOW's RowDescription: one text column named as PG names the parameter (three for
// SHOW ALL); an unknown parameter gives 42704.
std::vector<column> show_columns(const show_plan& plan, const context& ctx,
                                 std::optional<protocol::error_fields>& error);

// 25006 when writes are refused (read-only server or READ ONLY transaction).
std::optional<protocol::error_fields> refuse_write(const std::string& command, const context& ctx);

// A text column description.
column text_column(std::string name);

}  // namespace fauxgres::responder
