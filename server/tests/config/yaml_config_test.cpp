// The YAML config file: the documented example, every field, errors naming YAML paths, and
// precedence of flags over the file.
#include <sstream>

#include "config/server_config.hpp"
#include "test_support.hpp"

using namespace fauxgres;
using namespace fauxgres::config;
using namespace fauxgres::config::testing;
using kind = listener_config::kind;
using std::chrono::milliseconds;

namespace {

// The first ```yaml block of docs/config.md.
std::string documented_example() {
  const auto doc =
      std::filesystem::path(__FILE__).parent_path() / ".." / ".." / ".." / "docs" / "config.md";
  std::ifstream in(doc);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  const auto start = all.find("```yaml\n");
  REQUIRE(start != std::string::npos);
  const auto end = all.find("```", start + 8);
  return all.substr(start + 8, end - start - 8);
}

}  // namespace

TEST_CASE("the example in docs/config.md loads", "[config][yaml]") {
  const auto c = from_yaml(documented_example(), "docs/config.md");
  CHECK(c.port == 5432);
  REQUIRE(c.listeners.size() == 2);
  CHECK(c.listeners[0].name == "public");
  CHECK(c.listeners[0].type == kind::tcp);
  CHECK(c.listeners[0].address == "127.0.0.1");
  CHECK(c.listeners[0].port == 0);
  CHECK(c.listeners[0].ssl == true);
  CHECK(c.listeners[1].name == "unix0");
  CHECK(c.listeners[1].type == kind::unix_socket);
  CHECK(c.listeners[1].address == "/tmp");
  CHECK(c.listeners[1].port == 6432);
  CHECK(c.listeners[1].auth == auth::method::trust);
  CHECK(c.auth == auth::method::scram_sha_256);
  REQUIRE(c.users.size() == 3);
  CHECK(c.users[0].password == "p@ss:w/rd%#");
  CHECK(c.users[1].auth == auth::method::md5);
  CHECK(c.users[2].superuser);
  CHECK(c.databases == std::vector<std::string>{"app", "postgres"});
  CHECK_FALSE(c.tls.enabled);
  CHECK(c.log_format == "json");
  CHECK(c.log_level == "debug");
  CHECK(c.authentication_timeout == milliseconds(5000));
  CHECK(c.server_version == "15.20 (Debian 15.20-0+deb12u1)");
  REQUIRE(c.fault_entries.size() == 2);
  CHECK(c.fault_entries[0].type == "idle_drop");
  CHECK(c.fault_entries[0].keys ==
        std::map<std::string, std::string>{{"after", "5m"}, {"mode", "reset"}, {"user", "app"}});
  CHECK(c.fault_entries[1].keys.at("sqlstate") == "40001");
  CHECK(c.fault_entries[1].keys.at("pattern") == "^\\s*update");
  CHECK(c.seed == 42u);
  CHECK(c.stats_file == "docs/stats.json");
}

TEST_CASE("an empty file changes nothing", "[config][yaml]") {
  server_config c;
  c.port = 7777;
  load_yaml_config("", "empty.yaml", c);
  load_yaml_config("# only a comment\n", "empty.yaml", c);
  CHECK(c.port == 7777);
  CHECK(c.listeners.empty());
}

TEST_CASE("listeners: default names, ports follow the top-level port", "[config][yaml]") {
  const auto c = from_yaml(R"(
listeners:
  - tcp: "[::1]"
  - unix: /run/a
  - tcp: 0.0.0.0
    port: 0
  - unix: /run/b
    name: cloudsql
    ssl: off
port: 6000
)");
  REQUIRE(c.listeners.size() == 4);
  CHECK(c.listeners[0].name == "tcp0");
  CHECK(c.listeners[0].address == "::1");
  CHECK(c.listeners[0].port == 6000);
  CHECK_FALSE(c.listeners[0].port_explicit);
  CHECK(c.listeners[1].name == "unix0");
  CHECK(c.listeners[1].port == 6000);
  CHECK(c.listeners[2].name == "tcp1");
  CHECK(c.listeners[2].port == 0);
  CHECK(c.listeners[2].port_explicit);
  CHECK(c.listeners[3].name == "cloudsql");
  CHECK(c.listeners[3].ssl == false);
  CHECK_FALSE(c.listeners[0].ssl);
}

TEST_CASE("users, ssl shorthand", "[config][yaml]") {
  const auto c = from_yaml(R"(
users:
  - name: app
    password: 'p@ss:w/rd%#=x'
  - name: numeric
    password: 1234
  - name: nopass
ssl: on
)");
  REQUIRE(c.users.size() == 3);
  CHECK(c.users[0].password == "p@ss:w/rd%#=x");
  CHECK(c.users[1].password == "1234");
  CHECK(c.users[2].password.empty());
  CHECK(c.tls.enabled);
}

