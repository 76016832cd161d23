// Thin wrappers over OpenSSL 3 digests used by password authentication: MD5, SHA-256,
// HMAC-SHA-256 and PBKDF2-HMAC-SHA-256. Inputs and outputs are plain byte strings.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fauxgres::auth {

using bytes = std::vector<std::uint8_t>;

bytes md5(std::span<const std::uint8_t> data);
bytes sha256(std::span<const std::uint8_t> data);
bytes hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data);
bytes pbkdf2_hmac_sha256(std::string_view password, std::span<const std::uint8_t> salt,
                         int iterations);

// Views a string's characters as bytes.
inline std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string to_hex(std::span<const std::uint8_t> data);  // lower case

}  // namespace fauxgres::auth
