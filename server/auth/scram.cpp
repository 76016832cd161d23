// The server side of one SCRAM-SHA-256 exchange, step by step as PostgreSQL 15 runs it:
// mechanism check, client-first parsing, server-first, client-final checks, server-final.
#include "auth/scram.hpp"

#include <openssl/crypto.h>

#include "auth/digest.hpp"
#include "auth/scram_errors.hpp"
#include "auth/scram_reader.hpp"

namespace fauxgres::auth {
namespace {

using outcome = scram_exchange::step::outcome;

constexpr std::string_view end_point_header = "p=tls-server-end-point,,";

// RFC 5802 "printable": %x21-2B / %x2D-7E.
bool is_printable(std::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x21 || byte > 0x7E || c == ',') return false;
  }
  return true;
}

scram_exchange::step continue_with(std::string message) {
  return {outcome::continue_exchange, std::move(message), {}};
}

}  // namespace

scram_exchange::scram_exchange(scram_secret secret, bool doomed,
                               std::vector<std::uint8_t> server_nonce,
                               std::optional<std::vector<std::uint8_t>> tls_end_point)
    : scram_exchange(nonce_text_tag{}, std::move(secret), doomed, base64_encode(server_nonce),
                     std::move(tls_end_point)) {}

scram_exchange::scram_exchange(nonce_text_tag, scram_secret secret, bool doomed, std::string nonce,
                               std::optional<std::vector<std::uint8_t>> tls_end_point)
    : secret_(std::move(secret)),
      doomed_(doomed),
      server_nonce_(std::move(nonce)),
      tls_end_point_(std::move(tls_end_point)) {}

scram_exchange scram_exchange::with_nonce_text(
    scram_secret secret, bool doomed, std::string nonce,
    std::optional<std::vector<std::uint8_t>> tls_end_point) {
  return scram_exchange(nonce_text_tag{}, std::move(secret), doomed, std::move(nonce),
                        std::move(tls_end_point));
}

std::vector<std::string> scram_exchange::mechanisms(bool tls) {
  if (tls) return {std::string(plus_mechanism_name), std::string(mechanism_name)};
  return {std::string(mechanism_name)};
}

scram_exchange::step scram_exchange::fail(protocol::error_fields error) {
  phase_ = phase::finished;
  return {outcome::protocol_error, {}, std::move(error)};
}

scram_exchange::step scram_exchange::client_first(
    std::string_view mechanism, std::optional<std::string_view> client_first_message) {
  if (phase_ != phase::mechanism) return fail(scram_errors::invalid_state());
  if (mechanism == plus_mechanism_name && tls_end_point_) {
    channel_binding_ = true;
  } else if (mechanism != mechanism_name) {
    return fail(scram_errors::invalid_mechanism());
  }
  phase_ = phase::client_first;
  if (!client_first_message) return continue_with("");
  return response(*client_first_message);
}

scram_exchange::step scram_exchange::response(std::string_view message) {
  if (phase_ == phase::mechanism || phase_ == phase::finished) {
    return fail(scram_errors::invalid_state());
  }
  if (message.empty()) return fail(scram_errors::empty_message());
  if (message.find('\0') != std::string_view::npos) {
    return fail(scram_errors::length_mismatch());
  }
  return phase_ == phase::client_first ? read_client_first(message) : read_client_final(message);
}

// gs2-header: the channel-binding flag, then an (unsupported) authzid, then ','.
std::optional<protocol::error_fields> scram_exchange::parse_gs2_header(scram_reader& reader) {
  cbind_flag_ = reader.peek();
  switch (cbind_flag_) {
    case 'n':
    case 'y':
      if (channel_binding_) return scram_errors::plus_without_binding_data(cbind_flag_);
      if (cbind_flag_ == 'y' && tls_end_point_) return scram_errors::binding_negotiation();
      reader.advance();
      if (reader.peek() != ',') return scram_errors::comma_expected(cbind_flag_, reader.peek());
      reader.advance();
      break;
    case 'p': {
      if (!channel_binding_) return scram_errors::binding_data_without_plus();
      const scram_attribute type = reader.read_attr_value('p');
      if (type.error) return type.error;
      if (type.value != "tls-server-end-point") {
        return scram_errors::unsupported_binding_type(type.value);
      }
      break;
    }
    default:
      return scram_errors::unexpected_binding_flag(cbind_flag_);
  }
  if (reader.peek() == 'a') return scram_errors::authzid_not_supported();
  if (reader.peek() != ',') return scram_errors::unexpected_attribute(reader.peek());
  reader.advance();
  return std::nullopt;
}

