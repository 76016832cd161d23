// Loads the YAML config file (schema in docs/config.md) into a server_config. Every field is
// checked; unknown keys are errors; errors name the YAML path ("listeners[1].port").
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <set>

#include "config/server_config.hpp"
#include "config/values.hpp"

namespace fauxgres::config {
namespace {

using keys = std::initializer_list<std::string_view>;

std::string join(keys names) {
  std::string out;
  for (std::string_view name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::string child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string item(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

void expect_map(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) throw error(path, "", "expected a mapping (key: value)");
}

void expect_list(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) throw error(path, "", "expected a list");
}

// Rejects unknown and repeated keys of a mapping.
void check_keys(const YAML::Node& node, const std::string& path, keys allowed) {
  expect_map(node, path);
  std::set<std::string> seen;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) throw error(path, "", "keys must be plain names");
    const std::string key = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw error(child(path, key), "", "unknown key (expected one of: " + join(allowed) + ")");
    }
    if (!seen.insert(key).second) throw error(child(path, key), "", "key given twice");
  }
}

std::string text(const YAML::Node& node, const std::string& path) {
  if (!node.IsScalar()) throw error(path, "", "expected a single value");
  return node.Scalar();
}

class yaml_loader {
 public:
  yaml_loader(std::string_view origin, server_config& into) : origin_(origin), config_(into) {}

  void load(const YAML::Node& root) {
    if (!root || root.IsNull()) return;  // an empty file changes nothing
    if (!root.IsMap()) throw error("yaml", "", "the top level must be a mapping (key: value)");
    check_keys(root, "",
               {"listeners", "port", "users", "auth", "databases", "ssl", "fixtures", "log",
                "authentication_timeout", "server_version", "faults", "seed", "stats_file",
                "test_ca_file", "api"});
    if (root["port"]) config_.port = parse_port(text(root["port"], "port"), "port");
    if (root["auth"]) config_.auth = parse_method(text(root["auth"], "auth"), "auth");
    if (root["listeners"]) load_listeners(root["listeners"]);
    if (root["users"]) load_users(root["users"]);
    if (root["databases"]) load_databases(root["databases"]);
    if (root["ssl"]) load_ssl(root["ssl"]);
    if (root["fixtures"]) {
      config_.fixtures_file = file(root["fixtures"], "fixtures");
    }
    if (root["log"]) load_log(root["log"]);
    if (root["authentication_timeout"]) {
      config_.authentication_timeout = parse_timeout(
          text(root["authentication_timeout"], "authentication_timeout"), "authentication_timeout");
    }
    if (root["server_version"]) {
      config_.server_version =
          parse_name(text(root["server_version"], "server_version"), "server_version");
    }
    if (root["faults"]) load_faults(root["faults"]);
    if (root["seed"]) config_.seed = parse_seed(text(root["seed"], "seed"), "seed");
    if (root["stats_file"]) config_.stats_file = output_file(root["stats_file"], "stats_file");
    if (root["test_ca_file"])
      config_.test_ca_file = output_file(root["test_ca_file"], "test_ca_file");
    if (root["api"]) load_api(root["api"]);
  }

 private:
  // A path from the file, relative to the file's directory.
  std::string file(const YAML::Node& node, const std::string& path) {
    std::filesystem::path p(text(node, path));
    const auto base = std::filesystem::path(origin_).parent_path();
    if (p.is_relative() && !base.empty()) p = base / p;
    return readable_file(p.string(), path);
  }

  // A file we write: relative to the file's directory, need not exist yet.
  std::string output_file(const YAML::Node& node, const std::string& path) {
    std::filesystem::path p(parse_name(text(node, path), path));
    const auto base = std::filesystem::path(origin_).parent_path();
    if (p.is_relative() && !base.empty()) p = base / p;
    return p.string();
  }

