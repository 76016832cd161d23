// Backend (server → client) messages of protocol 3.0, appended to a byte buffer.
// Pure encoding: no I/O. Names follow the PostgreSQL protocol documentation.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "protocol/error_fields.hpp"

namespace fauxgres::protocol {

// One column of a RowDescription.
struct field_description {
  std::string name;
  std::uint32_t table_oid = 0;
  std::int16_t column_attr = 0;
  std::uint32_t type_oid = 0;
  std::int16_t type_len = 0;
  std::int32_t type_mod = -1;
  std::int16_t format = 0;  // 0 text, 1 binary
};

// Appends encoded backend messages to `out`. The buffer is owned by the caller so a
// whole batch of replies can be written with one send.
class backend_writer {
 public:
  explicit backend_writer(std::string& out) : out_(out) {}

  // Single bytes answering SSLRequest / GSSENCRequest: 'S', 'N' or 'G'.
  void encryption_response(char answer);

  void authentication_ok();                                                 // R 0
  void authentication_cleartext_password();                                 // R 3
  void authentication_md5_password(std::span<const std::uint8_t, 4> salt);  // R 5
  void authentication_sasl(std::span<const std::string_view> mechanisms);   // R 10
  void authentication_sasl_continue(std::string_view data);                 // R 11
  void authentication_sasl_final(std::string_view data);                    // R 12

  void parameter_status(std::string_view name, std::string_view value);  // S
  void backend_key_data(std::int32_t pid, std::int32_t secret);          // K
  void ready_for_query(char status);                                     // Z: 'I' 'T' 'E'
  void negotiate_protocol_version(std::int32_t newest_supported,
                                  std::span<const std::string> unrecognized);  // v

  void row_description(std::span<const field_description> fields);  // T
  // DataRow: each value is raw bytes (already text- or binary-encoded); nullopt is NULL.
  void data_row(std::span<const std::optional<std::string>> values);  // D
  void command_complete(std::string_view tag);                        // C
  void command_complete(std::string_view tag, std::uint64_t rows);    // C "TAG rows"
  void empty_query_response();                                        // I
  void error_response(const error_fields& e);                         // E
  void notice_response(const error_fields& e);                        // N
  void notification_response(std::int32_t pid, std::string_view channel,
                             std::string_view payload);  // A

  void parse_complete();                                            // 1
  void bind_complete();                                             // 2
  void close_complete();                                            // 3
  void no_data();                                                   // n
  void portal_suspended();                                          // s
  void parameter_description(std::span<const std::uint32_t> oids);  // t

  // A whole message encoded earlier by a backend_writer (a cached RowDescription).
  void encoded(std::string_view message) { out_.append(message); }

  // Protocol-2.0 style error used for rejecting v2 startups: 'E' text '\n' NUL, no length.
  // `message` is the whole text, severity included ("FATAL:  unsupported frontend ...").
  void v2_error(std::string_view message);

 private:
  // Every message is sized first and grows the buffer once: `message(type, body)` writes
  // the type byte and length word and returns where the `body` bytes go.
  class body_cursor;
  body_cursor message(char type, std::size_t body);
  void empty_message(char type);
  void put_fields(char type, const error_fields& e);

  std::string& out_;
};

}  // namespace fauxgres::protocol
