// OpenSSL 3 EVP digests, HMAC and PBKDF2 behind byte-vector signatures.
#include "auth/digest.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace fauxgres::auth {
namespace {

bytes evp_digest(const EVP_MD* type, std::span<const std::uint8_t> data) {
  bytes out(static_cast<std::size_t>(EVP_MD_get_size(type)));
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &length, type, nullptr) != 1) {
    throw std::runtime_error("EVP_Digest failed");
  }
  out.resize(length);
  return out;
}

}  // namespace

bytes md5(std::span<const std::uint8_t> data) {
  return evp_digest(EVP_md5(), data);
}

bytes sha256(std::span<const std::uint8_t> data) {
  return evp_digest(EVP_sha256(), data);
}

bytes hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  static constexpr std::uint8_t no_key = 0;  // OpenSSL wants a pointer even for an empty key
  bytes out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.empty() ? &no_key : key.data(), static_cast<int>(key.size()),
           data.data(), data.size(), out.data(), &length) == nullptr) {
    throw std::runtime_error("HMAC-SHA-256 failed");
  }
  out.resize(length);
  return out;
}

bytes pbkdf2_hmac_sha256(std::string_view password, std::span<const std::uint8_t> salt,
                         int iterations) {
  bytes out(32);
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()), out.data()) != 1) {
    throw std::runtime_error("PBKDF2-HMAC-SHA-256 failed");
  }
  return out;
}

std::string to_hex(std::span<const std::uint8_t> data) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (std::uint8_t b : data) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0f]);
  }
  return out;
}

}  // namespace fauxgres::auth