  // Each entry: `type:` and scalar keys, kept as text for faults::make_rule.
  void load_faults(const YAML::Node& list) {
    expect_list(list, "faults");
    std::vector<fault_entry> entries;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = item("faults", i);
      const YAML::Node node = list[i];
      expect_map(node, path);
      fault_entry entry;
      entry.field = path;
      entry.origin = origin_;
      for (const auto& pair : node) {
        if (!pair.first.IsScalar()) throw error(path, "", "keys must be plain names");
        const std::string key = pair.first.Scalar();
        const std::string value = text(pair.second, child(path, key));
        if (key == "type") {
          if (!entry.type.empty()) throw error(child(path, key), "", "key given twice");
          entry.type = parse_name(value, child(path, key));
        } else if (!entry.keys.emplace(key, value).second) {
          throw error(child(path, key), "", "key given twice");
        }
      }
      if (entry.type.empty()) throw error(child(path, "type"), "", "missing fault type");
      entries.push_back(std::move(entry));
    }
    config_.fault_entries = std::move(entries);
  }

  void load_listeners(const YAML::Node& list) {
    expect_list(list, "listeners");
    std::vector<listener_config> listeners;
    int tcp_count = 0;
    int unix_count = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
      listener_config l = load_listener(list[i], item("listeners", i));
      if (l.name.empty()) {
        l.name = l.type == listener_config::kind::tcp ? "tcp" + std::to_string(tcp_count)
                                                      : "unix" + std::to_string(unix_count);
      }
      (l.type == listener_config::kind::tcp ? tcp_count : unix_count)++;
      for (const auto& other : listeners) {
        if (other.name == l.name)
          throw error(item("listeners", i) + ".name", l.name, "name used twice");
      }
      listeners.push_back(std::move(l));
    }
    for (std::size_t i = 0; i < listeners.size(); ++i) {
      auto& l = listeners[i];
      if (!l.port_explicit) l.port = config_.port;
      if (l.type == listener_config::kind::unix_socket) {
        const std::string path = item("listeners", i);
        check_unix_listener(l, l.port_explicit ? path + ".port" : "port", path + ".unix");
      }
    }
    config_.listeners = std::move(listeners);
  }

  listener_config load_listener(const YAML::Node& node, const std::string& path) {
    check_keys(node, path, {"name", "tcp", "unix", "port", "ssl", "auth"});
    if (!node["tcp"] == !node["unix"]) throw error(path, "", "needs exactly one of tcp or unix");
    listener_config l;
    if (node["name"]) l.name = parse_name(text(node["name"], path + ".name"), path + ".name");
    if (node["tcp"]) {
      const host_port hp = parse_host_port(text(node["tcp"], path + ".tcp"), path + ".tcp");
      l.type = listener_config::kind::tcp;
      l.address = hp.host;
      if (hp.port) {
        l.port = *hp.port;
        l.port_explicit = true;
      }
    } else {
      l.type = listener_config::kind::unix_socket;
      l.address = parse_socket_dir(text(node["unix"], path + ".unix"), path + ".unix");
    }
    if (node["port"]) {
      if (l.port_explicit) throw error(path + ".port", "", "port given both in tcp and in port");
      l.port = parse_port(text(node["port"], path + ".port"), path + ".port");
      l.port_explicit = true;
    }
    if (node["ssl"]) l.ssl = parse_bool(text(node["ssl"], path + ".ssl"), path + ".ssl");
    if (node["auth"]) l.auth = parse_method(text(node["auth"], path + ".auth"), path + ".auth");
    return l;
  }

  void load_users(const YAML::Node& list) {
    expect_list(list, "users");
    std::vector<user_config> users;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = item("users", i);
      const YAML::Node node = list[i];
      check_keys(node, path, {"name", "password", "auth", "superuser"});
      if (!node["name"]) throw error(path + ".name", "", "missing user name");
      user_config u;
      u.name = parse_name(text(node["name"], path + ".name"), path + ".name");
      if (node["password"]) u.password = text(node["password"], path + ".password");
      if (node["auth"]) u.auth = parse_method(text(node["auth"], path + ".auth"), path + ".auth");
      if (node["superuser"]) {
        u.superuser = parse_bool(text(node["superuser"], path + ".superuser"), path + ".superuser");
      }
      for (const auto& other : users) {
        if (other.name == u.name) throw error(path + ".name", u.name, "user given twice");
      }
      users.push_back(std::move(u));
    }
    config_.users = std::move(users);
  }

  void load_databases(const YAML::Node& list) {
    expect_list(list, "databases");
    std::vector<std::string> databases;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = item("databases", i);
      std::string name = parse_name(text(list[i], path), path);
      if (std::find(databases.begin(), databases.end(), name) != databases.end()) {
        throw error(path, name, "database given twice");
      }
      databases.push_back(std::move(name));
    }
    config_.databases = std::move(databases);
  }

  void load_ssl(const YAML::Node& node) {
    if (node.IsScalar()) {  // shorthand: "ssl: on"
      config_.tls.enabled = parse_bool(node.Scalar(), "ssl");
      return;
    }
    check_keys(node, "ssl", {"enabled", "cert", "key"});
    if (node["enabled"]) {
      config_.tls.enabled = parse_bool(text(node["enabled"], "ssl.enabled"), "ssl.enabled");
    }
    if (node["cert"]) config_.tls.cert_file = file(node["cert"], "ssl.cert");
    if (node["key"]) config_.tls.key_file = file(node["key"], "ssl.key");
  }

  // `api: HOST:PORT`, or a mapping with `listen` and `token`.
  void load_api(const YAML::Node& node) {
    api_config api;
    std::string listen;
    if (node.IsScalar()) {
      listen = node.Scalar();
    } else {
      check_keys(node, "api", {"listen", "token"});
      if (!node["listen"]) throw error("api.listen", "", "missing the API address (HOST:PORT)");
      listen = text(node["listen"], "api.listen");
      if (node["token"]) api.token = parse_name(text(node["token"], "api.token"), "api.token");
    }
    const std::string field = node.IsScalar() ? "api" : "api.listen";
    const host_port hp = parse_host_port(listen, field);
    api.enabled = true;
    api.host = hp.host;
    api.port = hp.port.value_or(api.port);
    config_.api = std::move(api);
  }

  void load_log(const YAML::Node& node) {
    check_keys(node, "log", {"format", "level"});
    if (node["format"]) {
      config_.log_format = parse_log_format(text(node["format"], "log.format"), "log.format");
    }
    if (node["level"]) {
      config_.log_level = parse_log_level(text(node["level"], "log.level"), "log.level");
    }
  }

  std::string origin_;
  server_config& config_;
};

}  // namespace

void load_yaml_config(std::string_view yaml, std::string_view origin, server_config& into) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    throw error("yaml", "",
                "invalid YAML at line " + std::to_string(e.mark.line + 1) + ", column " +
                    std::to_string(e.mark.column + 1) + ": " + e.msg,
                std::string(origin));
  }
  server_config loaded = into;  // all or nothing: `into` changes only on success
  try {
    yaml_loader(origin, loaded).load(root);
  } catch (const error& e) {
    throw error(e.field(), e.value(), e.why(), std::string(origin));
  } catch (const YAML::Exception& e) {
    throw error("yaml", "", e.msg, std::string(origin));
  }
  into = std::move(loaded);
}

}  // namespace fauxgres::config
