// Regular-phase frontend messages: framing by type and length, and body decoding with the
// errors PostgreSQL 15 raises for malformed bodies (see message_reader.hpp).
#include "protocol/frontend.hpp"

#include "protocol/message_reader.hpp"

namespace fauxgres::protocol {

using detail::message_reader;

std::size_t message_limit(char type) {
  switch (type) {
    case 'Q':
    case 'F':
    case 'P':
    case 'B':
    case 'd':
      return large_message_limit;
    case 'C':
    case 'D':
    case 'E':
    case 'H':
    case 'S':
    case 'X':
    case 'c':
    case 'f':
      return small_message_limit;
    default:
      return 0;
  }
}

std::size_t auth_message_limit_for(char type) {
  return type == 'p' ? auth_message_limit : 0;
}

message_frame frame_message(std::string_view buffer, std::size_t (*max_body)(char type)) {
  message_frame f;
  if (buffer.empty()) return f;
  f.type = buffer[0];
  const std::size_t limit = max_body(f.type);
  if (limit == 0) {
    f.state = message_frame::status::bad_type;
    return f;
  }
  if (buffer.size() < 5) return f;
  std::uint32_t word = 0;
  for (std::size_t i = 1; i < 5; ++i) word = (word << 8) | static_cast<unsigned char>(buffer[i]);
  const auto len = static_cast<std::int32_t>(word);
  if (len < 4 || static_cast<std::size_t>(len) > limit) {
    f.state = message_frame::status::bad_length;
    return f;
  }
  const std::size_t total = 1 + static_cast<std::size_t>(len);
  if (buffer.size() < total) return f;
  f.state = message_frame::status::complete;
  f.body = buffer.substr(5, total - 5);
  f.length = total;
  return f;
}

namespace {

decode_result failed(const message_reader& r) {
  return decode_error{r.error()};
}

decode_result decode_query(message_reader& r) {
  auto sql = r.string();
  if (!sql || !r.end()) return failed(r);
  return query{std::move(*sql)};
}

decode_result decode_parse(message_reader& r) {
  parse p;
  auto name = r.string();
  if (!name) return failed(r);
  auto sql = r.string();
  if (!sql) return failed(r);
  auto count = r.uint16();
  if (!count) return failed(r);
  p.statement = std::move(*name);
  p.sql = std::move(*sql);
  // Bounded by the body: each entry is 4 bytes, so at most left()/4 are reserved.
  p.parameter_types.reserve(std::min<std::size_t>(*count, r.left() / 4));
  for (std::uint16_t i = 0; i < *count; ++i) {
    auto oid = r.int32();
    if (!oid) return failed(r);
    p.parameter_types.push_back(static_cast<std::uint32_t>(*oid));
  }
  if (!r.end()) return failed(r);
  return p;
}

bool read_formats(message_reader& r, std::vector<std::int16_t>& out) {
  auto count = r.uint16();
  if (!count) return false;
  out.reserve(std::min<std::size_t>(*count, r.left() / 2));
  for (std::uint16_t i = 0; i < *count; ++i) {
    auto f = r.uint16();
    if (!f) return false;
    out.push_back(static_cast<std::int16_t>(*f));
  }
  return true;
}

// PG reads parameters in the order below; errors while reading one carry its W context.
decode_result decode_bind(message_reader& r) {
  bind b;
  auto portal = r.string();
  if (!portal) return failed(r);
  auto statement = r.string();
  if (!statement) return failed(r);
  b.portal = std::move(*portal);
  b.statement = std::move(*statement);
  if (!read_formats(r, b.parameter_formats)) return failed(r);
  auto count = r.uint16();
  if (!count) return failed(r);
  if (b.parameter_formats.size() > 1 && b.parameter_formats.size() != *count) {
    return decode_error{errors::bind_format_count(b.parameter_formats.size(), *count)};
  }
  b.parameters.reserve(std::min<std::size_t>(*count, r.left() / 4));
  for (std::uint16_t i = 0; i < *count; ++i) {
    auto len = r.int32();
    std::optional<std::string> value;
    if (len && *len != -1) value = r.bytes(*len);
    if (!len || (*len != -1 && !value)) {
      r.error().where = errors::bind_parameter_context(b.portal, i + 1, false);
      return failed(r);
    }
    b.parameters.push_back(std::move(value));
  }
  if (!read_formats(r, b.result_formats) || !r.end()) return failed(r);
  return b;
}

// Describe and Close share a layout; PG checks the subtype after the end of the message.
template <typename Message>
decode_result decode_target(message_reader& r, error_fields (*bad_kind)(int)) {
  auto kind = r.byte();
  if (!kind) return failed(r);
  auto name = r.string();
  if (!name || !r.end()) return failed(r);
  if (*kind != 'S' && *kind != 'P') return decode_error{bad_kind(*kind)};
  return Message{static_cast<char>(*kind), std::move(*name)};
}

decode_result decode_execute(message_reader& r) {
  auto portal = r.string();
  if (!portal) return failed(r);
  auto max_rows = r.int32();
  if (!max_rows || !r.end()) return failed(r);
  return execute{std::move(*portal), *max_rows};
}

template <typename Message>
decode_result decode_empty(message_reader& r) {
  if (!r.end()) return failed(r);
  return Message{};
}

}  // namespace

decode_result decode_message(char type, std::string_view body) {
  message_reader r(body);
  switch (type) {
    case 'Q':
      return decode_query(r);
    case 'P':
      return decode_parse(r);
    case 'B':
      return decode_bind(r);
    case 'D':
      return decode_target<describe>(r, errors::invalid_describe_subtype);
    case 'C':
      return decode_target<close>(r, errors::invalid_close_subtype);
    case 'E':
      return decode_execute(r);
    case 'S':
      return decode_empty<sync>(r);
    case 'H':
      return decode_empty<flush>(r);
    case 'X':
      return terminate{};  // PG exits without looking at the body
    case 'd':
    case 'c':
    case 'f':
      return copy_message{};
    case 'F':
      return function_call{};
    default:
      return decode_error{errors::invalid_frontend_message_type(static_cast<unsigned char>(type))};
  }
}

// ---------------------------------------------------------------------------------------
// Authentication phase.

std::optional<std::string> decode_password(std::string_view body) {
  // PG: strlen(body) + 1 must equal the body length.
  if (body.empty() || body.find('\0') != body.size() - 1) return std::nullopt;
  return std::string(body.substr(0, body.size() - 1));
}

std::variant<sasl_initial_response, decode_error> decode_sasl_initial(std::string_view body) {
  message_reader r(body);
  auto failed_fatal = [&r] { return decode_error{errors::as_fatal(r.error())}; };
  auto mechanism = r.string(true);
  if (!mechanism) return failed_fatal();
  auto len = r.int32();
  if (!len) return failed_fatal();
  sasl_initial_response s{std::move(*mechanism), std::nullopt};
  if (*len != -1) {
    s.data = r.bytes(*len);
    if (!s.data) return failed_fatal();
  }
  if (!r.end()) return failed_fatal();
  return s;
}

std::optional<sasl_initial_response> decode_sasl_initial_response(std::string_view body) {
  auto result = decode_sasl_initial(body);
  if (auto* s = std::get_if<sasl_initial_response>(&result)) return std::move(*s);
  return std::nullopt;
}

}  // namespace fauxgres::protocol
