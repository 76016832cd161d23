// MD5 password hashing exactly as PostgreSQL's pg_md5_encrypt / md5 auth exchange.
#include "auth/md5.hpp"

#include "auth/digest.hpp"
#include "auth/methods.hpp"

namespace fauxgres::auth {

std::string md5_stored_hash(std::string_view user, std::string_view password) {
  std::string input(password);
  input += user;
  return "md5" + to_hex(md5(as_bytes(input)));
}

std::string md5_expected_response(std::string_view user, std::string_view password,
                                  const std::array<std::uint8_t, 4>& salt) {
  std::string input = md5_stored_hash(user, password).substr(3);  // the hex digest
  input.append(salt.begin(), salt.end());
  return "md5" + to_hex(md5(as_bytes(input)));
}

bool md5_response_matches(std::string_view response, std::string_view user,
                          std::string_view password, const std::array<std::uint8_t, 4>& salt) {
  return constant_time_equals(response, md5_expected_response(user, password, salt));
}

}  // namespace fauxgres::auth