TEST_CASE("faults, seed and stats_file", "[config][yaml][faults]") {
  const auto c = from_yaml(R"(
faults:
  - type: idle_drop
    after: 5s
    mode: reset
    user: app
    probability: 0.5
  - {type: query_error, sqlstate: 40001, message: "a, b", pattern: '^update'}
  - type: accept_hang
seed: 42
stats_file: stats.json
)",
                           "/etc/fauxgres/f.yaml");
  REQUIRE(c.fault_entries.size() == 3);
  const auto& drop = c.fault_entries[0];
  CHECK(drop.type == "idle_drop");
  CHECK(drop.keys ==
        std::map<std::string, std::string>{
            {"after", "5s"}, {"mode", "reset"}, {"user", "app"}, {"probability", "0.5"}});
  CHECK(drop.field == "faults[0]");
  CHECK(drop.origin == "/etc/fauxgres/f.yaml");
  CHECK(c.fault_entries[1].keys.at("message") == "a, b");
  CHECK(c.fault_entries[1].keys.at("pattern") == "^update");
  CHECK(c.fault_entries[2].field == "faults[2]");
  CHECK(c.fault_entries[2].keys.empty());
  CHECK(c.seed == 42u);
  CHECK(c.stats_file == "/etc/fauxgres/stats.json");
  CHECK(from_yaml("stats_file: /tmp/s.json\n", "x/f.yaml").stats_file == "/tmp/s.json");
  CHECK(from_yaml("faults: []\n").fault_entries.empty());
}

TEST_CASE("files are relative to the config file's directory", "[config][yaml]") {
  temp_dir dir;
  dir.file("fixtures.yaml", "[]");
  dir.file("server.crt");
  dir.file("server.key");
  const auto c = from_yaml("fixtures: fixtures.yaml\nssl: {cert: server.crt, key: server.key}\n",
                           dir.path() + "/fauxgres.yaml");
  CHECK(c.fixtures_file == dir.path() + "/fixtures.yaml");
  CHECK(c.tls.cert_file == dir.path() + "/server.crt");
  CHECK(c.tls.key_file == dir.path() + "/server.key");
  CHECK_FALSE(c.tls.enabled);
  const auto absolute = from_yaml("fixtures: " + dir.path() + "/fixtures.yaml\n", "x.yaml");
  CHECK(absolute.fixtures_file == dir.path() + "/fixtures.yaml");
}