scram_exchange::step scram_exchange::read_client_first(std::string_view message) {
  scram_reader reader(message);
  if (auto error = parse_gs2_header(reader)) return fail(std::move(*error));
  client_first_bare_ = reader.rest();
  if (reader.peek() == 'm') return fail(scram_errors::extension_not_supported());
  // The user name is ignored: PostgreSQL uses the one from the startup packet.
  const scram_attribute user = reader.read_attr_value('n');
  if (user.error) return fail(*user.error);
  const scram_attribute nonce = reader.read_attr_value('r');
  if (nonce.error) return fail(*nonce.error);
  if (!is_printable(nonce.value)) return fail(scram_errors::nonprintable_nonce());
  while (!reader.at_end()) {  // optional extensions, ignored
    const scram_attribute extension = reader.read_any_attr();
    if (extension.error) return fail(*extension.error);
  }
  combined_nonce_ = std::string(nonce.value) + server_nonce_;
  server_first_ = "r=" + combined_nonce_ + ",s=" + base64_encode(secret_.salt) +
                  ",i=" + std::to_string(secret_.iterations);
  phase_ = phase::client_final;
  return continue_with(server_first_);
}

scram_exchange::step scram_exchange::read_client_final(std::string_view message) {
  scram_reader reader(message);
  const scram_attribute binding = reader.read_attr_value('c');
  if (binding.error) return fail(*binding.error);
  if (channel_binding_) {
    std::vector<std::uint8_t> input(end_point_header.begin(), end_point_header.end());
    input.insert(input.end(), tls_end_point_->begin(), tls_end_point_->end());
    if (binding.value != base64_encode(input)) return fail(scram_errors::binding_check_failed());
  } else if (!(binding.value == "biws" && cbind_flag_ == 'n') &&
             !(binding.value == "eSws" && cbind_flag_ == 'y')) {
    return fail(scram_errors::unexpected_binding_attribute());
  }
  const scram_attribute nonce = reader.read_attr_value('r');
  if (nonce.error) return fail(*nonce.error);
  std::size_t proof_start = 0;  // the ',' before "p=": the message without proof ends there
  scram_attribute attribute;
  do {  // extensions before the proof are ignored
    proof_start = reader.position() - 1;
    attribute = reader.read_any_attr();
    if (attribute.error) return fail(*attribute.error);
  } while (attribute.name != 'p');
  const auto proof = base64_decode(attribute.value);
  if (!proof || proof->size() != 32) return fail(scram_errors::malformed_proof());
  if (!reader.at_end()) return fail(scram_errors::garbage_after_proof());
  if (nonce.value != combined_nonce_) return fail(scram_errors::nonce_mismatch());

  const std::string auth_message =
      client_first_bare_ + "," + server_first_ + "," + std::string(message.substr(0, proof_start));
  phase_ = phase::finished;
  // The proof is checked even when doomed, so unknown roles take as long as known ones.
  if (!proof_matches(*proof, auth_message) || doomed_) return {outcome::failure, {}, {}};
  const bytes signature = hmac_sha256(secret_.server_key, as_bytes(auth_message));
  return {outcome::success, "v=" + base64_encode(signature), {}};
}

bool scram_exchange::proof_matches(const std::vector<std::uint8_t>& proof,
                                   std::string_view auth_message) const {
  const bytes signature = hmac_sha256(secret_.stored_key, as_bytes(auth_message));
  bytes client_key(proof.size());
  for (std::size_t i = 0; i < proof.size(); ++i) client_key[i] = proof[i] ^ signature[i];
  const bytes stored = sha256(client_key);
  return stored.size() == secret_.stored_key.size() &&
         CRYPTO_memcmp(stored.data(), secret_.stored_key.data(), stored.size()) == 0;
}

}  // namespace fauxgres::auth
