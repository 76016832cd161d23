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
  message,      // a frontend message arrived (from the StartupMessage on), or bytes did
  moment,       // a rule's moment() came: put to every connection open then, busy or idle
  server,       // a server-wide action (kill_all, restart, ...): events only, never asked
  data,         // bytes moving (the network faults, faults/toxic.hpp): events only, never asked
};
std::string_view to_string(hook h);

class toxic;  // a network fault's behaviour on a connection's bytes (faults/toxic.hpp)

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
  // At auth: the role is a superuser (a config user with superuser: true; without users,
  // the role postgres, as initdb makes it).
  bool superuser = false;
  // At auth: the password the client logged in with, when there was one. The cleartext
  // method shows it; md5 and SCRAM prove it is the role's configured one, which is given.
  std::string_view password;
  std::uint64_t messages = 0;        // frontend messages so far, from the StartupMessage on
  std::uint64_t bytes_received = 0;  // bytes received from the client so far (after TLS)
  bool message_arrived = false;      // at message: a frontend message (else: bytes arrived)
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

// A server-wide action a rule schedules (kill_all, restart, shutdown, failover), carried
// out by the network layer at `at` after server start. The control API runs the same
// actions on demand.
struct server_action {
  enum class kind { kill_all, restart, shutdown, failover };
  kind what = kind::kill_all;
  milliseconds at{0};
  milliseconds down_for{0};  // restart, failover: how long connects are refused
};
std::string_view to_string(server_action::kind k);
// "kill_all", "restart", ... → the kind; nullopt for anything else.
std::optional<server_action::kind> server_action_kind(std::string_view name);

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
  // For faults at `moment`: the time since server start when the rule is put to every
  // connection open then (terminate).
  virtual std::optional<milliseconds> moment() const { return std::nullopt; }
  // A server action to schedule, for the action types; they are never asked at a hook.
  virtual std::optional<server_action> scheduled() const { return std::nullopt; }
  // For the network faults (Toxiproxy's toxics): how they shape bytes; asked at no hook.
  virtual const toxic* network() const { return nullptr; }
};

}  // namespace fauxgres::faults
