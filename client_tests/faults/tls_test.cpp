// The ssl fault end to end: how the SSLRequest is answered (reject 'N', close, garbage 'H',
// hang) and mode=require's 28000 for a StartupMessage without TLS (story S2).
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "fault_support.hpp"

using namespace fauxgres_test;
using namespace fauxgres_test::faults;

namespace {

params ssl_params(const server_process& s, transport via, const std::string& sslmode) {
  return connection_params(s, via, {{"user", "u"}, {"dbname", "d"}, {"sslmode", sslmode}});
}

// What a verifying client would find wrong with the certificate the server presented.
struct peer_certificate {
  bool self_signed = false;
  bool names_this_host = false;  // 127.0.0.1 or localhost
  bool expired = false;
};

std::optional<peer_certificate> inspect_certificate(PGconn* c) {
  auto* ssl = static_cast<SSL*>(PQsslStruct(c, "OpenSSL"));
  if (!ssl) return std::nullopt;
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return std::nullopt;
  peer_certificate out;
  out.self_signed = X509_check_issued(cert, cert) == X509_V_OK;
  out.names_this_host = X509_check_ip_asc(cert, "127.0.0.1", 0) == 1 ||
                        X509_check_host(cert, "localhost", 0, 0, nullptr) == 1;
  out.expired = X509_cmp_current_time(X509_get0_notAfter(cert)) < 0;
  X509_free(cert);
  return out;
}

std::optional<peer_certificate> certificate_for(const std::string& cert) {
  auto server = start_with_faults({"ssl:mode=accept,cert=" + cert});
  auto conn = connect(ssl_params(*server, transport::tcp, "require"));
  INFO("libpq: " << error_text(conn.get()));
  REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
  REQUIRE(PQsslInUse(conn.get()) == 1);
  return inspect_certificate(conn.get());
}

}  // namespace

TEST_CASE("ssl mode=reject answers N and the startup goes on", "[ssl]") {
  // --ssl on: the fault wins over the server's own TLS setting.
  auto server = start_with_faults({"ssl:mode=reject"}, {"--ssl", "on"});

  SECTION("raw socket") {
    const auto via = GENERATE(transport::tcp, transport::unix_socket);
    INFO("transport: " << to_string(via));
    auto c = raw_connect(*server, via);
    c.send(wire::ssl_request());
    const auto answer = c.read_at_least(1, 3s);
    CHECK(wire::to_hex(answer) == "4e");
    CHECK(c.peer_state() == raw_client::peer::open);
    login_ok(c);
  }
  SECTION("libpq sslmode=require fails, prefer connects without TLS") {
    auto strict = connect(ssl_params(*server, transport::tcp, "require"));
    CHECK(PQstatus(strict.get()) == CONNECTION_BAD);
    CHECK(error_text(strict.get()) == libpq_failure_prefix(*server, transport::tcp) +
                                          "server does not support SSL, but SSL was required\n");
    auto lenient = connect(ssl_params(*server, transport::tcp, "prefer"));
    INFO("libpq: " << error_text(lenient.get()));
    CHECK(PQstatus(lenient.get()) == CONNECTION_OK);
    CHECK(PQsslInUse(lenient.get()) == 0);
  }
}

TEST_CASE("ssl mode=close closes the connection on the SSLRequest", "[ssl]") {
  auto server = start_with_faults({"ssl:mode=close"});

  SECTION("raw socket: EOF with no byte (the S2 socket mismatch)") {
    const auto via = GENERATE(transport::tcp, transport::unix_socket);
    INFO("transport: " << to_string(via));
    auto c = raw_connect(*server, via);
    c.send(wire::ssl_request());
    CHECK(silent_close(c) == "FIN");
  }
  SECTION("libpq: sslmode=require and prefer fail, disable connects") {
    const std::string mode = GENERATE(as<std::string>{}, "require", "prefer");
    INFO("sslmode=" << mode);
    auto conn = connect(ssl_params(*server, transport::tcp, mode));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    CHECK(error_text(conn.get()) ==
          libpq_failure_prefix(*server, transport::tcp) + server_closed_text);

    auto plain = connect(ssl_params(*server, transport::tcp, "disable"));
    INFO("libpq: " << error_text(plain.get()));
    CHECK(PQstatus(plain.get()) == CONNECTION_OK);
  }
  SECTION("libpq over the Unix socket never sends an SSLRequest") {
    auto conn = connect(ssl_params(*server, transport::unix_socket, "prefer"));
    INFO("libpq: " << error_text(conn.get()));
    CHECK(PQstatus(conn.get()) == CONNECTION_OK);
  }
}

