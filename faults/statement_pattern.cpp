// See statement_pattern.hpp.
#include "faults/statement_pattern.hpp"

#include <exception>
#include <string>

namespace fauxgres::faults {

statement_pattern::statement_pattern(attributes& a) {
  const auto text = a.text("pattern");
  if (!text) return;
  try {
    regex_.emplace(*text, boost::regex::ECMAScript | boost::regex::icase);
  } catch (const boost::regex_error& e) {
    a.fail("pattern", *text, std::string("not a valid regular expression: ") + e.what());
  }
}

bool statement_pattern::matches(std::string_view statement) const noexcept {
  if (!regex_) return true;
  try {
    return boost::regex_search(statement.begin(), statement.end(), *regex_);
  } catch (const std::exception&) {
    return false;  // too complex for Boost's limits: no match rather than an exception
  }
}

}  // namespace fauxgres::faults
