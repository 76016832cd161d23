// A configured fauxgres, ready to serve: fixtures, fault rules, logger and the network
// server, started. Shared by the plain server (`fauxgres [options]`) and `fauxgres run`.
#pragma once

#include <memory>
#include <string>

#include "config/server_config.hpp"
#include "control/api.hpp"
#include "faults/rules.hpp"
#include "net/server.hpp"
#include "observe/logger.hpp"
#include "responder/fixtures.hpp"

namespace fauxgres::app {

class instance {
 public:
  // Loads fixtures and rules (config::error on bad configuration: exit 2) and binds every
  // listener and the control API when configured (std::runtime_error when it cannot: exit 1).
  explicit instance(config::server_config config);
  ~instance();

  net::server& server() { return *server_; }
  const config::server_config& config() const { return config_; }
  // The server's ready line, with ", api http://HOST:PORT" after the listeners when the
  // control API is on.
  std::string ready_line() const;
  // "http://127.0.0.1:8474" when the control API is on, else empty.
  std::string api_url() const { return api_ ? api_->url() : std::string(); }
  // Serves until shutdown; returns the exit status.
  int run();
  // Writes --stats-file if one was given; false (and a message on stderr) if it cannot.
  bool write_stats_file() const;

 private:
  config::server_config config_;
  responder::fixtures fixtures_;
  faults::engine rules_;
  std::unique_ptr<observe::logger> log_;
  std::unique_ptr<net::server> server_;
  std::unique_ptr<control::api> api_;  // after server_: closed before the io_context goes
};

}  // namespace fauxgres::app
