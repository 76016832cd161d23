// Internal: a cursor over a message body with PG 15's pqformat.c failure semantics. Every
// read checks the bytes left first; a failed read records the error PG would raise.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "protocol/error_fields.hpp"
#include "protocol/utf8_check.hpp"

namespace fauxgres::protocol::detail {

class message_reader {
 public:
  explicit message_reader(std::string_view body) : body_(body) {}

  // pq_getmsgbyte: "no data left in message".
  std::optional<unsigned char> byte() {
    if (pos_ >= body_.size()) return fail(errors::no_data_left_in_message());
    return static_cast<unsigned char>(body_[pos_++]);
  }

  // pq_getmsgint(2) / (4): "insufficient data left in message" (pq_copymsgbytes).
  std::optional<std::uint16_t> uint16() {
    if (left() < 2) return fail(errors::insufficient_data_in_message());
    const auto v = static_cast<std::uint16_t>((at(0) << 8) | at(1));
    pos_ += 2;
    return v;
  }
  std::optional<std::int32_t> int32() {
    if (left() < 4) return fail(errors::insufficient_data_in_message());
    const std::uint32_t v = (static_cast<std::uint32_t>(at(0)) << 24) |
                            (static_cast<std::uint32_t>(at(1)) << 16) |
                            (static_cast<std::uint32_t>(at(2)) << 8) | at(3);
    pos_ += 4;
    return static_cast<std::int32_t>(v);
  }

  // pq_getmsgbytes: a negative or too large count is "insufficient data left in message".
  // Values are views into the body: nothing is copied or allocated while decoding.
  std::optional<std::string_view> bytes(std::int32_t n) {
    if (n < 0 || static_cast<std::size_t>(n) > left()) {
      return fail(errors::insufficient_data_for_value());
    }
    const std::string_view v = body_.substr(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return v;
  }

  // pq_getmsgstring (or pq_getmsgrawstring when `raw`): needs a NUL before the end; the
  // non-raw form is also checked as UTF-8, as PG does for a UTF8 database and client.
  std::optional<std::string_view> string(bool raw = false) {
    // Names and most statements are ASCII: one pass finds the NUL and checks the text.
    std::size_t end = pos_;
    while (end < body_.size() && body_[end] != '\0' && static_cast<signed char>(body_[end]) >= 0)
      ++end;
    if (end == body_.size() || body_[end] != '\0') {
      const auto nul = body_.find('\0', end);
      if (nul == std::string_view::npos) {
        return fail(raw ? errors::invalid_raw_string_in_message()
                        : errors::invalid_string_in_message());
      }
      if (const auto bad = raw ? std::nullopt : first_invalid_utf8(body_.substr(end, nul - end)))
        return fail(errors::invalid_byte_sequence(body_.substr(end + *bad, nul - end - *bad)));
      end = nul;
    }
    const std::string_view text = body_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return text;
  }

  // pq_getmsgend: trailing bytes are "invalid message format".
  bool end() {
    if (pos_ == body_.size()) return true;
    fail(errors::invalid_message_format());
    return false;
  }

  std::size_t left() const { return body_.size() - pos_; }
  const error_fields& error() const {
    static const error_fields none;
    return error_ ? *error_ : none;
  }
  error_fields& error() { return error_ ? *error_ : error_.emplace(); }

 private:
  unsigned at(std::size_t i) const { return static_cast<unsigned char>(body_[pos_ + i]); }
  std::nullopt_t fail(error_fields e) {
    error_ = std::move(e);
    return std::nullopt;
  }

  std::string_view body_;
  std::size_t pos_ = 0;
  std::optional<error_fields> error_;  // once a read failed; most messages never need one
};

}  // namespace fauxgres::protocol::detail
