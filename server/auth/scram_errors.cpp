// PostgreSQL 15 auth-scram.c error texts and locations; see scram_errors.hpp.
#include "auth/scram_errors.hpp"

#include <cstdio>

namespace fauxgres::auth::scram_errors {
namespace {

constexpr std::string_view protocol_violation = "08P01";
constexpr std::string_view malformed = "malformed SCRAM message";

error_fields make(std::string_view sqlstate, std::string_view message, std::string_view detail,
                  int line, std::string_view routine) {
  error_fields e;
  e.severity = "FATAL";
  e.sqlstate = sqlstate;
  e.message = message;
  e.detail = detail;
  e.file = "auth-scram.c";
  e.line = line;
  e.routine = routine;
  return e;
}

error_fields malformed_in(std::string_view routine, int line, const std::string& detail) {
  return make(protocol_violation, malformed, detail, line, routine);
}

error_fields malformed_first(int line, const std::string& detail) {
  return malformed_in("read_client_first_message", line, detail);
}

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

}  // namespace

std::string sanitize_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte <= 0x7E) return std::string("'") + c + "'";
  char hex[5];
  std::snprintf(hex, sizeof hex, "0x%02x", byte);
  return hex;
}

std::string sanitize_str(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 30)) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(byte >= 0x21 && byte <= 0x7E ? c : '?');
  }
  return out;
}

error_fields invalid_mechanism() {
  return make(protocol_violation, "client selected an invalid SASL authentication mechanism", "",
              256, "scram_init");
}

error_fields empty_message() {
  return malformed_in("scram_exchange", 366, "The message is empty.");
}

error_fields length_mismatch() {
  return malformed_in("scram_exchange", 371, "Message length does not match input length.");
}

error_fields nonce_mismatch() {
  return make(protocol_violation, "invalid SCRAM response", "Nonce does not match.", 404,
              "scram_exchange");
}

error_fields expected_attribute(char attr, char found) {
  return malformed_in("read_attr_value", 712,
                      "Expected attribute " + quoted(std::string(1, attr)) + " but found " +
                          quoted(sanitize_char(found)) + ".");
}

error_fields expected_equals(char attr, bool in_any_attr) {
  const std::string detail =
      "Expected character \"=\" for attribute " + quoted(std::string(1, attr)) + ".";
  return in_any_attr ? malformed_in("read_any_attr", 848, detail)
                     : malformed_in("read_attr_value", 720, detail);
}

error_fields attribute_expected_at_end() {
  return malformed_in("read_any_attr", 825, "Attribute expected, but found end of string.");
}

error_fields attribute_invalid_character(char found) {
  return malformed_in(
      "read_any_attr", 838,
      "Attribute expected, but found invalid character " + quoted(sanitize_char(found)) + ".");
}

error_fields plus_without_binding_data(char flag) {
  return malformed_first(flag == 'n' ? 956 : 978,
                         "The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does "
                         "not include channel binding data.");
}

error_fields comma_expected(char flag, char found) {
  return malformed_first(flag == 'n' ? 963 : 993, "Comma expected, but found character " +
                                                      quoted(sanitize_char(found)) + ".");
}

error_fields binding_negotiation() {
  return make("28000", "SCRAM channel binding negotiation error",
              "The client supports SCRAM channel binding but thinks the server does not.  "
              "However, this server does support channel binding.",
              985, "read_client_first_message");
}

error_fields binding_data_without_plus() {
  return malformed_first(1007,
                         "The client selected SCRAM-SHA-256 without channel binding, but the "
                         "SCRAM message includes channel binding data.");
}

error_fields unsupported_binding_type(std::string_view type) {
  return make(protocol_violation,
              "unsupported SCRAM channel-binding type " + quoted(sanitize_str(type)), "", 1019,
              "read_client_first_message");
}

error_fields unexpected_binding_flag(char found) {
  return malformed_first(1025,
                         "Unexpected channel-binding flag " + quoted(sanitize_char(found)) + ".");
}

error_fields authzid_not_supported() {
  return make("0A000", "client uses authorization identity, but it is not supported", "", 1036,
              "read_client_first_message");
}

error_fields unexpected_attribute(char found) {
  return malformed_first(
      1040, "Unexpected attribute " + quoted(sanitize_char(found)) + " in client-first-message.");
}

error_fields extension_not_supported() {
  return make("0A000", "client requires an unsupported SCRAM extension", "", 1057,
              "read_client_first_message");
}

error_fields nonprintable_nonce() {
  return make(protocol_violation, "non-printable characters in SCRAM nonce", "", 1071,
              "read_client_first_message");
}

error_fields binding_check_failed() {
  return make("28000", "SCRAM channel binding check failed", "", 1317, "read_client_final_message");
}

error_fields unexpected_binding_attribute() {
  return make(protocol_violation,
              "unexpected SCRAM channel-binding attribute in client-final-message", "", 1335,
              "read_client_final_message");
}

error_fields malformed_proof() {
  return malformed_in("read_client_final_message", 1353,
                      "Malformed proof in client-final-message.");
}

error_fields garbage_after_proof() {
  return malformed_in("read_client_final_message", 1361,
                      "Garbage found at the end of client-final-message.");
}

error_fields invalid_state() {
  error_fields e;
  e.severity = "FATAL";
  e.sqlstate = "XX000";
  e.message = "invalid SCRAM exchange state";
  return e;
}

}  // namespace fauxgres::auth::scram_errors
