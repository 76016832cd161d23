// The HTTP control API (docs/api.md) with Toxiproxy's API on the same port
// (docs/toxiproxy.md): Boost.Beast HTTP/1.1 on the server's io_context, one coroutine per
// HTTP connection, bounded requests, an optional bearer token. While it runs, the server
// stays up after a smart shutdown (POST /reset brings it back), and it closes when the
// server's fast shutdown begins.
#pragma once

#include <memory>
#include <string>

#include "config/server_config.hpp"
#include "net/server.hpp"
#include "observe/logger.hpp"

namespace fauxgres::control {

class api {
 public:
  // Binds config.api; std::runtime_error naming --api when it cannot, config::error when a
  // non-loopback address has no token.
  api(net::server& server, const config::server_config& config, observe::logger& log);
  ~api();
  api(const api&) = delete;
  api& operator=(const api&) = delete;

  std::string url() const;  // "http://127.0.0.1:8474", with the bound port

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace fauxgres::control
