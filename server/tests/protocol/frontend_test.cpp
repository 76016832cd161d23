// Regular-phase framing and decoding; error cases mirror what a real PostgreSQL 15.20
// answered to the same malformed messages.
#include <catch2/catch.hpp>
#include <vector>

#include "protocol/backend.hpp"
#include "protocol/frontend.hpp"
#include "tests/hex.hpp"

using namespace fauxgres::protocol;
using fauxgres::test::hex;
using fauxgres::test::unhex;

namespace {

std::string be32(std::uint32_t v) {
  return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
}
std::string be16(std::uint16_t v) {
  return std::string{static_cast<char>(v >> 8), static_cast<char>(v)};
}
std::string cstr(std::string_view s) {
  return std::string(s) + '\0';
}
std::string msg(char type, std::string_view body) {
  return std::string(1, type) + be32(static_cast<std::uint32_t>(body.size() + 4)) +
         std::string(body);
}

template <typename T>
T decoded(char type, std::string_view body) {
  auto r = decode_message(type, body);
  REQUIRE(std::holds_alternative<frontend_message>(r));
  auto& m = std::get<frontend_message>(r);
  REQUIRE(std::holds_alternative<T>(m));
  return std::get<T>(m);
}

// The decode error, encoded as an ErrorResponse, for comparison with PG's bytes.
std::string failure(char type, std::string_view body) {
  auto r = decode_message(type, body);
  REQUIRE(std::holds_alternative<decode_error>(r));
  std::string out;
  backend_writer(out).error_response(std::get<decode_error>(r).error);
  return hex(out);
}

std::string encoded(const error_fields& e) {
  std::string out;
  backend_writer(out).error_response(e);
  return hex(out);
}

error_fields with_where(error_fields e, std::string where) {
  e.where = std::move(where);
  return e;
}

const std::string parse_int4 = cstr("") + cstr("SELECT $1::int4") + be16(0);

}  // namespace

TEST_CASE("message limits per type as PG 15's SocketBackend", "[frontend]") {
  for (char t : std::string("QFPBd")) CHECK(message_limit(t) == 0x3ffffffe);
  for (char t : std::string("CDEHSXcf")) CHECK(message_limit(t) == 10000);
  for (char t : std::string("pYZRT\x00\xff", 7)) CHECK(message_limit(t) == 0);
  CHECK(auth_message_limit_for('p') == 65535);
  CHECK(auth_message_limit_for('Q') == 0);
}

TEST_CASE("framing a pipelined stream one byte at a time", "[frontend]") {
  const std::string stream =
      msg('P', cstr("s1") + cstr("SELECT $1::int4 + 1") + be16(0)) + msg('D', "S" + cstr("s1")) +
      msg('H', "") +
      msg('B', cstr("") + cstr("s1") + be16(0) + be16(1) + be32(2) + "41" + be16(0)) +
      msg('E', cstr("") + be32(0)) + msg('S', "") + msg('X', "");
  std::string buffer;
  std::vector<char> types;
  std::size_t fed = 0;
  while (fed < stream.size()) {
    buffer.push_back(stream[fed++]);
    const auto f = frame_message(buffer, message_limit);
    REQUIRE(f.state != message_frame::status::bad_type);
    REQUIRE(f.state != message_frame::status::bad_length);
    if (f.state == message_frame::status::need_more) continue;
    types.push_back(f.type);
    CHECK(f.length == buffer.size());  // complete exactly when its last byte arrives
    CHECK(f.body.size() == f.length - 5);
    buffer.erase(0, f.length);
  }
  CHECK(std::string(types.begin(), types.end()) == "PDHBESX");
  CHECK(buffer.empty());
}