TEST_CASE("YAML errors name the path and the value", "[config][yaml]") {
  struct row {
    std::string yaml, field, value;
  };
  const std::string long_dir = "/" + std::string(110, 'd');
  const std::vector<row> rows = {
      {"bogus: 1", "bogus", ""},
      {"port: 70000", "port", "70000"},
      {"port: [1]", "port", ""},
      {"auth: kerberos", "auth", "kerberos"},
      {"listeners: {tcp: x}", "listeners", ""},
      {"listeners: [tcp]", "listeners[0]", ""},
      {"listeners: [{tcp: '127.0.0.1:0', foo: 1}]", "listeners[0].foo", ""},
      {"listeners: [{tcp: '127.0.0.1:0'}, {tcp: '127.0.0.1', port: x}]", "listeners[1].port", "x"},
      {"listeners: [{tcp: '127.0.0.1:0'}, {tcp: '127.0.0.1:54x'}]", "listeners[1].tcp",
       "127.0.0.1:54x"},
      {"listeners: [{tcp: 'db.example.com'}]", "listeners[0].tcp", "db.example.com"},
      {"listeners: [{tcp: '127.0.0.1:1', port: 2}]", "listeners[0].port", ""},
      {"listeners: [{tcp: '127.0.0.1', unix: /tmp}]", "listeners[0]", ""},
      {"listeners: [{name: x}]", "listeners[0]", ""},
      {"listeners: [{tcp: '127.0.0.1:0', name: a}, {unix: /tmp, name: a}]", "listeners[1].name",
       "a"},
      {"listeners: [{tcp: '127.0.0.1:0'}, {unix: /tmp, name: tcp0}]", "listeners[1].name", "tcp0"},
      {"listeners: [{unix: /tmp, port: 0}]", "listeners[0].port", "0"},
      {"port: 0\nlisteners: [{unix: /tmp}]", "port", "0"},
      {"listeners: [{unix: " + long_dir + "}]", "listeners[0].unix", long_dir + "/.s.PGSQL.5432"},
      {"listeners: [{unix: ''}]", "listeners[0].unix", ""},
      {"listeners: [{tcp: '127.0.0.1:0', ssl: maybe}]", "listeners[0].ssl", "maybe"},
      {"listeners: [{tcp: '127.0.0.1:0', auth: ident}]", "listeners[0].auth", "ident"},
      {"users: [{password: x}]", "users[0].name", ""},
      {"users: [{name: ''}]", "users[0].name", ""},
      {"users: [{name: a}, {name: a}]", "users[1].name", "a"},
      {"users: [{name: a, auth: gss}]", "users[0].auth", "gss"},
      {"users: [{name: a, superuser: sometimes}]", "users[0].superuser", "sometimes"},
      {"users: [{name: a, password: [x]}]", "users[0].password", ""},
      {"users: [{name: a, role: admin}]", "users[0].role", ""},
      {"users: app", "users", ""},
      {"databases: [app, '']", "databases[1]", ""},
      {"databases: [app, app]", "databases[1]", "app"},
      {"ssl: maybe", "ssl", "maybe"},
      {"ssl: {enabled: maybe}", "ssl.enabled", "maybe"},
      {"ssl: {cert: /nonexistent/server.crt}", "ssl.cert", "/nonexistent/server.crt"},
      {"ssl: {key: /nonexistent/server.key}", "ssl.key", "/nonexistent/server.key"},
      {"ssl: {ca: x}", "ssl.ca", ""},
      {"fixtures: /nonexistent/fixtures.yaml", "fixtures", "/nonexistent/fixtures.yaml"},
      {"log: {format: xml}", "log.format", "xml"},
      {"log: {level: loud}", "log.level", "loud"},
      {"log: {color: on}", "log.color", ""},
      {"log: json", "log", ""},
      {"authentication_timeout: -5s", "authentication_timeout", "-5s"},
      {"authentication_timeout: 0", "authentication_timeout", "0"},
      {"server_version: ''", "server_version", ""},
      {"port: 1\nport: 2", "port", ""},
      {"faults: idle_drop", "faults", ""},
      {"faults: [idle_drop]", "faults[0]", ""},
      {"faults: [{after: 5s}]", "faults[0].type", ""},
      {"faults: [{type: ''}]", "faults[0].type", ""},
      {"faults: [{type: [idle_drop]}]", "faults[0].type", ""},
      {"faults: [{type: idle_drop, after: [5s]}]", "faults[0].after", ""},
      {"faults: [{type: idle_drop, after: }]", "faults[0].after", ""},
      {"faults: [{type: refuse}, {type: idle_drop, after: 1s, after: 2s}]", "faults[1].after", ""},
      {"faults: [{type: refuse, type: accept_hang}]", "faults[0].type", ""},
      {"seed: -1", "seed", "-1"},
      {"seed: lucky", "seed", "lucky"},
      {"stats_file: ''", "stats_file", ""},
      {"- a\n- b", "yaml", ""},
      {"listeners: [", "yaml", ""},
      {"port: 5432\n  bad indentation: x", "yaml", ""},
  };
  for (const auto& r : rows) {
    INFO(r.yaml);
    const auto e = yaml_error(r.yaml);
    CHECK(e.field() == r.field);
    CHECK(e.value() == r.value);
    CHECK(e.origin() == "test.yaml");
    CHECK(std::string(e.what()).rfind("test.yaml: " + r.field + ": ", 0) == 0);
  }
}

TEST_CASE("a YAML syntax error says where", "[config][yaml]") {
  const auto e = yaml_error("port: 5432\nlisteners: [\n", "my.yaml");
  CHECK(e.field() == "yaml");
  CHECK(e.why().find("line") != std::string::npos);
  CHECK(std::string(e.what()).rfind("my.yaml: ", 0) == 0);
}

TEST_CASE("a failed load leaves the config untouched", "[config][yaml]") {
  server_config c;
  c.port = 7777;
  CHECK_THROWS_AS(load_yaml_config("port: 6000\nbogus: 1\n", "x.yaml", c), error);
  CHECK(c.port == 7777);
}

