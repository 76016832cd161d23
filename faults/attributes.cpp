// See attributes.hpp.
#include "faults/attributes.hpp"

#include <algorithm>
#include <charconv>

#include "config/error.hpp"
#include "faults/rules.hpp"

namespace fauxgres::faults {

attributes::attributes(const attribute_map& values, std::string_view type, std::string_view field)
    : values_(values), type_(type), field_(field) {}

const std::string* attributes::find(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  const auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

bool attributes::has(std::string_view key) {
  return find(key) != nullptr;
}

std::optional<std::string> attributes::text(std::string_view key) {
  const std::string* value = find(key);
  if (!value) return std::nullopt;
  return *value;
}

std::string attributes::required_text(std::string_view key) {
  auto value = text(key);
  if (!value) fail(key, "", "required by " + type_);
  if (value->empty()) fail(key, "", "must not be empty");
  return *value;
}

std::optional<milliseconds> attributes::duration(std::string_view key) {
  const std::string* value = find(key);
  if (!value) return std::nullopt;
  return parse_duration(*value, field(key));
}

milliseconds attributes::required_duration(std::string_view key) {
  if (!has(key)) fail(key, "", "required by " + type_ + " (a duration such as 250ms, 5s or 5m)");
  return *duration(key);
}

std::optional<std::uint64_t> attributes::count(std::string_view key) {
  const std::string* value = find(key);
  if (!value) return std::nullopt;
  std::uint64_t n = 0;
  const char* end = value->data() + value->size();
  const auto [ptr, ec] = std::from_chars(value->data(), end, n);
  if (value->empty() || ec != std::errc() || ptr != end) {
    fail(key, *value, "expected a whole number (0 or more)");
  }
  return n;
}

std::uint64_t attributes::required_count(std::string_view key) {
  if (!has(key)) fail(key, "", "required by " + type_ + " (a whole number)");
  return *count(key);
}

std::string attributes::choice(std::string_view key,
                               std::initializer_list<std::string_view> choices,
                               std::string_view fallback) {
  const auto value = text(key);
  if (!value) return std::string(fallback);
  if (std::find(choices.begin(), choices.end(), *value) == choices.end()) {
    fail(key, *value, "expected " + one_of(choices));
  }
  return *value;
}

std::string attributes::field(std::string_view key) const {
  return field_ + "." + std::string(key);
}

void attributes::fail(std::string_view key, std::string_view value, const std::string& why) const {
  throw config::error(field(key), std::string(value), why);
}

void attributes::finish() const {
  for (const auto& [key, value] : values_) {
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string expected;
    for (const auto& k : known_) expected += (expected.empty() ? "" : ", ") + k;
    fail(key, "",
         "unknown attribute of " + type_ + " (" +
             (expected.empty() ? "it has none" : "its attributes: " + expected) +
             "; rule keys: name, probability, times, from, until; match keys: listener, user, "
             "database, application_name, client_address, nth, every)");
  }
}

std::string one_of(std::initializer_list<std::string_view> choices) {
  std::string out;
  std::size_t i = 0;
  for (std::string_view c : choices) {
    if (i > 0) out += i + 1 == choices.size() ? " or " : ", ";
    out += c;
    ++i;
  }
  return out;
}

}  // namespace fauxgres::faults
