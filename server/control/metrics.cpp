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
  // A family of one unlabelled sample.
  void single(std::string_view name, std::string_view type, std::string_view help,
              std::uint64_t value) {
    family(name, type, help);
    sample(name, value);
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
  w.single("fauxgres_connections_current", "gauge", "Connections open now.", stats.current);
  w.single("fauxgres_connections_peak", "gauge", "Most connections open at once.", stats.peak);
  w.single("fauxgres_connections_accepted_total", "counter", "Connections accepted.",
           stats.accepted);
  w.single("fauxgres_connections_closed_total", "counter", "Connections closed.", stats.closed);
  w.family("fauxgres_listener_connections_current", "gauge", "Connections open now, by listener.");
  for (const auto& [name, n] : stats.current_by_listener)
    w.sample("fauxgres_listener_connections_current", n, label("listener", name));
  w.family("fauxgres_listener_connections_peak", "gauge",
           "Most connections open at once, by listener.");
  for (const auto& [name, n] : stats.peak_by_listener)
    w.sample("fauxgres_listener_connections_peak", n, label("listener", name));
  w.single("fauxgres_logins_total", "counter", "Sessions that logged in.", stats.logins);
  w.single("fauxgres_auth_failures_total", "counter", "Logins refused for the password or role.",
           stats.auth_failures);
  w.single("fauxgres_cancel_requests_total", "counter", "CancelRequest connections.",
           stats.cancel_requests);
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
  w.single("fauxgres_fault_rules", "gauge", "Fault rules in effect.", rules.rules().size());
  w.single("fauxgres_uptime_seconds", "gauge", "Seconds since the server started.",
           static_cast<std::uint64_t>(uptime.count() / 1000));
  return w.take();
}

}  // namespace fauxgres::control
