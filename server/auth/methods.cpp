// Names of the authentication methods, and a constant-time comparison for secrets.
#include "auth/methods.hpp"

#include <openssl/crypto.h>

#include "auth/saslprep.hpp"

namespace fauxgres::auth {

std::string_view to_string(method m) {
  switch (m) {
    case method::trust:
      return "trust";
    case method::password:
      return "password";
    case method::md5:
      return "md5";
    case method::scram_sha_256:
      return "scram-sha-256";
  }
  return "unknown";
}

std::optional<method> method_from_string(std::string_view s) {
  for (method m : {method::trust, method::password, method::md5, method::scram_sha_256}) {
    if (s == to_string(m)) return m;
  }
  return std::nullopt;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool cleartext_matches(std::string_view given, std::string_view password) {
  return constant_time_equals(saslprep_or_raw(given), saslprep_or_raw(password));
}

}  // namespace fauxgres::auth
