// `fauxgres run [server options] [--scenario FILE] [--report FILE] [--timeout DURATION] --
// COMMAND ARGS...`: starts fauxgres in-process, runs COMMAND against it while playing the
// scenario's timeline, then checks the expectations, prints a summary and writes the
// report. The thin I/O part; the pure parts are run_options, scenario, expectation,
// environment and report.
#pragma once

#include <string>
#include <vector>

namespace fauxgres::harness {

// `args`: everything after `run`. Returns the exit status (report.hpp, exit_status).
int run_main(const std::vector<std::string>& args);

}  // namespace fauxgres::harness
