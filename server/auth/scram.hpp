// SCRAM-SHA-256 (RFC 5802 / RFC 7677) server side, with tls-server-end-point channel
// binding (SCRAM-SHA-256-PLUS) as PostgreSQL implements it. Pure: randomness (salt,
// nonce) is passed in, so exchanges are reproducible in tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error_fields.hpp"

namespace fauxgres::auth {

struct scram_secret {
  std::vector<std::uint8_t> salt;
  int iterations = 4096;
  std::vector<std::uint8_t> stored_key;  // H(ClientKey)
  std::vector<std::uint8_t> server_key;  // HMAC(SaltedPassword, "Server Key")
};

// Derives the verifier PostgreSQL would store for `password` (SASLprep is applied to
// ASCII-only passwords trivially; non-ASCII passwords are used as raw UTF-8 bytes, as PG
// does when SASLprep fails).
scram_secret make_scram_secret(std::string_view password, const std::vector<std::uint8_t>& salt,
                               int iterations = 4096);

// A stable fake salt for an unknown role, so repeated probes see the same `s=` (as PG's
// mock salt). `server_secret` is per server instance.
std::vector<std::uint8_t> mock_salt(std::string_view user, std::string_view server_secret);

std::string base64_encode(const std::vector<std::uint8_t>& data);
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

// One server-side SCRAM exchange.
class scram_exchange {
 public:
  // `secret`: the role's verifier, or a fake one for an unknown role / when `doomed`
  // (the exchange then runs to the end and fails, like PG). `server_nonce`: 18 random
  // bytes. `tls_end_point`: hash of the server certificate when TLS is in use.
  scram_exchange(scram_secret secret, bool doomed, std::vector<std::uint8_t> server_nonce,
                 std::optional<std::vector<std::uint8_t>> tls_end_point);

  // The mechanisms to advertise: PLUS first when TLS is in use.
  static std::vector<std::string> mechanisms(bool tls);

  struct step {
    enum class outcome { continue_exchange, success, failure, protocol_error };
    outcome result = outcome::protocol_error;
    std::string server_message;  // server-first (continue) or server-final "v=..." (success)
    protocol::error_fields error;  // for protocol_error (08P01 with PG's text)
  };

  // SASLInitialResponse: chosen mechanism and client-first-message.
  step client_first(std::string_view mechanism, std::string_view client_first_message);
  // SASLResponse: client-final-message. failure → the caller sends 28P01.
  step client_final(std::string_view client_final_message);

 private:
  scram_secret secret_;
  bool doomed_;
  std::vector<std::uint8_t> server_nonce_;
  std::optional<std::vector<std::uint8_t>> tls_end_point_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string combined_nonce_;
  std::string gs2_header_;
  bool channel_binding_ = false;
};

}  // namespace fauxgres::auth
