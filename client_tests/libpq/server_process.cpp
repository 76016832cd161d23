// Runs a real fauxgres binary for end-to-end tests (see server_process.hpp).
#include "server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

extern char** environ;

#ifndef FAUXGRES_BINARY
#define FAUXGRES_BINARY "fauxgres"
#endif

namespace fauxgres_test {

namespace {

using clock = std::chrono::steady_clock;

int remaining_ms(clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

int open_pidfd(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

// Waits for `pid` to exit before the deadline; its wait status or nullopt.
std::optional<int> wait_with_deadline(pid_t pid, int pidfd, clock::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return std::nullopt;  // not our child any more
    const int ms = remaining_ms(deadline);
    if (ms == 0) return std::nullopt;
    if (pidfd >= 0) {
      pollfd p{pidfd, POLLIN, 0};
      ::poll(&p, 1, ms);
    } else {
      ::poll(nullptr, 0, ms < 5 ? ms : 5);  // no pidfd: bounded re-check
    }
  }
}

struct pipe_pair {
  int read = -1, write = -1;
  pipe_pair() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    read = fds[0];
    write = fds[1];
  }
};

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    out += a.find_first_of(" '\"") == std::string::npos ? a : "'" + a + "'";
  }
  return out;
}

}  // namespace

std::string fauxgres_binary() {
  if (const char* env = std::getenv("FAUXGRES_BINARY"); env && *env) return env;
  return FAUXGRES_BINARY;
}

std::optional<ready_info> parse_ready_line(std::string_view line) {
  constexpr std::string_view prefix = "fauxgres ready on ";
  const auto start = line.find(prefix);
  if (start == std::string_view::npos) return std::nullopt;
  line.remove_prefix(start + prefix.size());
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  ready_info info;
  constexpr std::string_view url_mark = " (url: ";
  if (const auto u = line.find(url_mark); u != std::string_view::npos) {
    auto url = line.substr(u + url_mark.size());
    if (!url.empty() && url.back() == ')') url.remove_suffix(1);
    info.url = std::string(url);
    line = line.substr(0, u);
  }
  while (!line.empty()) {
    const auto comma = line.find(", ");
    auto item = line.substr(0, comma);
    line = comma == std::string_view::npos ? std::string_view{} : line.substr(comma + 2);
    listener_info l;
    if (item.starts_with("api http://")) {
      info.api_url = std::string(item.substr(4));
      const auto address = item.substr(11);
      const auto colon = address.rfind(':');
      if (colon == std::string_view::npos) return std::nullopt;
      auto host = address.substr(0, colon);
      if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
      info.api_host = std::string(host);
      const int port = std::atoi(std::string(address.substr(colon + 1)).c_str());
      if (port <= 0 || port > 65535) return std::nullopt;
      info.api_port = static_cast<std::uint16_t>(port);
      continue;
    }
    if (item.starts_with("tcp ")) {
      item.remove_prefix(4);
      const auto colon = item.rfind(':');
      if (colon == std::string_view::npos) return std::nullopt;
      auto host = item.substr(0, colon);
      if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
      l.type = listener_info::kind::tcp;
      l.host = std::string(host);
      const int port = std::atoi(std::string(item.substr(colon + 1)).c_str());
      if (port <= 0 || port > 65535) return std::nullopt;
      l.port = static_cast<std::uint16_t>(port);
    } else if (item.starts_with("unix ")) {
      item.remove_prefix(5);
      l.type = listener_info::kind::unix_socket;
      l.path = std::string(item);
      const auto dot = l.path.rfind(".s.PGSQL.");
      if (dot == std::string::npos) return std::nullopt;
      l.port = static_cast<std::uint16_t>(std::atoi(l.path.c_str() + dot + 9));
    } else {
      return std::nullopt;
    }
    info.listeners.push_back(std::move(l));
  }
  if (info.listeners.empty()) return std::nullopt;
  return info;
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exited with " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "wait status " + std::to_string(status);
}