TEST_CASE("framing several messages in one buffer", "[frontend]") {
  const std::string two = msg('Q', cstr("SELECT 1")) + msg('S', "");
  auto f = frame_message(two, message_limit);
  REQUIRE(f.state == message_frame::status::complete);
  CHECK(f.type == 'Q');
  CHECK(f.body == cstr("SELECT 1"));
  f = frame_message(std::string_view(two).substr(f.length), message_limit);
  REQUIRE(f.state == message_frame::status::complete);
  CHECK(f.type == 'S');
  CHECK(f.body.empty());
  CHECK(f.length == 5);
}

TEST_CASE("the type byte is judged before the length", "[frontend]") {
  CHECK(frame_message("Y", message_limit).state == message_frame::status::bad_type);
  CHECK(frame_message(std::string("Y\xff\xff\xff\xff", 5), message_limit).state ==
        message_frame::status::bad_type);
  CHECK(frame_message(msg('p', cstr("pw")), message_limit).state ==
        message_frame::status::bad_type);  // 'p' after login: 112
  CHECK(frame_message(std::string(1, '\0'), message_limit).state ==
        message_frame::status::bad_type);  // a second StartupMessage: 0
  CHECK(frame_message("", message_limit).state == message_frame::status::need_more);
  CHECK(frame_message("p", auth_message_limit_for).state == message_frame::status::need_more);
  CHECK(frame_message("Q", auth_message_limit_for).state == message_frame::status::bad_type);
}

TEST_CASE("hostile lengths close without allocating", "[frontend]") {
  auto state = [](char type, std::uint32_t len) {
    return frame_message(std::string(1, type) + be32(len), message_limit).state;
  };
  using s = message_frame::status;
  for (std::uint32_t len :
       {0u, 3u, 0x80000000u, 0xffffffffu, 0x7fffffffu, 0x40000000u, 0x3fffffffu}) {
    INFO("length " << len);
    CHECK(state('Q', len) == s::bad_length);
  }
  CHECK(state('Q', 0x3ffffffe) == s::need_more);  // the largest accepted
  CHECK(state('Q', 4) == s::complete);
  CHECK(state('S', 10001) == s::bad_length);
  CHECK(state('S', 10000) == s::need_more);
  CHECK(state('c', 10001) == s::bad_length);
  CHECK(state('f', 10001) == s::bad_length);
  CHECK(state('d', 10001) == s::need_more);
  CHECK(state('B', 0x20000000) == s::need_more);
  CHECK(frame_message("p" + be32(65536), auth_message_limit_for).state == s::bad_length);
  CHECK(frame_message("p" + be32(65535), auth_message_limit_for).state == s::need_more);
  CHECK(frame_message("p" + be32(3), auth_message_limit_for).state == s::bad_length);
}

TEST_CASE("decoding well-formed messages", "[frontend]") {
  // Decoded strings are views into the body, so each body outlives its message here.
  CHECK(decoded<query>('Q', cstr("SELECT 1")).sql == "SELECT 1");
  const std::string parse_body =
      cstr("s1") + cstr("SELECT $1, $2") + be16(2) + be32(23) + be32(0xffffffff);
  const auto p = decoded<parse>('P', parse_body);
  CHECK(p.statement == "s1");
  CHECK(p.sql == "SELECT $1, $2");
  CHECK(p.parameter_types == std::vector<std::uint32_t>{23, 0xffffffff});

  const std::string bind_body = cstr("p1") + cstr("s1") + be16(2) + be16(0) + be16(1) + be16(2) +
                                be32(2) + "41" + be32(0xffffffff) + be16(1) + be16(1);
  const auto b = decoded<bind>('B', bind_body);
  CHECK(b.portal == "p1");
  CHECK(b.statement == "s1");
  CHECK(std::vector<std::int16_t>(b.parameter_formats.begin(), b.parameter_formats.end()) ==
        std::vector<std::int16_t>{0, 1});
  REQUIRE(b.parameters.size() == 2);
  CHECK(b.parameters[0] == "41");
  CHECK_FALSE(b.parameters[1].has_value());
  CHECK(std::vector<std::int16_t>(b.result_formats.begin(), b.result_formats.end()) ==
        std::vector<std::int16_t>{1});

  const std::string empty_param_body = cstr("") + cstr("") + be16(0) + be16(1) + be32(0) + be16(0);
  const auto empty_param = decoded<bind>('B', empty_param_body);
  REQUIRE(empty_param.parameters.size() == 1);
  CHECK(empty_param.parameters[0] == "");  // empty, not NULL

  const std::string describe_body = "P" + cstr("p1");
  const auto d = decoded<describe>('D', describe_body);
  CHECK(d.kind == 'P');
  CHECK(d.name == "p1");
  const std::string close_body = "S" + cstr("s1");
  const auto c = decoded<fauxgres::protocol::close>('C', close_body);
  CHECK(c.kind == 'S');
  CHECK(c.name == "s1");
  const std::string execute_body = cstr("pp") + be32(2);
  const auto e = decoded<execute>('E', execute_body);
  CHECK(e.portal == "pp");
  CHECK(e.max_rows == 2);
  decoded<fauxgres::protocol::sync>('S', "");
  decoded<flush>('H', "");
  decoded<terminate>('X', "ignored");  // PG exits without reading the body
  decoded<copy_message>('d', "abc");
  decoded<copy_message>('c', "");
  decoded<function_call>('F', be32(0));
}

