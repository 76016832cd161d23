// fauxgres entry point: `fauxgres [options]` serves until SIGINT/SIGTERM; `fauxgres run
// [options] -- COMMAND` is the harness (see docs/scenarios.md).
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "app/instance.hpp"
#include "config/server_config.hpp"
#include "harness/run.hpp"

namespace {

using namespace fauxgres;

int serve(int argc, char** argv) {
  std::unique_ptr<app::instance> fauxgres;
  try {
    auto command = config::parse_command_line(argc, argv);
    if (command.what != config::command_line::action::run) {
      std::fputs(command.text.c_str(), stdout);
      return 0;
    }
    fauxgres = std::make_unique<app::instance>(std::move(command.config));
  } catch (const config::error& e) {
    std::fprintf(stderr, "fauxgres: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fauxgres: %s\n", e.what());
    return 1;
  }
  std::printf("%s\n", fauxgres->ready_line().c_str());
  std::fflush(stdout);
  int status = fauxgres->run();
  if (!fauxgres->write_stats_file()) return 1;
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "run")
    return harness::run_main(std::vector<std::string>(argv + 2, argv + argc));
  return serve(argc, argv);
}