bool command_result::exited_ok() const {
  return status >= 0 && !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::optional<int> command_result::exit_code() const {
  if (status < 0 || !WIFEXITED(status)) return std::nullopt;
  return WEXITSTATUS(status);
}

command_result run_command(const std::vector<std::string>& argv,
                           std::chrono::milliseconds timeout) {
  command_result result;
  const auto deadline = clock::now() + timeout;
  pipe_pair out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write, 1);
  posix_spawn_file_actions_adddup2(&actions, err.write, 2);
  pid_t pid = -1;
  auto args = c_argv(argv);
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out.write);
  ::close(err.write);
  if (rc != 0) {
    ::close(out.read);
    ::close(err.read);
    result.err = "spawn " + argv[0] + ": " + std::strerror(rc);
    return result;
  }
  const int pidfd = open_pidfd(pid);
  std::vector<pollfd> fds{{out.read, POLLIN, 0}, {err.read, POLLIN, 0}};
  int open_pipes = 2;
  while (open_pipes > 0) {
    const int n = ::poll(fds.data(), fds.size(), remaining_ms(deadline));
    if (n == 0) break;  // deadline
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[8192];
      const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_pipes;
      }
    }
  }
  for (auto& p : fds)
    if (p.fd >= 0) ::close(p.fd);
  auto status = wait_with_deadline(pid, pidfd, deadline);
  if (!status) {
    result.timed_out = true;
    ::kill(pid, SIGKILL);
    status = wait_with_deadline(pid, pidfd, clock::now() + 5s);
  }
  if (pidfd >= 0) ::close(pidfd);
  result.status = status.value_or(-1);
  return result;
}

server_process::server_process(std::vector<std::string> args)
    : server_process(options{std::move(args)}) {}

server_process::server_process(options opts) {
  char tmpl[] = "/tmp/fauxgres-test-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  work_dir_ = tmpl;
  stderr_path_ = work_dir_ + "/stderr.log";
  launch(opts);
  if (failure_.empty()) wait_ready(opts.ready_timeout);
}

void server_process::launch(const options& opts) {
  argv_ = {fauxgres_binary()};
  argv_.insert(argv_.end(), opts.args.begin(), opts.args.end());
  if (opts.default_listeners) {
    std::string dir = opts.unix_socket_dir;
    if (dir.empty()) {
      dir = work_dir_ + "/sock";
      ::mkdir(dir.c_str(), 0700);
    }
    argv_.insert(argv_.end(), {"--listen", "127.0.0.1:0", "--unix-socket-dir", dir});
  }
  pipe_pair out;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write, 1);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  auto args = c_argv(argv_);
  const auto started = clock::now();
  const int rc = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out.write);
  if (rc != 0) {
    ::close(out.read);
    pid_ = -1;
    failure_ = "spawn " + argv_[0] + ": " + std::strerror(rc);
    return;
  }
  stdout_fd_ = out.read;
  pidfd_ = open_pidfd(pid_);
  time_to_ready_ = std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - started);
}

void server_process::wait_ready(std::chrono::milliseconds timeout) {
  const auto started = clock::now() - time_to_ready_;
  const auto deadline = clock::now() + timeout;
  std::string line_buf;
  for (;;) {
    pollfd p{stdout_fd_, POLLIN, 0};
    const int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n == 0) {
      failure_ = "no ready line within " + std::to_string(timeout.count()) + " ms";
      break;
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      failure_ = std::string("poll: ") + std::strerror(errno);
      break;
    }
    char buf[4096];
    const ssize_t got = ::read(stdout_fd_, buf, sizeof buf);
    if (got <= 0) {
      if (got < 0 && errno == EINTR) continue;
      failure_ = "stdout closed before the ready line";
      exit_status_ = wait_with_deadline(pid_, pidfd_, clock::now() + 2s);
      break;
    }
    {
      std::lock_guard lock(stdout_mutex_);
      stdout_.append(buf, static_cast<std::size_t>(got));
    }
    line_buf.append(buf, static_cast<std::size_t>(got));
    std::size_t nl;
    while ((nl = line_buf.find('\n')) != std::string::npos) {
      const std::string line = line_buf.substr(0, nl);
      line_buf.erase(0, nl + 1);
      if (line.starts_with("fauxgres ready on ")) {
        time_to_ready_ =
            std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - started);
        if (auto info = parse_ready_line(line)) {
          info_ = std::move(*info);
          ready_ = true;
        } else {
          failure_ = "unparsable ready line: " + line;
        }
        drain_ = std::thread([this] { drain_stdout(); });
        return;
      }
    }
  }
  drain_ = std::thread([this] { drain_stdout(); });
}

