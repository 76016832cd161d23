// A cursor over a SCRAM message that reads "a=value" attributes the way PostgreSQL's
// read_attr_value / read_any_attr do: a value runs to the next ',' (which is consumed) or
// to the end. The message must not contain NUL bytes (the exchange rejects those first).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "protocol/error_fields.hpp"

namespace fauxgres::auth {

struct scram_attribute {
  char name = '\0';
  std::string_view value;
  std::optional<protocol::error_fields> error;  // set when the message is malformed
};

class scram_reader {
 public:
  explicit scram_reader(std::string_view text) : text_(text) {}

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }  // '\0' at the end
  void advance() {
    if (pos_ < text_.size()) ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  std::size_t position() const { return pos_; }
  std::string_view rest() const { return text_.substr(pos_); }

  scram_attribute read_attr_value(char expected);  // exactly this attribute next
  scram_attribute read_any_attr();                 // any ALPHA attribute next

 private:
  std::string_view value_to_comma();

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace fauxgres::auth
