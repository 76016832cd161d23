// A raw TCP / Unix-socket client for byte-exact protocol tests.
#include "raw_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace fauxgres_test {

namespace {

using clock = std::chrono::steady_clock;

int remaining_ms(clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::runtime_error sys_error(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

// Non-blocking connect bounded by `timeout`; returns the connected fd.
int connect_with_deadline(int fd, const sockaddr* addr, socklen_t len,
                          std::chrono::milliseconds timeout, const std::string& what) {
  if (::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
    ::close(fd);
    throw sys_error("fcntl");
  }
  if (::connect(fd, addr, len) == 0) return fd;
  if (errno != EINPROGRESS && errno != EAGAIN) {
    auto e = sys_error("connect " + what);
    ::close(fd);
    throw e;
  }
  pollfd p{fd, POLLOUT, 0};
  const int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (n <= 0) {
    ::close(fd);
    throw std::runtime_error("connect " + what + ": timed out");
  }
  int err = 0;
  socklen_t elen = sizeof err;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
  if (err != 0) {
    ::close(fd);
    throw std::runtime_error("connect " + what + ": " + std::strerror(err));
  }
  return fd;
}

}  // namespace

std::string silent_close(raw_client& c, std::chrono::milliseconds timeout) {
  const auto got = c.read_until_closed(timeout);
  if (!got.empty()) return "received " + wire::describe_bytes(got) + " before the close";
  switch (c.peer_state()) {
    case raw_client::peer::fin:
      return "FIN";
    case raw_client::peer::reset:
      return "RST";
    case raw_client::peer::open:
      break;
  }
  return "still open after " + std::to_string(timeout.count()) + " ms";
}

const char* to_string(raw_client::peer p) {
  switch (p) {
    case raw_client::peer::open:
      return "open";
    case raw_client::peer::fin:
      return "FIN (EOF)";
    case raw_client::peer::reset:
      return "RST (ECONNRESET)";
  }
  return "?";
}

raw_client raw_client::tcp(const std::string& host, std::uint16_t port,
                           std::chrono::milliseconds timeout) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(), &addr.sin_addr) != 1)
    throw std::runtime_error("raw_client: not an IPv4 address: " + host);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw sys_error("socket");
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return raw_client(connect_with_deadline(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr,
                                          timeout, host + ":" + std::to_string(port)));
}

raw_client raw_client::unix_socket(const std::string& path, std::chrono::milliseconds timeout) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path)
    throw std::runtime_error("socket path too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw sys_error("socket");
  return raw_client(connect_with_deadline(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr,
                                          timeout, path));
}

raw_client::raw_client(raw_client&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      buffer_(std::move(other.buffer_)),
      peer_(other.peer_),
      timed_out_(other.timed_out_) {}

raw_client& raw_client::operator=(raw_client&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
    peer_ = other.peer_;
    timed_out_ = other.timed_out_;
  }
  return *this;
}

raw_client::~raw_client() {
  if (fd_ >= 0) ::close(fd_);
}

bool raw_client::try_send(std::span<const std::uint8_t> data, std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, remaining_ms(deadline)) <= 0) return false;
      continue;
    }
    return false;
  }
  return true;
}

void raw_client::send(std::span<const std::uint8_t> data, std::chrono::milliseconds timeout) {
  if (!try_send(data, timeout)) throw sys_error("raw_client send");
}

bool raw_client::fill(clock::time_point deadline) {
  if (peer_ != peer::open) return false;
  pollfd p{fd_, POLLIN, 0};
  const int n = ::poll(&p, 1, remaining_ms(deadline));
  if (n < 0 && errno == EINTR) return true;
  if (n < 0) throw sys_error("poll");
  if (n == 0) {
    timed_out_ = true;
    return false;
  }
  std::uint8_t chunk[65536];
  const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
  if (got > 0) {
    buffer_.insert(buffer_.end(), chunk, chunk + got);
    return true;
  }
  if (got == 0) {
    peer_ = peer::fin;
    return false;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return true;
  if (errno == ECONNRESET || errno == EPIPE) {
    peer_ = peer::reset;
    return false;
  }
  throw sys_error("recv");
}

wire::bytes raw_client::take_all() {
  return std::exchange(buffer_, {});
}

wire::bytes raw_client::read_at_least(std::size_t n, std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  timed_out_ = false;
  while (buffer_.size() < n && fill(deadline)) {
  }
  return take_all();
}

wire::bytes raw_client::read_until_closed(std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  timed_out_ = false;
  while (fill(deadline)) {
  }
  return take_all();
}

wire::bytes raw_client::read_for(std::chrono::milliseconds timeout) {
  return read_until_closed(timeout);
}

std::optional<wire::backend_message> raw_client::read_message(std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  timed_out_ = false;
  for (;;) {
    std::size_t used = 0;
    if (buffer_.size() >= 5) {
      const std::int32_t len = wire::read_i32(buffer_, 1);
      if (len < 4) return std::nullopt;  // garbage: leave it for read_at_least
      const auto total = static_cast<std::size_t>(len) + 1;
      if (buffer_.size() >= total) {
        auto msgs = wire::split(std::span(buffer_).first(total), used);
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(used));
        return msgs.front();
      }
    }
    if (!fill(deadline)) return std::nullopt;
  }
}

std::vector<wire::backend_message> raw_client::read_until(char last,
                                                          std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  std::vector<wire::backend_message> out;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    auto m = read_message(left.count() > 0 ? left : 0ms);
    if (!m) return out;
    out.push_back(std::move(*m));
    if (out.back().type == last) return out;
  }
}

std::vector<wire::backend_message> raw_client::login(const std::string& user,
                                                     const std::string& database,
                                                     std::chrono::milliseconds timeout) {
  send(wire::startup_message({{"user", user}, {"database", database}}));
  return read_until('Z', timeout);
}

void raw_client::shutdown_write() {
  ::shutdown(fd_, SHUT_WR);
}

}  // namespace fauxgres_test
