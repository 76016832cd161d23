// The stream shaper: one direction of one connection, with the toxics in effect on it chained
// in rule order (Toxiproxy chains toxics in the order they were added). Given a chunk of bytes
// and the time, it says when each piece of it passes and how the stream ends (closed, reset,
// held). Pure: the network layer waits, writes, closes.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "faults/rules.hpp"
#include "faults/toxic.hpp"

namespace fauxgres::faults {

class stream_shaper {
 public:
  struct link {
    std::uintptr_t id = 0;               // the rule (see network_toxic::id)
    std::shared_ptr<const fault> owner;  // keeps `params` alive
    const toxic* params = nullptr;
    toxic_state state;
  };

  stream_shaper(stream_direction direction, std::uint64_t seed)
      : direction_(direction), random_(seed) {}

  // The toxics in effect now (the engine's answer; those of the other direction are left
  // out), in order. Toxics already in the chain keep their state; new ones start at `now`.
  // True if the chain changed.
  bool update(const std::vector<network_toxic>& toxics, microseconds now);
  bool empty() const { return links_.empty(); }
  const std::vector<link>& links() const { return links_; }

  // A chunk of `size` bytes, available at `now`, that entered the network at `stamp` (for
  // latency): when each piece passes and how the stream ends.
  flow shape(std::size_t size, microseconds now, microseconds stamp);
  flow shape(std::size_t size, microseconds now) { return shape(size, now, now); }

  // A timeout toxic holds whatever reaches it.
  bool holds() const;
  // When a timeout toxic closes the connection, data or not (slow_close toxics after it
  // included); `never` if none does.
  microseconds deadline() const;
  // How long a close entering this direction waits (slow_close toxics, added up).
  microseconds close_delay() const;

 private:
  stream_direction direction_;
  random_source random_;
  std::vector<link> links_;
};

}  // namespace fauxgres::faults
