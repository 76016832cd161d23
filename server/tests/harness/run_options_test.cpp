// The `fauxgres run` command line: harness flags, server flags passed on, the command after
// `--`, the defaults a harness run adds, and errors naming the flag.
#include <catch2/catch.hpp>

#include "harness/run_options.hpp"

using namespace fauxgres;
using namespace fauxgres::harness;
using strings = std::vector<std::string>;
using std::chrono::milliseconds;

namespace {

config::error error_of(const strings& args) {
  try {
    parse_run_options(args);
  } catch (const config::error& e) {
    return e;
  }
  FAIL("expected a config::error");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("run: harness flags are taken out, the rest goes to the server", "[harness][cli]") {
  auto o =
      parse_run_options({"--user", "app=x", "--scenario", "s.yaml", "--report=r.html", "--timeout",
                         "30s", "--fault", "refuse", "--", "python3", "app.py", "--timeout", "1"});
  CHECK(o.scenario_file == "s.yaml");
  CHECK(o.report_file == "r.html");
  CHECK(format_of(o.report_file) == report_format::html);
  REQUIRE(o.timeout);
  CHECK(*o.timeout == milliseconds(30000));
  CHECK(o.command == strings{"python3", "app.py", "--timeout", "1"});
  CHECK(o.server_args == strings{"--log-level", "warn", "--listen", "127.0.0.1:0", "--user",
                                 "app=x", "--fault", "refuse"});
}

TEST_CASE("run: defaults only where the user said nothing", "[harness][cli]") {
  CHECK(parse_run_options({"--", "true"}).server_args ==
        strings{"--log-level", "warn", "--listen", "127.0.0.1:0"});
  CHECK(parse_run_options({"--unix-socket-dir", "/tmp/x", "--", "true"}).server_args ==
        strings{"--log-level", "warn", "--unix-socket-dir", "/tmp/x"});
  CHECK(parse_run_options({"--listen=127.0.0.1:6000", "--log-level", "info", "--", "true"})
            .server_args == strings{"--listen=127.0.0.1:6000", "--log-level", "info"});
  CHECK(parse_run_options({"--config", "f.yaml", "--", "true"}).server_args ==
        strings{"--config", "f.yaml"});
  auto o = parse_run_options({"--", "true"});
  CHECK(o.scenario_file.empty());
  CHECK(o.report_file.empty());
  CHECK_FALSE(o.timeout);
}

TEST_CASE("run: report formats", "[harness][cli]") {
  CHECK(format_of("") == report_format::none);
  CHECK(format_of("out/r.json") == report_format::json);
  CHECK(format_of("r.html") == report_format::html);
  CHECK(format_of("r.htm") == report_format::html);
  CHECK(format_of("r.txt") == report_format::none);
}

TEST_CASE("run: errors name the flag", "[harness][cli]") {
  CHECK(error_of({"true"}).field() == "command line");
  CHECK(error_of({"--"}).field() == "command line");
  CHECK(error_of({"--scenario"}).field() == "--scenario");
  CHECK(error_of({"--scenario", "--", "true"}).why() == "needs a value");
  CHECK(error_of({"--scenario", "a", "--scenario", "b", "--", "x"}).why() ==
        "given more than once");
  auto report = error_of({"--report", "r.txt", "--", "true"});
  CHECK(report.field() == "--report");
  CHECK(report.value() == "r.txt");
  CHECK(error_of({"--timeout", "5x", "--", "true"}).field() == "--timeout");
  CHECK(error_of({"--timeout", "0", "--", "true"}).field() == "--timeout");
}

TEST_CASE("run: --help needs no command", "[harness][cli]") {
  CHECK(parse_run_options({"--help"}).help);
  CHECK(parse_run_options({"-h"}).help);
  CHECK(run_usage().find("-- COMMAND ARGS...") != std::string::npos);
}
