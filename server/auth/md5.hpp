// MD5 password authentication (AuthenticationMD5Password).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace fauxgres::auth {

// "md5" + hex(md5(password + user)): what pg_authid stores for an md5 role.
std::string md5_stored_hash(std::string_view user, std::string_view password);

// What a client must answer: "md5" + hex(md5(hex(md5(password + user)) + salt)).
std::string md5_expected_response(std::string_view user, std::string_view password,
                                  const std::array<std::uint8_t, 4>& salt);

// Constant-time comparison of the client's response with the expected one.
bool md5_response_matches(std::string_view response, std::string_view user,
                          std::string_view password, const std::array<std::uint8_t, 4>& salt);

}  // namespace fauxgres::auth
