// Single-value parsers for flags and YAML fields; see values.hpp.
#include "config/values.hpp"

#include <arpa/inet.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <limits>

namespace fauxgres::config {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_ip_literal(const std::string& host) {
  std::array<unsigned char, 16> buffer{};
  return inet_pton(AF_INET, host.c_str(), buffer.data()) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer.data()) == 1;
}

std::string checked_host(std::string_view host, std::string_view text, const std::string& field) {
  std::string h(host);
  if (h.empty()) throw error(field, std::string(text), "missing host");
  if (h != "localhost" && !is_ip_literal(h)) {
    throw error(field, std::string(text),
                "host must be an IPv4/IPv6 address or localhost (IPv6 in brackets: [::1]:5432)");
  }
  return h;
}

// A port inside a larger value: errors show the whole value.
std::uint16_t port_in(std::string_view port, std::string_view text, const std::string& field) {
  try {
    return parse_port(port, field);
  } catch (const error& e) {
    throw error(field, std::string(text), e.why());
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::uint16_t parse_port(std::string_view text, const std::string& field) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!all_digits(text) || ec != std::errc() || end != text.data() + text.size() || value > 65535) {
    throw error(field, std::string(text), "port must be a number from 0 to 65535");
  }
  return static_cast<std::uint16_t>(value);
}

host_port parse_host_port(std::string_view text, const std::string& field) {
  host_port out;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) throw error(field, std::string(text), "missing ']'");
    out.host = checked_host(text.substr(1, close - 1), text, field);
    const std::string_view rest = text.substr(close + 1);
    if (rest.empty()) return out;
    if (rest.front() != ':') throw error(field, std::string(text), "expected ':' after ']'");
    out.port = port_in(rest.substr(1), text, field);
    return out;
  }
  const auto colons = std::count(text.begin(), text.end(), ':');
  if (colons > 1) {
    throw error(field, std::string(text), "IPv6 addresses need brackets, as in [::1]:5432");
  }
  const auto colon = text.find(':');
  out.host = checked_host(text.substr(0, colon), text, field);
  if (colon != std::string_view::npos) out.port = port_in(text.substr(colon + 1), text, field);
  return out;
}

bool parse_bool(std::string_view text, const std::string& field) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view yes : {"on", "true", "yes"}) {
    if (lower == yes) return true;
  }
  for (std::string_view no : {"off", "false", "no"}) {
    if (lower == no) return false;
  }
  throw error(field, std::string(text), "expected on or off");
}

auth::method parse_method(std::string_view text, const std::string& field) {
  if (auto m = auth::method_from_string(text)) return *m;
  throw error(field, std::string(text), "expected trust, password, md5 or scram-sha-256");
}

std::string parse_log_format(std::string_view text, const std::string& field) {
  if (text == "text" || text == "json") return std::string(text);
  throw error(field, std::string(text), "expected text or json");
}

std::string parse_log_level(std::string_view text, const std::string& field) {
  for (std::string_view level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
    if (text == level) return std::string(text);
  }
  throw error(field, std::string(text),
              "expected trace, debug, info, warn, error, critical or off");
}

std::chrono::milliseconds parse_duration(std::string_view text, const std::string& field) {
  const std::string_view t = trim(text);
  std::size_t digits = 0;
  while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
  const std::string_view unit = trim(t.substr(digits));
  std::int64_t scale = 0;
  if (unit.empty() || unit == "ms") {
    scale = 1;
  } else if (unit == "s") {
    scale = 1000;
  } else if (unit == "m" || unit == "min") {
    scale = 60'000;
  } else if (unit == "h") {
    scale = 3'600'000;
  }
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + digits, value);
  if (digits == 0 || scale == 0 || ec != std::errc() || end != t.data() + digits ||
      value > std::numeric_limits<std::int64_t>::max() / scale) {
    throw error(field, std::string(text),
                "expected a duration such as 250ms, 5s, 5m or 1h (a bare number is "
                "milliseconds)");
  }
  return std::chrono::milliseconds(value * scale);
}

std::chrono::milliseconds parse_timeout(std::string_view text, const std::string& field) {
  const auto value = parse_duration(text, field);
  if (value.count() <= 0) throw error(field, std::string(text), "must be greater than zero");
  return value;
}

user_config parse_user(std::string_view text, const std::string& field) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos) {
    throw error(field, std::string(text), "expected NAME=PASSWORD");
  }
  user_config user;
  user.name = std::string(text.substr(0, equals));
  user.password = std::string(text.substr(equals + 1));
  if (user.name.empty()) throw error(field, std::string(text), "user name is empty");
  return user;
}

std::uint64_t parse_seed(std::string_view text, const std::string& field) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!all_digits(text) || ec != std::errc() || end != text.data() + text.size()) {
    throw error(field, std::string(text), "expected a whole number from 0 to 18446744073709551615");
  }
  return value;
}

std::string parse_name(std::string_view text, const std::string& field) {
  if (text.empty()) throw error(field, "", "must not be empty");
  return std::string(text);
}

std::string parse_socket_dir(std::string_view text, const std::string& field) {
  if (text.empty()) throw error(field, "", "socket directory must not be empty");
  return std::string(text);
}

std::string readable_file(std::string_view path, const std::string& field) {
  const std::string p(path);
  std::error_code ec;
  if (p.empty()) throw error(field, "", "file name is empty");
  if (!std::filesystem::exists(p, ec)) throw error(field, p, "file does not exist");
  if (!std::filesystem::is_regular_file(p, ec)) throw error(field, p, "not a regular file");
  if (::access(p.c_str(), R_OK) != 0) throw error(field, p, "file is not readable");
  return p;
}

void check_unix_listener(const listener_config& listener, const std::string& port_field,
                         const std::string& dir_field) {
  if (listener.port == 0) {
    throw error(port_field, std::to_string(listener.port),
                "a unix socket needs a real port number for its file name (.s.PGSQL.<port>); "
                "port 0 only picks a free port for TCP");
  }
  const std::string path = listener.address + "/.s.PGSQL." + std::to_string(listener.port);
  if (path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    throw error(dir_field, path,
                "socket path is too long (at most " +
                    std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) + " bytes)");
  }
}

}  // namespace fauxgres::config
