// The engine: rules asked in order, one seeded generator, per-rule counts and the event log.
#include <algorithm>
#include <set>

#include "config/error.hpp"
#include "faults/rules.hpp"

namespace fauxgres::faults {
namespace {

constexpr unsigned bit(hook h) {
  return 1u << static_cast<unsigned>(h);
}

constexpr hook all_hooks[] = {hook::accept, hook::ssl_request, hook::startup, hook::auth,
                              hook::ready,  hook::query,       hook::message, hook::moment};

// "<type>#<n>" with the smallest n no rule uses yet.
std::string free_name(const std::vector<rule>& rules, const std::string& type) {
  for (std::size_t n = 1;; ++n) {
    auto name = type + "#" + std::to_string(n);
    if (std::none_of(rules.begin(), rules.end(), [&](const rule& r) { return r.name == name; }))
      return name;
  }
}

// Unnamed rules become "<type>#<n>", n counting the rules of that type from 1.
void name_rules(std::vector<rule>& rules) {
  std::vector<std::string> seen_types;
  for (auto& r : rules) {
    seen_types.push_back(r.type);
    if (!r.name.empty()) continue;
    const auto n = std::count(seen_types.begin(), seen_types.end(), r.type);
    r.name = r.type + "#" + std::to_string(n);
  }
  std::set<std::string> names;
  for (const auto& r : rules) {
    if (!names.insert(r.name).second) {
      throw config::error(r.field + ".name", r.name, "another rule has this name");
    }
  }
}

}  // namespace

engine::engine(std::vector<rule> rules, std::uint64_t seed)
    : rules_(std::move(rules)), fired_(rules_.size(), 0), seed_(seed), state_(seed) {
  name_rules(rules_);
  rules_changed();
}

void engine::rules_changed() {
  hooks_ = 0;
  for (const auto& r : rules_) {
    for (hook h : all_hooks) {
      if (r.impl && r.impl->listens_to(h)) hooks_ |= bit(h);
    }
  }
  ++generation_;
}

const rule& engine::add_rule(rule r) {
  if (r.name.empty()) r.name = free_name(rules_, r.type);
  if (find(r.name)) throw config::error(r.field + ".name", r.name, "another rule has this name");
  rules_.push_back(std::move(r));
  fired_.push_back(0);
  rules_changed();
  return rules_.back();
}

bool engine::remove_rule(std::string_view name) {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].name != name) continue;
    rules_.erase(rules_.begin() + static_cast<std::ptrdiff_t>(i));
    fired_.erase(fired_.begin() + static_cast<std::ptrdiff_t>(i));
    rules_changed();
    return true;
  }
  return false;
}

const rule* engine::replace_rule(std::string_view name, rule r) {
  for (auto& existing : rules_) {
    if (existing.name != name) continue;
    r.name = existing.name;
    existing = std::move(r);
    rules_changed();
    return &existing;
  }
  return nullptr;
}

void engine::clear_rules() {
  rules_.clear();
  fired_.clear();
  rules_changed();
}

const rule* engine::find(std::string_view name) const {
  for (const auto& r : rules_) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

void engine::reset_counts() {
  std::fill(fired_.begin(), fired_.end(), 0);
}

// splitmix64 (Steele, Lea, Flood 2014): tiny, and the same numbers on every platform.
double engine::draw() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;  // 53 bits: uniform in [0, 1)
}

bool engine::eligible(std::size_t index, hook h, const connection_facts& facts,
                      milliseconds now) const {
  const rule& r = rules_[index];
  if (!r.impl || !r.impl->listens_to(h)) return false;
  if (now < r.from || (r.until && now >= *r.until)) return false;
  if (r.times && fired_[index] >= *r.times) return false;
  return r.match.matches(facts);
}

// Draws only for 0 < p < 1, so adding a certain or disabled rule leaves the sequence alone.
bool engine::wins_draw(const rule& r) {
  if (r.probability >= 1.0) return true;
  if (r.probability <= 0.0) return false;
  return draw() < r.probability;
}

