// Parsers for single configuration values, shared by the command line and the YAML file.
// Each takes the field name used in errors (a flag like "--listen" or a YAML path like
// "listeners[1].tcp") and throws config::error naming it and the bad value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/methods.hpp"
#include "config/server_config.hpp"

namespace fauxgres::config {

std::uint16_t parse_port(std::string_view text, const std::string& field);  // 0..65535

struct host_port {
  std::string host;
  std::optional<std::uint16_t> port;  // absent: the server's --port
};
// "HOST", "HOST:PORT", "[IPv6]", "[IPv6]:PORT"; HOST is an IP literal or "localhost".
host_port parse_host_port(std::string_view text, const std::string& field);

bool parse_bool(std::string_view text, const std::string& field);  // on/off, true/false, yes/no
auth::method parse_method(std::string_view text, const std::string& field);
std::string parse_log_format(std::string_view text, const std::string& field);
std::string parse_log_level(std::string_view text, const std::string& field);
std::chrono::milliseconds parse_timeout(std::string_view text, const std::string& field);  // > 0

// "NAME=PASSWORD", split at the first '='; the password may be empty or contain anything.
user_config parse_user(std::string_view text, const std::string& field);

std::uint64_t parse_seed(std::string_view text, const std::string& field);  // 0..2^64-1

std::string parse_name(std::string_view text, const std::string& field);  // non-empty
std::string parse_socket_dir(std::string_view text, const std::string& field);

// The path, if it names a readable regular file.
std::string readable_file(std::string_view path, const std::string& field);

// Checks a unix listener's port is not 0 (error names `port_field`) and that its socket
// file path fits in sockaddr_un (error names `dir_field`).
void check_unix_listener(const listener_config& listener, const std::string& port_field,
                         const std::string& dir_field);

}  // namespace fauxgres::config
