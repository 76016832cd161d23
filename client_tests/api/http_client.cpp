// See http_client.hpp.
#include "http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace fauxgres_test::api {

namespace {

using steady = std::chrono::steady_clock;

int left_ms(steady::time_point deadline) {
  const auto left = std::chrono::ceil<milliseconds>(deadline - steady::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

int open_connection(const std::string& host, std::uint16_t port, steady::time_point deadline) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
    throw std::runtime_error("not an IPv4 address: " + host);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 &&
      errno != EINPROGRESS) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    throw std::runtime_error("connect to the API failed: " + why);
  }
  pollfd p{fd, POLLOUT, 0};
  int error = 0;
  socklen_t size = sizeof error;
  if (::poll(&p, 1, left_ms(deadline)) != 1 ||
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0) {
    ::close(fd);
    throw std::runtime_error("connect to the API failed: " +
                             std::string(error ? std::strerror(error) : "timed out"));
  }
  return fd;
}

void send_all(int fd, const std::string& data, steady::time_point deadline) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      // The server may answer (413) and close before reading everything.
      return;
    }
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, left_ms(deadline)) != 1) throw std::runtime_error("send timed out");
  }
}

// Reads what is there (waiting until the deadline); false at EOF or error or the deadline.
bool read_some(int fd, std::string& into, steady::time_point deadline) {
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, left_ms(deadline));
    if (ready == 0) return false;
    if (ready < 0 && errno != EINTR) return false;
    char buf[8192];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      into.append(buf, static_cast<std::size_t>(n));
      return true;
    }
    if (n == 0) return false;
    if (errno != EAGAIN && errno != EINTR) return false;
  }
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Parses the status line and headers at the start of `raw` (which holds "\r\n\r\n").
std::size_t parse_head(const std::string& raw, int& status,
                       std::map<std::string, std::string>& out) {
  const auto end = raw.find("\r\n\r\n");
  const auto first = raw.find("\r\n");
  const std::string status_line = raw.substr(0, first);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12)
    throw std::runtime_error("bad status line: " + status_line);
  status = std::stoi(status_line.substr(9, 3));
  std::size_t at = first + 2;
  while (at < end) {
    const auto eol = raw.find("\r\n", at);
    const std::string line = raw.substr(at, eol - at);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      out[lower(line.substr(0, colon))] = value;
    }
    at = eol + 2;
  }
  return end + 4;
}

// Decodes complete chunks from `raw` into `text`; true once the last chunk was seen.
bool decode_chunks(std::string& raw, std::string& text) {
  for (;;) {
    const auto eol = raw.find("\r\n");
    if (eol == std::string::npos) return false;
    const std::size_t size = std::stoul(raw.substr(0, eol), nullptr, 16);
    if (size == 0) return true;
    if (raw.size() < eol + 2 + size + 2) return false;
    text.append(raw, eol + 2, size);
    raw.erase(0, eol + 2 + size + 2);
  }
}

}  // namespace

boost::json::value reply::json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec) throw std::runtime_error("not JSON (status " + std::to_string(status) + "): " + body);
  return v;
}

std::string reply::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

reply call(const std::string& host, std::uint16_t port, const std::string& method,
           const std::string& target, const std::string& body, const headers& extra,
           milliseconds timeout) {
  const auto deadline = steady::now() + timeout;
  const int fd = open_connection(host, port, deadline);
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: " + host + ":" +
                        std::to_string(port) + "\r\nConnection: close\r\n";
  for (const auto& [name, value] : extra) request += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
    request +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n" + body;
  std::string raw;
  try {
    send_all(fd, request, deadline);
    while (read_some(fd, raw, deadline)) {
    }
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (raw.find("\r\n\r\n") == std::string::npos)
    throw std::runtime_error(method + " " + target + ": no answer (got " +
                             std::to_string(raw.size()) + " bytes)");
  reply r;
  const std::size_t start = parse_head(raw, r.status, r.headers);
  std::string rest = raw.substr(start);
  if (lower(r.header("transfer-encoding")) == "chunked") {
    decode_chunks(rest, r.body);
  } else {
    r.body = std::move(rest);
  }
  return r;
}

reply client::request(const std::string& method, const std::string& target,
                      const std::string& body) const {
  headers extra;
  if (!token.empty()) extra.emplace_back("Authorization", "Bearer " + token);
  return call(host, port, method, target, body, extra);
}

line_stream::line_stream(const std::string& host, std::uint16_t port, const std::string& target,
                         milliseconds timeout) {
  const auto deadline = steady::now() + timeout;
  fd_ = open_connection(host, port, deadline);
  send_all(fd_, "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n",
           deadline);
  while (raw_.find("\r\n\r\n") == std::string::npos)
    if (!read_some(fd_, raw_, deadline)) throw std::runtime_error("no answer to GET " + target);
  std::map<std::string, std::string> head;
  raw_.erase(0, parse_head(raw_, status_, head));
}

line_stream::~line_stream() {
  if (fd_ >= 0) ::close(fd_);
}

bool line_stream::fill(steady::time_point deadline) {
  if (ended_) return false;
  if (!read_some(fd_, raw_, deadline)) {
    if (steady::now() < deadline) ended_ = true;  // EOF or error, not the deadline
    return false;
  }
  return true;
}

bool line_stream::decode() {
  if (decode_chunks(raw_, text_)) ended_ = true;
  return text_.find('\n') != std::string::npos;
}

std::optional<std::string> line_stream::next_line(milliseconds timeout) {
  const auto deadline = steady::now() + timeout;
  while (!decode()) {
    if (!fill(deadline)) return std::nullopt;
  }
  const auto nl = text_.find('\n');
  std::string line = text_.substr(0, nl);
  text_.erase(0, nl + 1);
  return line;
}

}  // namespace fauxgres_test::api
