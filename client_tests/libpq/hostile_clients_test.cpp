// Socket-level fuzzing of a live server: seeded hostile clients send mutated frontend
// traffic (flipped bytes, hostile length words, truncations, junk) in random pieces and end
// with a FIN or an RST, while a libpq session keeps working beside them. Checks what a user
// relies on: every reply is well-formed PG wire data, a FATAL is the last thing sent, the
// server closes once the client has, other sessions are unaffected, and nothing leaks.
// FAUXGRES_NET_FUZZ_SEED and FAUXGRES_NET_FUZZ_CONNECTIONS replay or lengthen a run.
#include <sys/socket.h>

#include <dirent.h>

#include <cstdlib>
#include <random>

#include "test_support.hpp"

using namespace fauxgres_test;

namespace {

using rng = std::mt19937_64;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  return text && *text ? std::strtoull(text, nullptr, 10) : fallback;
}

std::size_t below(rng& r, std::size_t n) {
  return std::uniform_int_distribution<std::size_t>(0, n - 1)(r);
}

template <class T>
const T& pick(rng& r, const std::vector<T>& options) {
  return options[below(r, options.size())];
}

wire::bytes junk(rng& r, std::size_t n) {
  wire::bytes out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(below(r, 256));
  return out;
}

// A SASLInitialResponse-shaped message, its length word and text not always right.
wire::bytes sasl_initial(rng& r) {
  static const std::vector<std::string> texts = {"n,,n=,r=fuzz", "n,,n=u,r=", "y,,n=,r=abc",
                                                 "p=tls-server-end-point,,n=,r=x", "n,,"};
  const auto& text = pick(r, texts);
  const auto length = below(r, 4) == 0 ? static_cast<std::int32_t>(below(r, 40)) - 1
                                       : static_cast<std::int32_t>(text.size());
  return wire::message('p', wire::writer{}.cstr("SCRAM-SHA-256").i32(length).raw(text));
}

// One valid frontend message, weighted towards what drivers send after login, with now and
// then one that is not allowed there.
wire::bytes random_message(rng& r) {
  static const std::vector<std::string> sql = {"SELECT 1",
                                               "SELECT $1::int + 1",
                                               "BEGIN",
                                               "COMMIT",
                                               "ROLLBACK",
                                               "SET search_path = x",
                                               "SHOW TimeZone",
                                               "SELECT version()",
                                               "DISCARD ALL",
                                               "SELECT 1; SELECT 'a'",
                                               "",
                                               "SELECT nosuchthing FROM nowhere",
                                               "SAVEPOINT s",
                                               "SELECT 1::numeric / 3"};
  enum kind { query, parse, bind, describe, execute, sync, flush, close, odd, exchange, terminate };
  static const std::vector<kind> kinds = {query, query,    query,    parse,    bind,
                                          bind,  describe, execute,  sync,     flush,
                                          close, odd,      exchange, exchange, exchange};
  switch (below(r, 40) == 0 ? terminate : pick(r, kinds)) {
    case exchange: {  // what a driver sends for one parameterised statement
      const bool param = below(r, 2);
      return wire::concat(
          {wire::parse("", param ? "SELECT $1::int + 1" : pick(r, sql), {23}),
           wire::bind("", "", {0},
                      param ? std::vector<std::optional<wire::bytes>>{wire::to_bytes("41")}
                            : std::vector<std::optional<wire::bytes>>{},
                      {static_cast<std::int16_t>(below(r, 2))}),
           wire::describe('P', ""), wire::execute("", 0), wire::sync()});
    }
    case query:
      return wire::query(pick(r, sql));
    case parse:
      return wire::parse(below(r, 2) ? "" : "s1", pick(r, sql), {23});
    case bind:
      return wire::bind(below(r, 2) ? "" : "p1", below(r, 2) ? "" : "s1", {0},
                        {wire::to_bytes(std::to_string(below(r, 1000)))},
                        {static_cast<std::int16_t>(below(r, 2))});
    case describe:
      return wire::describe(below(r, 2) ? 'S' : 'P', below(r, 2) ? "" : "s1");
    case execute:
      return wire::execute(below(r, 2) ? "" : "p1", static_cast<std::int32_t>(below(r, 3)));
    case sync:
      return wire::sync();
    case flush:
      return wire::flush();
    case close:
      return wire::close(below(r, 2) ? 'S' : 'P', "s1");
    case odd:  // ignored (d, c, f), refused (F) or fatal (Y, p) after login
      return wire::message(pick(r, std::vector<char>{'F', 'd', 'c', 'f', 'Y', 'p'}), junk(r, 6));
    case terminate:
      break;
  }
  return wire::terminate();
}

enum class auth { trust, cleartext, scram };

const char* to_string(auth a) {
  return a == auth::trust ? "trust" : a == auth::cleartext ? "password" : "scram-sha-256";
}

