// Connection URLs: postgresql://USER[:PASSWORD]@HOST:PORT/DB with percent-encoded parts, for
// the ready line, `fauxgres run`'s DATABASE_URL and the control API's Location headers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fauxgres::config {

// Where a client connects: a TCP address, or a Unix socket directory and port.
struct endpoint {
  bool unix_socket = false;
  std::string host;  // TCP: an address ("127.0.0.1", "::1"); Unix: the socket directory
  std::uint16_t port = 5432;
};

struct client_identity {
  std::string user = "postgres";
  std::optional<std::string> password;  // none: no password in the URL
  std::string database = "postgres";
};

// RFC 3986 unreserved characters stay, every other byte becomes %XX.
std::string percent_encode(std::string_view text);

// postgresql://USER[:PASSWORD]@HOST:PORT/DB, or for a Unix socket
// postgresql://USER[:PASSWORD]@/DB?host=DIR&port=PORT; IPv6 hosts in brackets.
std::string database_url(const endpoint& where, const client_identity& who);

}  // namespace fauxgres::config
