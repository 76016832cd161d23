// The control API's settings: --api / --api-token, the YAML `api:` section, and the token
// required off loopback (an error naming --api-token or api.token).
#include "config/server_config.hpp"
#include "test_support.hpp"

using namespace fauxgres;
using namespace fauxgres::config;
using namespace fauxgres::config::testing;

TEST_CASE("api flag: off by default, HOST:PORT, port 8474 when not given", "[config][api]") {
  CHECK_FALSE(parse_config({}).api.enabled);
  auto c = parse_config({"--api", "127.0.0.1:0"});
  CHECK(c.api.enabled);
  CHECK(c.api.host == "127.0.0.1");
  CHECK(c.api.port == 0);
  CHECK(c.api.token.empty());
  c = parse_config({"--api", "localhost"});
  CHECK(c.api.port == 8474);
  c = parse_config({"--api", "[::1]:9000", "--api-token", "s3cret"});
  CHECK(c.api.host == "::1");
  CHECK(c.api.port == 9000);
  CHECK(c.api.token == "s3cret");
  CHECK(parse_error({"--api", "nowhere:1"}).field() == "--api");
}

TEST_CASE("api flag: a token is required off loopback, needs --api", "[config][api]") {
  auto e = parse_error({"--api", "0.0.0.0:8474"});
  CHECK(e.field() == "--api-token");
  CHECK(std::string(e.what()).find("non-loopback") != std::string::npos);
  CHECK(parse_config({"--api", "0.0.0.0:8474", "--api-token", "t"}).api.token == "t");
  CHECK(parse_error({"--api-token", "t"}).field() == "--api-token");
  CHECK(parse_config({"--api", "127.8.9.10:1"}).api.loopback());
  CHECK_FALSE(parse_config({"--api", "[::2]:1", "--api-token", "t"}).api.loopback());
}

TEST_CASE("yaml api: an address or listen + token", "[config][api]") {
  auto c = from_yaml("api: 127.0.0.1:0\n");
  CHECK(c.api.enabled);
  CHECK(c.api.port == 0);
  c = from_yaml("api:\n  listen: 10.0.0.1\n  token: abc\n");
  CHECK(c.api.host == "10.0.0.1");
  CHECK(c.api.port == 8474);
  CHECK(c.api.token == "abc");
  CHECK(yaml_error("api:\n  token: abc\n").field() == "api.listen");
  CHECK(yaml_error("api:\n  listen: 127.0.0.1:1\n  nope: 1\n").field() == "api.nope");
  CHECK(yaml_error("api: nowhere:1\n").field() == "api");
}

TEST_CASE("the file's non-loopback api without a token names api.token", "[config][api]") {
  temp_dir dir;
  const auto file = dir.file("f.yaml", "api: 0.0.0.0:8474\n");
  auto e = parse_error({"--config", file});
  CHECK(e.field() == "api.token");
  // A token from the command line completes the file's address.
  CHECK(parse_config({"--config", file, "--api-token", "t"}).api.token == "t");
}