// A plausible session: maybe an SSL/GSS request, a startup or cancel packet, then
// messages, usually ending in a Sync so that the extended protocol answers.
struct session_traffic {
  wire::bytes bytes;
  std::size_t logged_in_at = 0;  // where the messages after the startup packet begin
};

session_traffic random_session(rng& r, auth method) {
  session_traffic out;
  auto add = [&](const wire::bytes& b) { out.bytes.insert(out.bytes.end(), b.begin(), b.end()); };
  if (below(r, 4) == 0) add(below(r, 2) ? wire::ssl_request() : wire::gssenc_request());
  if (below(r, 12) == 0) {
    add(wire::cancel_request(static_cast<std::int32_t>(below(r, 1u << 20)), 42));
    return out;
  }
  std::vector<std::pair<std::string, std::string>> params = {{"user", "u"}, {"database", "d"}};
  if (below(r, 3) == 0) params.emplace_back("application_name", "fuzz");
  if (below(r, 5) == 0) params.emplace_back("_pq_.fuzz", "on");
  static const std::vector<std::uint32_t> versions = {
      wire::protocol_3_0, wire::protocol_3_0, wire::protocol_3_0, wire::protocol_3_0,
      wire::protocol_3_0, wire::protocol_3_0, wire::protocol_3_0, 0x00030001,
      0x00030002,         0x00020000};
  add(wire::startup_message(params, pick(r, versions)));
  // The password goes without waiting for the server's request, as pipelining clients do.
  if (method == auth::cleartext) add(wire::password(below(r, 8) == 0 ? "wrong" : "secret"));
  if (method == auth::scram) add(sasl_initial(r));
  out.logged_in_at = out.bytes.size();
  for (std::size_t n = 1 + below(r, 12); n > 0; --n) add(random_message(r));
  if (below(r, 4) != 0) add(wire::sync());
  return out;
}

void put_length(wire::bytes& b, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4 && at + i < b.size(); ++i)
    b[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

// Up to 3 damages (none in a third of the sessions), mostly after the startup packet:
// flipped bytes, a hostile length word, a cut, inserted junk.
void mutate(rng& r, session_traffic& t) {
  static const std::vector<std::uint32_t> lengths = {
      0, 3, 4, 5, 10001, 0x40000000, 0x7fffffff, 0x80000000, ~0u, 8, 1 << 20};
  auto& b = t.bytes;
  auto where = [&](std::size_t size) {
    const bool later = t.logged_in_at < size && below(r, 4) != 0;
    return later ? t.logged_in_at + below(r, size - t.logged_in_at) : below(r, size);
  };
  const std::size_t damages = below(r, 3) == 0 ? 0 : 1 + below(r, 3);
  for (std::size_t n = damages; n > 0 && !b.empty(); --n) {
    switch (below(r, 4)) {
      case 0:
        b[where(b.size())] ^= static_cast<std::uint8_t>(1 + below(r, 255));
        break;
      case 1:
        put_length(b, where(b.size()), pick(r, lengths));
        break;
      case 2:
        b.resize(where(b.size()));
        break;
      default: {
        const auto extra = junk(r, 1 + below(r, 16));
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(where(b.size() + 1)), extra.begin(),
                 extra.end());
      }
    }
  }
}

// Sends `data` in random pieces (often a byte at a time); false once the server is gone.
bool send_in_pieces(rng& r, raw_client& c, const wire::bytes& data) {
  const std::size_t largest = pick(r, std::vector<std::size_t>{1, 3, 16, 64, data.size() + 1});
  for (std::size_t at = 0; at < data.size();) {
    const std::size_t n = std::min(data.size() - at, 1 + below(r, largest));
    if (!c.try_send(std::span(data).subspan(at, n), 3s)) return false;
    at += n;
  }
  return true;
}

const std::string backend_types = "RSKZTDCEN123nstIvAGHWcdV";

// Why `got` is not what a PG server may send, or "" if it is: at most two single-byte
// answers to SSL/GSS requests, then either the protocol-2 error text or whole v3 messages
// of backend types, with nothing after a FATAL.
std::string malformed_reply(const wire::bytes& got) {
  std::size_t at = 0;
  auto length_at = [&](std::size_t i) {
    return std::uint32_t(got[i]) << 24 | std::uint32_t(got[i + 1]) << 16 |
           std::uint32_t(got[i + 2]) << 8 | got[i + 3];
  };
  for (int answers = 0; answers < 2 && at < got.size() && got[at] == 'N'; ++answers) {
    if (at + 5 <= got.size() && length_at(at + 1) < 0x10000) break;  // a NoticeResponse
    ++at;
  }
  if (at + 5 <= got.size() && got[at] == 'E' && length_at(at + 1) > 0x100000) {
    // A protocol-2 ErrorResponse: 'E', text, NUL, and the close.
    const auto text = std::string(got.begin() + static_cast<std::ptrdiff_t>(at) + 1, got.end());
    if (!text.starts_with("FATAL:  unsupported frontend protocol") || !text.ends_with('\0'))
      return "a protocol-2 error that is not PG's";
    return "";
  }
  std::size_t consumed = 0;
  const auto msgs = wire::split(std::span(got).subspan(at), consumed);
  if (at + consumed != got.size()) return "bytes after the last whole message";
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    const auto& m = msgs[i];
    if (backend_types.find(m.type) == std::string::npos)
      return "message type '" + std::string(1, m.type) + "' is not a backend message";
    if (m.body.size() > 0x100000) return "a message larger than 1 MiB";
    if (m.type != 'E') continue;
    const auto code = wire::field(m, 'C');
    if (!wire::parse_fields(m) || code.size() != 5) return "an ErrorResponse without a SQLSTATE";
    if (wire::field(m, 'S') == "FATAL" && i + 1 != msgs.size()) return "messages after a FATAL";
  }
  return "";
}

