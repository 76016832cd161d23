// libFuzzer target: arbitrary client bytes into a session, from the first byte of the
// connection or after a login, in arbitrary read sizes. Besides ASan/UBSan findings it
// checks what PG's framing guarantees: every piece the session hands to the network is a
// whole number of well-formed backend messages, and nothing is sent after a close.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "tests/session/harness.hpp"

namespace {

using fauxgres::session::action;

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "session_fuzz: %s\n", what);
  std::abort();
}

// A piece is N or S (the SSL/GSSENC answers, one byte), a V2-format error (PG's answer to
// protocol 1.x and 2.x: E, text, NUL, no length) or complete messages.
void check_piece(std::string_view piece) {
  if (piece.size() == 1 && (piece[0] == 'N' || piece[0] == 'S')) return;
  if (piece.starts_with("EFATAL:  ") && piece.find('\0') == piece.size() - 1) return;
  while (!piece.empty()) {
    if (piece.size() < 5) broken("a piece ends inside a message header");
    std::uint32_t length = 0;
    for (int i = 1; i <= 4; ++i) length = (length << 8) | static_cast<unsigned char>(piece[i]);
    if (length < 4 || length > piece.size() - 1) broken("a message length does not fit its piece");
    piece.remove_prefix(1 + length);
  }
}

fauxgres::auth::method method_of(std::uint8_t bits) {
  using m = fauxgres::auth::method;
  static constexpr m methods[] = {m::trust, m::password, m::md5, m::scram_sha_256};
  return methods[bits & 3];
}

// Fault rules that act on queries and logins, in effect when flags bit 4 is set.
const std::vector<std::string> fault_rules = {
    "query_error:pattern=fail,sqlstate=40001",
    "query_error:pattern=fatal,sqlstate=57P01,severity=FATAL",
    "statement_timeout:pattern=slow,after=1s",
    "query_delay:pattern=sleep,delay=1s",
    "query_reset:pattern=reset,rows=1",
    "auth_delay:delay=1s,probability=0.5",
};

}  // namespace

// Input: a flags byte (bit 0: log in first, with trust; bits 1-2: otherwise the user's
// auth method; bit 3: cancel waits instead of finishing them; bit 4: the fault rules
// above), a read-size byte (0: all at once), then the bytes the client sends.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t flags = data[0];
  const std::size_t read_size = data[1] == 0 ? size : data[1];
  std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);

  fauxgres::test::session_harness h(flags & 16 ? fault_rules : std::vector<std::string>{});
  const bool login_first = flags & 1;
  h.config.users.push_back(
      {"app", "pw", login_first ? fauxgres::auth::method::trust : method_of(flags >> 1), false});
  if (login_first)
    h.login("app");
  else
    h.open();
  bool closed = false;
  auto drain = [&] {
    for (const auto& piece : h.take_pieces()) {
      if (closed) broken("bytes sent after the close");
      check_piece(piece);
    }
    // Waits end at once (finished or cancelled) so the input behind them is processed too.
    for (int guard = 0; h.s->next_action().what == action::kind::wait && guard < 64; ++guard) {
      if (flags & 8)
        h.s->cancel();
      else
        h.s->wait_finished();
      for (const auto& piece : h.take_pieces()) check_piece(piece);
    }
    const auto what = h.s->next_action().what;
    closed = what == action::kind::close || what == action::kind::reset ||
             what == action::kind::hang || what == action::kind::start_tls;
  };
  drain();
  while (!input.empty() && !closed) {
    const auto n = std::min(read_size, input.size());
    h.s->receive(input.substr(0, n));
    input.remove_prefix(n);
    drain();
  }
  return 0;
}
