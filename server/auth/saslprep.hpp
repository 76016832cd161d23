// The password bytes PostgreSQL 15 feeds to SCRAM: SASLprep (RFC 4013) when it succeeds,
// else the raw bytes, exactly as its pg_saslprep decides. ASCII passes unchanged. Otherwise
// non-ASCII spaces map to U+0020, "mapped to nothing" characters are dropped, and the
// result is NFKC-normalized; invalid UTF-8, an empty result, a prohibited or (Unicode 3.2)
// unassigned character, or a failed bidi check fall back to the raw bytes. libpq prepares
// the password the same way, so `ﬁx` and `fix` log in alike.
#pragma once

#include <string>
#include <string_view>

namespace fauxgres::auth {

std::string saslprep_or_raw(std::string_view password);

}  // namespace fauxgres::auth
