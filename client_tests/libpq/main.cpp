// Catch2 main for the libpq end-to-end tests: ignores SIGPIPE (raw sockets write to
// servers that may already have closed) and runs the session.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <csignal>

int main(int argc, char* argv[]) {
  std::signal(SIGPIPE, SIG_IGN);
  return Catch::Session().run(argc, argv);
}
