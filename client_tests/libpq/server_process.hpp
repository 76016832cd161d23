// Runs a real fauxgres binary for end-to-end tests: spawns it listening on 127.0.0.1:0 and
// a fresh Unix socket directory, waits (with a deadline, no sleeps) for its ready line on
// stdout, and on destruction stops exactly that child (SIGTERM, then SIGKILL after a
// deadline) and removes its temporary directory. Also a bounded run_command() for CLI tests.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace fauxgres_test {

using namespace std::chrono_literals;

// The binary under test: $FAUXGRES_BINARY if set, else the path baked in at build time.
std::string fauxgres_binary();

// One listener from the ready line: "tcp HOST:PORT" or "unix PATH".
struct listener_info {
  enum class kind { tcp, unix_socket };
  kind type = kind::tcp;
  std::string host;        // tcp
  std::uint16_t port = 0;  // tcp port, or the .s.PGSQL.<port> suffix for unix
  std::string path;        // unix: full socket path
};

struct ready_info {
  std::vector<listener_info> listeners;
  std::string url;
  // With --api: ", api http://HOST:PORT" after the listeners.
  std::string api_url;  // "http://127.0.0.1:PORT", empty without --api
  std::string api_host;
  std::uint16_t api_port = 0;
};

// Parses "fauxgres ready on tcp 127.0.0.1:PORT, unix DIR/.s.PGSQL.5432[, api http://H:P]
// (url: ...)".
std::optional<ready_info> parse_ready_line(std::string_view line);

// "exited with 0", "killed by signal 9", ...
std::string describe_wait_status(int status);

struct command_result {
  int status = -1;         // raw wait status; -1 if it could not be spawned
  bool timed_out = false;  // killed at the deadline
  std::string out;
  std::string err;
  bool exited_ok() const;  // exited normally with code 0
  std::optional<int> exit_code() const;
};

// Runs argv[0] (looked up in PATH) with the rest as arguments; kills it at the deadline.
command_result run_command(const std::vector<std::string>& argv,
                           std::chrono::milliseconds timeout = 10s);

class server_process {
 public:
  struct options {
    std::vector<std::string> args;
    bool default_listeners = true;  // add --listen 127.0.0.1:0 --unix-socket-dir <dir>
    std::string unix_socket_dir;    // empty: <fresh temp dir>/sock
    std::chrono::milliseconds ready_timeout{10s};
  };

  explicit server_process(options opts);
  explicit server_process(std::vector<std::string> args = {});
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;
  ~server_process();

  bool ready() const { return ready_; }
  // Command line, exit status, stdout and the tail of stderr: for failure messages.
  std::string diagnostics() const;

  pid_t pid() const { return pid_; }
  const ready_info& info() const { return info_; }
  std::string tcp_host() const;
  std::uint16_t tcp_port() const;
  std::string unix_socket_path() const;
  std::string unix_socket_dir() const;  // directory part of unix_socket_path()
  std::uint16_t unix_port() const;
  const std::string& work_dir() const { return work_dir_; }  // scratch space for the test
  std::chrono::microseconds time_to_ready() const { return time_to_ready_; }

  bool signal(int sig) const;
  // Waits for the child to exit; its wait status, or nullopt at the deadline.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  // SIGTERM, wait up to `grace`, then SIGKILL; returns the wait status.
  int stop(std::chrono::milliseconds grace = 5s);
  bool exited() const { return exit_status_.has_value(); }

  std::string stdout_text() const;
  std::string stderr_text() const;

 private:
  void launch(const options& opts);
  void wait_ready(std::chrono::milliseconds timeout);
  void drain_stdout();

  std::vector<std::string> argv_;
  std::string work_dir_;
  std::string stderr_path_;
  pid_t pid_ = -1;
  int pidfd_ = -1;
  int stdout_fd_ = -1;
  bool ready_ = false;
  std::string failure_;
  ready_info info_;
  std::chrono::microseconds time_to_ready_{0};
  std::optional<int> exit_status_;

  mutable std::mutex stdout_mutex_;
  std::string stdout_;
  std::atomic<bool> stop_drain_{false};
  std::thread drain_;
};

}  // namespace fauxgres_test
