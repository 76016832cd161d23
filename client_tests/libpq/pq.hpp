// libpq helpers for the client tests: RAII handles, connecting and querying with deadlines
// (non-blocking libpq calls driven by poll), and conninfo built for TCP or the Unix socket.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server_process.hpp"

namespace fauxgres_test {

struct pgconn_deleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct pgresult_deleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using conn_ptr = std::unique_ptr<PGconn, pgconn_deleter>;
using result_ptr = std::unique_ptr<PGresult, pgresult_deleter>;

enum class transport { tcp, unix_socket };
const char* to_string(transport t);

using params = std::vector<std::pair<std::string, std::string>>;

// host/port (TCP or socket directory) of the running server, plus `extra`.
params connection_params(const server_process& server, transport via, params extra = {});

// conninfo "key='value' ..." with libpq quoting.
std::string conninfo(const params& p);
// Percent-encodes for a postgresql:// URL component.
std::string url_encode(std::string_view s);

// Connects within `timeout` (PQconnectStartParams + PQconnectPoll + poll). Never null;
// check PQstatus / PQerrorMessage. A timeout leaves CONNECTION_BAD and sets *timed_out.
conn_ptr connect(const params& p, std::chrono::milliseconds timeout = 5s,
                 bool* timed_out = nullptr);
conn_ptr connect_string(const std::string& conninfo_or_url, std::chrono::milliseconds timeout = 5s,
                        bool* timed_out = nullptr);

// Waits until libpq can return the next result without blocking; false at the deadline.
bool wait_result_ready(PGconn* c, std::chrono::steady_clock::time_point deadline);
// Collects every result of the command just sent, until PQgetResult returns null.
// Throws std::runtime_error at the deadline.
std::vector<result_ptr> collect_results(PGconn* c, std::chrono::milliseconds timeout = 5s);
// One result (the next one), or throws at the deadline. May return null (end of results).
result_ptr next_result(PGconn* c, std::chrono::milliseconds timeout = 5s);

// PQsendQuery + collect_results.
std::vector<result_ptr> exec_all(PGconn* c, const std::string& sql,
                                 std::chrono::milliseconds timeout = 5s);
// Expects exactly one result and returns it (throws otherwise).
result_ptr exec(PGconn* c, const std::string& sql, std::chrono::milliseconds timeout = 5s);

std::string sqlstate(const PGresult* r);
std::string value(const PGresult* r, int row = 0, int col = 0);
std::string status_name(const PGresult* r);

// Collects notices (via the notice receiver) as "severity/sqlstate/message" and full text.
struct notice_log {
  std::vector<std::string> texts;  // PQresultErrorMessage of each notice
  std::vector<std::string> sqlstates;
  std::vector<std::string> severities;  // unlocalized (V)
  void attach(PGconn* c);
};

}  // namespace fauxgres_test
