// ssl: every mode's answer to SSLRequest, require at startup, and the cert attribute.
#include "faults/ssl.hpp"
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

namespace {
verdict at_ssl_request(std::string_view mode) {
  return make("ssl", {{"mode", std::string(mode)}})->decide(hook::ssl_request, accepted(), 0ms);
}
}  // namespace

TEST_CASE("ssl modes at SSLRequest", "[faults][ssl]") {
  CHECK(at_ssl_request("reject").what == kind::ssl_answer);
  CHECK(at_ssl_request("reject").byte == 'N');
  CHECK(at_ssl_request("accept").byte == 'S');
  CHECK(at_ssl_request("require").byte == 'S');
  CHECK(at_ssl_request("close").what == kind::close);
  CHECK(at_ssl_request("hang").what == kind::hang);
  const verdict garbage = at_ssl_request("garbage");
  CHECK(garbage.what == kind::ssl_answer);
  CHECK(garbage.byte == 'H');
  CHECK(garbage.describe() == "ssl_answer 'H'");
  CHECK(at_ssl_request("reject").describe() == "ssl_answer 'N'");
}

TEST_CASE("ssl defaults to accept", "[faults][ssl]") {
  const auto f = make("ssl");
  CHECK(f->decide(hook::ssl_request, accepted(), 0ms).byte == 'S');
  CHECK(f->decide(hook::ssl_request, accepted(), 0ms).certificate.empty());
  CHECK_FALSE(f->listens_to(hook::startup));
}

TEST_CASE("ssl mode=require: a plaintext startup gets PG15's no pg_hba.conf entry",
          "[faults][ssl]") {
  const auto f = make("ssl", {{"mode", "require"}});
  CHECK(f->listens_to(hook::startup));
  const verdict v = f->decide(hook::startup, started(), 0ms);
  REQUIRE(v.what == kind::fatal);
  CHECK(v.error.sqlstate == "28000");
  CHECK(v.error.message ==
        "no pg_hba.conf entry for host \"127.0.0.1\", user \"app\", database \"appdb\", no "
        "encryption");
  connection_facts tls = started();
  tls.tls = true;
  CHECK(f->decide(hook::startup, tls, 0ms).what == kind::none);
  CHECK(make("ssl", {{"mode", "reject"}})->decide(hook::startup, started(), 0ms).what ==
        kind::none);
}

TEST_CASE("ssl cert is validated and exposed", "[faults][ssl]") {
  const auto f = make("ssl", {{"cert", "wrong_host"}});
  const auto* s = dynamic_cast<const ssl_fault*>(f.get());
  REQUIRE(s != nullptr);
  CHECK(s->cert() == "wrong_host");
  CHECK(s->mode() == "accept");
  const verdict v = f->decide(hook::ssl_request, accepted(), 0ms);
  CHECK(v.certificate == "wrong_host");
  CHECK(v.describe() == "ssl_answer 'S' certificate wrong_host");

  auto e = rule_error("ssl:cert=forged");
  CHECK(e.field() == "--fault ssl.cert");
  CHECK(e.why() == "expected valid, self_signed, wrong_host or expired");
  e = rule_error("ssl:mode=reject,cert=expired");
  CHECK(e.field() == "--fault ssl.cert");
  CHECK(rule_error("ssl:mode=maybe").field() == "--fault ssl.mode");
}

TEST_CASE("ssl on one listener only", "[faults][ssl]") {
  auto e = engine_of("ssl:mode=close,listener=unix");
  CHECK(e.decide(hook::ssl_request, accepted(), 1, 0ms).what == kind::none);
  connection_facts unix_socket = accepted();
  unix_socket.listener = "unix0";
  unix_socket.unix_socket = true;
  unix_socket.client_address = "[local]";
  CHECK(e.decide(hook::ssl_request, unix_socket, 2, 0ms).what == kind::close);
}
