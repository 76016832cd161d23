// Catch2 main for the control API end-to-end tests: ignores SIGPIPE (clients write to
// connections the API has just closed) and runs the session.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <csignal>

int main(int argc, char* argv[]) {
  std::signal(SIGPIPE, SIG_IGN);
  return Catch::Session().run(argc, argv);
}
