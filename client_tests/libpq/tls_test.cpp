// TLS end to end (pg15-behaviors.md §1): a test CA and server certificate made with the
// openssl CLI, libpq's verify-full / require modes, ssl off, and the Unix socket (where
// libpq never asks for SSL).
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_support.hpp"

using namespace fauxgres_test;

namespace {

// A throwaway CA and a server certificate for CN=localhost, SAN localhost + 127.0.0.1.
struct test_pki {
  std::string dir, ca, server_cert, server_key, other_ca;

  test_pki() {
    char tmpl[] = "/tmp/fauxgres-pki-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
    ca = dir + "/ca.pem";
    server_cert = dir + "/server.pem";
    server_key = dir + "/server.key";
    other_ca = dir + "/other-ca.pem";
    make_ca(dir + "/ca.key", ca, "fauxgres test CA");
    make_ca(dir + "/other-ca.key", other_ca, "unrelated CA");
    {
      std::ofstream ext(dir + "/ext.cnf");
      ext << "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
             "basicConstraints=CA:FALSE\n"
             "keyUsage=digitalSignature,keyEncipherment\n"
             "extendedKeyUsage=serverAuth\n";
    }
    run({"openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", server_key, "-out", dir + "/server.csr", "-subj", "/CN=localhost"});
    run({"openssl", "x509", "-req", "-in", dir + "/server.csr", "-CA", ca, "-CAkey",
         dir + "/ca.key", "-CAcreateserial", "-out", server_cert, "-days", "2", "-extfile",
         dir + "/ext.cnf"});
  }
  ~test_pki() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  test_pki(const test_pki&) = delete;
  test_pki& operator=(const test_pki&) = delete;

 private:
  static void run(const std::vector<std::string>& argv) {
    const auto r = run_command(argv, 20s);
    if (!r.exited_ok())
      throw std::runtime_error(argv[0] + " " + argv[1] +
                               " failed: " + describe_wait_status(r.status) + "\n" + r.err);
  }
  static void make_ca(const std::string& key, const std::string& cert, const std::string& cn) {
    run({"openssl",
         "req",
         "-x509",
         "-newkey",
         "ec",
         "-pkeyopt",
         "ec_paramgen_curve:prime256v1",
         "-nodes",
         "-keyout",
         key,
         "-out",
         cert,
         "-days",
         "2",
         "-subj",
         "/CN=" + cn,
         "-addext",
         "basicConstraints=critical,CA:TRUE",
         "-addext",
         "keyUsage=critical,keyCertSign,cRLSign"});
  }
};

std::string ssl_attr(PGconn* c, const char* name) {
  const char* v = PQsslAttribute(c, name);
  return v ? v : "<none>";
}

}  // namespace

TEST_CASE("verify-full against a server certificate from a test CA", "[tls]") {
  test_pki pki;
  auto server =
      start_server({"--ssl", "on", "--ssl-cert", pki.server_cert, "--ssl-key", pki.server_key});

  SECTION("trusted CA: TLS in use, queries work") {
    auto conn = connect({{"host", "localhost"},
                         {"hostaddr", "127.0.0.1"},
                         {"port", std::to_string(server->tcp_port())},
                         {"user", "alice"},
                         {"sslmode", "verify-full"},
                         {"sslrootcert", pki.ca}});
    INFO("libpq: " << PQerrorMessage(conn.get()));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    CHECK(PQsslInUse(conn.get()) == 1);
    const auto protocol = ssl_attr(conn.get(), "protocol");
    INFO("protocol " << protocol << ", cipher " << ssl_attr(conn.get(), "cipher"));
    CHECK((protocol == "TLSv1.3" || protocol == "TLSv1.2"));
    auto r = exec(conn.get(), "SELECT 1");
    CHECK(value(r.get()) == "1");
  }
  SECTION("unrelated CA: certificate verify failed") {
    auto conn = connect({{"host", "localhost"},
                         {"hostaddr", "127.0.0.1"},
                         {"port", std::to_string(server->tcp_port())},
                         {"user", "alice"},
                         {"sslmode", "verify-full"},
                         {"sslrootcert", pki.other_ca}});
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    CHECK_THAT(std::string(PQerrorMessage(conn.get())),
               Catch::Contains("certificate verify failed"));
  }
  SECTION("raw SSLRequest over TCP gets 'S'") {
    auto client = raw_connect(*server, transport::tcp);
    client.send(wire::ssl_request());
    CHECK(wire::to_hex(client.read_at_least(1, 3s)) == "53");
  }
  SECTION("raw SSLRequest over the Unix socket gets 'N'") {
    auto client = raw_connect(*server, transport::unix_socket);
    client.send(wire::ssl_request());
    CHECK(wire::to_hex(client.read_at_least(1, 3s)) == "4e");
  }
}

TEST_CASE("sslmode=require against --ssl on with a generated self-signed certificate", "[tls]") {
  auto server = start_server({"--ssl", "on"});
  SECTION("TCP: TLS in use") {
    auto conn = connect(
        connection_params(*server, transport::tcp, {{"user", "alice"}, {"sslmode", "require"}}));
    INFO("libpq: " << PQerrorMessage(conn.get()));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    CHECK(PQsslInUse(conn.get()) == 1);
    auto r = exec(conn.get(), "SELECT 1");
    CHECK(value(r.get()) == "1");
  }
  SECTION("Unix socket: libpq skips SSL and connects in plaintext") {
    auto conn = connect(connection_params(*server, transport::unix_socket,
                                          {{"user", "alice"}, {"sslmode", "require"}}));
    INFO("libpq: " << PQerrorMessage(conn.get()));
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    CHECK(PQsslInUse(conn.get()) == 0);
  }
}

TEST_CASE("sslmode=require against ssl off fails with libpq's text", "[tls]") {
  auto server = start_server();
  auto conn = connect(
      connection_params(*server, transport::tcp, {{"user", "alice"}, {"sslmode", "require"}}));
  CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
  CHECK(std::string(PQerrorMessage(conn.get())) ==
        libpq_failure_prefix(*server, transport::tcp) +
            "server does not support SSL, but SSL was required\n");
}

TEST_CASE("SCRAM over TLS offers -PLUS and channel binding works", "[tls][auth]") {
  auto args = user_flag("app", "p@ss:w/rd%#1");
  args.insert(args.end(), {"--auth", "scram-sha-256", "--ssl", "on"});
  auto server = start_server(args);
  auto conn = connect(connection_params(*server, transport::tcp,
                                        {{"user", "app"},
                                         {"password", "p@ss:w/rd%#1"},
                                         {"sslmode", "require"},
                                         {"channel_binding", "require"}}));
  INFO("libpq: " << PQerrorMessage(conn.get()));
  CHECK(PQstatus(conn.get()) == CONNECTION_OK);
  CHECK(PQsslInUse(conn.get()) == 1);
}
