// Authentication end to end (pg15-behaviors.md §5): cleartext, md5 and SCRAM-SHA-256 with a
// password full of URL-special characters, through libpq's keyword and URL forms, and the
// exact failure bytes on a raw socket.
#include <openssl/evp.h>

#include "test_support.hpp"

using namespace fauxgres_test;

namespace {

const std::string app_password = "p@ss:w/rd%#1";

std::string md5_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr);
  return wire::to_hex(std::span<const std::uint8_t>(digest, len));
}

// libpq's md5 response: "md5" + md5(md5(password + user) + salt).
std::string md5_response(const std::string& user, const std::string& password,
                         std::span<const std::uint8_t> salt) {
  std::string inner = md5_hex(password + user);
  inner.append(reinterpret_cast<const char*>(salt.data()), salt.size());
  return "md5" + md5_hex(inner);
}

std::vector<std::string> auth_args(const std::string& method) {
  auto args = user_flag("app", app_password);
  args.insert(args.end(), {"--auth", method});
  return args;
}

std::string password_failed(const std::string& user) {
  return "FATAL:  password authentication failed for user \"" + user + "\"\n";
}

wire::bytes password_failed_bytes(const std::string& user) {
  return pg_error("FATAL", "28P01", "password authentication failed for user \"" + user + "\"",
                  "auth.c", 334, "auth_failed");
}

}  // namespace

TEST_CASE("password, md5 and scram-sha-256 accept the right special-character password", "[auth]") {
  const std::string method = GENERATE(as<std::string>{}, "password", "md5", "scram-sha-256");
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("auth " << method << ", transport " << to_string(via));
  auto server = start_server(auth_args(method));

  SECTION("keyword parameters") {
    auto conn = connect(connection_params(
        *server, via, {{"user", "app"}, {"dbname", "app"}, {"password", app_password}}));
    INFO("libpq: " << PQerrorMessage(conn.get()));
    CHECK(PQstatus(conn.get()) == CONNECTION_OK);
    CHECK(PQconnectionUsedPassword(conn.get()) == 1);
  }
  SECTION("conninfo string with a quoted password") {
    auto info = conninfo(connection_params(
        *server, via, {{"user", "app"}, {"dbname", "app"}, {"password", app_password}}));
    auto conn = connect_string(info);
    INFO("conninfo: " << info << "\nlibpq: " << PQerrorMessage(conn.get()));
    CHECK(PQstatus(conn.get()) == CONNECTION_OK);
  }
  SECTION("percent-encoded URL") {
    std::string url = "postgresql://app:" + url_encode(app_password) + "@";
    if (via == transport::tcp)
      url += server->tcp_host() + ":" + std::to_string(server->tcp_port()) + "/app";
    else
      url += "/app?host=" + url_encode(server->unix_socket_dir()) +
             "&port=" + std::to_string(server->unix_port());
    auto conn = connect_string(url);
    INFO("url: " << url << "\nlibpq: " << PQerrorMessage(conn.get()));
    CHECK(PQstatus(conn.get()) == CONNECTION_OK);
    if (PQstatus(conn.get()) == CONNECTION_OK) {
      auto r = exec(conn.get(), "SELECT 1");
      CHECK(value(r.get()) == "1");
    }
  }
}

TEST_CASE("non-ASCII passwords are SASLprep'd as PG 15 does", "[auth][saslprep]") {
  // The role's password has the "fi" ligature (U+FB01) and a no-break space. Under SCRAM,
  // libpq and PG both NFKC-normalize them; under cleartext, PG checks what libpq sends
  // against its SCRAM verifier. Either way the plain spelling logs in too. A right-to-left letter
  // next to a left-to-right one fails SASLprep's bidi check: both sides use the raw bytes,
  // so there the plain spelling does not log in.
  const std::string alef = "\xd7\x90";                                      // U+05D0, right-to-left
  const std::string ligature = "\xef\xac\x81x\xc2\xa0" + std::string("1");  // "ﬁx" NBSP "1"
  const std::string bidi = alef + "\xef\xac\x81";                           // U+05D0 "ﬁ"
  auto args = user_flag("lig", ligature);
  for (const auto& flag : user_flag("rtl", bidi)) args.push_back(flag);
  const std::string method = GENERATE(as<std::string>{}, "scram-sha-256", "password");
  INFO("auth " << method);
  args.insert(args.end(), {"--auth", method});
  auto server = start_server(args);
  auto login = [&](const std::string& user, const std::string& password) {
    auto conn = connect(connection_params(
        *server, transport::tcp, {{"user", user}, {"dbname", "app"}, {"password", password}}));
    INFO(user << ": " << PQerrorMessage(conn.get()));
    return PQstatus(conn.get()) == CONNECTION_OK;
  };
  CHECK(login("lig", ligature));
  CHECK(login("lig", "fix 1"));
  CHECK_FALSE(login("lig", "fix1"));
  CHECK(login("rtl", bidi));
  CHECK_FALSE(login("rtl", alef + "fi"));
}

