// Everything that configures a fauxgres server: from the command line, a YAML config file,
// or both (flags override the file). Parsing throws config::error naming the field.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/methods.hpp"
#include "config/error.hpp"

namespace fauxgres::config {

struct listener_config {
  enum class kind { tcp, unix_socket };
  kind type = kind::tcp;
  std::string name;            // "tcp0", "unix0" unless named in the config file
  std::string address;         // TCP host (IPv4/IPv6 literal or "localhost"), or socket directory
  std::uint16_t port = 5432;   // TCP port (0 = pick one); for unix, the .s.PGSQL.<port> suffix
  bool port_explicit = false;  // port given for this listener; else it follows server `port`
  std::optional<bool> ssl;     // per-listener override of server TLS
  std::optional<auth::method> auth;  // per-listener override of the auth method
};

struct user_config {
  std::string name;
  std::string password;
  std::optional<auth::method> auth;  // per-user override
  bool superuser = false;
};

struct tls_config {
  bool enabled = false;
  std::string cert_file;  // empty: generate a self-signed certificate at startup
  std::string key_file;
};

// One entry of the YAML `faults:` list, kept as text: the faults module builds and checks the
// rule (faults::make_rule), so config does not depend on it.
struct fault_entry {
  std::string type;
  std::map<std::string, std::string> keys;  // every key but `type`: attributes, match, rule keys
  std::string field;                        // "faults[2]", for errors
  std::string origin;                       // the config file, for errors
};

// The HTTP control API (docs/api.md): off unless --api or the file's `api:` gives an address.
struct api_config {
  bool enabled = false;
  std::string host;           // IP literal or "localhost"
  std::uint16_t port = 8474;  // 0 = pick one (printed in the ready line); Toxiproxy's by default
  std::string token;          // bearer token; empty = none (only allowed on loopback)
  bool loopback() const;      // host is 127.0.0.0/8, ::1 or localhost
};

struct server_config {
  std::vector<listener_config> listeners;  // never empty after parsing
  std::uint16_t port = 5432;
  std::vector<user_config> users;      // empty: any user, trust
  std::optional<auth::method> auth;    // default: trust without users, else scram
  std::vector<std::string> databases;  // empty: any database
  tls_config tls;                      // cert/key alone do not turn TLS on
  std::string fixtures_file;
  std::string log_format = "text";  // text | json
  std::string log_level = "info";   // trace debug info warn error critical off
  std::chrono::milliseconds authentication_timeout{60000};
  std::string server_version = "15.20 (Debian 15.20-0+deb12u1)";
  std::vector<fault_entry> fault_entries;  // the file's `faults:`, asked first
  std::vector<std::string> fault_flags;    // raw --fault texts, asked after the file's
  std::optional<std::uint64_t> seed;       // none: the app picks one (and prints it)
  std::string stats_file;                  // JSON counters written at exit; empty: none
  std::string test_ca_file;                // where to write the test CA (PEM); empty: none
  api_config api;                          // the control API (--api, --api-token, `api:`)

  auth::method effective_auth(const user_config* user, const listener_config& listener) const;
};

// Outcome of the command line: run a server, or print something and exit.
struct command_line {
  enum class action { run, help, version };
  action what = action::run;
  std::string text;  // for help/version
  server_config config;
};

// Parses argv (flags, and --config FILE merged underneath them). Throws config::error.
command_line parse_command_line(int argc, const char* const* argv);

// Loads a YAML config text into `into` (fields absent from the YAML are left alone).
void load_yaml_config(std::string_view yaml, std::string_view origin, server_config& into);

// A non-loopback API address needs a token: throws config::error naming `token_field`.
void check_api(const api_config& api, const std::string& token_field);

// Durations: "250ms", "5s", "5m", "1h", or a bare number of milliseconds.
std::chrono::milliseconds parse_duration(std::string_view text, const std::string& field);

}  // namespace fauxgres::config