std::size_t open_descriptors(pid_t pid) {
  std::size_t n = 0;
  if (DIR* d = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str())) {
    while (const dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
    ::closedir(d);
  }
  return n;
}

raw_client connect_or_fail(const server_process& s, transport via) {
  try {
    return raw_connect(s, via);
  } catch (const std::exception& e) {
    FAIL(e.what() << "\n" << s.diagnostics());
  }
  std::abort();  // FAIL throws
}

void check_healthy(PGconn* c, std::size_t after) {
  INFO("the libpq session beside " << after << " hostile connections");
  auto r = exec(c, "SELECT 1");
  REQUIRE(PQresultStatus(r.get()) == PGRES_TUPLES_OK);
  CHECK(value(r.get()) == "1");
}

}  // namespace

TEST_CASE("hostile clients get PG-shaped replies or a close, and never disturb others",
          "[protocol][violation][hostile]") {
  const auto via = GENERATE(transport::tcp, transport::unix_socket);
  const auto method = GENERATE(auth::trust, auth::cleartext, auth::scram);
  const auto seed = env_number("FAUXGRES_NET_FUZZ_SEED", 20261207) + (via == transport::tcp) +
                    2 * static_cast<std::uint64_t>(method);
  const auto connections = env_number("FAUXGRES_NET_FUZZ_CONNECTIONS", 250);
  INFO("transport " << to_string(via) << ", auth " << to_string(method) << ", seed " << seed
                    << " (FAUXGRES_NET_FUZZ_SEED), " << connections << " connections");
  std::vector<std::string> args;
  if (method != auth::trust) args = {"--user", "u=secret", "--auth", to_string(method)};
  auto server = start_server(args);
  params login = connection_params(*server, via, {{"user", "u"}, {"dbname", "d"}});
  if (method != auth::trust) login.emplace_back("password", "secret");
  auto healthy = connect(login);
  REQUIRE(PQstatus(healthy.get()) == CONNECTION_OK);
  check_healthy(healthy.get(), 0);
  const auto baseline = open_descriptors(server->pid());

  rng r(seed);
  std::vector<raw_client> held;  // left mid-message while the others come and go
  std::size_t fins = 0, resets = 0, replies = 0;
  for (std::uint64_t i = 0; i < connections; ++i) {
    if (i % 25 == 24) check_healthy(healthy.get(), i);
    auto session = random_session(r, method);
    mutate(r, session);
    const auto& traffic = session.bytes;
    INFO("connection " << i << ": " << wire::describe_bytes(traffic));
    auto c = connect_or_fail(*server, via);
    const bool sent_all = send_in_pieces(r, c, traffic);
    const auto ending = below(r, 8);
    if (ending == 0 && held.size() < 32) {
      held.push_back(std::move(c));
      continue;
    }
    if (ending == 1) {  // an RST: the server must carry on without a word to anyone
      const linger abort_now{1, 0};
      ::setsockopt(c.fd(), SOL_SOCKET, SO_LINGER, &abort_now, sizeof abort_now);
      ++resets;
      continue;
    }
    c.shutdown_write();
    const auto got = c.read_until_closed(5s);
    INFO("sent whole: " << sent_all << ", received " << wire::describe_bytes(got));
    REQUIRE(c.peer_state() != raw_client::peer::open);  // closed once the client had
    CHECK(malformed_reply(got) == "");
    fins += 1;
    replies += !got.empty();
  }
  held.clear();
  check_healthy(healthy.get(), connections);
  auto another = connect(login);
  CHECK(PQstatus(another.get()) == CONNECTION_OK);
  another.reset();
  INFO(fins << " ended with FIN (" << replies << " answered), " << resets << " with RST");
  CHECK(fins > connections / 2);
  CHECK(replies > fins / 4);
  CHECK_FALSE(server->wait_exit(0ms).has_value());  // still running
  // Every hostile session is gone (the server closes them on its own schedule).
  CHECK(retry_until([&] { return open_descriptors(server->pid()) == baseline; }, 10s, 10ms));
}
