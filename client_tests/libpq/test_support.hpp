// Shared helpers for the libpq end-to-end tests: start a server or fail with its
// diagnostics, the command-line flags the tests use, raw connections per transport, and
// expected PostgreSQL 15 bytes.
#pragma once

#include <catch2/catch.hpp>

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pq.hpp"
#include "raw_client.hpp"
#include "server_process.hpp"
#include "wire.hpp"

namespace fauxgres_test {

// PG 15 as recorded in reference/pg15-behaviors.md.
inline constexpr const char* pg_server_version = "15.20 (Debian 15.20-0+deb12u1)";

// Calls `attempt` until it returns true or `timeout` passes, pausing `pace` between tries
// (for conditions that cannot be waited on, like a listener opening again or a server
// closing sockets on its own schedule). True on success.
inline bool retry_until(const std::function<bool()>& attempt, std::chrono::milliseconds timeout,
                        std::chrono::milliseconds pace = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (attempt()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    ::poll(nullptr, 0, static_cast<int>(pace.count()));
  }
}

// Starts fauxgres with `args` (plus --listen 127.0.0.1:0 --unix-socket-dir <temp>); fails
// the test with the server's output if it is not ready in time.
inline std::unique_ptr<server_process> start_server(std::vector<std::string> args = {}) {
  auto s = std::make_unique<server_process>(std::move(args));
  if (!s->ready()) FAIL("fauxgres did not become ready:\n" << s->diagnostics());
  return s;
}

// The --user flag: NAME=PASSWORD, split by the server at the first '='.
inline std::vector<std::string> user_flag(const std::string& name, const std::string& password) {
  return {"--user", name + "=" + password};
}

// A file with the given contents, removed at scope exit (e.g. a --fixtures YAML).
struct temp_file {
  std::string path;
  explicit temp_file(const std::string& contents, const std::string& suffix = ".yaml") {
    std::string tmpl = "/tmp/fauxgres-test-file-XXXXXX" + suffix;
    const int fd = ::mkstemps(tmpl.data(), static_cast<int>(suffix.size()));
    if (fd < 0) throw std::runtime_error("mkstemps failed");
    ::close(fd);
    path = tmpl;
    std::ofstream(path) << contents;
  }
  ~temp_file() { std::remove(path.c_str()); }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
};

// Fixtures answering "SELECT generate_series(1,N)" as PG does (one int4 column named
// generate_series): fauxgres has no SQL engine, so set-returning queries are scripted.
inline std::string generate_series_fixture(int n) {
  std::string rows;
  for (int i = 1; i <= n; ++i) rows += (i > 1 ? ", [" : "[") + std::to_string(i) + "]";
  return "queries:\n"
         "  - match: \"SELECT generate_series(1," +
         std::to_string(n) +
         ")\"\n"
         "    columns: [{name: generate_series, type: int4}]\n"
         "    rows: [" +
         rows + "]\n";
}

inline raw_client raw_connect(const server_process& s, transport via) {
  return via == transport::tcp ? raw_client::tcp(s.tcp_host(), s.tcp_port())
                               : raw_client::unix_socket(s.unix_socket_path());
}

// libpq's "connection to server ... failed: " prefix for this server and transport.
inline std::string libpq_failure_prefix(const server_process& s, transport via) {
  if (via == transport::tcp)
    return "connection to server at \"" + s.tcp_host() + "\", port " +
           std::to_string(s.tcp_port()) + " failed: ";
  return "connection to server on socket \"" + s.unix_socket_path() + "\" failed: ";
}

// A PG-shaped ErrorResponse ('E') or NoticeResponse ('N'): fields S V C M [D] F L R.
inline wire::bytes pg_error(std::string_view severity, std::string_view code, std::string_view msg,
                            std::string_view file, int line, std::string_view routine,
                            std::optional<std::string> detail = std::nullopt, char type = 'E') {
  return wire::error_message(type,
                             wire::pg_fields(severity, code, msg, file, line, routine, detail));
}

// A readable summary of backend messages for failure output: types, plus E/N fields.
inline std::string summarize(const std::vector<wire::backend_message>& msgs) {
  std::string out = wire::type_sequence(msgs);
  for (const auto& m : msgs) {
    if (m.type != 'E' && m.type != 'N') continue;
    out += "\n  " + std::string(1, m.type) + ":";
    if (auto f = wire::parse_fields(m))
      for (const auto& [c, v] : *f) out += " " + std::string(1, c) + "=" + v;
    else
      out += " (malformed) " + wire::describe_bytes(m.body);
  }
  return out;
}

inline std::vector<wire::backend_message> split_all(const wire::bytes& b,
                                                    std::size_t* rest = nullptr) {
  std::size_t used = 0;
  auto msgs = wire::split(b, used);
  if (rest) *rest = b.size() - used;
  return msgs;
}

// Simple-query reply for "SELECT 1" (T D C Z), bytes as PG 15 sends them.
inline wire::bytes select_1_reply(char status = 'I') {
  return wire::concat({wire::from_hex("54000000210001 3f636f6c756d6e3f00 00000000 0000 00000017 "
                                      "0004 ffffffff 0000"),
                       wire::from_hex("44 0000000b 0001 00000001 31"),
                       wire::message('C', wire::writer{}.cstr("SELECT 1")),
                       wire::message('Z', wire::writer{}.u8(static_cast<std::uint8_t>(status)))});
}

// One request to the control API of a server started with --api: the whole HTTP reply,
// empty if none came within 3 s.
inline std::string api_request(const server_process& s, const std::string& method,
                               const std::string& path, const std::string& body = "") {
  auto c = raw_client::tcp(s.info().api_host, s.info().api_port);
  c.send(wire::to_bytes(method + " " + path + " HTTP/1.1\r\nHost: " + s.info().api_host +
                        "\r\nContent-Type: application/json\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body));
  const auto reply = c.read_until_closed(std::chrono::seconds(3));
  return std::string(reply.begin(), reply.end());
}

// The status code of an HTTP reply, 0 if it is not one.
inline int http_status(const std::string& reply) {
  if (reply.size() < 12 || reply.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::stoi(reply.substr(9, 3));
}

// Waits until the server (started with --api) shows a statement running: a connection in
// state "waiting". PG sends nothing while a statement runs, so the client cannot see it;
// a cancel sent after this lands during the statement. False at the deadline.
inline bool wait_statement_running(const server_process& s,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    if (api_request(s, "GET", "/connections").find("\"state\":\"waiting\"") != std::string::npos)
      return true;
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

// The 13 GUC_REPORT parameters in PG 15's order.
inline const std::vector<std::string>& reported_parameter_names() {
  static const std::vector<std::string> names{"application_name",
                                              "client_encoding",
                                              "DateStyle",
                                              "default_transaction_read_only",
                                              "in_hot_standby",
                                              "integer_datetimes",
                                              "IntervalStyle",
                                              "is_superuser",
                                              "server_encoding",
                                              "server_version",
                                              "session_authorization",
                                              "standard_conforming_strings",
                                              "TimeZone"};
  return names;
}

}  // namespace fauxgres_test
