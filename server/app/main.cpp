// fauxgres entry point: parse the configuration, start the server, print the ready line.
#include <cstdio>
#include <exception>

#include "config/server_config.hpp"
#include "net/server.hpp"
#include "observe/logger.hpp"
#include "responder/fixtures.hpp"

int main(int argc, char** argv) {
  using namespace fauxgres;
  config::command_line command;
  responder::fixtures fixtures;
  try {
    command = config::parse_command_line(argc, argv);
    if (command.what != config::command_line::action::run) {
      std::fputs(command.text.c_str(), stdout);
      return 0;
    }
    if (!command.config.fixtures_file.empty())
      fixtures = responder::fixtures::load_file(command.config.fixtures_file);
  } catch (const config::error& e) {
    std::fprintf(stderr, "fauxgres: %s\n", e.what());
    return 2;
  }

  observe::logger log(command.config.log_format, command.config.log_level);
  net::server server(command.config, fixtures, log);
  try {
    server.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fauxgres: %s\n", e.what());
    return 1;
  }
  std::printf("%s\n", server.ready_line().c_str());
  std::fflush(stdout);
  return server.run();
}
