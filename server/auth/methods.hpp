// Password authentication methods as in pg_hba.conf, and their names on the command line.
#pragma once

#include <optional>
#include <string_view>

namespace fauxgres::auth {

enum class method { trust, password, md5, scram_sha_256 };

std::string_view to_string(method m);                          // "trust", "scram-sha-256", ...
std::optional<method> method_from_string(std::string_view s);  // exact names only

// Compares two secrets in time that depends only on their lengths (for cleartext passwords
// and md5 responses).
bool constant_time_equals(std::string_view a, std::string_view b);

// The cleartext method against a role's password, as PG 15 checks it against the SCRAM
// verifier it stores by default: both sides through SASLprep (so `fix` matches `ﬁx`).
bool cleartext_matches(std::string_view given, std::string_view password);

}  // namespace fauxgres::auth
