// GET /metrics: the counters in Prometheus' text exposition format (version 0.0.4), pure.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "faults/rules.hpp"
#include "observe/stats.hpp"

namespace fauxgres::control {

// fauxgres_connections_{current,peak,accepted_total,closed_total}, per listener, logins,
// auth failures, rejections by reason, errors by SQLSTATE, fired faults per rule, uptime.
std::string render_metrics(const observe::stats& stats, const faults::engine& rules,
                           std::chrono::milliseconds uptime);

// A label value escaped as the format wants (\\, \", \n).
std::string escape_label(std::string_view value);

}  // namespace fauxgres::control
