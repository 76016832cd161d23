// Configuration errors: thrown at startup only, always naming the field and the value.
#pragma once

#include <stdexcept>
#include <string>

namespace fauxgres::config {

class error : public std::runtime_error {
 public:
  // `field`: a flag ("--listen") or a YAML path ("listeners[1].port"); `origin`: the config
  // file the field came from, if any (prefixed to the message).
  error(std::string field, std::string value, const std::string& why, std::string origin = "")
      : std::runtime_error((origin.empty() ? "" : origin + ": ") + field + ": " + why +
                           (value.empty() ? "" : " (got \"" + value + "\")")),
        field_(std::move(field)),
        value_(std::move(value)),
        why_(why),
        origin_(std::move(origin)) {}
  const std::string& field() const { return field_; }
  const std::string& value() const { return value_; }
  const std::string& why() const { return why_; }
  const std::string& origin() const { return origin_; }

 private:
  std::string field_;
  std::string value_;
  std::string why_;
  std::string origin_;
};

}  // namespace fauxgres::config
