// User-scripted answers: statement pattern (exact or regex) → rows or an error, with
// optional latency. Loaded from YAML (format: docs/fixtures.md); errors name the entry and
// field, e.g. `queries[3].columns[0].type`.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error_fields.hpp"
#include "responder/responder.hpp"

namespace fauxgres::responder {

struct fixture {
  std::string exact;                  // normalised statement text, or empty
  std::optional<std::regex> pattern;  // when matching by regex
  std::string pattern_text;
  std::vector<column> columns;
  std::vector<row> rows;           // canonical text forms
  std::optional<std::string> tag;  // default "SELECT n" with columns, else the command's
  std::optional<protocol::error_fields> error;
  std::chrono::milliseconds latency{0};
  std::vector<std::uint32_t> params;  // declared $n types (text when not given)
};

class fixtures {
 public:
  fixtures() = default;
  explicit fixtures(std::vector<fixture> entries) : entries_(std::move(entries)) {}
  // Throws config::error (field path + value) on bad input.
  static fixtures load_file(const std::string& path);
  static fixtures load_yaml_text(std::string_view yaml, std::string_view origin);

  // The first entry matching the statement, in file order: `match` entries compare
  // normalise_statement forms; `regex` entries search the statement trimmed of
  // surrounding whitespace and a trailing ';'.
  const fixture* match(std::string_view statement) const;
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  const std::vector<fixture>& entries() const { return entries_; }

 private:
  std::vector<fixture> entries_;
};

// Whitespace-collapsed, trimmed, trailing ';' removed, comments dropped, lower case outside
// quoted strings and identifiers; used for exact matching.
std::string normalise_statement(std::string_view sql);

}  // namespace fauxgres::responder
