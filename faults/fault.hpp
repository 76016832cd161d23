// The fault interface: "faults decide, net acts". A fault is asked at hook points and
// returns a verdict; it never touches a socket, a timer or a clock. The session and the
// network layer carry verdicts out.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error_fields.hpp"

namespace fauxgres::faults {

using milliseconds = std::chrono::milliseconds;

// Where in a connection's life a fault is asked.
enum class hook {
  accept,       // TCP/Unix accept, before any byte is read
  ssl_request,  // an SSLRequest arrived
  startup,      // StartupMessage parsed (user, database, application_name known)
  auth,         // the password checked out (or trust), before AuthenticationOk
  ready,        // ReadyForQuery about to be sent: faults may arm a deadline
  query,        // a statement is about to run (simple Query, or Execute)
};
std::string_view to_string(hook h);

// What rules can match on and faults can read; filled in as the connection progresses.
struct connection_facts {
  std::string_view listener;  // listener name, e.g. "tcp0"
  bool unix_socket = false;
  std::string_view client_address;  // "127.0.0.1" or "[local]"
  std::uint64_t ordinal = 0;        // 1 for the server's first connection, and so on
  std::string_view user;            // empty before startup
  std::string_view database;
  std::string_view application_name;
  bool tls = false;
  char transaction_status = 'I';       // at ready
  std::uint64_t open_connections = 0;  // server-wide, this one included
  std::uint64_t open_on_listener = 0;
  milliseconds connected_for{0};  // since accept
  std::uint64_t statements = 0;   // statements run on this connection before this one
  std::string_view statement;     // at query
};

// A verdict: the one thing the fault wants done. `none` lets the connection go on.
struct verdict {
  enum class kind {
    none,
    close,             // close now without a byte (FIN)
    reset,             // close now with an RST (SO_LINGER 0)
    hang,              // keep the socket open, never read or answer again
    fatal,             // send `error` (ErrorResponse, or NoticeResponse for WARNING), then FIN
    error,             // (query) answer the statement with `error`, the session goes on
    delay,             // wait `after`, then go on as normal
    timeout,           // (query) wait `after`, then answer 57014 statement timeout
    ssl_answer,        // (ssl_request) answer with `byte` instead of the normal answer
    deadline,          // (ready) arm a deadline: after `after`, carry out `then`
    reset_after_rows,  // (query) RST after `rows` DataRows were sent
  };
  kind what = kind::none;
  milliseconds after{0};
  protocol::error_fields error;
  char byte = 0;
  std::uint64_t rows = 0;
  // For deadlines: what happens when it expires (fatal / close / reset / hang).
  std::shared_ptr<const verdict> then;
  // For ssl_answer 'S': the certificate to present (valid, self_signed, wrong_host,
  // expired); empty = the server's own.
  std::string certificate;
  // The rule that gave this verdict; set by the engine, empty from a bare fault.
  std::string rule;

  std::string describe() const;  // for events: "fatal 57P05", "reset", "delay 250ms"
};

// Shorthands for building verdicts.
namespace verdicts {
verdict close();
verdict reset();
verdict hang();
verdict fatal(protocol::error_fields error);
verdict error(protocol::error_fields error);
verdict delay(milliseconds after);
verdict timeout(milliseconds after);
verdict ssl_answer(char byte);
verdict deadline(milliseconds after, verdict then);
verdict reset_after_rows(std::uint64_t rows);
}  // namespace verdicts

// Parameters of a rule, as given (`after=5s`): names and raw text values.
using attribute_map = std::map<std::string, std::string, std::less<>>;

// One fault type. Implementations live one per file in faults/, are constructed from
// validated attributes, and answer only the hooks they care about.
class fault {
 public:
  virtual ~fault() = default;
  virtual std::string_view type() const = 0;
  // The hook(s) this fault is asked at.
  virtual bool listens_to(hook h) const = 0;
  // The verdict for this connection at this hook; `none` when it does not apply.
  // `now` is the time since server start.
  virtual verdict decide(hook h, const connection_facts& facts, milliseconds now) const = 0;
  // Whether the fault closes the listener itself (`refuse mode=closed`), answered by
  // engine::listener_closed instead of per connection.
  virtual bool closes_listener() const { return false; }
};

}  // namespace fauxgres::faults
