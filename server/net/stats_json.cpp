// The counters and fired faults as one JSON document: written by --stats-file at exit and
// served by the control API. docs/stats.md describes every key.
#include <boost/json.hpp>

#include "net/server.hpp"

namespace fauxgres::net {

namespace {

boost::json::object gauges(const std::map<std::string, observe::gauge, std::less<>>& by_name) {
  boost::json::object out;
  for (const auto& [name, g] : by_name) out[name] = {{"current", g.current}, {"peak", g.peak}};
  return out;
}

boost::json::object counts(const std::map<std::string, std::uint64_t, std::less<>>& by_key) {
  boost::json::object out;
  for (const auto& [key, n] : by_key) out[key] = n;
  return out;
}

boost::json::object durations(const observe::duration_histogram& h) {
  static constexpr const char* names[] = {"lt_1s", "lt_10s", "lt_60s", "lt_600s", "ge_600s"};
  static_assert(std::size(names) == std::tuple_size_v<decltype(h.buckets)>);
  boost::json::object buckets;
  for (std::size_t i = 0; i < h.buckets.size(); ++i) buckets[names[i]] = h.buckets[i];
  return {{"count", h.count},
          {"sum_ms", h.sum.count()},
          {"max_ms", h.max.count()},
          {"buckets", std::move(buckets)}};
}

boost::json::object series(const observe::open_series& s) {
  boost::json::array points;
  points.reserve(s.points().size());
  for (const auto& p : s.points())
    points.push_back(boost::json::array{p.at.count(), p.open, p.max_open});
  return {{"resolution_ms", s.resolution().count()},
          {"capacity", s.capacity()},
          {"points", std::move(points)}};
}

}  // namespace

std::string server::stats_json() const {
  const auto now = uptime();
  boost::json::object connections{
      {"accepted", stats_.accepted}, {"current", stats_.current},
      {"peak", stats_.peak},         {"closed", stats_.closed},
      {"logins", stats_.logins},     {"auth_failures", stats_.auth_failures}};
  boost::json::object peak_by_listener;
  boost::json::object by_listener;
  for (const auto& [name, peak] : stats_.peak_by_listener) {
    peak_by_listener[name] = peak;
    by_listener[name] = {{"current", stats_.listener(name).current}, {"peak", peak}};
  }
  connections["peak_by_listener"] = std::move(peak_by_listener);
  connections["by_listener"] = std::move(by_listener);
  connections["by_user"] = gauges(stats_.by_user());
  connections["by_application_name"] = gauges(stats_.by_application());
  connections["rejected"] = counts(stats_.rejections());
  connections["rejected_total"] = stats_.rejected_total();
  connections["abandoned"] = stats_.abandoned;
  connections["cancel_requests"] = stats_.cancel_requests;
  connections["durations"] = durations(stats_.durations());
  connections["max_idle_ms"] = stats_.max_idle(now).count();
  boost::json::object errors{{"total", stats_.errors_total()},
                             {"by_sqlstate", counts(stats_.errors_by_sqlstate())}};
  boost::json::object fired;
  for (const auto& r : faults_.rules()) fired[r.name] = faults_.fired(r.name);
  boost::json::array events;
  for (const auto& e : faults_.events())
    events.push_back({{"sequence", e.sequence},
                      {"at_ms", e.at.count()},
                      {"connection", e.connection},
                      {"rule", e.rule},
                      {"type", e.type},
                      {"hook", faults::to_string(e.where)},
                      {"action", e.action}});
  boost::json::object root{{"seed", faults_.seed()},
                           {"uptime_ms", now.count()},
                           {"connections", std::move(connections)},
                           {"errors", std::move(errors)},
                           {"open_connections", series(stats_.open_over_time())},
                           {"fired", std::move(fired)},
                           {"events", std::move(events)}};
  return boost::json::serialize(root);
}

}  // namespace fauxgres::net