TEST_CASE("flag --config merges under the flags", "[config][yaml][cli]") {
  temp_dir dir;
  const auto file = dir.file("fauxgres.yaml", R"(
port: 6000
listeners:
  - tcp: 127.0.0.1
  - tcp: "127.0.0.1:7000"
  - unix: )" + dir.path() + R"(
users:
  - {name: app, password: one, auth: md5}
auth: password
databases: [app]
ssl: {enabled: true}
log: {format: json, level: warn}
authentication_timeout: 5s
server_version: "15.4"
)");
  SECTION("the file alone") {
    const auto c = parse_config({"--config", file});
    REQUIRE(c.listeners.size() == 3);
    CHECK(c.listeners[0].port == 6000);
    CHECK(c.listeners[1].port == 7000);
    CHECK(c.listeners[2].port == 6000);
    CHECK(c.users.at(0).auth == auth::method::md5);
    CHECK(c.auth == auth::method::password);
    CHECK(c.databases == std::vector<std::string>{"app"});
    CHECK(c.tls.enabled);
    CHECK(c.log_format == "json");
    CHECK(c.log_level == "warn");
    CHECK(c.authentication_timeout == milliseconds(5000));
    CHECK(c.server_version == "15.4");
  }
  SECTION("--port moves the file's listeners that have no port of their own") {
    const auto c = parse_config({"--port", "6500", "--config", file});
    CHECK(c.port == 6500);
    CHECK(c.listeners[0].port == 6500);
    CHECK(c.listeners[1].port == 7000);
    CHECK(c.listeners[2].port == 6500);
  }
  SECTION("scalar flags replace the file's values") {
    const auto c = parse_config({"--config", file, "--auth", "trust", "--ssl", "off",
                                 "--log-format", "text", "--log-level", "error",
                                 "--authentication-timeout", "1s", "--server-version", "15.20"});
    CHECK(c.auth == auth::method::trust);
    CHECK_FALSE(c.tls.enabled);
    CHECK(c.log_format == "text");
    CHECK(c.log_level == "error");
    CHECK(c.authentication_timeout == milliseconds(1000));
    CHECK(c.server_version == "15.20");
    CHECK(c.users.size() == 1);  // untouched
  }
  SECTION("repeatable flags replace the file's lists") {
    const auto c = parse_config({"--config", file, "--user", "other=two", "--database", "x",
                                 "--database", "y", "--unix-socket-dir", "/run/pg"});
    REQUIRE(c.users.size() == 1);
    CHECK(c.users[0].name == "other");
    CHECK_FALSE(c.users[0].auth);
    CHECK(c.databases == std::vector<std::string>{"x", "y"});
    REQUIRE(c.listeners.size() == 1);
    CHECK(c.listeners[0].name == "unix0");
    CHECK(c.listeners[0].address == "/run/pg");
    CHECK(c.listeners[0].port == 6000);  // the file's port still applies
  }
  SECTION("--listen replaces the file's listeners") {
    const auto c = parse_config({"--listen", "[::1]:0", "--config", file});
    REQUIRE(c.listeners.size() == 1);
    CHECK(c.listeners[0].address == "::1");
  }
}

TEST_CASE("flag --config with faults: --fault adds, --seed and --stats-file replace",
          "[config][yaml][cli][faults]") {
  temp_dir dir;
  const auto file = dir.file("f.yaml", R"(
faults:
  - {type: refuse, until: 5s}
seed: 7
stats_file: from-file.json
)");
  const auto alone = parse_config({"--config", file});
  REQUIRE(alone.fault_entries.size() == 1);
  CHECK(alone.fault_entries[0].origin == file);
  CHECK(alone.fault_flags.empty());
  CHECK(alone.seed == 7u);
  CHECK(alone.stats_file == dir.path() + "/from-file.json");
  const auto both = parse_config(
      {"--config", file, "--fault", "accept_hang", "--seed", "8", "--stats-file", "s.json"});
  CHECK(both.fault_entries.size() == 1);
  CHECK(both.fault_flags == std::vector<std::string>{"accept_hang"});
  CHECK(both.seed == 8u);
  CHECK(both.stats_file == "s.json");
}

TEST_CASE("flag --config errors", "[config][yaml][cli]") {
  temp_dir dir;
  auto e = parse_error({"--config", dir.path() + "/missing.yaml"});
  CHECK(e.field() == "--config");
  CHECK(e.value() == dir.path() + "/missing.yaml");

  const auto bad = dir.file("bad.yaml", "listeners:\n  - tcp: 127.0.0.1:0\n  - tcp: 127.0.0.1:x\n");
  e = parse_error({"--config", bad});
  CHECK(e.field() == "listeners[1].tcp");
  CHECK(e.value() == "127.0.0.1:x");
  CHECK(e.origin() == bad);

  const auto port0 = dir.file("port0.yaml", "listeners: [{unix: /tmp}]\n");
  e = parse_error({"--config", port0, "--port", "0"});
  CHECK(e.field() == "--port");

  const auto half_tls = dir.file("half.yaml", "ssl: {cert: " + dir.file("c.crt") + "}\n");
  e = parse_error({"--config", half_tls});
  CHECK(e.field() == "ssl.key");
  CHECK(parse_config({"--config", half_tls, "--ssl-key", dir.file("c.key")}).tls.key_file ==
        dir.path() + "/c.key");
}
