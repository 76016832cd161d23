// The command line contract: defaults, every flag, and every error naming its flag.
#include "config/server_config.hpp"
#include "test_support.hpp"

using namespace fauxgres;
using namespace fauxgres::config;
using namespace fauxgres::config::testing;
using kind = listener_config::kind;
using std::chrono::milliseconds;

TEST_CASE("no arguments: TCP 127.0.0.1:5432 and /tmp, any user, trust", "[config][cli]") {
  const auto cl = parse({});
  CHECK(cl.what == command_line::action::run);
  const auto& c = cl.config;
  REQUIRE(c.listeners.size() == 2);
  CHECK(c.listeners[0].name == "tcp0");
  CHECK(c.listeners[0].type == kind::tcp);
  CHECK(c.listeners[0].address == "127.0.0.1");
  CHECK(c.listeners[0].port == 5432);
  CHECK(c.listeners[1].name == "unix0");
  CHECK(c.listeners[1].type == kind::unix_socket);
  CHECK(c.listeners[1].address == "/tmp");
  CHECK(c.listeners[1].port == 5432);
  CHECK(c.port == 5432);
  CHECK(c.users.empty());
  CHECK(c.databases.empty());
  CHECK_FALSE(c.auth);
  CHECK(c.effective_auth(nullptr, c.listeners[0]) == auth::method::trust);
  CHECK_FALSE(c.tls.enabled);
  CHECK(c.fixtures_file.empty());
  CHECK(c.log_format == "text");
  CHECK(c.log_level == "info");
  CHECK(c.authentication_timeout == milliseconds(60000));
  CHECK(c.server_version == "15.20 (Debian 15.20-0+deb12u1)");
  CHECK(c.fault_flags.empty());
  CHECK(c.fault_entries.empty());
  CHECK_FALSE(c.seed);
  CHECK(c.stats_file.empty());
}

TEST_CASE("flag --help and --version", "[config][cli]") {
  for (const char* flag : {"--help", "-h"}) {
    const auto cl = parse({flag});
    CHECK(cl.what == command_line::action::help);
    for (const char* name :
         {"--listen", "--unix-socket-dir", "--port", "--user", "--auth", "--database", "--ssl",
          "--ssl-cert", "--ssl-key", "--fixtures", "--config", "--log-format", "--log-level",
          "--authentication-timeout", "--server-version", "--fault", "--seed", "--stats-file",
          "--version"}) {
      CHECK(cl.text.find(name) != std::string::npos);
    }
  }
  const auto v = parse({"--version"});
  CHECK(v.what == command_line::action::version);
  CHECK(v.text == std::string("fauxgres ") + FAUXGRES_VERSION + " (PostgreSQL 15 wire protocol)");
}

TEST_CASE("flag --listen replaces the default listeners", "[config][cli][listen]") {
  const auto c = parse_config({"--listen", "127.0.0.1:0", "--listen", "[::1]:6543",
                               "--listen=0.0.0.0:7000", "--listen", "localhost"});
  REQUIRE(c.listeners.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(c.listeners[i].type == kind::tcp);
    CHECK(c.listeners[i].name == "tcp" + std::to_string(i));
  }
  CHECK(c.listeners[0].address == "127.0.0.1");
  CHECK(c.listeners[0].port == 0);
  CHECK(c.listeners[1].address == "::1");
  CHECK(c.listeners[1].port == 6543);
  CHECK(c.listeners[2].address == "0.0.0.0");
  CHECK(c.listeners[2].port == 7000);
  CHECK(c.listeners[3].address == "localhost");
  CHECK(c.listeners[3].port == 5432);  // no port: the server port
}

TEST_CASE("flag --unix-socket-dir alone gives only unix listeners", "[config][cli][listen]") {
  const auto c = parse_config({"--unix-socket-dir", "/run/a", "--unix-socket-dir", "/run/b"});
  REQUIRE(c.listeners.size() == 2);
  CHECK(c.listeners[0].name == "unix0");
  CHECK(c.listeners[0].address == "/run/a");
  CHECK(c.listeners[1].name == "unix1");
  CHECK(c.listeners[1].address == "/run/b");
  CHECK(c.listeners[1].type == kind::unix_socket);
}

TEST_CASE("flag --listen with --unix-socket-dir, and --port", "[config][cli][listen]") {
  const auto c = parse_config({"--port", "6000", "--unix-socket-dir", "/cloudsql/p:r:i", "--listen",
                               "127.0.0.1:0", "--listen", "[::1]"});
  REQUIRE(c.listeners.size() == 3);
  CHECK(c.port == 6000);
  CHECK(c.listeners[0].name == "tcp0");
  CHECK(c.listeners[0].port == 0);
  CHECK(c.listeners[1].name == "tcp1");
  CHECK(c.listeners[1].port == 6000);
  CHECK(c.listeners[2].name == "unix0");
  CHECK(c.listeners[2].address == "/cloudsql/p:r:i");
  CHECK(c.listeners[2].port == 6000);
}