TEST_CASE("ssl mode=require: a StartupMessage without TLS gets PG15's 28000", "[ssl]") {
  auto server = start_with_faults({"ssl:mode=require"}, {"--ssl", "on"});

  SECTION("raw TCP: no authentication request, the FATAL, then FIN") {
    auto c = raw_connect(*server, transport::tcp);
    send_startup(c, "u", "d");
    const auto m = c.read_message(3s);
    REQUIRE(m);
    CHECK(wire::to_hex(m->wire()) ==
          fatal_hex("28000",
                    "no pg_hba.conf entry for host \"127.0.0.1\", user \"u\", database \"d\", no "
                    "encryption",
                    "auth.c", 544, "ClientAuthentication"));
    CHECK(silent_close(c) == "FIN");
  }
  SECTION("raw Unix socket: host [local]") {
    auto c = raw_connect(*server, transport::unix_socket);
    send_startup(c, "u", "d");
    const auto m = c.read_message(3s);
    REQUIRE(m);
    CHECK(wire::field(*m, 'C') == "28000");
    CHECK(wire::field(*m, 'M') ==
          "no pg_hba.conf entry for host \"[local]\", user \"u\", database \"d\", no encryption");
  }
  SECTION("raw: the SSLRequest is answered S") {
    auto c = raw_connect(*server, transport::tcp);
    c.send(wire::ssl_request());
    CHECK(wire::to_hex(c.read_at_least(1, 3s)) == "53");
  }
  SECTION("libpq: sslmode=disable fails, require connects over TLS") {
    auto plain = connect(ssl_params(*server, transport::tcp, "disable"));
    CHECK(PQstatus(plain.get()) == CONNECTION_BAD);
    CHECK(error_text(plain.get()) ==
          libpq_failure_prefix(*server, transport::tcp) +
              "FATAL:  no pg_hba.conf entry for host \"127.0.0.1\", user \"u\", database \"d\", "
              "no encryption\n");
    auto tls = connect(ssl_params(*server, transport::tcp, "require"));
    INFO("libpq: " << error_text(tls.get()));
    REQUIRE(PQstatus(tls.get()) == CONNECTION_OK);
    CHECK(PQsslInUse(tls.get()) == 1);
    CHECK(value(exec(tls.get(), "SELECT 1").get()) == "1");
  }
}

TEST_CASE("ssl mode=require without --ssl on still answers S", "[ssl]") {
  // The fault says the server requires TLS; it has to offer it to do so.
  auto server = start_with_faults({"ssl:mode=require"});
  auto c = raw_connect(*server, transport::tcp);
  c.send(wire::ssl_request());
  CHECK(wire::to_hex(c.read_at_least(1, 3s)) == "53");
  auto tls = connect(ssl_params(*server, transport::tcp, "require"));
  INFO("libpq: " << error_text(tls.get()));
  CHECK(PQstatus(tls.get()) == CONNECTION_OK);
}

