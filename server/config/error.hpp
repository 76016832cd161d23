// Configuration errors: thrown at startup only, always naming the field and the value.
#pragma once

#include <stdexcept>
#include <string>

namespace fauxgres::config {

class error : public std::runtime_error {
 public:
  error(std::string field, std::string value, const std::string& why)
      : std::runtime_error(field + ": " + why + (value.empty() ? "" : " (got \"" + value + "\")")),
        field_(std::move(field)),
        value_(std::move(value)) {}
  const std::string& field() const { return field_; }
  const std::string& value() const { return value_; }

 private:
  std::string field_;
  std::string value_;
};

}  // namespace fauxgres::config
