// A connection's network faults (Toxiproxy's toxics), kept only by connections that met a
// network rule: a stream shaper per direction, bytes planned or held, and a timer.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <string>

#include "faults/stream_shaper.hpp"

namespace fauxgres::net {

// One direction: its shaper, and bytes not passed yet, either on their way (`plan`, from
// `offset`) or held by a timeout toxic.
struct network_direction {
  network_direction(faults::stream_direction d, std::uint64_t seed) : shaper(d, seed) {}

  faults::stream_shaper shaper;
  std::string bytes;       // not passed yet: bytes[offset..]
  std::size_t offset = 0;  // bytes before it have passed
  bool planned = false;    // `plan` applies to bytes[offset..]
  faults::flow plan;       // its pieces from `next` on are still to pass
  std::size_t next = 0;
  std::uint64_t planned_with = 0;  // network_state::version the plan was made with
  bool held = false;               // bytes[offset..] wait for the holding toxic to go

  std::string_view pending() const { return std::string_view(bytes).substr(offset); }
  bool empty() const { return offset >= bytes.size(); }
  void clear() {
    bytes.clear();
    offset = 0;
    planned = false;
    held = false;
    plan = {};
    next = 0;
  }
};

struct network_state {
  network_state(boost::asio::any_io_executor executor, faults::engine& rules, std::uint64_t seed)
      : engine(&rules),
        up(faults::stream_direction::upstream, seed),
        down(faults::stream_direction::downstream, seed ^ 0x5bd1e995u),
        timer(std::move(executor)) {}

  faults::engine* engine;
  network_direction up;             // client → server: what fauxgres reads
  network_direction down;           // server → client: what it writes
  boost::asio::steady_timer timer;  // waits for plans, deadlines, slow_close
  std::uint64_t version = 1;        // bumped when a chain changes: plans are made again
  std::chrono::microseconds recheck_at = faults::never;  // a rule's window edge
  bool user_known = false;                               // the engine was asked with the user
  // When the bytes being flushed were produced (latency counts from then, so the TLS
  // records of one answer wait once); `never` outside flush().
  std::chrono::microseconds down_stamp = faults::never;
  bool closing = false;  // close() runs: reads end at once
  std::string ended_by;  // the toxic that ended the connection
};

}  // namespace fauxgres::net
