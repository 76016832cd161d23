// Prometheus text for GET /metrics: families, labels and their escaping.
#include <catch2/catch.hpp>

#include "control/metrics.hpp"

using namespace fauxgres;
using namespace std::chrono_literals;

TEST_CASE("metrics: counters, per-listener gauges, rejections, errors and fired rules") {
  observe::stats stats;
  stats.connection_opened(1, "tcp0", 0ms);
  stats.connection_opened(2, "tcp0", 1ms);
  stats.error_sent(2, "53300");
  stats.fault_fired(2, "max_connections", true);
  observe::closing how;
  stats.connection_closed(2, 2ms, 1ms, how);
  faults::engine rules({faults::parse_rule("max_connections:limit=1,name=cap")}, 1);

  const std::string text = control::render_metrics(stats, rules, 2500ms);
  CHECK(text.find("# TYPE fauxgres_connections_current gauge\nfauxgres_connections_current 1\n") !=
        std::string::npos);
  CHECK(text.find("fauxgres_connections_peak 2\n") != std::string::npos);
  CHECK(text.find("fauxgres_connections_accepted_total 2\n") != std::string::npos);
  CHECK(text.find("fauxgres_listener_connections_current{listener=\"tcp0\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("fauxgres_connections_rejected_total{reason=\"max_connections\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("fauxgres_errors_total{sqlstate=\"53300\"} 1\n") != std::string::npos);
  CHECK(text.find("fauxgres_fault_fired_total{rule=\"cap\",type=\"max_connections\"} 0\n") !=
        std::string::npos);
  CHECK(text.find("fauxgres_uptime_seconds 2\n") != std::string::npos);
  CHECK(text.find("# HELP fauxgres_errors_total ") != std::string::npos);
  CHECK(text.back() == '\n');
}

TEST_CASE("metrics: label values are escaped") {
  CHECK(control::escape_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
}