TEST_CASE("flag --port moves the default listeners", "[config][cli][listen]") {
  const auto c = parse_config({"--port", "6543"});
  REQUIRE(c.listeners.size() == 2);
  CHECK(c.listeners[0].port == 6543);
  CHECK(c.listeners[1].port == 6543);
}

TEST_CASE("listener errors name their flag", "[config][cli][listen]") {
  struct row {
    std::vector<std::string> args;
    std::string field, value;
  };
  const std::vector<row> rows = {
      {{"--listen", "127.0.0.1:99999"}, "--listen", "127.0.0.1:99999"},
      {{"--listen", "127.0.0.1:-1"}, "--listen", "127.0.0.1:-1"},
      {{"--listen", "127.0.0.1:"}, "--listen", "127.0.0.1:"},
      {{"--listen", "127.0.0.1:54x"}, "--listen", "127.0.0.1:54x"},
      {{"--listen", "::1:5432"}, "--listen", "::1:5432"},
      {{"--listen", "[::1"}, "--listen", "[::1"},
      {{"--listen", "[::1]5432"}, "--listen", "[::1]5432"},
      {{"--listen", "[db.example]:5432"}, "--listen", "[db.example]:5432"},
      {{"--listen", "db.example.com:5432"}, "--listen", "db.example.com:5432"},
      {{"--listen", ":5432"}, "--listen", ":5432"},
      {{"--listen", "*:5432"}, "--listen", "*:5432"},
      {{"--listen="}, "--listen", ""},
      {{"--unix-socket-dir="}, "--unix-socket-dir", ""},
      {{"--unix-socket-dir", "/" + std::string(120, 'd')},
       "--unix-socket-dir",
       "/" + std::string(120, 'd') + "/.s.PGSQL.5432"},
      {{"--port", "0", "--unix-socket-dir", "/tmp"}, "--port", "0"},
      {{"--port", "0"}, "--port", "0"},
      {{"--port", "65536"}, "--port", "65536"},
      {{"--port", "five"}, "--port", "five"},
      {{"--port", " 5432"}, "--port", " 5432"},
  };
  for (const auto& r : rows) {
    INFO(r.args.back());
    const auto e = parse_error(r.args);
    CHECK(e.field() == r.field);
    CHECK(e.value() == r.value);
  }
}

TEST_CASE("flag --user splits at the first '=' and keeps any password", "[config][cli][user]") {
  const auto c = parse_config({"--user", "app=p@ss:w/rd%#=x", "--user", "eq==", "--user",
                               "empty=", "--user=inline=a b,c;d", "--user", "u=%40%3A"});
  REQUIRE(c.users.size() == 5);
  CHECK(c.users[0].name == "app");
  CHECK(c.users[0].password == "p@ss:w/rd%#=x");
  CHECK(c.users[1].name == "eq");
  CHECK(c.users[1].password == "=");
  CHECK(c.users[2].password.empty());
  CHECK(c.users[3].name == "inline");
  CHECK(c.users[3].password == "a b,c;d");
  CHECK(c.users[4].password == "%40%3A");  // no URL decoding
  const auto q = parse_config({"--user", "q=\"quoted\" 'single' back\\slash [1,2] {x} -- $HOME"});
  CHECK(q.users.at(0).password == "\"quoted\" 'single' back\\slash [1,2] {x} -- $HOME");
  CHECK_FALSE(c.users[0].superuser);
  CHECK_FALSE(c.users[0].auth);
  // With users, the default method is scram-sha-256.
  CHECK(c.effective_auth(&c.users[0], c.listeners[0]) == auth::method::scram_sha_256);
  CHECK(c.effective_auth(nullptr, c.listeners[0]) == auth::method::scram_sha_256);
}

TEST_CASE("flag --user errors", "[config][cli][user]") {
  for (const std::string bad : {"=secret", "nopassword", "", "="}) {
    INFO(bad);
    const auto e = parse_error({"--user", bad});
    CHECK(e.field() == "--user");
    CHECK(e.value() == bad);
  }
  const auto dup = parse_error({"--user", "a=1", "--user", "a=2"});
  CHECK(dup.field() == "--user");
  CHECK(dup.value() == "a");
}

