// See metrics.hpp.
#include "control/metrics.hpp"

#include <cstdint>
#include <map>

namespace fauxgres::control {
namespace {

class writer {
 public:
  // # HELP and # TYPE lines.
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP " + std::string(name) + " " + std::string(help) + "\n";
    out_ += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
  }
  void sample(std::string_view name, std::uint64_t value, std::string_view labels = {}) {
    out_ += std::string(name);
    if (!labels.empty()) out_ += "{" + std::string(labels) + "}";
    out_ += " " + std::to_string(value) + "\n";
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string label(std::string_view key, std::string_view value) {
  return std::string(key) + "=\"" + escape_label(value) + "\"";
}

}  // namespace

std::string escape_label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string render_metrics(const observe::stats& stats, const faults::engine& rules,
                           std::chrono::milliseconds uptime) {
  writer w;
  w.family("fauxgres_connections_current", "gauge", "Connections open now.");
  w.sample("fauxgres_connections_current", stats.current);
  w.family("fauxgres_connections_peak", "gauge", "Most connections open at once.");
  w.sample("fauxgres_connections_peak", stats.peak);
  w.family("fauxgres_connections_accepted_total", "counter", "Connections accepted.");
  w.sample("fauxgres_connections_accepted_total", stats.accepted);
  w.family("fauxgres_connections_closed_total", "counter", "Connections closed.");
  w.sample("fauxgres_connections_closed_total", stats.closed);
  w.family("fauxgres_listener_connections_current", "gauge", "Connections open now, by listener.");
  for (const auto& [name, n] : stats.current_by_listener)
    w.sample("fauxgres_listener_connections_current", n, label("listener", name));
  w.family("fauxgres_listener_connections_peak", "gauge",
           "Most connections open at once, by listener.");
  for (const auto& [name, n] : stats.peak_by_listener)
    w.sample("fauxgres_listener_connections_peak", n, label("listener", name));
  w.family("fauxgres_logins_total", "counter", "Sessions that logged in.");
  w.sample("fauxgres_logins_total", stats.logins);
  w.family("fauxgres_auth_failures_total", "counter", "Logins refused for the password or role.");
  w.sample("fauxgres_auth_failures_total", stats.auth_failures);
  w.family("fauxgres_cancel_requests_total", "counter", "CancelRequest connections.");
  w.sample("fauxgres_cancel_requests_total", stats.cancel_requests);
  w.family("fauxgres_connections_rejected_total", "counter",
           "Connections turned away before logging in, by reason.");
  for (const auto& [reason, n] : stats.rejections())
    w.sample("fauxgres_connections_rejected_total", n, label("reason", reason));
  w.family("fauxgres_errors_total", "counter", "ErrorResponses sent, by SQLSTATE.");
  for (const auto& [sqlstate, n] : stats.errors_by_sqlstate())
    w.sample("fauxgres_errors_total", n, label("sqlstate", sqlstate));
  w.family("fauxgres_fault_fired_total", "counter", "Times each fault rule fired.");
  for (const auto& r : rules.rules())
    w.sample("fauxgres_fault_fired_total", rules.fired(r.name),
             label("rule", r.name) + "," + label("type", r.type));
  w.family("fauxgres_fault_rules", "gauge", "Fault rules in effect.");
  w.sample("fauxgres_fault_rules", rules.rules().size());
  w.family("fauxgres_uptime_seconds", "gauge", "Seconds since the server started.");
  w.sample("fauxgres_uptime_seconds", static_cast<std::uint64_t>(uptime.count() / 1000));
  return w.take();
}

}  // namespace fauxgres::control
