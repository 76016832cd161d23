// libpq helpers for the client tests (see pq.hpp).
#include "pq.hpp"

#include <poll.h>

#include <cctype>
#include <cerrno>
#include <stdexcept>

namespace fauxgres_test {

namespace {

using clock = std::chrono::steady_clock;

int remaining_ms(clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

bool poll_socket(PGconn* c, short events, clock::time_point deadline) {
  const int fd = PQsocket(c);
  if (fd < 0) return true;  // let libpq report the failure
  pollfd p{fd, events, 0};
  for (;;) {
    const int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return true;
  }
}

conn_ptr drive_connect(PGconn* raw, std::chrono::milliseconds timeout, bool* timed_out) {
  conn_ptr c(raw);
  if (timed_out) *timed_out = false;
  if (!c || PQstatus(c.get()) == CONNECTION_BAD) return c;
  const auto deadline = clock::now() + timeout;
  PostgresPollingStatusType st = PGRES_POLLING_WRITING;
  for (;;) {
    if (st == PGRES_POLLING_OK || st == PGRES_POLLING_FAILED) return c;
    const short events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT;
    if (!poll_socket(c.get(), events, deadline)) {
      if (timed_out) *timed_out = true;
      return c;
    }
    st = PQconnectPoll(c.get());
  }
}

}  // namespace

const char* to_string(transport t) {
  return t == transport::tcp ? "tcp" : "unix";
}

params connection_params(const server_process& server, transport via, params extra) {
  params p;
  if (via == transport::tcp) {
    p.emplace_back("host", server.tcp_host());
    p.emplace_back("port", std::to_string(server.tcp_port()));
  } else {
    p.emplace_back("host", server.unix_socket_dir());
    p.emplace_back("port", std::to_string(server.unix_port()));
  }
  bool has_user = false;
  for (const auto& [k, v] : extra) has_user = has_user || k == "user";
  if (!has_user) p.emplace_back("user", "fauxtest");
  for (auto& kv : extra) {
    // Later entries override earlier ones, as in a conninfo string.
    std::erase_if(p, [&](const auto& e) { return e.first == kv.first; });
    p.push_back(std::move(kv));
  }
  return p;
}

std::string conninfo(const params& p) {
  std::string out;
  for (const auto& [k, v] : p) {
    if (!out.empty()) out += ' ';
    out += k + "='";
    for (char ch : v) {
      if (ch == '\'' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '\'';
  }
  return out;
}

std::string url_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  return out;
}

conn_ptr connect(const params& p, std::chrono::milliseconds timeout, bool* timed_out) {
  std::vector<const char*> keys, values;
  for (const auto& [k, v] : p) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  return drive_connect(PQconnectStartParams(keys.data(), values.data(), 0), timeout, timed_out);
}

conn_ptr connect_string(const std::string& info, std::chrono::milliseconds timeout,
                        bool* timed_out) {
  return drive_connect(PQconnectStart(info.c_str()), timeout, timed_out);
}

bool wait_result_ready(PGconn* c, clock::time_point deadline) {
  for (;;) {
    if (!PQconsumeInput(c)) return true;  // PQgetResult will report the error
    if (!PQisBusy(c)) return true;
    if (!poll_socket(c, POLLIN, deadline)) return false;
  }
}

result_ptr next_result(PGconn* c, std::chrono::milliseconds timeout) {
  if (!wait_result_ready(c, clock::now() + timeout))
    throw std::runtime_error("timed out after " + std::to_string(timeout.count()) +
                             " ms waiting for a result");
  return result_ptr(PQgetResult(c));
}

std::vector<result_ptr> collect_results(PGconn* c, std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  std::vector<result_ptr> out;
  for (int guard = 0; guard < 10000; ++guard) {
    if (!wait_result_ready(c, deadline))
      throw std::runtime_error("timed out after " + std::to_string(timeout.count()) +
                               " ms waiting for results");
    result_ptr r(PQgetResult(c));
    if (!r) return out;
    const auto st = PQresultStatus(r.get());
    out.push_back(std::move(r));
    // COPY states never end by themselves; the tests do not use COPY.
    if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) return out;
  }
  throw std::runtime_error("too many results");
}

std::vector<result_ptr> exec_all(PGconn* c, const std::string& sql,
                                 std::chrono::milliseconds timeout) {
  if (!PQsendQuery(c, sql.c_str()))
    throw std::runtime_error("PQsendQuery failed: " + std::string(PQerrorMessage(c)));
  return collect_results(c, timeout);
}

result_ptr exec(PGconn* c, const std::string& sql, std::chrono::milliseconds timeout) {
  auto results = exec_all(c, sql, timeout);
  if (results.size() != 1)
    throw std::runtime_error("expected 1 result for \"" + sql + "\", got " +
                             std::to_string(results.size()) +
                             "; connection error: " + PQerrorMessage(c));
  return std::move(results.front());
}

std::string sqlstate(const PGresult* r) {
  const char* s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  return s ? s : "";
}

std::string value(const PGresult* r, int row, int col) {
  if (!r || row >= PQntuples(r) || col >= PQnfields(r)) return "<no value>";
  if (PQgetisnull(r, row, col)) return "<null>";
  return std::string(PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col)));
}

std::string status_name(const PGresult* r) {
  return r ? PQresStatus(PQresultStatus(r)) : "<null result>";
}

void notice_log::attach(PGconn* c) {
  PQsetNoticeReceiver(
      c,
      [](void* arg, const PGresult* r) {
        auto* self = static_cast<notice_log*>(arg);
        self->texts.emplace_back(PQresultErrorMessage(r));
        const char* st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        self->sqlstates.emplace_back(st ? st : "");
        const char* sev = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
        self->severities.emplace_back(sev ? sev : "");
      },
      this);
}

}  // namespace fauxgres_test
