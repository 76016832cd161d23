// A raw TCP / Unix-socket client for byte-exact protocol tests: send bytes, read with a
// deadline, tell a FIN (EOF) from an RST (ECONNRESET), and read whole backend messages.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wire.hpp"

namespace fauxgres_test {

using namespace std::chrono_literals;

class raw_client {
 public:
  enum class peer { open, fin, reset };

  // Connects within `timeout`; throws std::runtime_error on failure.
  static raw_client tcp(const std::string& host, std::uint16_t port,
                        std::chrono::milliseconds timeout = 3s);
  static raw_client unix_socket(const std::string& path, std::chrono::milliseconds timeout = 3s);

  raw_client(raw_client&& other) noexcept;
  raw_client& operator=(raw_client&& other) noexcept;
  raw_client(const raw_client&) = delete;
  raw_client& operator=(const raw_client&) = delete;
  ~raw_client();

  // Writes everything or throws (EPIPE/ECONNRESET included) within `timeout`.
  void send(std::span<const std::uint8_t> data, std::chrono::milliseconds timeout = 3s);
  // Same, but reports failure instead of throwing.
  bool try_send(std::span<const std::uint8_t> data, std::chrono::milliseconds timeout = 3s);

  // Reads until at least `n` bytes are buffered, the peer closes, or the deadline passes.
  // Returns (and removes) everything buffered.
  wire::bytes read_at_least(std::size_t n, std::chrono::milliseconds timeout);
  // Reads until the peer closes (FIN or RST) or the deadline; returns everything buffered.
  wire::bytes read_until_closed(std::chrono::milliseconds timeout);
  // Reads what arrives within `timeout` (returns early on close).
  wire::bytes read_for(std::chrono::milliseconds timeout);

  // One complete backend message, or nullopt on close / deadline.
  std::optional<wire::backend_message> read_message(std::chrono::milliseconds timeout);
  // Messages up to and including the first one of type `last` (e.g. 'Z'); stops early on
  // close or deadline (check peer_state() / the last type).
  std::vector<wire::backend_message> read_until(char last, std::chrono::milliseconds timeout);

  // Logs in with a StartupMessage (trust); returns the startup reply through 'Z'.
  std::vector<wire::backend_message> login(const std::string& user, const std::string& database,
                                           std::chrono::milliseconds timeout = 3s);

  peer peer_state() const { return peer_; }
  bool timed_out() const { return timed_out_; }  // last read hit its deadline
  std::size_t buffered() const { return buffer_.size(); }
  void shutdown_write();
  int fd() const { return fd_; }

 private:
  explicit raw_client(int fd) : fd_(fd) {}
  // One poll+recv step before `deadline`; false when nothing more can arrive.
  bool fill(std::chrono::steady_clock::time_point deadline);
  wire::bytes take_all();

  int fd_ = -1;
  wire::bytes buffer_;
  peer peer_ = peer::open;
  bool timed_out_ = false;
};

const char* to_string(raw_client::peer p);

// Reads until the peer closes: "FIN" or "RST" when it sent nothing more, else what happened
// instead (the bytes that came, or no close before `timeout`). For the many checks that a
// connection ends without a byte: CHECK(silent_close(c) == "RST").
std::string silent_close(raw_client& c, std::chrono::milliseconds timeout = 3s);

}  // namespace fauxgres_test
