// The password bytes PostgreSQL feeds to SCRAM: SASLprep (RFC 4013) when it succeeds,
// else the raw bytes. Implemented: ASCII passes unchanged; invalid UTF-8 and prohibited
// characters fall back to the raw bytes; non-ASCII spaces map to U+0020 and "mapped to
// nothing" characters are dropped. Not implemented: NFKC normalisation, the bidi and
// unassigned-code-point checks (passwords needing them differ from PG).
#pragma once

#include <string>
#include <string_view>

namespace fauxgres::auth {

std::string saslprep_or_raw(std::string_view password);

}  // namespace fauxgres::auth
