// Counter updates; kept out of the network code so they can be tested alone.
#include "observe/stats.hpp"

#include <algorithm>

namespace fauxgres::observe {

void duration_histogram::add(milliseconds lifetime) {
  lifetime = std::max(lifetime, milliseconds(0));
  ++count;
  sum += lifetime;
  max = std::max(max, lifetime);
  std::size_t bucket = 0;
  while (bucket < bounds.size() && lifetime >= bounds[bucket]) ++bucket;
  ++buckets[bucket];
}

// ---------------------------------------------------------------------------------------

open_series::open_series(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 2)) {}

void open_series::record(milliseconds at, std::uint64_t open) {
  if (!points_.empty()) {
    auto& last = points_.back();
    if (at / resolution_ == last.at / resolution_ || at < last.at) {
      last.open = open;
      last.max_open = std::max(last.max_open, open);
      return;
    }
  }
  if (points_.size() == capacity_) {
    coarsen();
    return record(at, open);
  }
  points_.push_back({at, open, open});
}

// Doubles the resolution until at most half the capacity is used, merging points that
// share a slot: the first one's time, the last one's count, the highest count.
void open_series::coarsen() {
  while (points_.size() > capacity_ / 2) {
    resolution_ *= 2;
    std::size_t kept = 0;
    for (std::size_t i = 1; i < points_.size(); ++i) {
      auto& into = points_[kept];
      const auto& p = points_[i];
      if (p.at / resolution_ == into.at / resolution_) {
        into.open = p.open;
        into.max_open = std::max(into.max_open, p.max_open);
      } else {
        points_[++kept] = p;
      }
    }
    points_.resize(kept + 1);
  }
}

void open_series::clear() {
  points_.clear();
  resolution_ = milliseconds(1);
}

// ---------------------------------------------------------------------------------------

namespace {

std::string from_sqlstate(std::string_view code) {
  if (code.starts_with("28")) return "auth_failed";
  if (code == "3D000") return "database_not_found";
  if (code == "57P03" || code == "57P01") return "shutting_down";
  if (code == "53300") return "max_connections";
  if (code.starts_with("08") || code == "0A000") return "protocol_error";
  return "error_" + std::string(code);
}

}  // namespace

std::string rejection_reason(const rejection_facts& f) {
  if (f.logged_in || f.cancel_request) return {};
  if (!f.ending_fault.empty()) return std::string(f.ending_fault);
  if (!f.last_sqlstate.empty()) return from_sqlstate(f.last_sqlstate);
  if (f.how.timed_out) return "authentication_timeout";
  if (f.how.tls_failed) return "tls_failed";
  if (!f.fault.empty()) return std::string(f.fault);
  if (f.how.server_stopping) return "shutting_down";
  if (f.how.client_gone) return {};
  return "protocol_error";  // the server closed without a word: a bad startup packet
}

// ---------------------------------------------------------------------------------------

stats::stats(std::size_t series_capacity) : series_(series_capacity) {}

namespace {

template <class Map>
auto value_or_zero(const Map& map, std::string_view key) {
  auto it = map.find(key);
  return it == map.end() ? typename Map::mapped_type{} : it->second;
}

template <class Map>
std::uint64_t total(const Map& map) {
  std::uint64_t sum = 0;
  for (const auto& [key, n] : map) sum += n;
  return sum;
}

void up(gauge& g) {
  g.peak = std::max(g.peak, ++g.current);
}

}  // namespace

gauge stats::listener(std::string_view name) const {
  return {value_or_zero(current_by_listener, name), value_or_zero(peak_by_listener, name)};
}

gauge stats::user(std::string_view name) const {
  return value_or_zero(by_user_, name);
}

gauge stats::application(std::string_view name) const {
  return value_or_zero(by_application_, name);
}

std::uint64_t stats::rejected(std::string_view reason) const {
  return value_or_zero(rejected_, reason);
}

std::uint64_t stats::rejected_total() const {
  return total(rejected_);
}

std::uint64_t stats::errors(std::string_view sqlstate) const {
  return value_or_zero(errors_, sqlstate);
}

std::uint64_t stats::errors_total() const {
  return total(errors_);
}

milliseconds stats::max_idle(milliseconds now) const {
  auto longest = max_idle_;
  for (const auto& [id, c] : live_) {
    if (c.idle_since) longest = std::max(longest, now - std::max(*c.idle_since, reset_at_));
  }
  return longest;
}

stats::live* stats::find(std::uint64_t id) {
  auto it = live_.find(id);
  return it == live_.end() ? nullptr : &it->second;
}

