// Shell-style globs for rule matching: `*` is any run of characters, `?` any one character,
// everything else is literal. Linear in practice (one backtrack point).
#pragma once

#include <string_view>

namespace fauxgres::faults {

bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace fauxgres::faults
