// Helpers for the fault end-to-end tests: a server started with --fault rules, connects that
// report errno (ECONNREFUSED), waiting for conditions with deadlines, timing, the PG15
// error texts and bytes the faults must reproduce, and the --stats-file JSON.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace fauxgres_test::faults {

using steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

// fauxgres with one `--fault RULE` per entry of `rules`, then `extra` flags.
std::unique_ptr<server_process> start_with_faults(const std::vector<std::string>& rules,
                                                  std::vector<std::string> extra = {});

// Milliseconds since `start`.
milliseconds since(steady::time_point start);

// A plain connect(): 0 on success, else the errno (ECONNREFUSED, ...). The socket is closed.
int connect_errno_tcp(const std::string& host, std::uint16_t port);
int connect_errno_unix(const std::string& path);

// Waits until `fd` is readable (data, EOF or an error), or the deadline.
bool wait_readable(int fd, milliseconds timeout);

// libpq's own blocking PQconnectdb (for libpq-side timeouts such as connect_timeout).
conn_ptr blocking_connect(const params& p);

// PQerrorMessage as a string.
std::string error_text(PGconn* c);
std::string primary_message(const PGresult* r);

// libpq's text for a connection the server closed (EOF) or reset.
inline constexpr const char* server_closed_text =
    "server closed the connection unexpectedly\n"
    "\tThis probably means the server terminated abnormally\n"
    "\tbefore or while processing the request.\n";

// pg_terminate_backend / fast shutdown / kill_all: 57P01, byte for byte (pg15-behaviors.md §8).
inline constexpr const char* admin_terminate_hex =
    "450000007453464154414c0056464154414c00433537503031004d7465726d696e6174696e6720636f6e6e65"
    "6374696f6e2064756520746f2061646d696e6973747261746f7220636f6d6d616e640046706f737467726573"
    "2e63004c33323131005250726f63657373496e74657272757074730000";
inline const std::string admin_text = "terminating connection due to administrator command";

// An idle libpq connection the server terminated: libpq reports "FATAL:  <message>" and the
// closed connection on the next query (the result itself carries no SQLSTATE).
void check_terminated(PGconn* c, const std::string& message);
// Whether a libpq connection over `via` logs in (within 2 s).
bool connects(const server_process& s, transport via = transport::tcp);

// Raw client helpers.
// StartupMessage for user/database (+ extra parameters); no read.
void send_startup(raw_client& c, const std::string& user, const std::string& database,
                  const std::vector<std::pair<std::string, std::string>>& extra = {});
// Logs in (trust) and checks the reply ends in ReadyForQuery 'I'.
void login_ok(raw_client& c, const std::string& user = "u", const std::string& database = "d");
// Sends a simple Query and reads through ReadyForQuery.
std::vector<wire::backend_message> simple_query(raw_client& c, const std::string& sql,
                                                milliseconds timeout = milliseconds(3000));
// The transaction status byte of a ReadyForQuery, or 0.
char ready_status(const std::vector<wire::backend_message>& msgs);

// Expected PG15 ErrorResponse bytes of a fault, hex-encoded for readable diffs.
std::string fatal_hex(const std::string& code, const std::string& message, const std::string& file,
                      int line, const std::string& routine,
                      std::optional<std::string> detail = std::nullopt);
// Injected query errors carry S V C M [D] [H] and no F/L/R.
std::string injected_error_hex(const std::string& severity, const std::string& code,
                               const std::string& message, const std::string& detail = "",
                               const std::string& hint = "");

// A fresh temporary directory, removed with its contents at scope exit.
struct temp_dir {
  std::string path;
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

// Parses a JSON file; throws with the text on failure.
boost::json::value read_json_file(const std::string& path);

}  // namespace fauxgres_test::faults
