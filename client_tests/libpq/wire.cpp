// Hand-encoded PostgreSQL v3 messages for the raw-socket client tests.
#include "wire.hpp"

#include <stdexcept>

namespace fauxgres_test::wire {

writer& writer::u8(std::uint8_t v) {
  data_.push_back(v);
  return *this;
}

writer& writer::i16(std::int16_t v) {
  const auto u = static_cast<std::uint16_t>(v);
  data_.push_back(static_cast<std::uint8_t>(u >> 8));
  data_.push_back(static_cast<std::uint8_t>(u));
  return *this;
}

writer& writer::i32(std::int32_t v) {
  const auto u = static_cast<std::uint32_t>(v);
  for (int shift = 24; shift >= 0; shift -= 8)
    data_.push_back(static_cast<std::uint8_t>(u >> shift));
  return *this;
}

writer& writer::cstr(std::string_view s) {
  raw(s);
  data_.push_back(0);
  return *this;
}

writer& writer::raw(std::span<const std::uint8_t> b) {
  data_.insert(data_.end(), b.begin(), b.end());
  return *this;
}

writer& writer::raw(std::string_view s) {
  data_.insert(data_.end(), s.begin(), s.end());
  return *this;
}

bytes message(char type, std::span<const std::uint8_t> body) {
  writer w;
  w.u8(static_cast<std::uint8_t>(type)).i32(static_cast<std::int32_t>(body.size() + 4)).raw(body);
  return w.data();
}

bytes message(char type, const writer& body) {
  return message(type, body.data());
}

bytes concat(std::initializer_list<bytes> parts) {
  bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

namespace {
bytes untyped(const writer& body) {
  writer w;
  w.i32(static_cast<std::int32_t>(body.data().size() + 4)).raw(body.data());
  return w.data();
}
}  // namespace

bytes startup_message(const std::vector<std::pair<std::string, std::string>>& params,
                      std::uint32_t protocol) {
  writer body;
  body.i32(static_cast<std::int32_t>(protocol));
  for (const auto& [k, v] : params) body.cstr(k).cstr(v);
  body.u8(0);
  return untyped(body);
}

bytes ssl_request() {
  return untyped(writer{}.i32(80877103));
}
bytes gssenc_request() {
  return untyped(writer{}.i32(80877104));
}
bytes cancel_request(std::int32_t pid, std::int32_t key) {
  return untyped(writer{}.i32(80877102).i32(pid).i32(key));
}

bytes query(std::string_view sql) {
  return message('Q', writer{}.cstr(sql));
}

bytes parse(std::string_view name, std::string_view sql, std::vector<std::uint32_t> oids) {
  writer w;
  w.cstr(name).cstr(sql).i16(static_cast<std::int16_t>(oids.size()));
  for (auto oid : oids) w.i32(static_cast<std::int32_t>(oid));
  return message('P', w);
}

bytes bind(std::string_view portal, std::string_view statement,
           std::vector<std::int16_t> param_formats, std::vector<std::optional<bytes>> params,
           std::vector<std::int16_t> result_formats) {
  writer w;
  w.cstr(portal).cstr(statement).i16(static_cast<std::int16_t>(param_formats.size()));
  for (auto f : param_formats) w.i16(f);
  w.i16(static_cast<std::int16_t>(params.size()));
  for (const auto& p : params) {
    if (!p) {
      w.i32(-1);
    } else {
      w.i32(static_cast<std::int32_t>(p->size())).raw(*p);
    }
  }
  w.i16(static_cast<std::int16_t>(result_formats.size()));
  for (auto f : result_formats) w.i16(f);
  return message('B', w);
}

bytes describe(char kind, std::string_view name) {
  return message('D', writer{}.u8(static_cast<std::uint8_t>(kind)).cstr(name));
}
bytes execute(std::string_view portal, std::int32_t max_rows) {
  return message('E', writer{}.cstr(portal).i32(max_rows));
}
bytes close(char kind, std::string_view name) {
  return message('C', writer{}.u8(static_cast<std::uint8_t>(kind)).cstr(name));
}
bytes sync() {
  return message('S', writer{});
}
bytes flush() {
  return message('H', writer{});
}
bytes terminate() {
  return message('X', writer{});
}
bytes password(std::string_view text) {
  return message('p', writer{}.cstr(text));
}

bytes backend_message::wire() const {
  return message(type, body);
}

std::int32_t read_i32(std::span<const std::uint8_t> b, std::size_t at) {
  if (at + 4 > b.size()) throw std::out_of_range("read_i32 past the end");
  const std::uint32_t u = (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
                          (std::uint32_t{b[at + 2]} << 8) | std::uint32_t{b[at + 3]};
  return static_cast<std::int32_t>(u);
}

std::int16_t read_i16(std::span<const std::uint8_t> b, std::size_t at) {
  if (at + 2 > b.size()) throw std::out_of_range("read_i16 past the end");
  return static_cast<std::int16_t>((std::uint16_t{b[at]} << 8) | std::uint16_t{b[at + 1]});
}

std::vector<backend_message> split(std::span<const std::uint8_t> stream, std::size_t& consumed) {
  std::vector<backend_message> out;
  consumed = 0;
  while (stream.size() - consumed >= 5) {
    const std::int32_t len = read_i32(stream, consumed + 1);
    if (len < 4) break;
    const auto total = static_cast<std::size_t>(len) + 1;
    if (stream.size() - consumed < total) break;
    backend_message m;
    m.type = static_cast<char>(stream[consumed]);
    m.body.assign(stream.begin() + static_cast<std::ptrdiff_t>(consumed + 5),
                  stream.begin() + static_cast<std::ptrdiff_t>(consumed + total));
    out.push_back(std::move(m));
    consumed += total;
  }
  return out;
}

std::string type_sequence(const std::vector<backend_message>& msgs) {
  std::string out;
  for (const auto& m : msgs) {
    if (!out.empty()) out += ' ';
    out += m.type;
  }
  return out;
}

std::optional<fields> parse_fields(const backend_message& m) {
  fields out;
  std::size_t i = 0;
  while (i < m.body.size()) {
    const char code = static_cast<char>(m.body[i++]);
    if (code == 0) return i == m.body.size() ? std::optional<fields>(out) : std::nullopt;
    std::string value;
    while (i < m.body.size() && m.body[i] != 0) value += static_cast<char>(m.body[i++]);
    if (i == m.body.size()) return std::nullopt;
    ++i;
    out.emplace_back(code, std::move(value));
  }
  return std::nullopt;
}

std::string field(const backend_message& m, char code) {
  auto f = parse_fields(m);
  if (!f) return {};
  for (const auto& [c, v] : *f)
    if (c == code) return v;
  return {};
}

bytes error_message(char type, const fields& f) {
  writer w;
  for (const auto& [c, v] : f) w.u8(static_cast<std::uint8_t>(c)).cstr(v);
  w.u8(0);
  return message(type, w);
}

fields pg_fields(std::string_view severity, std::string_view code, std::string_view msg,
                 std::string_view file, int line, std::string_view routine,
                 std::optional<std::string> detail) {
  fields f{{'S', std::string(severity)},
           {'V', std::string(severity)},
           {'C', std::string(code)},
           {'M', std::string(msg)}};
  if (detail) f.emplace_back('D', *detail);
  f.emplace_back('F', std::string(file));
  f.emplace_back('L', std::to_string(line));
  f.emplace_back('R', std::string(routine));
  return f;
}

std::pair<std::string, std::string> parameter_status(const backend_message& m) {
  std::string name, value;
  std::size_t i = 0;
  while (i < m.body.size() && m.body[i] != 0) name += static_cast<char>(m.body[i++]);
  ++i;
  while (i < m.body.size() && m.body[i] != 0) value += static_cast<char>(m.body[i++]);
  return {name, value};
}

bytes from_hex(std::string_view hex) {
  bytes out;
  int hi = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9')
      v = c - '0';
    else if (c >= 'a' && c <= 'f')
      v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      v = c - 'A' + 10;
    else if (c == ' ' || c == '\n')
      continue;
    else
      throw std::invalid_argument("bad hex digit");
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(hi * 16 + v));
      hi = -1;
    }
  }
  if (hi >= 0) throw std::invalid_argument("odd number of hex digits");
  return out;
}

std::string to_hex(std::span<const std::uint8_t> b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(b.size() * 2);
  for (auto c : b) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

bytes to_bytes(std::string_view s) {
  return bytes(s.begin(), s.end());
}

std::string describe_bytes(std::span<const std::uint8_t> b) {
  std::string gloss;
  for (auto c : b) gloss += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
  return std::to_string(b.size()) + " bytes: " + to_hex(b) + "\n  ascii: " + gloss;
}

}  // namespace fauxgres_test::wire
