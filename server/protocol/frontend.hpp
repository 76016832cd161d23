// Frontend (client → server) messages: framing of the byte stream and decoding of each
// message body. Pure: lengths are checked before anything is sized by them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "protocol/error_fields.hpp"

namespace fauxgres::protocol {

// ---------------------------------------------------------------------------------------
// Startup phase: packets without a type byte (length, then a 32-bit code).

inline constexpr std::int32_t ssl_request_code = 80877103;       // 1234.5679
inline constexpr std::int32_t gssenc_request_code = 80877104;    // 1234.5680
inline constexpr std::int32_t cancel_request_code = 80877102;    // 1234.5678
inline constexpr std::int32_t protocol_3_0 = 196608;             // 3.0
inline constexpr std::size_t max_startup_packet_length = 10000;  // body bytes, as PG

struct ssl_request {};
struct gssenc_request {};
struct cancel_request {
  std::int32_t process_id = 0;
  std::int32_t secret_key = 0;
};
struct startup_message {
  std::int32_t protocol_version = 0;  // major << 16 | minor
  // In packet order; keys starting with "_pq_." are protocol options.
  std::vector<std::pair<std::string, std::string>> parameters;
};

// What to do with a startup packet that PG15 would not accept.
struct startup_rejection {
  enum class action {
    silent_close,  // no bytes, close (PG logs "invalid length of startup packet" etc.)
    fatal,         // send `error` as ErrorResponse, then close
    v2_fatal,      // send a protocol-2 style error (for 2.0 clients), then close
  };
  action what = action::silent_close;
  error_fields error;  // for fatal; for v2_fatal only `message` is used
};

using startup_packet =
    std::variant<ssl_request, gssenc_request, cancel_request, startup_message, startup_rejection>;

// Framing of a startup packet at the start of `buffer`.
struct startup_frame {
  enum class status { need_more, complete, bad_length };
  status state = status::need_more;
  std::size_t length = 0;  // whole packet, including the length word, when complete
};
startup_frame frame_startup_packet(std::string_view buffer);

// Decodes one whole startup packet (`packet` includes the length word).
startup_packet decode_startup_packet(std::string_view packet);

// Encryption requests already answered on this connection. PG accepts each once; a repeat
// is read as a startup packet of protocol 1234.5679 / 1234.5680 and gets the 0A000 FATAL.
struct startup_options {
  bool ssl_done = false;
  bool gss_done = false;
};
startup_packet decode_startup_packet(std::string_view packet, startup_options done);

// ---------------------------------------------------------------------------------------
// Regular phase: type byte, int32 length (including itself), body.

// Largest accepted length word (it counts itself), per PG 15's pq_getmessage.
inline constexpr std::size_t small_message_limit = 10000;       // PQ_SMALL_MESSAGE_LIMIT
inline constexpr std::size_t large_message_limit = 0x3ffffffe;  // PQ_LARGE_MESSAGE_LIMIT
inline constexpr std::size_t auth_message_limit = 65535;        // PG_MAX_AUTH_TOKEN_LENGTH

struct message_frame {
  enum class status {
    need_more,   // wait for more bytes
    complete,    // `type` and `body` are valid; `length` bytes may be consumed
    bad_type,    // unknown type byte: PG sends FATAL 08P01 invalid frontend message type
    bad_length,  // length < 4 or over the limit for the type: silent close
  };
  status state = status::need_more;
  char type = 0;
  std::string_view body;   // points into the buffer passed in
  std::size_t length = 0;  // bytes to consume: 1 + length word value
};

// `max_body` returns the largest length word for a type byte (0 = unknown type); see
// message_limit(). The type is checked before the length, as PG does.
message_frame frame_message(std::string_view buffer, std::size_t (*max_body)(char type));

// PG15's limits per type after login (SocketBackend); 0 for types it rejects. Observed on
// 15.20: Q F P B d large; C D E H S X c f small.
std::size_t message_limit(char type);
// During authentication only 'p' is expected; anything else gets the 08P01 FATAL.
std::size_t auth_message_limit_for(char type);

// Decoded messages after login. Strings and values are views into the message body: valid
// while the body is, so a handler copies what it keeps. Short lists are stored inline.
template <typename T>
using short_list = boost::container::small_vector<T, 4>;

struct query {
  std::string_view sql;
};
struct parse {
  std::string_view statement;
  std::string_view sql;
  std::vector<std::uint32_t> parameter_types;  // 0 = unspecified
};
struct bind {
  std::string_view portal;
  std::string_view statement;
  short_list<std::int16_t> parameter_formats;              // as sent: 0, 1 or n entries
  short_list<std::optional<std::string_view>> parameters;  // raw bytes; nullopt = NULL
  short_list<std::int16_t> result_formats;                 // as sent: 0, 1 or n entries
};
struct describe {
  char kind = 'S';  // 'S' statement or 'P' portal
  std::string_view name;
};
struct execute {
  std::string_view portal;
  std::int32_t max_rows = 0;  // 0 = no limit
};
struct close {
  char kind = 'S';
  std::string_view name;
};
struct sync {};
struct flush {};
struct terminate {};
struct copy_message {};   // d / c / f outside COPY: ignored like PG
struct function_call {};  // F: not supported by the fake

using frontend_message = std::variant<query, parse, bind, describe, execute, close, sync, flush,
                                      terminate, copy_message, function_call>;

// Decoding failure of a well-framed message body: an ERROR (not FATAL) in PG, e.g.
// "invalid string in message"; the session stays open. Counts are unsigned 16-bit as in
// PG (a "negative" count is 65535 and runs out of data).
struct decode_error {
  error_fields error;
};

using decode_result = std::variant<frontend_message, decode_error>;
decode_result decode_message(char type, std::string_view body);

// The same for a message whose type is known, decoded into `out` in place. The result is
// null, or the error PG raises for a malformed body (rare: kept off the common path).
using decode_failure = std::unique_ptr<error_fields>;
decode_failure decode(std::string_view body, query& out);
decode_failure decode(std::string_view body, parse& out);
decode_failure decode(std::string_view body, bind& out);
decode_failure decode(std::string_view body, describe& out);
decode_failure decode(std::string_view body, execute& out);
decode_failure decode(std::string_view body, close& out);
decode_failure decode(std::string_view body, sync& out);
decode_failure decode(std::string_view body, flush& out);

// Authentication-phase message bodies ('p'), decoded according to what was asked for.
struct sasl_initial_response {
  std::string mechanism;
  std::optional<std::string> data;  // nullopt when length is -1
};
// nullopt: PG's FATAL 08P01 "invalid password packet size" (errors::invalid_password_packet_size).
std::optional<std::string> decode_password(std::string_view body);  // NUL-terminated
std::optional<sasl_initial_response> decode_sasl_initial_response(std::string_view body);
// The same, with the FATAL that PG 15 sends for a malformed body.
std::variant<sasl_initial_response, decode_error> decode_sasl_initial(std::string_view body);

}  // namespace fauxgres::protocol
