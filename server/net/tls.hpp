// TLS for listeners: an OpenSSL server context from PEM files, or a self-signed
// certificate generated at startup; and the tls-server-end-point hash for SCRAM-PLUS.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fauxgres::net {

struct tls_setup {
  std::unique_ptr<boost::asio::ssl::context> context;
  std::vector<std::uint8_t> end_point_hash;  // RFC 5929 tls-server-end-point of our cert
};

// Throws std::runtime_error naming the file on failure. Empty paths: self-signed cert.
tls_setup make_tls(const std::string& cert_file, const std::string& key_file);

// Certificates the `ssl` fault can present, all for localhost / 127.0.0.1 / ::1 unless
// named otherwise: "valid" (signed by the test CA), "self_signed", "wrong_host" (signed by
// the CA, for wrong.example.invalid) and "expired" (signed by the CA, expired yesterday).
struct test_certificates {
  std::string ca_pem;  // what a client needs for sslmode=verify-full
  std::map<std::string, tls_setup, std::less<>> by_name;
};
test_certificates make_test_certificates();

}  // namespace fauxgres::net
