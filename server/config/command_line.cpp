// The fauxgres command line (CLI11): flags, merged over an optional --config YAML file.
// A flag that is given replaces the file's value; a repeatable flag replaces the file's list.
#include <CLI/CLI.hpp>

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include "config/server_config.hpp"
#include "config/values.hpp"

namespace fauxgres::config {
namespace {

struct flag_values {
  std::vector<std::string> listen, unix_dirs, users, databases, faults;
  std::string port, auth, ssl, ssl_cert, ssl_key, fixtures, config_file, log_format, log_level,
      authentication_timeout, server_version, seed, stats_file, test_ca_file, api, api_token;
  bool help = false;
  bool version = false;
};

using option_map = std::map<std::string, CLI::Option*, std::less<>>;

std::string version_text() {
  return std::string("fauxgres ") + FAUXGRES_VERSION + " (PostgreSQL 15 wire protocol)";
}

// Declares every flag; returns them by name ("--listen").
option_map declare_flags(CLI::App& app, flag_values& f) {
  option_map o;
  auto single = [&](const char* name, std::string& into, const char* type, const char* help) {
    o[name] = app.add_option(name, into, help)->type_name(type);
  };
  auto repeatable = [&](const char* name, std::vector<std::string>& into, const char* type,
                        const char* help) {
    o[name] = app.add_option(name, into, help)
                  ->type_name(type)
                  ->allow_extra_args(false)
                  ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  };
  repeatable("--listen", f.listen, "HOST:PORT",
             "TCP listener, repeatable; IPv6 as [::1]:5432; port 0 picks a free port");
  repeatable("--unix-socket-dir", f.unix_dirs, "DIR",
             "Unix socket directory (socket file DIR/.s.PGSQL.<port>), repeatable");
  single("--port", f.port, "N", "socket file suffix and default TCP port (default 5432)");
  repeatable("--user", f.users, "NAME=PASSWORD",
             "a role; split at the first '=', the password may contain anything; repeatable");
  single("--auth", f.auth, "METHOD",
         "trust|password|md5|scram-sha-256 (default: scram-sha-256 with users, else trust)");
  repeatable("--database", f.databases, "NAME", "a database that exists; repeatable");
  single("--ssl", f.ssl, "on|off", "answer SSLRequest with S and do TLS (default off)");
  single("--ssl-cert", f.ssl_cert, "FILE", "server certificate (PEM), with --ssl-key");
  single("--ssl-key", f.ssl_key, "FILE", "server private key (PEM), with --ssl-cert");
  single("--fixtures", f.fixtures, "FILE", "scripted query answers (YAML)");
  single("--config", f.config_file, "FILE", "YAML config file; flags override it");
  single("--log-format", f.log_format, "text|json", "log format (default text)");
  single("--log-level", f.log_level, "LEVEL",
         "trace|debug|info|warn|error|critical|off (default info)");
  single("--authentication-timeout", f.authentication_timeout, "DURATION",
         "close silently if startup+auth takes longer, e.g. 250ms, 5s, 1m (default 60s)");
  single("--server-version", f.server_version, "TEXT",
         "server_version reported to clients (default 15.20 (Debian 15.20-0+deb12u1))");
  repeatable("--fault", f.faults, "TYPE[:key=value,...]",
             "a fault rule, e.g. idle_drop:after=5s,mode=reset; repeatable, asked in order after "
             "the config file's faults (see docs/faults.md)");
  single("--seed", f.seed, "N", "seed of the fault rules' random draws (default: random, printed)");
  single("--stats-file", f.stats_file, "FILE", "write counters as JSON to FILE at exit");
  single("--test-ca-file", f.test_ca_file, "FILE",
         "write the test CA that signs the ssl fault's certificates to FILE (PEM)");
  single("--api", f.api, "HOST:PORT",
         "serve the HTTP control API (and Toxiproxy's) there; port 0 picks one (docs/api.md)");
  single("--api-token", f.api_token, "TOKEN",
         "bearer token the API requires; needed when --api is not a loopback address");
  o["--help"] = app.add_flag("-h,--help", f.help, "print this help and exit");
  o["--version"] = app.add_flag("--version", f.version, "print the version and exit");
  return o;
}

// The flag a CLI11 error message is about: the longest of our names found in it.
std::string flag_in(std::string_view message, const option_map& options) {
  std::string best;
  for (const auto& [name, option] : options) {
    auto at = message.find(name);
    while (at != std::string_view::npos) {
      const std::size_t end = at + name.size();
      const bool whole =
          end == message.size() ||
          !(std::isalnum(static_cast<unsigned char>(message[end])) || message[end] == '-');
      if (whole && name.size() > best.size()) best = name;
      at = message.find(name, at + 1);
    }
  }
  return best.empty() ? "command line" : best;
}

// A CLI11 parse error as a config::error naming the flag, in our words where we can.
error from_cli11(const CLI::ParseError& e, const option_map& options) {
  const std::string field = flag_in(e.what(), options);
  std::string why = e.what();
  if (why.rfind(field + ": ", 0) == 0) why.erase(0, field.size() + 2);
  if (why.find("required") != std::string::npos && why.find("missing") != std::string::npos) {
    why = "needs a value";
  } else if (why.find("At Most 1") != std::string::npos) {
    why = "given more than once";
  }
  return error(field, "", why);
}

std::string read_file(const std::string& path) {
  const std::string checked = readable_file(path, "--config");
  std::ifstream in(checked, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) throw error("--config", path, "could not read the file");
  return text.str();
}

bool given(const option_map& o, std::string_view name) {
  return o.find(name)->second->count() > 0;
}

// Listeners from --listen / --unix-socket-dir: they replace any others.
std::vector<listener_config> flag_listeners(const flag_values& f, const server_config& c,
                                            std::string_view port_field) {
  std::vector<listener_config> out;
  for (std::size_t i = 0; i < f.listen.size(); ++i) {
    const host_port hp = parse_host_port(f.listen[i], "--listen");
    listener_config l;
    l.name = "tcp" + std::to_string(i);
    l.address = hp.host;
    l.port = hp.port.value_or(c.port);
    l.port_explicit = hp.port.has_value();
    out.push_back(std::move(l));
  }
  for (std::size_t i = 0; i < f.unix_dirs.size(); ++i) {
    listener_config l;
    l.type = listener_config::kind::unix_socket;
    l.name = "unix" + std::to_string(i);
    l.address = parse_socket_dir(f.unix_dirs[i], "--unix-socket-dir");
    l.port = c.port;
    check_unix_listener(l, std::string(port_field), "--unix-socket-dir");
    out.push_back(std::move(l));
  }
  return out;
}

// Listeners that follow the server port take a new --port; no listeners at all get the
// defaults (127.0.0.1 and /tmp).
void settle_listeners(server_config& c, const std::string& port_field) {
  if (c.listeners.empty()) {
    listener_config tcp;
    tcp.name = "tcp0";
    tcp.address = "127.0.0.1";
    listener_config unix_socket;
    unix_socket.type = listener_config::kind::unix_socket;
    unix_socket.name = "unix0";
    unix_socket.address = "/tmp";
    c.listeners = {tcp, unix_socket};
  }
  for (auto& l : c.listeners) {
    if (l.port_explicit) continue;
    l.port = c.port;
    if (l.type == listener_config::kind::unix_socket)
      check_unix_listener(l, port_field, port_field);
  }
}

void apply_tls_flags(const flag_values& f, const option_map& o, server_config& c) {
  if (given(o, "--ssl")) c.tls.enabled = parse_bool(f.ssl, "--ssl");
  if (given(o, "--ssl-cert")) c.tls.cert_file = readable_file(f.ssl_cert, "--ssl-cert");
  if (given(o, "--ssl-key")) c.tls.key_file = readable_file(f.ssl_key, "--ssl-key");
  if (c.tls.cert_file.empty() != c.tls.key_file.empty()) {
    const bool from_flags = given(o, "--ssl-cert") || given(o, "--ssl-key");
    const std::string missing = c.tls.cert_file.empty() ? "cert" : "key";
    throw error(from_flags ? "--ssl-" + missing : "ssl." + missing, "",
                "--ssl-cert and --ssl-key must be given together");
  }
}

void apply_flags(const flag_values& f, const option_map& o, server_config& c) {
  if (given(o, "--port")) c.port = parse_port(f.port, "--port");
  if (given(o, "--auth")) c.auth = parse_method(f.auth, "--auth");
  if (given(o, "--user")) {
    c.users.clear();
    for (const auto& spec : f.users) {
      user_config u = parse_user(spec, "--user");
      for (const auto& other : c.users) {
        if (other.name == u.name) throw error("--user", u.name, "user given twice");
      }
      c.users.push_back(std::move(u));
    }
  }
  if (given(o, "--database")) {
    c.databases.clear();
    for (const auto& name : f.databases) {
      c.databases.push_back(parse_name(name, "--database"));
      if (std::count(c.databases.begin(), c.databases.end(), name) > 1) {
        throw error("--database", name, "database given twice");
      }
    }
  }
  apply_tls_flags(f, o, c);
  if (given(o, "--fixtures")) c.fixtures_file = readable_file(f.fixtures, "--fixtures");
  if (given(o, "--log-format")) c.log_format = parse_log_format(f.log_format, "--log-format");
  if (given(o, "--log-level")) c.log_level = parse_log_level(f.log_level, "--log-level");
  if (given(o, "--authentication-timeout")) {
    c.authentication_timeout = parse_timeout(f.authentication_timeout, "--authentication-timeout");
  }
  if (given(o, "--server-version")) {
    c.server_version = parse_name(f.server_version, "--server-version");
  }
  if (given(o, "--fault")) {
    for (const auto& text : f.faults) c.fault_flags.push_back(parse_name(text, "--fault"));
  }
  if (given(o, "--seed")) c.seed = parse_seed(f.seed, "--seed");
  if (given(o, "--stats-file")) c.stats_file = parse_name(f.stats_file, "--stats-file");
  if (given(o, "--test-ca-file")) c.test_ca_file = parse_name(f.test_ca_file, "--test-ca-file");
  if (given(o, "--api")) {
    const host_port hp = parse_host_port(f.api, "--api");
    c.api.enabled = true;
    c.api.host = hp.host;
    c.api.port = hp.port.value_or(8474);
  }
  if (given(o, "--api-token")) {
    if (!c.api.enabled) throw error("--api-token", "", "needs --api (or api: in the config file)");
    c.api.token = parse_name(f.api_token, "--api-token");
  }
  if (c.api.enabled)
    check_api(c.api, given(o, "--api") || given(o, "--api-token") ? "--api-token" : "api.token");
  const std::string port_field = given(o, "--port") ? "--port" : "port";
  if (given(o, "--listen") || given(o, "--unix-socket-dir")) {
    c.listeners = flag_listeners(f, c, port_field);
  }
  settle_listeners(c, port_field);
}

}  // namespace

command_line parse_command_line(int argc, const char* const* argv) {
  CLI::App app("fauxgres: a PostgreSQL 15 compatible fake server for fault-injection tests.",
               "fauxgres");
  app.footer(
      "A --config YAML file can set everything; flags override it. See docs/config.md.\n"
      "fauxgres run [OPTIONS] [--scenario FILE] [--report FILE] [--timeout DURATION] -- COMMAND\n"
      "  runs COMMAND against fauxgres with PG* and DATABASE_URL set, plays the scenario and\n"
      "  checks its expectations (docs/scenarios.md).");
  app.set_help_flag();  // ours is a plain flag, so help is returned, not thrown
  app.allow_extras();   // unknown arguments are reported below, by name
  flag_values flags;
  const option_map options = declare_flags(app, flags);
  try {
    if (argc > 0) app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    throw from_cli11(e, options);
  }
  command_line result;
  if (flags.help) {
    result.what = command_line::action::help;
    result.text = app.help();
    return result;
  }
  if (flags.version) {
    result.what = command_line::action::version;
    result.text = version_text();
    return result;
  }
  if (const auto extra = app.remaining(); !extra.empty()) {
    const std::string& first = extra.front();
    if (first.rfind("-", 0) != 0) {
      throw error("command line", first, "unexpected argument (see --help)");
    }
    throw error(first.substr(0, first.find('=')), "", "unknown option (see --help)");
  }
  if (given(options, "--config")) {
    load_yaml_config(read_file(flags.config_file), flags.config_file, result.config);
  }
  apply_flags(flags, options, result.config);
  return result;
}

bool api_config::loopback() const {
  if (host == "localhost") return true;
  std::array<unsigned char, 16> raw{};
  if (inet_pton(AF_INET, host.c_str(), raw.data()) == 1) return raw[0] == 127;
  if (inet_pton(AF_INET6, host.c_str(), raw.data()) != 1) return false;
  const std::array<unsigned char, 16> v6_loopback{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return raw == v6_loopback;
}

void check_api(const api_config& api, const std::string& token_field) {
  if (api.enabled && api.token.empty() && !api.loopback()) {
    throw error(token_field, "",
                "required when the API listens on a non-loopback address (" + api.host + ")");
  }
}

auth::method server_config::effective_auth(const user_config* user,
                                           const listener_config& listener) const {
  if (user && user->auth) return *user->auth;
  if (listener.auth) return *listener.auth;
  if (auth) return *auth;
  return users.empty() ? auth::method::trust : auth::method::scram_sha_256;
}

}  // namespace fauxgres::config