TEST_CASE("a wrong password or an unknown user fails with 28P01's text", "[auth]") {
  const std::string method = GENERATE(as<std::string>{}, "password", "md5", "scram-sha-256");
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("auth " << method << ", transport " << to_string(via));
  auto server = start_server(auth_args(method));

  struct attempt {
    std::string user, password;
  };
  const auto a = GENERATE(attempt{"app", "p@ss:w/rd%#2"}, attempt{"app", "p%40ss%3Aw%2Frd%25%231"},
                          attempt{"ghost", "p@ss:w/rd%#1"});
  INFO("user " << a.user << ", password " << a.password);
  auto conn = connect(connection_params(
      *server, via, {{"user", a.user}, {"dbname", "app"}, {"password", a.password}}));
  CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
  CHECK(std::string(PQerrorMessage(conn.get())) ==
        libpq_failure_prefix(*server, via) + password_failed(a.user));
}

TEST_CASE("libpq without a password gets its local fe_sendauth error", "[auth]") {
  const std::string method = GENERATE(as<std::string>{}, "password", "md5", "scram-sha-256");
  INFO("auth " << method);
  auto server = start_server(auth_args(method));
  auto conn = connect(connection_params(
      *server, transport::tcp, {{"user", "app"}, {"dbname", "app"}, {"passfile", "/nonexistent"}}));
  CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
  CHECK(std::string(PQerrorMessage(conn.get())) ==
        libpq_failure_prefix(*server, transport::tcp) + "fe_sendauth: no password supplied\n");
}

TEST_CASE("raw cleartext exchange: request bytes, 28P01 bytes, empty password", "[auth][raw]") {
  auto server = start_server(auth_args("password"));
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));
  auto client = raw_connect(*server, via);
  client.send(wire::startup_message({{"user", "app"}, {"database", "app"}}));
  auto request = client.read_message(3s);
  REQUIRE(request);
  CHECK(wire::to_hex(request->wire()) == "520000000800000003");

  SECTION("wrong password") {
    client.send(wire::password("nope"));
    const auto got = client.read_until_closed(3s);
    INFO("received " << wire::describe_bytes(got));
    CHECK(wire::to_hex(got) == wire::to_hex(password_failed_bytes("app")));
    CHECK(client.peer_state() == raw_client::peer::fin);
  }
  SECTION("empty password") {
    client.send(wire::from_hex("70 00000005 00"));
    const auto got = client.read_until_closed(3s);
    INFO("received " << wire::describe_bytes(got));
    CHECK(wire::to_hex(got) ==
          wire::to_hex(pg_error("FATAL", "28P01", "empty password returned by client", "auth.c",
                                757, "recv_password_packet")));
    CHECK(client.peer_state() == raw_client::peer::fin);
  }
  SECTION("right password") {
    client.send(wire::password(app_password));
    const auto msgs = client.read_until('Z', 3s);
    INFO("received: " << summarize(msgs));
    REQUIRE(msgs.size() == 16);
    CHECK(wire::to_hex(msgs[0].wire()) == "520000000800000000");
  }
}