TEST_CASE("ssl mode=garbage answers H, which libpq rejects", "[ssl]") {
  auto server = start_with_faults({"ssl:mode=garbage"});
  SECTION("raw socket") {
    auto c = raw_connect(*server, transport::tcp);
    c.send(wire::ssl_request());
    CHECK(wire::to_hex(c.read_at_least(1, 3s)) == "48");
  }
  SECTION("libpq") {
    auto conn = connect(ssl_params(*server, transport::tcp, "prefer"));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    CHECK(error_text(conn.get()) == libpq_failure_prefix(*server, transport::tcp) +
                                        "received invalid response to SSL negotiation: H\n");
  }
}

TEST_CASE("ssl mode=hang never answers the SSLRequest", "[ssl]") {
  auto server = start_with_faults({"ssl:mode=hang"});
  SECTION("raw socket: no byte, the socket stays open") {
    auto c = raw_connect(*server, transport::tcp);
    c.send(wire::ssl_request());
    const auto got = c.read_for(1s);
    INFO("received " << wire::describe_bytes(got));
    CHECK(got.empty());
    CHECK(c.peer_state() == raw_client::peer::open);
  }
  SECTION("libpq waits until its own timeout") {
    bool timed_out = false;
    auto conn = connect(ssl_params(*server, transport::tcp, "prefer"), 1s, &timed_out);
    CHECK(timed_out);
    CHECK(PQstatus(conn.get()) != CONNECTION_OK);
  }
}

TEST_CASE("ssl cert=self_signed presents a self-signed certificate", "[ssl][cert]") {
  const auto cert = certificate_for("self_signed");
  REQUIRE(cert);
  CHECK(cert->self_signed);
  CHECK(cert->names_this_host);
  CHECK_FALSE(cert->expired);
}

TEST_CASE("ssl cert=wrong_host, expired and valid present the certificate asked for",
          "[ssl][cert]") {
  SECTION("wrong_host: a name that is not this host") {
    const auto cert = certificate_for("wrong_host");
    REQUIRE(cert);
    CHECK_FALSE(cert->names_this_host);
    CHECK_FALSE(cert->expired);
  }
  SECTION("expired") {
    const auto cert = certificate_for("expired");
    REQUIRE(cert);
    CHECK(cert->expired);
    CHECK(cert->names_this_host);
  }
  SECTION("valid: issued by the test CA, for this host") {
    const auto cert = certificate_for("valid");
    REQUIRE(cert);
    CHECK_FALSE(cert->self_signed);
    CHECK(cert->names_this_host);
    CHECK_FALSE(cert->expired);
  }
}

TEST_CASE("ssl cert=: what libpq sslmode=verify-full says, against --test-ca-file", "[ssl][cert]") {
  temp_dir dir;
  const std::string ca = dir.path + "/ca.pem";
  struct expectation {
    std::string cert, error;  // empty error: connects
  };
  const auto e =
      GENERATE(expectation{"valid", ""},
               expectation{"wrong_host", "server certificate for \"wrong.example.invalid\""},
               expectation{"expired", "SSL error: certificate verify failed\n"},
               expectation{"self_signed", "SSL error: certificate verify failed\n"});
  INFO("cert=" << e.cert);
  auto server = start_with_faults({"ssl:mode=accept,cert=" + e.cert}, {"--test-ca-file", ca});
  auto conn = connect(connection_params(
      *server, transport::tcp,
      {{"user", "u"}, {"dbname", "d"}, {"sslmode", "verify-full"}, {"sslrootcert", ca}}));
  INFO("libpq: " << error_text(conn.get()));
  if (e.error.empty()) {
    CHECK(PQstatus(conn.get()) == CONNECTION_OK);
    CHECK(PQsslInUse(conn.get()) == 1);
  } else {
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    if (e.cert == "wrong_host") {
      // libpq adds "(and N other names)" when the certificate lists several.
      CHECK_THAT(error_text(conn.get()),
                 Catch::StartsWith(libpq_failure_prefix(*server, transport::tcp) + e.error) &&
                     Catch::EndsWith("does not match host name \"127.0.0.1\"\n"));
    } else {
      CHECK(error_text(conn.get()) == libpq_failure_prefix(*server, transport::tcp) + e.error);
    }
  }
}
