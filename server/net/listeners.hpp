// Binding listeners the way PostgreSQL does: TCP addresses, and Unix sockets named
// DIR/.s.PGSQL.<port> whose directory is created if needed. A socket file that a live
// server answers on is never taken over; a stale one is replaced.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <optional>
#include <string>

#include "config/server_config.hpp"

namespace fauxgres::net {

struct tcp_listener {
  const config::listener_config* config;
  boost::asio::ip::tcp::acceptor acceptor;
  std::uint16_t port;                // the bound port (port 0 resolved)
  boost::asio::ip::address address;  // kept: the acceptor may be closed by a fault rule
  bool enabled = true;               // the control API may disable it
  bool removed = false;              // removed at runtime: closed for good
};

struct unix_listener {
  const config::listener_config* config;
  boost::asio::local::stream_protocol::acceptor acceptor;
  std::string path;
  bool enabled = true;
  bool removed = false;
};

// Each throws std::runtime_error naming the listener and the reason.
// `port` overrides the configured one (to re-open a listener on the port it had).
tcp_listener bind_tcp(boost::asio::io_context& io, const config::listener_config& listener,
                      std::optional<std::uint16_t> port = std::nullopt);
unix_listener bind_unix(boost::asio::io_context& io, const config::listener_config& listener);

std::string socket_path(const config::listener_config& listener);

}  // namespace fauxgres::net