void server_process::drain_stdout() {
  while (!stop_drain_.load()) {
    pollfd p{stdout_fd_, POLLIN, 0};
    const int n = ::poll(&p, 1, 50);
    if (n <= 0) continue;
    char buf[4096];
    const ssize_t got = ::read(stdout_fd_, buf, sizeof buf);
    if (got == 0) return;
    if (got < 0) {
      if (errno == EINTR) continue;
      return;
    }
    std::lock_guard lock(stdout_mutex_);
    stdout_.append(buf, static_cast<std::size_t>(got));
  }
}

server_process::~server_process() {
  if (pid_ > 0 && !exit_status_) stop(5s);
  stop_drain_ = true;
  if (drain_.joinable()) drain_.join();
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  if (pidfd_ >= 0) ::close(pidfd_);
  const bool failing = std::uncaught_exceptions() > 0 || !ready_;
  if (failing || std::getenv("FAUXGRES_TEST_LOGS")) {
    std::cerr << "---- fauxgres " << diagnostics() << "\n----\n";
  }
  std::error_code ec;
  std::filesystem::remove_all(work_dir_, ec);
}

std::string server_process::diagnostics() const {
  std::string out = "command: " + join(argv_) + "\n";
  if (!failure_.empty()) out += "failure: " + failure_ + "\n";
  if (exit_status_) out += "status: " + describe_wait_status(*exit_status_) + "\n";
  out += "stdout: " + stdout_text() + "\n";
  auto err = stderr_text();
  if (err.size() > 4000) err = "..." + err.substr(err.size() - 4000);
  out += "stderr: " + err;
  return out;
}

std::string server_process::tcp_host() const {
  for (const auto& l : info_.listeners)
    if (l.type == listener_info::kind::tcp) return l.host;
  return {};
}

std::uint16_t server_process::tcp_port() const {
  for (const auto& l : info_.listeners)
    if (l.type == listener_info::kind::tcp) return l.port;
  return 0;
}

std::string server_process::unix_socket_path() const {
  for (const auto& l : info_.listeners)
    if (l.type == listener_info::kind::unix_socket) return l.path;
  return {};
}

std::string server_process::unix_socket_dir() const {
  const auto path = unix_socket_path();
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string{} : path.substr(0, slash);
}

std::uint16_t server_process::unix_port() const {
  for (const auto& l : info_.listeners)
    if (l.type == listener_info::kind::unix_socket) return l.port;
  return 0;
}

bool server_process::signal(int sig) const {
  if (pid_ <= 0 || exit_status_) return false;
  return ::kill(pid_, sig) == 0;
}

std::optional<int> server_process::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_status_) return exit_status_;
  if (pid_ <= 0) return std::nullopt;
  exit_status_ = wait_with_deadline(pid_, pidfd_, clock::now() + timeout);
  return exit_status_;
}

int server_process::stop(std::chrono::milliseconds grace) {
  if (exit_status_) return *exit_status_;
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  if (auto st = wait_exit(grace)) return *st;
  ::kill(pid_, SIGKILL);
  exit_status_ = wait_with_deadline(pid_, pidfd_, clock::now() + 5s);
  return exit_status_.value_or(-1);
}

std::string server_process::stdout_text() const {
  std::lock_guard lock(stdout_mutex_);
  return stdout_;
}

std::string server_process::stderr_text() const {
  return read_file(stderr_path_);
}

}  // namespace fauxgres_test
