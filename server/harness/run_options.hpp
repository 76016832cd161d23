// The `fauxgres run` command line: harness options (--scenario, --report, --timeout), the
// server options passed on to config::parse_command_line, and the COMMAND after `--`.
// Pure: no I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "config/error.hpp"

namespace fauxgres::harness {

struct run_options {
  std::vector<std::string> server_args;  // for config::parse_command_line, without argv[0]
  std::string scenario_file;             // empty: no scenario
  std::string report_file;               // empty: none; else ends in .json or .html
  std::optional<std::chrono::milliseconds> timeout;
  std::vector<std::string> command;  // COMMAND ARGS...; never empty unless `help`
  bool help = false;
};

enum class report_format { none, json, html };
report_format format_of(const std::string& report_file);

// Parses the arguments after `run`. Defaults for a harness run, added unless given: a TCP
// listener on 127.0.0.1 with a free port (when no --listen, --unix-socket-dir or --config
// is given) and `--log-level warn`. Throws config::error naming the flag.
run_options parse_run_options(const std::vector<std::string>& args);

// The text printed by `fauxgres run --help`.
std::string run_usage();

}  // namespace fauxgres::harness
