// Reading one fault's attributes: each factory asks for the keys it knows, then finish()
// rejects whatever is left. Errors are config::error naming `field.key` and the value.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faults/fault.hpp"

namespace fauxgres::faults {

class attributes {
 public:
  attributes(const attribute_map& values, std::string_view type, std::string_view field);

  bool has(std::string_view key);
  std::optional<std::string> text(std::string_view key);
  std::string required_text(std::string_view key);
  std::optional<milliseconds> duration(std::string_view key);
  milliseconds required_duration(std::string_view key);
  std::optional<std::uint64_t> count(std::string_view key);  // a whole number >= 0
  std::uint64_t required_count(std::string_view key);
  // One of `choices`, or `fallback` when the key is absent.
  std::string choice(std::string_view key, std::initializer_list<std::string_view> choices,
                     std::string_view fallback);

  std::string field(std::string_view key) const;  // "faults[2].after"
  [[noreturn]] void fail(std::string_view key, std::string_view value,
                         const std::string& why) const;
  // Throws for any attribute no accessor asked for, listing the known ones.
  void finish() const;

 private:
  const std::string* find(std::string_view key);

  const attribute_map& values_;
  std::string type_;
  std::string field_;
  std::vector<std::string> known_;
};

// "a, b or c"
std::string one_of(std::initializer_list<std::string_view> choices);

}  // namespace fauxgres::faults
