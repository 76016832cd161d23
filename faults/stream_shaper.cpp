// See stream_shaper.hpp.
#include "faults/stream_shaper.hpp"

#include <algorithm>

namespace fauxgres::faults {

bool stream_shaper::update(const std::vector<network_toxic>& toxics, microseconds now) {
  std::vector<link> next;
  for (const auto& t : toxics) {
    const toxic* params = t.impl ? t.impl->network() : nullptr;
    if (!params || params->stream() != direction_) continue;
    auto same =
        std::find_if(links_.begin(), links_.end(), [&](const link& l) { return l.id == t.id; });
    if (same != links_.end()) {
      next.push_back(std::move(*same));
    } else {
      link l;
      l.id = t.id;
      l.owner = t.impl;
      l.params = params;
      l.state.since = now;
      next.push_back(std::move(l));
    }
  }
  // (A moved-from link keeps its id.)
  const bool changed = next.size() != links_.size() ||
                       !std::equal(next.begin(), next.end(), links_.begin(),
                                   [](const link& a, const link& b) { return a.id == b.id; });
  links_ = std::move(next);
  return changed;
}

flow stream_shaper::shape(std::size_t size, microseconds now, microseconds stamp) {
  flow f;
  f.pieces.push_back({now, stamp, size});
  for (auto& l : links_) l.params->pipe(f, l.state, random_);
  return f;
}

bool stream_shaper::holds() const {
  return std::any_of(links_.begin(), links_.end(), [](const link& l) { return l.params->holds(); });
}

microseconds stream_shaper::deadline() const {
  microseconds soonest = never;
  for (std::size_t i = 0; i < links_.size(); ++i) {
    auto at = links_[i].params->closes_at(links_[i].state);
    if (!at) continue;
    for (std::size_t j = i + 1; j < links_.size(); ++j) *at += links_[j].params->close_delay();
    soonest = std::min(soonest, *at);
  }
  return soonest;
}

microseconds stream_shaper::close_delay() const {
  microseconds total{0};
  for (const auto& l : links_) total += l.params->close_delay();
  return total;
}

}  // namespace fauxgres::faults
