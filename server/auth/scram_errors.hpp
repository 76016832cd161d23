// The errors PostgreSQL 15's auth-scram.c raises during a SCRAM exchange, with the texts,
// SQLSTATEs and source locations (F/L/R) a real 15.x server sends. All are FATAL because
// they happen during authentication. Line numbers were probed from a 15.18 server and
// agree with the 15.20 capture in reference/pg15-error-table.md.
#pragma once

#include <string>
#include <string_view>

#include "protocol/error_fields.hpp"

namespace fauxgres::auth::scram_errors {

using protocol::error_fields;

// How PG prints a client byte / string in an error: 'x' or 0x1f; at most 30 printable chars.
std::string sanitize_char(char c);
std::string sanitize_str(std::string_view s);

error_fields invalid_mechanism();                        // 08P01
error_fields empty_message();                            // 08P01 malformed: "The message is empty."
error_fields length_mismatch();                          // 08P01 malformed: embedded NUL
error_fields nonce_mismatch();                           // 08P01 invalid SCRAM response
error_fields expected_attribute(char attr, char found);  // 08P01 malformed
error_fields expected_equals(char attr, bool in_any_attr);     // 08P01 malformed
error_fields attribute_expected_at_end();                      // 08P01 malformed
error_fields attribute_invalid_character(char found);          // 08P01 malformed
error_fields plus_without_binding_data(char flag);             // 08P01 malformed ('n' or 'y')
error_fields comma_expected(char flag, char found);            // 08P01 malformed ('n' or 'y')
error_fields binding_negotiation();                            // 28000 'y' over TLS
error_fields binding_data_without_plus();                      // 08P01 malformed
error_fields unsupported_binding_type(std::string_view type);  // 08P01
error_fields unexpected_binding_flag(char found);              // 08P01 malformed
error_fields authzid_not_supported();                          // 0A000
error_fields unexpected_attribute(char found);                 // 08P01 malformed
error_fields extension_not_supported();                        // 0A000
error_fields nonprintable_nonce();                             // 08P01
error_fields binding_check_failed();                           // 28000
error_fields unexpected_binding_attribute();                   // 08P01
error_fields malformed_proof();                                // 08P01 malformed
error_fields garbage_after_proof();                            // 08P01 malformed
error_fields invalid_state();  // XX000: a message after the exchange ended (PG cannot get here)

}  // namespace fauxgres::auth::scram_errors
