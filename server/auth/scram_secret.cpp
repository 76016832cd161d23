// SCRAM verifiers: the real one derived from a password, and the mock one for unknown roles.
#include "auth/digest.hpp"
#include "auth/saslprep.hpp"
#include "auth/scram.hpp"

namespace fauxgres::auth {

scram_secret make_scram_secret(std::string_view password, const std::vector<std::uint8_t>& salt,
                               int iterations) {
  const bytes salted = pbkdf2_hmac_sha256(saslprep_or_raw(password), salt, iterations);
  scram_secret secret;
  secret.salt = salt;
  secret.iterations = iterations;
  secret.stored_key = sha256(hmac_sha256(salted, as_bytes("Client Key")));
  secret.server_key = hmac_sha256(salted, as_bytes("Server Key"));
  return secret;
}

std::vector<std::uint8_t> mock_salt(std::string_view user, std::string_view server_secret) {
  bytes salt = hmac_sha256(as_bytes(server_secret), as_bytes(user));
  salt.resize(16);
  return salt;
}

scram_secret make_mock_scram_secret(std::string_view user, std::string_view server_secret) {
  scram_secret secret;
  secret.salt = mock_salt(user, server_secret);
  secret.iterations = 4096;
  secret.stored_key.assign(32, 0);
  secret.server_key.assign(32, 0);
  return secret;
}

}  // namespace fauxgres::auth