TEST_CASE("flag --auth", "[config][cli][auth]") {
  for (auto m : {auth::method::trust, auth::method::password, auth::method::md5,
                 auth::method::scram_sha_256}) {
    const auto c = parse_config({"--auth", std::string(auth::to_string(m)), "--user", "a=b"});
    REQUIRE(c.auth == m);
    CHECK(c.effective_auth(&c.users[0], c.listeners[0]) == m);
  }
  const auto e = parse_error({"--auth", "SCRAM-SHA-256"});
  CHECK(e.field() == "--auth");
  CHECK(e.value() == "SCRAM-SHA-256");
}

TEST_CASE("effective_auth: user > listener > --auth > default", "[config][auth]") {
  server_config c;
  listener_config l;
  user_config u;
  CHECK(c.effective_auth(nullptr, l) == auth::method::trust);
  c.users.push_back(u);
  CHECK(c.effective_auth(&u, l) == auth::method::scram_sha_256);
  c.auth = auth::method::md5;
  CHECK(c.effective_auth(&u, l) == auth::method::md5);
  l.auth = auth::method::password;
  CHECK(c.effective_auth(&u, l) == auth::method::password);
  CHECK(c.effective_auth(nullptr, l) == auth::method::password);
  u.auth = auth::method::trust;
  CHECK(c.effective_auth(&u, l) == auth::method::trust);
}

TEST_CASE("flag --database", "[config][cli]") {
  const auto c = parse_config({"--database", "app", "--database", "postgres"});
  CHECK(c.databases == std::vector<std::string>{"app", "postgres"});
  CHECK(parse_error({"--database", ""}).field() == "--database");
  const auto dup = parse_error({"--database", "a", "--database", "a"});
  CHECK(dup.field() == "--database");
  CHECK(dup.value() == "a");
}

TEST_CASE("flag --ssl, --ssl-cert, --ssl-key", "[config][cli][tls]") {
  temp_dir dir;
  const auto cert = dir.file("server.crt");
  const auto key = dir.file("server.key");
  CHECK(parse_config({"--ssl", "on"}).tls.enabled);
  CHECK_FALSE(parse_config({"--ssl", "off"}).tls.enabled);
  CHECK(parse_config({"--ssl", "true"}).tls.enabled);
  CHECK(parse_config({"--ssl", "ON"}).tls.enabled);
  CHECK_FALSE(parse_config({"--ssl", "No"}).tls.enabled);
  const auto c = parse_config({"--ssl", "on", "--ssl-cert", cert, "--ssl-key", key});
  CHECK(c.tls.enabled);
  CHECK(c.tls.cert_file == cert);
  CHECK(c.tls.key_file == key);
  // cert and key alone do not turn TLS on (like PostgreSQL's ssl = on).
  CHECK_FALSE(parse_config({"--ssl-cert", cert, "--ssl-key", key}).tls.enabled);

  auto e = parse_error({"--ssl", "maybe"});
  CHECK(e.field() == "--ssl");
  CHECK(e.value() == "maybe");
  e = parse_error({"--ssl", "on", "--ssl-cert", cert});
  CHECK(e.field() == "--ssl-key");
  e = parse_error({"--ssl-key", key});
  CHECK(e.field() == "--ssl-cert");
  e = parse_error({"--ssl-cert", dir.path() + "/missing.crt", "--ssl-key", key});
  CHECK(e.field() == "--ssl-cert");
  CHECK(e.value() == dir.path() + "/missing.crt");
  e = parse_error({"--ssl-cert", cert, "--ssl-key", dir.path()});
  CHECK(e.field() == "--ssl-key");
  CHECK(e.value() == dir.path());
}

TEST_CASE("flag --fixtures must exist", "[config][cli]") {
  temp_dir dir;
  const auto fixtures = dir.file("fixtures.yaml", "[]");
  CHECK(parse_config({"--fixtures", fixtures}).fixtures_file == fixtures);
  const auto e = parse_error({"--fixtures", dir.path() + "/nope.yaml"});
  CHECK(e.field() == "--fixtures");
  CHECK(e.value() == dir.path() + "/nope.yaml");
}

TEST_CASE("flag --log-format and --log-level", "[config][cli]") {
  CHECK(parse_config({"--log-format", "json"}).log_format == "json");
  for (const char* level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
    CHECK(parse_config({"--log-level", level}).log_level == level);
  }
  auto e = parse_error({"--log-format", "xml"});
  CHECK(e.field() == "--log-format");
  CHECK(e.value() == "xml");
  e = parse_error({"--log-level", "verbose"});
  CHECK(e.field() == "--log-level");
  CHECK(e.value() == "verbose");
}

