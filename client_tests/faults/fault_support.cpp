// Helpers for the fault end-to-end tests (see fault_support.hpp).
#include "fault_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fauxgres_test::faults {

namespace {

int finish_connect(int fd, const sockaddr* addr, socklen_t len) {
  if (fd < 0) return errno;
  const int rc = ::connect(fd, addr, len);  // blocking: loopback answers at once
  const int err = rc == 0 ? 0 : errno;
  ::close(fd);
  return err;
}

}  // namespace

std::unique_ptr<server_process> start_with_faults(const std::vector<std::string>& rules,
                                                  std::vector<std::string> extra) {
  std::vector<std::string> args;
  for (const auto& r : rules) args.insert(args.end(), {"--fault", r});
  args.insert(args.end(), extra.begin(), extra.end());
  return start_server(std::move(args));
}

milliseconds since(steady::time_point start) {
  return std::chrono::duration_cast<milliseconds>(steady::now() - start);
}

int connect_errno_tcp(const std::string& host, std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
    throw std::runtime_error("not an IPv4 address: " + host);
  return finish_connect(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0),
                        reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
}

int connect_errno_unix(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) throw std::runtime_error("path too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return finish_connect(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0),
                        reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
}

bool wait_readable(int fd, milliseconds timeout) {
  const auto deadline = steady::now() + timeout;
  for (;;) {
    const auto left = std::chrono::ceil<milliseconds>(deadline - steady::now()).count();
    pollfd p{fd, POLLIN, 0};
    const int n = ::poll(&p, 1, left < 0 ? 0 : static_cast<int>(left));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return true;
  }
}

conn_ptr blocking_connect(const params& p) {
  return conn_ptr(PQconnectdb(conninfo(p).c_str()));
}

std::string error_text(PGconn* c) {
  const char* m = c ? PQerrorMessage(c) : nullptr;
  return m ? m : "";
}

std::string primary_message(const PGresult* r) {
  const char* m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  return m ? m : "";
}

void send_startup(raw_client& c, const std::string& user, const std::string& database,
                  const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::pair<std::string, std::string>> p{{"user", user}, {"database", database}};
  p.insert(p.end(), extra.begin(), extra.end());
  c.send(wire::startup_message(p));
}

void login_ok(raw_client& c, const std::string& user, const std::string& database) {
  const auto msgs = c.login(user, database);
  INFO("login reply: " << summarize(msgs) << " (peer " << to_string(c.peer_state()) << ")");
  REQUIRE(!msgs.empty());
  REQUIRE(msgs.front().type == 'R');
  REQUIRE(ready_status(msgs) == 'I');
}

std::vector<wire::backend_message> simple_query(raw_client& c, const std::string& sql,
                                                milliseconds timeout) {
  c.send(wire::query(sql));
  return c.read_until('Z', timeout);
}

char ready_status(const std::vector<wire::backend_message>& msgs) {
  if (msgs.empty() || msgs.back().type != 'Z' || msgs.back().body.size() != 1) return 0;
  return static_cast<char>(msgs.back().body[0]);
}

std::string fatal_hex(const std::string& code, const std::string& message, const std::string& file,
                      int line, const std::string& routine, std::optional<std::string> detail) {
  return wire::to_hex(pg_error("FATAL", code, message, file, line, routine, std::move(detail)));
}

std::string injected_error_hex(const std::string& severity, const std::string& code,
                               const std::string& message, const std::string& detail,
                               const std::string& hint) {
  wire::fields f{{'S', severity}, {'V', severity}, {'C', code}, {'M', message}};
  if (!detail.empty()) f.emplace_back('D', detail);
  if (!hint.empty()) f.emplace_back('H', hint);
  return wire::to_hex(wire::error_message('E', f));
}

temp_dir::temp_dir() {
  char tmpl[] = "/tmp/fauxgres-fault-test-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path = tmpl;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

boost::json::value read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto v = boost::json::parse(text.str(), ec);
  if (ec) throw std::runtime_error("not JSON (" + ec.message() + "): " + text.str());
  return v;
}

void check_terminated(PGconn* c, const std::string& message) {
  REQUIRE(wait_readable(PQsocket(c), 5s));
  result_ptr r(PQexec(c, "SELECT 1"));
  CHECK(PQresultStatus(r.get()) == PGRES_FATAL_ERROR);
  CHECK(error_text(c) == "FATAL:  " + message + "\n" + server_closed_text);
  CHECK(PQstatus(c) == CONNECTION_BAD);
}

bool connects(const server_process& s, transport via) {
  auto c = connect(connection_params(s, via), 2s);
  return PQstatus(c.get()) == CONNECTION_OK;
}

}  // namespace fauxgres_test::faults