void engine::push_event(fired_event e) {
  events_.push_back(std::move(e));
  if (events_.size() > max_events) events_.pop_front();
}

void engine::record(std::size_t index, hook h, std::uint64_t connection, milliseconds now,
                    std::string action) {
  ++fired_[index];
  fired_event e;
  e.sequence = ++sequence_;
  e.at = now;
  e.connection = connection;
  e.rule = rules_[index].name;
  e.type = rules_[index].type;
  e.where = h;
  e.action = std::move(action);
  push_event(std::move(e));
}

verdict engine::decide(hook h, const connection_facts& facts, std::uint64_t connection,
                       milliseconds now) {
  if (!listens_to(h)) return {};
  std::optional<verdict> soonest;  // at ready: the earliest deadline wins
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (!eligible(i, h, facts, now)) continue;
    verdict v = rules_[i].impl->decide(h, facts, now);
    if (v.what == verdict::kind::none || !wins_draw(rules_[i])) continue;
    v.rule = rules_[i].name;
    if (v.what == verdict::kind::deadline) {
      if (!soonest || v.after < soonest->after) soonest = std::move(v);
      continue;
    }
    record(i, h, connection, now, v.describe());
    return v;
  }
  return soonest.value_or(verdict{});
}

bool engine::fire_deadline(const verdict& armed, std::uint64_t connection, milliseconds now) {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const rule& r = rules_[i];
    if (r.name != armed.rule) continue;
    if (r.times && fired_[i] >= *r.times) return false;
    record(i, hook::ready, connection, now, armed.then ? armed.then->describe() : "deadline");
    return true;
  }
  return false;
}

verdict engine::decide_rule(std::string_view rule_name, hook h, const connection_facts& facts,
                            std::uint64_t connection, milliseconds now) {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].name != rule_name) continue;
    if (!eligible(i, h, facts, now)) return {};
    verdict v = rules_[i].impl->decide(h, facts, now);
    if (v.what == verdict::kind::none || !wins_draw(rules_[i])) return {};
    v.rule = rules_[i].name;
    record(i, h, connection, now, v.describe());
    return v;
  }
  return {};
}

bool engine::fire_action(std::string_view rule_name, milliseconds now) {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const rule& r = rules_[i];
    if (r.name != rule_name || !r.impl || !r.impl->scheduled()) continue;
    if (now < r.from || (r.until && now >= *r.until)) return false;
    if (r.times && fired_[i] >= *r.times) return false;
    if (!wins_draw(r)) return false;
    record(i, hook::server, 0, now, std::string(to_string(r.impl->scheduled()->what)));
    return true;
  }
  return false;
}

void engine::record_action(std::string_view source, server_action::kind what, milliseconds now,
                           std::string description) {
  fired_event e;
  e.sequence = ++sequence_;
  e.at = now;
  e.rule = std::string(source);
  e.type = std::string(to_string(what));
  e.where = hook::server;
  e.action = std::move(description);
  push_event(std::move(e));
}

bool engine::listener_closed(std::string_view listener, bool unix_socket, milliseconds now) const {
  connection_facts facts;
  facts.listener = listener;
  facts.unix_socket = unix_socket;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const rule& r = rules_[i];
    if (!r.impl || !r.impl->closes_listener()) continue;
    if (now < r.from || (r.until && now >= *r.until)) continue;
    if (r.times && fired_[i] >= *r.times) continue;
    if (r.match.matches(facts)) return true;
  }
  return false;
}

std::vector<milliseconds> engine::boundaries() const {
  std::vector<milliseconds> out;
  for (const auto& r : rules_) {
    out.push_back(r.from);
    if (r.until) out.push_back(*r.until);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::uint64_t engine::fired(std::string_view rule_name) const {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].name == rule_name) return fired_[i];
  }
  return 0;
}

}  // namespace fauxgres::faults
