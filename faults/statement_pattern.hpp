// The `pattern` attribute of query faults: an ECMAScript regular expression, case-insensitive,
// searched anywhere in the statement. Absent, it matches every statement. Boost.Regex is used
// rather than std::regex because it does not recurse per character (long statements would
// overflow the stack) and bounds its work on pathological patterns.
#pragma once

#include <boost/regex.hpp>
#include <optional>
#include <string_view>

#include "faults/attributes.hpp"

namespace fauxgres::faults {

class statement_pattern {
 public:
  // Reads `pattern` (optional); a bad expression throws config::error naming it.
  explicit statement_pattern(attributes& a);
  // Never throws: a search that Boost gives up on counts as no match.
  bool matches(std::string_view statement) const noexcept;

 private:
  std::optional<boost::regex> regex_;
};

}  // namespace fauxgres::faults