stats::gauges::iterator stats::enter(gauges& map, std::string_view name) {
  auto it = map.find(name);
  if (it != map.end()) return it;
  if (map.size() >= max_names) name = other_name;
  return map.try_emplace(std::string(name)).first;
}

void stats::connection_opened(std::uint64_t id, std::string_view listener, milliseconds now) {
  ++accepted;
  peak = std::max(peak, ++current);
  auto at = current_by_listener.find(listener);
  if (at == current_by_listener.end()) at = current_by_listener.emplace(listener, 0).first;
  auto& listener_peak = peak_by_listener[at->first];
  listener_peak = std::max(listener_peak, ++at->second);
  live_.insert_or_assign(id, live{.listener = at});
  series_.record(now, current);
}

void stats::connection_started(std::uint64_t id, std::string_view user,
                               std::string_view application_name) {
  auto* c = find(id);
  if (!c || c->started) return;
  c->started = true;
  c->user = enter(by_user_, user);
  c->application = enter(by_application_, application_name);
  up(c->user->second);
  up(c->application->second);
}

void stats::connection_logged_in(std::uint64_t id) {
  ++logins;
  if (auto* c = find(id)) c->logged_in = true;
}

void stats::authentication_failed(std::uint64_t) {
  ++auth_failures;
}

void stats::cancel_request(std::uint64_t id) {
  ++cancel_requests;
  if (auto* c = find(id)) c->cancel = true;
}

void stats::error_sent(std::uint64_t id, std::string_view sqlstate) {
  auto it = errors_.find(sqlstate);
  if (it == errors_.end()) it = errors_.emplace(sqlstate, 0).first;
  ++it->second;
  if (auto* c = find(id); c && sqlstate.size() == c->sqlstate.size())
    std::copy(sqlstate.begin(), sqlstate.end(), c->sqlstate.begin());
}

void stats::fault_fired(std::uint64_t id, std::string_view type, bool ends) {
  auto* c = find(id);
  if (!c || c->logged_in) return;
  auto it = fault_types_.find(type);
  if (it == fault_types_.end()) it = fault_types_.emplace(type).first;
  (ends ? c->ending_fault : c->fault) = &*it;
}

void stats::end_idle(live& c, milliseconds now) {
  if (c.idle_since) max_idle_ = std::max(max_idle_, now - std::max(*c.idle_since, reset_at_));
}

void stats::idle(std::uint64_t id, std::optional<milliseconds> since, milliseconds now) {
  auto* c = find(id);
  if (!c || c->idle_since == since) return;
  end_idle(*c, now);
  c->idle_since = since;
}

void stats::connection_closed(std::uint64_t id, milliseconds now, milliseconds lifetime,
                              const closing& how) {
  ++closed;
  if (current > 0) --current;
  durations_.add(lifetime);
  series_.record(now, current);
  auto it = live_.find(id);
  if (it == live_.end()) return;
  auto& c = it->second;
  if (c.listener->second > 0) --c.listener->second;
  if (c.started) {
    --c.user->second.current;
    --c.application->second.current;
  }
  end_idle(c, now);
  const bool has_error = c.sqlstate[0] != '\0';
  auto reason = rejection_reason({
      .logged_in = c.logged_in,
      .cancel_request = c.cancel,
      .ending_fault = c.ending_fault ? std::string_view(*c.ending_fault) : std::string_view(),
      .fault = c.fault ? std::string_view(*c.fault) : std::string_view(),
      .last_sqlstate =
          has_error ? std::string_view(c.sqlstate.data(), c.sqlstate.size()) : std::string_view(),
      .how = how,
  });
  if (!reason.empty()) {
    ++rejected_[reason];
  } else if (!c.logged_in && !c.cancel && how.client_gone) {
    ++abandoned;
  }
  live_.erase(it);
}

void stats::reset(std::optional<milliseconds> now) {
  accepted = closed = logins = auth_failures = cancel_requests = abandoned = 0;
  peak = current;
  for (const auto& [name, open] : current_by_listener) peak_by_listener[name] = open;
  for (auto* map : {&by_user_, &by_application_}) {
    for (auto& [name, g] : *map) g.peak = g.current;
  }
  rejected_.clear();
  errors_.clear();
  durations_ = {};
  max_idle_ = milliseconds(0);
  series_.clear();
  if (now) {
    reset_at_ = *now;
    series_.record(*now, current);
  }
}

}  // namespace fauxgres::observe
