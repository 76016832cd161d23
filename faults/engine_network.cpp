// The engine's network rules: which toxics are in effect on a connection now. Toxiproxy
// draws a toxic's toxicity when the toxic starts on a connection; here the draw (toxicity ×
// probability, from the seeded generator) is taken once per rule and connection and kept.
#include <algorithm>

#include "faults/rules.hpp"
#include "faults/toxic.hpp"

namespace fauxgres::faults {

bool engine::has_network_rules() const {
  return std::any_of(rules_.begin(), rules_.end(),
                     [](const rule& r) { return r.impl && r.impl->network(); });
}

network_answer engine::network(const connection_facts& facts, std::uint64_t connection,
                               milliseconds now) {
  network_answer out;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const rule& r = rules_[i];
    const toxic* t = r.impl ? r.impl->network() : nullptr;
    if (!t) continue;
    if (r.from > now) out.recheck_at = std::min(out.recheck_at, r.from);
    if (r.until && *r.until > now) out.recheck_at = std::min(out.recheck_at, *r.until);
    if (now < r.from || (r.until && now >= *r.until) || !r.match.matches(facts)) continue;
    const std::pair key{connection, reinterpret_cast<std::uintptr_t>(r.impl.get())};
    auto drawn = network_draws_.find(key);
    if (drawn == network_draws_.end()) {
      if (r.times && fired_[i] >= *r.times) continue;  // no budget: ask again later
      // Draws only strictly between 0 and 1, as decide() does.
      const double p = r.probability * t->toxicity();
      const bool applies = p >= 1.0 || (p > 0.0 && draw() < p);
      drawn = network_draws_.emplace(key, network_draw{r.impl, applies}).first;
      if (applies) record(i, hook::data, connection, now, t->describe());
    }
    if (drawn->second.applies) out.toxics.push_back({key.second, r.impl});
  }
  return out;
}

void engine::forget_network(std::uint64_t connection) {
  network_draws_.erase(network_draws_.lower_bound({connection, 0}),
                       network_draws_.lower_bound({connection + 1, 0}));
}

}  // namespace fauxgres::faults
