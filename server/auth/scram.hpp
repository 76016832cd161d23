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

class scram_reader;

struct scram_secret {
  std::vector<std::uint8_t> salt;
  int iterations = 4096;
  std::vector<std::uint8_t> stored_key;  // H(ClientKey)
  std::vector<std::uint8_t> server_key;  // HMAC(SaltedPassword, "Server Key")
};

// Derives the verifier PostgreSQL would store for `password`, after SASLprep where it
// succeeds, else from the raw bytes (see saslprep.hpp for what is implemented).
scram_secret make_scram_secret(std::string_view password, const std::vector<std::uint8_t>& salt,
                               int iterations = 4096);

// A stable fake salt for an unknown role, so repeated probes see the same `s=` (as PG's
// mock salt): the first 16 bytes of HMAC-SHA-256(server_secret, user). `server_secret` is
// per server instance.
std::vector<std::uint8_t> mock_salt(std::string_view user, std::string_view server_secret);

// The verifier for a doomed exchange: mock salt, 4096 iterations, all-zero keys (like PG).
scram_secret make_mock_scram_secret(std::string_view user, std::string_view server_secret);

std::string base64_encode(const std::vector<std::uint8_t>& data);
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);  // strict

// One server-side SCRAM exchange.
class scram_exchange {
 public:
  static constexpr std::string_view mechanism_name = "SCRAM-SHA-256";
  static constexpr std::string_view plus_mechanism_name = "SCRAM-SHA-256-PLUS";

  // `secret`: the role's verifier, or a fake one for an unknown role / when `doomed`
  // (the exchange then runs to the end and fails, like PG). `server_nonce`: 18 random
  // bytes, sent base64-encoded. `tls_end_point`: hash of the server certificate when TLS
  // is in use (its presence also means "TLS is in use").
  scram_exchange(scram_secret secret, bool doomed, std::vector<std::uint8_t> server_nonce,
                 std::optional<std::vector<std::uint8_t>> tls_end_point);

  // Same, with the server nonce given as printable text used verbatim (test vectors).
  static scram_exchange with_nonce_text(scram_secret secret, bool doomed, std::string nonce,
                                        std::optional<std::vector<std::uint8_t>> tls_end_point);

  // The mechanisms to advertise: PLUS first when TLS is in use.
  static std::vector<std::string> mechanisms(bool tls);

  struct step {
    // continue_exchange: send AuthenticationSASLContinue(server_message).
    // success: send AuthenticationSASLFinal(server_message), then AuthenticationOk.
    // failure: wrong proof or doomed; send 28P01 password_failed(user), no SASLFinal.
    // protocol_error: send `error` (FATAL; 08P01 mostly, also 28000 / 0A000) and close.
    enum class outcome { continue_exchange, success, failure, protocol_error };
    outcome result = outcome::protocol_error;
    std::string server_message;    // server-first (continue) or server-final "v=..." (success)
    protocol::error_fields error;  // for protocol_error, with PG's text and F/L/R
  };

  // SASLInitialResponse: chosen mechanism and client-first-message. Without an initial
  // response (length -1) the answer is an empty SASLContinue and the client-first-message
  // arrives in the next SASLResponse.
  step client_first(std::string_view mechanism,
                    std::optional<std::string_view> client_first_message);
  // SASLResponse: the next message, whichever the exchange expects (normally the
  // client-final-message). client_final is the same call under the usual name.
  step response(std::string_view message);
  step client_final(std::string_view client_final_message) {
    return response(client_final_message);
  }

  bool channel_binding() const { return channel_binding_; }  // PLUS was selected
  bool finished() const { return phase_ == phase::finished; }

 private:
  enum class phase { mechanism, client_first, client_final, finished };
  struct nonce_text_tag {};
  scram_exchange(nonce_text_tag, scram_secret secret, bool doomed, std::string nonce,
                 std::optional<std::vector<std::uint8_t>> tls_end_point);

  step read_client_first(std::string_view message);
  step read_client_final(std::string_view message);
  step fail(protocol::error_fields error);
  std::optional<protocol::error_fields> parse_gs2_header(scram_reader& reader);
  bool proof_matches(const std::vector<std::uint8_t>& proof, std::string_view auth_message) const;

  scram_secret secret_;
  bool doomed_;
  std::string server_nonce_;  // printable (base64) text
  std::optional<std::vector<std::uint8_t>> tls_end_point_;
  phase phase_ = phase::mechanism;
  char cbind_flag_ = '\0';
  std::string client_first_bare_;
  std::string server_first_;
  std::string combined_nonce_;
  bool channel_binding_ = false;
};

}  // namespace fauxgres::auth
