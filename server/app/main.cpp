// fauxgres entry point: parse the configuration and fault rules, start the server, print
// the ready line, and write the stats file at exit.
#include <cstdio>
#include <exception>
#include <fstream>
#include <random>

#include "config/server_config.hpp"
#include "faults/rules.hpp"
#include "net/server.hpp"
#include "observe/logger.hpp"
#include "responder/fixtures.hpp"

namespace {

using namespace fauxgres;

// Rules from the config file first, then from --fault flags; a random seed unless given.
faults::engine build_fault_engine(const config::server_config& config) {
  std::uint64_t seed = config.seed ? *config.seed : std::random_device{}();
  return faults::engine(faults::rules_from_config(config), seed);
}

}  // namespace

int main(int argc, char** argv) {
  config::command_line command;
  responder::fixtures fixtures;
  faults::engine rules;
  try {
    command = config::parse_command_line(argc, argv);
    if (command.what != config::command_line::action::run) {
      std::fputs(command.text.c_str(), stdout);
      return 0;
    }
    if (!command.config.fixtures_file.empty())
      fixtures = responder::fixtures::load_file(command.config.fixtures_file);
    rules = build_fault_engine(command.config);
  } catch (const config::error& e) {
    std::fprintf(stderr, "fauxgres: %s\n", e.what());
    return 2;
  }

  observe::logger log(command.config.log_format, command.config.log_level);
  net::server server(command.config, fixtures, rules, log);
  try {
    server.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fauxgres: %s\n", e.what());
    return 1;
  }
  log.log(observe::level::info, "fault rules",
          {{"rules", static_cast<std::int64_t>(rules.rules().size())},
           {"seed", static_cast<std::int64_t>(rules.seed())}});
  std::printf("%s\n", server.ready_line().c_str());
  std::fflush(stdout);
  int status = server.run();
  if (!command.config.stats_file.empty()) {
    std::ofstream out(command.config.stats_file);
    out << server.stats_json() << '\n';
    if (!out) {
      std::fprintf(stderr, "fauxgres: cannot write --stats-file %s\n",
                   command.config.stats_file.c_str());
      return 1;
    }
  }
  return status;
}
