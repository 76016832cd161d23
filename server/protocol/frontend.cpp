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

// Each reader fills a message in place (no copies of it on the way out) and returns
// false with the reader's error set when the body is malformed.
bool read_query(message_reader& r, query& q) {
  auto sql = r.string();
  if (!sql || !r.end()) return false;
  q.sql = *sql;
  return true;
}

bool read_parse(message_reader& r, parse& p) {
  auto name = r.string();
  if (!name) return false;
  auto sql = r.string();
  if (!sql) return false;
  auto count = r.uint16();
  if (!count) return false;
  p.statement = *name;
  p.sql = *sql;
  // Bounded by the body: each entry is 4 bytes, so at most left()/4 are reserved.
  p.parameter_types.reserve(std::min<std::size_t>(*count, r.left() / 4));
  for (std::uint16_t i = 0; i < *count; ++i) {
    auto oid = r.int32();
    if (!oid) return false;
    p.parameter_types.push_back(static_cast<std::uint32_t>(*oid));
  }
  return r.end();
}

bool read_formats(message_reader& r, short_list<std::int16_t>& out) {
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
bool read_bind(message_reader& r, bind& b) {
  auto portal = r.string();
  if (!portal) return false;
  auto statement = r.string();
  if (!statement) return false;
  b.portal = *portal;
  b.statement = *statement;
  if (!read_formats(r, b.parameter_formats)) return false;
  auto count = r.uint16();
  if (!count) return false;
  if (b.parameter_formats.size() > 1 && b.parameter_formats.size() != *count) {
    r.error() = errors::bind_format_count(b.parameter_formats.size(), *count);
    return false;
  }
  b.parameters.reserve(std::min<std::size_t>(*count, r.left() / 4));
  for (std::uint16_t i = 0; i < *count; ++i) {
    auto len = r.int32();
    std::optional<std::string_view> value;
    if (len && *len != -1) value = r.bytes(*len);
    if (!len || (*len != -1 && !value)) {
      r.error().where = errors::bind_parameter_context(b.portal, i + 1, false);
      return false;
    }
    b.parameters.push_back(value);
  }
  return read_formats(r, b.result_formats) && r.end();
}

// Describe and Close share a layout; PG checks the subtype after the end of the message.
template <typename Message, error_fields (*bad_kind)(int)>
bool read_target(message_reader& r, Message& m) {
  auto kind = r.byte();
  if (!kind) return false;
  auto name = r.string();
  if (!name || !r.end()) return false;
  if (*kind != 'S' && *kind != 'P') {
    r.error() = bad_kind(*kind);
    return false;
  }
  m.kind = static_cast<char>(*kind);
  m.name = *name;
  return true;
}

bool read_execute(message_reader& r, execute& e) {
  auto portal = r.string();
  if (!portal) return false;
  auto max_rows = r.int32();
  if (!max_rows || !r.end()) return false;
  e.portal = *portal;
  e.max_rows = *max_rows;
  return true;
}

template <typename Message>
bool read_empty(message_reader& r, Message&) {
  return r.end();
}

template <typename Message>
decode_failure read_whole(std::string_view body, Message& out,
                          bool (*read)(message_reader&, Message&)) {
  message_reader r(body);
  if (read(r, out)) return nullptr;
  return std::make_unique<error_fields>(std::move(r.error()));
}

template <typename Message>
decode_result decode_as(std::string_view body) {
  Message m;
  if (auto failure = decode(body, m)) return decode_error{std::move(*failure)};
  return m;
}

}  // namespace

decode_failure decode(std::string_view body, query& out) {
  return read_whole(body, out, read_query);
}
decode_failure decode(std::string_view body, parse& out) {
  return read_whole(body, out, read_parse);
}
decode_failure decode(std::string_view body, bind& out) {
  return read_whole(body, out, read_bind);
}
decode_failure decode(std::string_view body, describe& out) {
  return read_whole(body, out, read_target<describe, errors::invalid_describe_subtype>);
}
decode_failure decode(std::string_view body, execute& out) {
  return read_whole(body, out, read_execute);
}
decode_failure decode(std::string_view body, close& out) {
  return read_whole(body, out, read_target<close, errors::invalid_close_subtype>);
}
decode_failure decode(std::string_view body, sync& out) {
  return read_whole(body, out, read_empty<sync>);
}
decode_failure decode(std::string_view body, flush& out) {
  return read_whole(body, out, read_empty<flush>);
}

decode_result decode_message(char type, std::string_view body) {
  switch (type) {
    case 'Q':
      return decode_as<query>(body);
    case 'P':
      return decode_as<parse>(body);
    case 'B':
      return decode_as<bind>(body);
    case 'D':
      return decode_as<describe>(body);
    case 'C':
      return decode_as<close>(body);
    case 'E':
      return decode_as<execute>(body);
    case 'S':
      return decode_as<sync>(body);
    case 'H':
      return decode_as<flush>(body);
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
  sasl_initial_response s{std::string(*mechanism), std::nullopt};
  if (*len != -1) {
    auto data = r.bytes(*len);
    if (!data) return failed_fatal();
    s.data.emplace(*data);
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
