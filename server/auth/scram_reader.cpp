// SCRAM attribute reader; see scram_reader.hpp.
#include "auth/scram_reader.hpp"

#include "auth/scram_errors.hpp"

namespace fauxgres::auth {

std::string_view scram_reader::value_to_comma() {
  const std::size_t comma = text_.find(',', pos_);
  const std::size_t end = comma == std::string_view::npos ? text_.size() : comma;
  const std::string_view value = text_.substr(pos_, end - pos_);
  pos_ = comma == std::string_view::npos ? end : comma + 1;
  return value;
}

scram_attribute scram_reader::read_attr_value(char expected) {
  scram_attribute out;
  out.name = expected;
  if (peek() != expected) {
    out.error = scram_errors::expected_attribute(expected, peek());
    return out;
  }
  advance();
  if (peek() != '=') {
    out.error = scram_errors::expected_equals(expected, false);
    return out;
  }
  advance();
  out.value = value_to_comma();
  return out;
}

scram_attribute scram_reader::read_any_attr() {
  scram_attribute out;
  const char name = peek();
  if (at_end()) {
    out.error = scram_errors::attribute_expected_at_end();
    return out;
  }
  if (!((name >= 'A' && name <= 'Z') || (name >= 'a' && name <= 'z'))) {
    out.error = scram_errors::attribute_invalid_character(name);
    return out;
  }
  out.name = name;
  advance();
  if (peek() != '=') {
    out.error = scram_errors::expected_equals(name, true);
    return out;
  }
  advance();
  out.value = value_to_comma();
  return out;
}

}  // namespace fauxgres::auth
