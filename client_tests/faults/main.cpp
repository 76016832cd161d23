// Catch2 main for the fault end-to-end tests: ignores SIGPIPE (raw sockets and libpq write
// to servers that a fault has just closed or reset) and runs the session.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <csignal>

int main(int argc, char* argv[]) {
  std::signal(SIGPIPE, SIG_IGN);
  return Catch::Session().run(argc, argv);
}