TEST_CASE("flag --authentication-timeout", "[config][cli]") {
  CHECK(parse_config({"--authentication-timeout", "250ms"}).authentication_timeout ==
        milliseconds(250));
  CHECK(parse_config({"--authentication-timeout", "2s"}).authentication_timeout ==
        milliseconds(2000));
  CHECK(parse_config({"--authentication-timeout", "1500"}).authentication_timeout ==
        milliseconds(1500));
  for (const std::string bad : {"0", "0s", "-1s", "soon", "1.5s", "5 parsecs"}) {
    INFO(bad);
    const auto e = parse_error({"--authentication-timeout", bad});
    CHECK(e.field() == "--authentication-timeout");
    CHECK(e.value() == bad);
  }
}

TEST_CASE("parse_duration", "[config]") {
  CHECK(parse_duration("250ms", "f") == milliseconds(250));
  CHECK(parse_duration("5s", "f") == milliseconds(5000));
  CHECK(parse_duration("5m", "f") == milliseconds(300000));
  CHECK(parse_duration("5min", "f") == milliseconds(300000));
  CHECK(parse_duration("1h", "f") == milliseconds(3600000));
  CHECK(parse_duration("42", "f") == milliseconds(42));
  CHECK(parse_duration("0", "f") == milliseconds(0));
  CHECK(parse_duration(" 5 s ", "f") == milliseconds(5000));
  for (const std::string bad : {"", "-5s", "-1", "ms", "5sec", "5S", "1.5s", "1e3", "5s5",
                                "99999999999999999999", "9223372036854775807h"}) {
    INFO(bad);
    try {
      (void)parse_duration(bad, "the.field");
      FAIL("no error");
    } catch (const error& e) {
      CHECK(e.field() == "the.field");
      CHECK(e.value() == bad);
    }
  }
}

TEST_CASE("flag --server-version", "[config][cli]") {
  CHECK(parse_config({"--server-version", "15.4"}).server_version == "15.4");
  CHECK(parse_error({"--server-version", ""}).field() == "--server-version");
}

TEST_CASE("flag --fault is repeatable and kept as text, in order", "[config][cli][faults]") {
  const auto c = parse_config({"--fault", "idle_drop:after=5s,mode=reset", "--fault",
                               R"(query_error:sqlstate=40001,message="a, b")", "--fault=refuse"});
  CHECK(c.fault_flags == std::vector<std::string>{"idle_drop:after=5s,mode=reset",
                                                  R"(query_error:sqlstate=40001,message="a, b")",
                                                  "refuse"});
  const auto e = parse_error({"--fault="});
  CHECK(e.field() == "--fault");
}

TEST_CASE("flag --seed and --stats-file", "[config][cli][faults]") {
  const auto c = parse_config({"--seed", "18446744073709551615", "--stats-file", "out/stats.json"});
  CHECK(c.seed == 18446744073709551615ull);
  CHECK(c.stats_file == "out/stats.json");
  CHECK(parse_config({"--seed", "0"}).seed == 0u);
  for (const char* bad : {"-1", "x", "1.5", "18446744073709551616", " 1", ""}) {
    INFO(bad);
    const auto e = parse_error({std::string("--seed=") + bad});
    CHECK(e.field() == "--seed");
    CHECK(e.value() == bad);
  }
  CHECK(parse_error({"--stats-file="}).field() == "--stats-file");
}

TEST_CASE("CLI11 errors name the flag", "[config][cli]") {
  auto e = parse_error({"--bogus"});
  CHECK(e.field() == "--bogus");
  e = parse_error({"--bogus=1"});
  CHECK(e.field() == "--bogus");
  e = parse_error({"-x"});
  CHECK(e.field() == "-x");
  e = parse_error({"stray"});
  CHECK(e.field() == "command line");
  CHECK(e.value() == "stray");
  e = parse_error({"--port"});
  CHECK(e.field() == "--port");
  e = parse_error({"--listen"});
  CHECK(e.field() == "--listen");
  e = parse_error({"--ssl-cert"});
  CHECK(e.field() == "--ssl-cert");
  e = parse_error({"--ssl"});
  CHECK(e.field() == "--ssl");
  CHECK(e.why() == "needs a value");
  e = parse_error({"--port", "1", "--port", "2"});
  CHECK(e.field() == "--port");
  CHECK(e.why() == "given more than once");
  e = parse_error({"--help=x"});
  CHECK(e.field() == "--help");
  e = parse_error({"--user", "a=b", "c"});  // one value per --user
  CHECK(e.field() == "command line");
  CHECK(e.value() == "c");
}