TEST_CASE("a message of a known type decodes in place, or gives PG's error", "[frontend]") {
  // More parameters than fit inline: the lists grow past their inline capacity.
  std::string body = cstr("") + cstr("s") + be16(0) + be16(6);
  for (int i = 0; i < 6; ++i) body += be32(1) + std::to_string(i);
  body += be16(0);
  bind b;
  REQUIRE(decode(body, b) == nullptr);
  REQUIRE(b.parameters.size() == 6);
  for (int i = 0; i < 6; ++i) CHECK(b.parameters[static_cast<std::size_t>(i)] == std::to_string(i));

  execute e;
  auto failed = decode(cstr("p") + be32(0) + "x", e);
  REQUIRE(failed != nullptr);
  CHECK(encoded(*failed) == encoded(errors::invalid_message_format()));
  describe d;
  failed = decode("Z" + cstr("p"), d);
  REQUIRE(failed != nullptr);
  CHECK(encoded(*failed) == encoded(errors::invalid_describe_subtype('Z')));
}

TEST_CASE("Query and Sync body errors", "[frontend]") {
  CHECK(failure('Q', "abc") == encoded(errors::invalid_string_in_message()));
  CHECK(failure('Q', cstr("SELECT 1") + "xx") == encoded(errors::invalid_message_format()));
  CHECK(failure('S', "abc") == encoded(errors::invalid_message_format()));
  CHECK(failure('H', "abc") == encoded(errors::invalid_message_format()));
  CHECK(failure('E', cstr("") + "\0\0") == encoded(errors::insufficient_data_in_message()));
  CHECK(failure('E', cstr("") + be32(0) + "x") == encoded(errors::invalid_message_format()));
}

TEST_CASE("strings must be UTF-8 (22021), as 15.20 checks them", "[frontend]") {
  // Describe with kind 0 and name "X\xff\xff": the name is read (and rejected) first.
  CHECK(failure('D', std::string("\0X\xff\xff\0", 5)) ==
        "4500000079534552524f5200564552524f5200433232303231004d696e76616c69642062797465207365"
        "7175656e636520666f7220656e636f64696e67202255544638223a203078666600466d627574696c732e"
        "63004c3137393800527265706f72745f696e76616c69645f656e636f64696e675f696e740000");
  auto message = [](std::string_view body) {
    auto r = decode_message('Q', body);
    REQUIRE(std::holds_alternative<decode_error>(r));
    return std::get<decode_error>(r).error.message;
  };
  const std::string prefix = "invalid byte sequence for encoding \"UTF8\": ";
  CHECK(message(cstr("\xd5\x73\x00")) == prefix + "0xd5 0x73");
  CHECK(message(cstr("ok \xf7\xcc\x35\x53")) == prefix + "0xf7 0xcc 0x35 0x53");
  CHECK(message(cstr("gQ\xed")) == prefix + "0xed");
  CHECK(message(cstr("\xa3p1")) == prefix + "0xa3");
  CHECK(message(cstr("\xed\xa0\x80")) == prefix + "0xed 0xa0 0x80");  // a surrogate
  CHECK(message(cstr("\xc0\x80")) == prefix + "0xc0 0x80");           // overlong
  CHECK(decoded<query>('Q', cstr("h\xc3\xa9 \xf0\x9f\x98\x80")).sql ==
        "h\xc3\xa9 \xf0\x9f\x98\x80");
  // pq_getmsgrawstring (the SASL mechanism) is not checked.
  CHECK(decode_sasl_initial_response(cstr("\xff") + be32(0xffffffff)));
}

