// Helpers for the network fault tests: build a toxic from --fault text, a chunk as it enters
// the chain, and times in microseconds since server start (a fake clock).
#pragma once

#include "faults/stream_shaper.hpp"
#include "faults/testing.hpp"
#include "faults/toxic.hpp"

namespace fauxgres::faults::testing {

// The rule built from `text` (its fault kept alive with it) and its toxic.
struct built_toxic {
  rule r;
  const toxic& get() const { return *r.impl->network(); }
};
inline built_toxic toxic_from(std::string_view text) {
  built_toxic b{parse_rule(text)};
  REQUIRE(b.r.impl->network() != nullptr);
  return b;
}

// A chunk of `size` bytes entering the chain at `at`.
inline flow chunk(std::size_t size, microseconds at) {
  flow f;
  f.pieces.push_back({at, at, size});
  return f;
}

// The sizes and times of a flow's pieces, for compact checks.
inline std::vector<std::size_t> sizes(const flow& f) {
  std::vector<std::size_t> out;
  for (const auto& p : f.pieces) out.push_back(p.size);
  return out;
}
inline std::vector<microseconds> times(const flow& f) {
  std::vector<microseconds> out;
  for (const auto& p : f.pieces) out.push_back(p.at);
  return out;
}

// The engine's answer as a chain, from --fault texts (every rule applies).
inline std::vector<network_toxic> chain_of(const std::vector<rule>& rules) {
  std::vector<network_toxic> out;
  for (const auto& r : rules)
    out.push_back({reinterpret_cast<std::uintptr_t>(r.impl.get()), r.impl});
  return out;
}

}  // namespace fauxgres::faults::testing