TEST_CASE("raw md5 exchange: salted request, real hash check", "[auth][raw]") {
  auto server = start_server(auth_args("md5"));
  auto client = raw_connect(*server, transport::tcp);
  client.send(wire::startup_message({{"user", "app"}, {"database", "app"}}));
  auto request = client.read_message(3s);
  REQUIRE(request);
  INFO("request " << wire::describe_bytes(request->wire()));
  REQUIRE(request->type == 'R');
  REQUIRE(request->body.size() == 8);
  REQUIRE(wire::read_i32(request->body, 0) == 5);
  const auto salt = std::span<const std::uint8_t>(request->body).subspan(4);

  SECTION("right password") {
    const auto response = md5_response("app", app_password, salt);
    REQUIRE(response.size() == 35);
    client.send(wire::password(response));
    const auto msgs = client.read_until('Z', 3s);
    INFO("received: " << summarize(msgs));
    REQUIRE(msgs.size() == 16);
    CHECK(wire::to_hex(msgs[0].wire()) == "520000000800000000");
  }
  SECTION("hash of a wrong password") {
    client.send(wire::password(md5_response("app", "p@ss:w/rd%#2", salt)));
    const auto got = client.read_until_closed(3s);
    INFO("received " << wire::describe_bytes(got));
    CHECK(wire::to_hex(got) == wire::to_hex(password_failed_bytes("app")));
    CHECK(client.peer_state() == raw_client::peer::fin);
  }
}

TEST_CASE("raw SCRAM request without TLS offers SCRAM-SHA-256 only", "[auth][raw]") {
  auto server = start_server(auth_args("scram-sha-256"));
  auto client = raw_connect(*server, transport::tcp);
  client.send(wire::startup_message({{"user", "app"}, {"database", "app"}}));
  auto request = client.read_message(3s);
  REQUIRE(request);
  CHECK(wire::to_hex(request->wire()) ==
        wire::to_hex(wire::concat({wire::from_hex("52 00000017 0000000a"),
                                   wire::to_bytes(std::string_view("SCRAM-SHA-256\0\0", 15))})));
}

TEST_CASE("the --database flag restricts databases: 3D000 after AuthenticationOk", "[auth]") {
  auto server = start_server({"--database", "app"});
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  INFO("transport: " << to_string(via));

  SECTION("libpq") {
    auto ok = connect(connection_params(*server, via, {{"user", "alice"}, {"dbname", "app"}}));
    INFO("libpq: " << PQerrorMessage(ok.get()));
    CHECK(PQstatus(ok.get()) == CONNECTION_OK);
    auto bad = connect(connection_params(*server, via, {{"user", "alice"}, {"dbname", "other"}}));
    CHECK(PQstatus(bad.get()) == CONNECTION_BAD);
    CHECK(std::string(PQerrorMessage(bad.get())) ==
          libpq_failure_prefix(*server, via) + "FATAL:  database \"other\" does not exist\n");
  }
  SECTION("raw bytes") {
    auto client = raw_connect(*server, via);
    client.send(wire::startup_message({{"user", "alice"}, {"database", "other"}}));
    const auto got = client.read_until_closed(3s);
    INFO("received " << wire::describe_bytes(got));
    CHECK(wire::to_hex(got) ==
          wire::to_hex(wire::concat({wire::from_hex("520000000800000000"),
                                     pg_error("FATAL", "3D000", "database \"other\" does not exist",
                                              "postinit.c", 948, "InitPostgres")})));
    CHECK(client.peer_state() == raw_client::peer::fin);
  }
}

TEST_CASE("an unknown role under trust gets R(0) then 28000", "[auth][raw]") {
  auto args = user_flag("app", app_password);
  args.insert(args.end(), {"--auth", "trust"});
  auto server = start_server(args);
  auto client = raw_connect(*server, transport::tcp);
  client.send(wire::startup_message({{"user", "ghost"}, {"database", "app"}}));
  const auto got = client.read_until_closed(3s);
  INFO("received " << wire::describe_bytes(got));
  CHECK(wire::to_hex(got) ==
        wire::to_hex(wire::concat({wire::from_hex("520000000800000000"),
                                   pg_error("FATAL", "28000", "role \"ghost\" does not exist",
                                            "miscinit.c", 768, "InitializeSessionUserId")})));
  CHECK(client.peer_state() == raw_client::peer::fin);
}