TEST_CASE("Parse body errors: counts are unsigned 16-bit", "[frontend]") {
  // A "negative" count of -1 is 65535 oids, which run out: 15.20 said the same.
  CHECK(failure('P', cstr("") + cstr("SELECT 1") + be16(0xffff)) ==
        encoded(errors::insufficient_data_in_message()));
  CHECK(failure('P', cstr("") + cstr("SELECT 1") + be16(2) + be32(23)) ==
        encoded(errors::insufficient_data_in_message()));
  CHECK(failure('P', cstr("") + "SELECT 1") == encoded(errors::invalid_string_in_message()));
  CHECK(failure('P', parse_int4 + "z") == encoded(errors::invalid_message_format()));
}

TEST_CASE("Bind body errors with PG's parameter context", "[frontend]") {
  const std::string names = cstr("") + cstr("");
  // Value longer than the message, and a length below -1.
  CHECK(failure('B', names + be16(0) + be16(1) + be32(10) + "1") ==
        "450000007b534552524f5200564552524f5200433038503031004d696e73756666696369656e742064617461"
        "206c65667420696e206d6573736167650057756e6e616d656420706f7274616c20706172616d657465722024"
        "3100467071666f726d61742e63004c353135005270715f6765746d736762797465730000");
  CHECK(failure('B', names + be16(0) + be16(1) + be32(0xfffffffe) + be16(0)) ==
        encoded(with_where(errors::insufficient_data_for_value(), "unnamed portal parameter $1")));
  // The length word itself missing.
  CHECK(failure('B', names + be16(0) + be16(1)) ==
        "450000007c534552524f5200564552524f5200433038503031004d696e73756666696369656e742064617461"
        "206c65667420696e206d6573736167650057756e6e616d656420706f7274616c20706172616d657465722024"
        "3100467071666f726d61742e63004c353333005270715f636f70796d736762797465730000");
  // The second parameter of portal "pp".
  CHECK(failure('B', cstr("pp") + cstr("") + be16(0) + be16(2) + be32(1) + "1" + be32(5) + "1") ==
        encoded(with_where(errors::insufficient_data_for_value(), "portal \"pp\" parameter $2")));
  CHECK(failure('B', names + be16(2) + be16(0) + be16(0) + be16(1) + be32(1) + "1" + be16(0)) ==
        encoded(errors::bind_format_count(2, 1)));
  CHECK(failure('B', names + be16(0xffff) + be16(1) + be32(1) + "1" + be16(0)) ==
        encoded(errors::insufficient_data_in_message()));
  CHECK(failure('B', names + be16(0) + be16(1) + be32(1) + "1" + be16(0xffff)) ==
        encoded(errors::insufficient_data_in_message()));  // result formats: no W
  CHECK(failure('B', names + be16(0) + be16(1) + be32(1) + "1" + be16(2) + be16(0)) ==
        encoded(errors::insufficient_data_in_message()));
  CHECK(failure('B', names + be16(0) + be16(1) + be32(1) + "1" + be16(0) + "zz") ==
        encoded(errors::invalid_message_format()));
  CHECK(failure('B', cstr("")) == encoded(errors::invalid_string_in_message()));
}

