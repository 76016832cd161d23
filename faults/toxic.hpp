// The network faults, as Toxiproxy's toxics: each shapes the bytes moving in one direction
// of a connection (latency, bandwidth, slicer, limit_data, timeout, reset_peer, slow_close,
// noop). Pure: a toxic turns a `flow` (pieces of a chunk, with the times they pass) into the
// flow that leaves it; the stream shaper chains them and the network layer acts.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faults/attributes.hpp"
#include "faults/fault.hpp"

namespace fauxgres::faults {

using microseconds = std::chrono::microseconds;

// Toxiproxy's names: upstream is client → server (what fauxgres reads), downstream is
// server → client (what it writes).
enum class stream_direction { upstream, downstream };
std::string_view to_string(stream_direction d);

// A time that never comes (a timeout toxic with timeout=0).
inline constexpr microseconds never = microseconds::max();

// One chunk of bytes on its way through a direction's toxics (Toxiproxy's StreamChunks).
// `pieces` pass in order, each carrying the bytes that follow the previous piece's; after
// them, `end` says what becomes of the stream and of the chunk's bytes that did not pass.
struct flow {
  struct piece {
    microseconds at{0};     // when it leaves the toxic (since server start)
    microseconds stamp{0};  // when it entered the chain; latency moves it on
    std::size_t size = 0;
  };
  enum class ending {
    none,   // every byte passed, the stream goes on
    close,  // at end_at the connection closes (FIN); bytes that did not pass are dropped
    reset,  // at end_at the connection is reset (RST); bytes that did not pass are dropped
    hold,   // bytes that did not pass are held while the holding toxic stays; the
            // connection closes at end_at (`never` for timeout=0)
  };
  std::vector<piece> pieces;
  ending end = ending::none;
  microseconds end_at{0};
  std::string_view end_by;  // the type of the toxic that ended it

  std::size_t passed() const;  // bytes in pieces
  // An ending from before a toxic reaches the end of it once the toxic has let its last
  // piece go (`busy`): Toxiproxy's toxics handle their input one chunk at a time.
  void end_after(microseconds busy);
};

// One toxic's state on one connection and direction (Toxiproxy's per-stub state).
struct toxic_state {
  microseconds since{0};                  // when it began applying to the connection
  std::uint64_t passed = 0;               // limit_data: bytes let through so far
  std::optional<microseconds> triggered;  // reset_peer: when data first reached it
};

// splitmix64, seeded per connection and direction, so jitter and slice sizes replay with
// the same --seed.
class random_source {
 public:
  explicit random_source(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::uint64_t below(std::uint64_t n);  // uniform in [0, n); 0 when n is 0

 private:
  std::uint64_t state_;
};

// What every toxic has besides its own attributes.
struct toxic_settings {
  stream_direction stream = stream_direction::downstream;
  double toxicity = 1.0;  // the chance it applies to a given connection
};

// A network fault's behaviour on one direction of a connection.
class toxic {
 public:
  explicit toxic(toxic_settings settings) : settings_(settings) {}
  virtual ~toxic() = default;
  stream_direction stream() const { return settings_.stream; }
  double toxicity() const { return settings_.toxicity; }

  // Moves `f` through this toxic (Toxiproxy's Pipe): the pieces as they leave it, and the
  // ending, its own or one from before it passed on.
  virtual void pipe(flow& f, toxic_state& state, random_source& random) const = 0;
  // timeout: nothing gets through while it applies.
  virtual bool holds() const { return false; }
  // timeout: when it closes the connection, data or not; nullopt for never.
  virtual std::optional<microseconds> closes_at(const toxic_state&) const { return std::nullopt; }
  // slow_close: how long a close waits once it reaches this toxic.
  virtual microseconds close_delay() const { return microseconds(0); }
  // For events and logs: "latency 200ms ±20ms downstream".
  virtual std::string describe() const = 0;

 protected:
  std::string direction_text() const { return std::string(to_string(settings_.stream)); }

 private:
  toxic_settings settings_;
};

// The base of the network fault types: a fault asked at no hook, whose behaviour is a toxic.
class network_fault : public fault, public toxic {
 public:
  using toxic::toxic;
  bool listens_to(hook h) const override { return h == hook::data; }
  verdict decide(hook, const connection_facts&, milliseconds) const override { return {}; }
  const toxic* network() const override { return this; }
};

// Reads `stream` (upstream | downstream, default downstream) and `toxicity` (0 to 1,
// default 1).
toxic_settings read_toxic_settings(attributes& a);
// "200ms", "1.5ms", "250us": for describe().
std::string describe_duration(microseconds d);

}  // namespace fauxgres::faults
