// Hand-encoded PostgreSQL v3 messages for the raw-socket client tests: frontend message
// builders, a backend message splitter and ErrorResponse field helpers. Deliberately
// independent of fauxgres' own protocol module, so a codec bug cannot hide itself.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fauxgres_test::wire {

using bytes = std::vector<std::uint8_t>;
using fields = std::vector<std::pair<char, std::string>>;  // ErrorResponse fields, in order

inline constexpr std::uint32_t protocol_3_0 = 0x00030000;

// Big-endian field writer.
class writer {
 public:
  writer& u8(std::uint8_t v);
  writer& i16(std::int16_t v);
  writer& i32(std::int32_t v);
  writer& cstr(std::string_view s);  // text plus NUL
  writer& raw(std::span<const std::uint8_t> b);
  writer& raw(std::string_view s);
  const bytes& data() const { return data_; }

 private:
  bytes data_;
};

// A typed message: type byte, int32 length (body + 4), body.
bytes message(char type, std::span<const std::uint8_t> body);
bytes message(char type, const writer& body);
bytes concat(std::initializer_list<bytes> parts);

// Untyped pre-startup packets.
bytes startup_message(const std::vector<std::pair<std::string, std::string>>& params,
                      std::uint32_t protocol = protocol_3_0);
bytes ssl_request();
bytes gssenc_request();
bytes cancel_request(std::int32_t pid, std::int32_t key);

// Frontend messages.
bytes query(std::string_view sql);
bytes parse(std::string_view name, std::string_view sql, std::vector<std::uint32_t> oids = {});
bytes bind(std::string_view portal, std::string_view statement,
           std::vector<std::int16_t> param_formats, std::vector<std::optional<bytes>> params,
           std::vector<std::int16_t> result_formats);
bytes describe(char kind, std::string_view name);  // 'S' or 'P'
bytes execute(std::string_view portal, std::int32_t max_rows);
bytes close(char kind, std::string_view name);
bytes sync();
bytes flush();
bytes terminate();
bytes password(std::string_view text);  // PasswordMessage 'p' with a NUL-terminated text

// Backend message as received.
struct backend_message {
  char type = 0;
  bytes body;
  bytes wire() const;  // re-encoded as on the wire
};

// Splits complete messages off the front of `stream`; `consumed` is how many bytes they
// used (a trailing partial message is left). Lengths below 4 stop the split.
std::vector<backend_message> split(std::span<const std::uint8_t> stream, std::size_t& consumed);

// "1 2 D C Z"-style summary of the message types.
std::string type_sequence(const std::vector<backend_message>& msgs);

// Parses ErrorResponse / NoticeResponse fields; nullopt if malformed.
std::optional<fields> parse_fields(const backend_message& m);
// One field's value, or "" if absent.
std::string field(const backend_message& m, char code);
// Encodes an ErrorResponse ('E') or NoticeResponse ('N') with the given fields, in order.
bytes error_message(char type, const fields& f);
// PG's usual field set: S V C M [D] F L R.
fields pg_fields(std::string_view severity, std::string_view code, std::string_view msg,
                 std::string_view file, int line, std::string_view routine,
                 std::optional<std::string> detail = std::nullopt);

// ParameterStatus name/value.
std::pair<std::string, std::string> parameter_status(const backend_message& m);
std::int32_t read_i32(std::span<const std::uint8_t> b, std::size_t at);
std::int16_t read_i16(std::span<const std::uint8_t> b, std::size_t at);

bytes from_hex(std::string_view hex);  // spaces ignored
std::string to_hex(std::span<const std::uint8_t> b);
bytes to_bytes(std::string_view s);
// Printable rendering for failure messages: hex plus an ASCII gloss.
std::string describe_bytes(std::span<const std::uint8_t> b);

}  // namespace fauxgres_test::wire