TEST_CASE("Describe and Close body errors", "[frontend]") {
  CHECK(failure('D', "") == encoded(errors::no_data_left_in_message()));
  CHECK(failure('D', "X" + cstr("")) ==
        "450000005f534552524f5200564552524f5200433038503031004d696e76616c696420444553435249424520"
        "6d65737361676520737562747970652038380046706f7374677265732e63004c343833370052506f73746772"
        "65734d61696e0000");
  CHECK(failure('C', "X" + cstr("")) == encoded(errors::invalid_close_subtype(88)));
  CHECK(failure('D', "S") == encoded(errors::invalid_string_in_message()));
  // Trailing bytes are found before the subtype is looked at.
  CHECK(failure('C', "X" + cstr("") + "z") == encoded(errors::invalid_message_format()));
  CHECK(failure('D', "\xc8" + cstr("")) == encoded(errors::invalid_describe_subtype(200)));
}

TEST_CASE("password messages", "[frontend][auth]") {
  CHECK(decode_password(cstr("pw")) == "pw");
  CHECK(decode_password(cstr("")) == "");  // the auth layer turns this into 28P01
  CHECK_FALSE(decode_password("pw"));
  CHECK_FALSE(decode_password(cstr("pw") + "x"));
  CHECK_FALSE(decode_password(""));
}

TEST_CASE("SASLInitialResponse", "[frontend][auth]") {
  const std::string first = "n,,n=,r=abcdefghijklmnop";
  const auto ok = decode_sasl_initial_response(cstr("SCRAM-SHA-256") + be32(24) + first);
  REQUIRE(ok);
  CHECK(ok->mechanism == "SCRAM-SHA-256");
  CHECK(ok->data == first);
  const auto no_data = decode_sasl_initial_response(cstr("SCRAM-SHA-256") + be32(0xffffffff));
  REQUIRE(no_data);
  CHECK_FALSE(no_data->data);

  auto fatal = [](std::string_view body) {
    auto r = decode_sasl_initial(body);
    REQUIRE(std::holds_alternative<decode_error>(r));
    std::string out;
    backend_writer(out).error_response(std::get<decode_error>(r).error);
    return hex(out);
  };
  // The FATALs 15.20 sent for the same bodies.
  CHECK(fatal(cstr("SCRAM-SHA-256") + be32(100) + first) ==
        "450000005e53464154414c0056464154414c00433038503031004d696e73756666696369656e742064617461"
        "206c65667420696e206d65737361676500467071666f726d61742e63004c353135005270715f6765746d7367"
        "62797465730000");
  CHECK(fatal(cstr("SCRAM-SHA-256") + be32(24) + first + "zz") ==
        "450000005153464154414c0056464154414c00433038503031004d696e76616c6964206d6573736167652066"
        "6f726d617400467071666f726d61742e63004c363430005270715f6765746d7367656e640000");
  CHECK(fatal("SCRAM-SHA-256") ==
        "450000005a53464154414c0056464154414c00433038503031004d696e76616c696420737472696e6720696e"
        "206d65737361676500467071666f726d61742e63004c363234005270715f6765746d7367726177737472696e"
        "670000");
  CHECK(fatal("") == fatal("SCRAM-SHA-256"));
  CHECK(fatal(cstr("SCRAM-SHA-256") + "\0\0") ==
        "450000005f53464154414c0056464154414c00433038503031004d696e73756666696369656e742064617461"
        "206c65667420696e206d65737361676500467071666f726d61742e63004c353333005270715f636f70796d73"
        "6762797465730000");
  CHECK(fatal(cstr("SCRAM-SHA-256") + be32(0xfffffffe)) ==
        fatal(cstr("SCRAM-SHA-256") + be32(100) + first));
  CHECK_FALSE(decode_sasl_initial_response("SCRAM-SHA-256"));
}
