// The floor: the least CPU any single-threaded epoll server can spend per pgbench
// transaction. It answers every statement with canned `SELECT 1` bytes, parses nothing
// but frame headers, and makes one recv and one send per request. scripts/bench runs it
// beside fauxgres and PostgreSQL so the kernel's share of a ratio is measured, not guessed.
// Not a PostgreSQL server: no auth, no errors, no state.
//
// usage: floor_server [--unix-socket-dir DIR]   prints "ready tcp PORT" once listening on
//                                               127.0.0.1:PORT (and DIR/.s.PGSQL.5432)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace {

constexpr std::int32_t ssl_request = 80877103, gssenc_request = 80877104;

std::uint32_t read_u32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return ntohl(v);
}

class reply {
 public:
  void message(char type, std::string_view body) {
    bytes_ += type;
    const std::uint32_t length = htonl(static_cast<std::uint32_t>(body.size() + 4));
    bytes_.append(reinterpret_cast<const char*>(&length), 4);
    bytes_ += body;
  }
  void byte(char c) { bytes_ += c; }
  const std::string& bytes() const { return bytes_; }
  void clear() { bytes_.clear(); }

 private:
  std::string bytes_;
};

using namespace std::string_view_literals;
// One int4 column "?column?", its row "1", and the tag.
constexpr auto row_description = "\0\1?column?\0\0\0\0\0\0\0\0\0\0\x17\0\4\xff\xff\xff\xff\0\0"sv;
constexpr auto data_row =
    "\0\1\0\0\0\1"
    "1"sv;
constexpr auto select_tag = "SELECT 1\0"sv;

struct connection {
  int fd;
  bool started = false;
  std::size_t used = 0;
  std::array<char, 16384> in{};
};

void answer_startup(reply& out) {
  out.message('R', "\0\0\0\0"sv);
  out.message('S', "server_version\00015.0\0"sv);
  out.message('S', "client_encoding\0UTF8\0"sv);
  out.message('S', "DateStyle\0ISO, MDY\0"sv);
  out.message('S', "integer_datetimes\0on\0"sv);
  out.message('S', "standard_conforming_strings\0on\0"sv);
  out.message('K', "\0\0\0\1\0\0\0\2"sv);
  out.message('Z', "I"sv);
}

// Answers every whole message in the buffer; false when the connection should close.
bool answer(connection& c, reply& out) {
  std::size_t at = 0;
  bool open = true;
  while (open) {
    const char* p = c.in.data() + at;
    const std::size_t left = c.used - at;
    if (!c.started) {
      if (left < 8) break;
      if (read_u32(p) < 8) return false;  // cannot be a packet
      if (left < read_u32(p)) break;
      const auto code = static_cast<std::int32_t>(read_u32(p + 4));
      at += read_u32(p);
      if (code == ssl_request || code == gssenc_request) {
        out.byte('N');
      } else if (code >> 16 == 3) {
        c.started = true;
        answer_startup(out);
      } else {
        open = false;  // CancelRequest or anything else
      }
      continue;
    }
    if (left < 5) break;
    if (read_u32(p + 1) < 4) return false;  // cannot be a message
    if (left < 1 + read_u32(p + 1)) break;
    at += 1 + read_u32(p + 1);
    switch (p[0]) {
      case 'P':
        out.message('1', {});
        break;
      case 'B':
        out.message('2', {});
        break;
      case 'D':
        if (p[5] == 'S') out.message('t', "\0\0"sv);
        out.message('T', row_description);
        break;
      case 'E':
        out.message('D', data_row);
        out.message('C', select_tag);
        break;
      case 'C':
        out.message('3', {});
        break;
      case 'S':
        out.message('Z', "I"sv);
        break;
      case 'Q':
        out.message('T', row_description);
        out.message('D', data_row);
        out.message('C', select_tag);
        out.message('Z', "I"sv);
        break;
      case 'X':
        open = false;
        break;
      default:
        break;
    }
  }
  if (c.used - at == c.in.size()) return false;  // larger than the buffer
  std::memmove(c.in.data(), c.in.data() + at, c.used - at);
  c.used -= at;
  return open;
}

int listen_on(int fd, const sockaddr* address, socklen_t size) {
  if (fd < 0 || bind(fd, address, size) != 0 || listen(fd, 1024) != 0) {
    std::perror("floor_server: listen");
    std::exit(1);
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  std::string socket_dir =
      argc == 3 && std::string_view(argv[1]) == "--unix-socket-dir" ? argv[2] : "";
  const int one = 1;
  sockaddr_in tcp{};
  tcp.sin_family = AF_INET;
  tcp.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int tcp_fd = listen_on(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0),
                               reinterpret_cast<sockaddr*>(&tcp), sizeof tcp);
  socklen_t size = sizeof tcp;
  getsockname(tcp_fd, reinterpret_cast<sockaddr*>(&tcp), &size);
  int unix_fd = -1;
  if (!socket_dir.empty()) {
    sockaddr_un local{};
    local.sun_family = AF_UNIX;
    std::snprintf(local.sun_path, sizeof local.sun_path, "%s/.s.PGSQL.5432", socket_dir.c_str());
    unlink(local.sun_path);
    unix_fd = listen_on(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0),
                        reinterpret_cast<sockaddr*>(&local), sizeof local);
  }

  const int poller = epoll_create1(0);
  for (int fd : {tcp_fd, unix_fd}) {
    if (fd < 0) continue;
    epoll_event event{EPOLLIN, {.u64 = static_cast<std::uint64_t>(fd)}};
    epoll_ctl(poller, EPOLL_CTL_ADD, fd, &event);
  }
  std::printf("ready tcp %d\n", ntohs(tcp.sin_port));
  std::fflush(stdout);

  reply out;
  std::array<epoll_event, 64> events;
  while (true) {
    const int n = epoll_wait(poller, events.data(), static_cast<int>(events.size()), -1);
    for (int i = 0; i < n; ++i) {
      const auto tag = events[i].data.u64;
      if (tag == static_cast<std::uint64_t>(tcp_fd) || tag == static_cast<std::uint64_t>(unix_fd)) {
        const int fd = accept4(static_cast<int>(tag), nullptr, nullptr, SOCK_NONBLOCK);
        if (fd < 0) continue;
        if (static_cast<int>(tag) == tcp_fd)
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto* c = new connection{fd, false, 0, {}};
        epoll_event event{EPOLLIN, {.ptr = c}};
        epoll_ctl(poller, EPOLL_CTL_ADD, fd, &event);
        continue;
      }
      std::unique_ptr<connection> c(static_cast<connection*>(events[i].data.ptr));
      const auto got = recv(c->fd, c->in.data() + c->used, c->in.size() - c->used, 0);
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) {
        c.release();
        continue;
      }
      bool open = got > 0;
      out.clear();
      if (open) {
        c->used += static_cast<std::size_t>(got);
        open = answer(*c, out);
      }
      if (!out.bytes().empty()) send(c->fd, out.bytes().data(), out.bytes().size(), MSG_NOSIGNAL);
      if (open)
        c.release();
      else
        close(c->fd);  // the connection is freed with c
    }
  }
}
