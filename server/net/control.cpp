// The server's control surface: server-wide actions (kill_all, restart, smart shutdown,
// failover), scheduled action rules, listeners enabled, added and removed at runtime, and
// snapshots of connections and listeners for the control API.
#include <algorithm>
#include <filesystem>

#include "net/connection.hpp"
#include "net/server.hpp"

namespace fauxgres::net {

namespace asio = boost::asio;
using std::chrono::milliseconds;

void server::forget(std::int32_t pid) {
  connections_.erase(pid);
  connection_closed();
}

void server::prepare_tls_for_rules() {
  bool ssl_rules = std::any_of(faults_.rules().begin(), faults_.rules().end(),
                               [](const faults::rule& r) { return r.type == "ssl"; });
  if (!ssl_rules) return;
  // `ssl` rules may offer TLS even when the server's own TLS is off.
  if (!tls_) {
    tls_ = make_tls(config_.tls.cert_file, config_.tls.key_file);
    context_.tls_ready = true;
  }
  if (!test_certificates_) test_certificates_ = make_test_certificates();
}

void server::rules_changed() {
  prepare_tls_for_rules();
  schedule_listener_states();
  schedule_actions();
  // Network rules (toxics) apply to open connections at once, even idle or held ones.
  const bool network_rules = faults_.has_network_rules();
  for (auto& [pid, weak] : connections_)
    if (auto c = weak.lock()) c->network_rules_changed(network_rules);
}

// Each action rule, and each rule with a moment, gets one timer at its `at`; a rule
// replaced or removed before then is checked again when the timer fires.
void server::schedule_actions() {
  for (const auto& r : faults_.rules()) {
    auto action = r.impl ? r.impl->scheduled() : std::nullopt;
    auto moment = r.impl ? r.impl->moment() : std::nullopt;
    if (!action && !moment) continue;
    std::pair<std::string, milliseconds> key{r.name, action ? action->at : *moment};
    if (std::find(scheduled_actions_.begin(), scheduled_actions_.end(), key) !=
        scheduled_actions_.end())
      continue;
    scheduled_actions_.push_back(key);
    auto timer = std::make_unique<asio::steady_timer>(io_, started_ + key.second);
    timer->async_wait([this, key](boost::system::error_code ec) {
      if (ec || stopping_) return;
      const auto* current = faults_.find(key.first);
      if (!current || !current->impl) return;
      if (current->impl->moment() == key.second) return rule_moment(key.first);
      auto due = current->impl->scheduled();
      if (!due || due->at != key.second) return;
      if (!faults_.fire_action(key.first, uptime())) return;
      log_fault_events();
      run_action(*due, key.first);
    });
    action_timers_.push_back(std::move(timer));
  }
}

void server::rule_moment(const std::string& rule) {
  // In connection order, so that probability draws follow the seed reproducibly.
  std::vector<std::shared_ptr<connection>> open;
  for (auto& [pid, weak] : connections_)
    if (auto c = weak.lock()) open.push_back(std::move(c));
  std::sort(open.begin(), open.end(),
            [](const auto& a, const auto& b) { return a->id() < b->id(); });
  for (auto& c : open) c->rule_moment(rule);
  log_fault_events();
}

void server::run_action(const faults::server_action& action, std::string_view source) {
  using kind = faults::server_action::kind;
  switch (action.what) {
    case kind::kill_all:
      return kill_all(source);
    case kind::restart:
      return restart(action.down_for, source);
    case kind::shutdown:
      return shutdown_smart(source);
    case kind::failover:
      return failover(action.down_for, source);
  }
}

void server::kill_all(std::string_view source) {
  log_.log(observe::level::info, "action", {{"action", "kill_all"}, {"source", source}});
  auto why = protocol::errors::admin_terminate();
  auto snapshot = connections_;
  for (auto& [pid, weak] : snapshot)
    if (auto c = weak.lock()) c->request_terminate(why);
}

void server::restart(milliseconds down_for, std::string_view source) {
  log_.log(observe::level::info, "action",
           {{"action", "restart"},
            {"source", source},
            {"down_ms", static_cast<std::int64_t>(down_for.count())}});
  kill_all(source);
  down_ = true;
  apply_listener_states();
  restart_timer_ = std::make_unique<asio::steady_timer>(io_, down_for);
  restart_timer_->async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    down_ = false;
    apply_listener_states();
    log_.log(observe::level::info, "action", {{"action", "restarted"}});
  });
}

void server::failover(milliseconds down_for, std::string_view source) {
  restart(down_for, source);
  context_.read_only = true;  // sessions opened after the restart find a standby
}

void server::shutdown_smart(std::string_view source) {
  log_.log(observe::level::info, "action", {{"action", "shutdown"}, {"source", source}});
  context_.shutting_down = true;
  connection_closed();  // with no session open, the shutdown completes now
}

// A smart shutdown completes when the last session has gone: the listeners close and,
// unless something (the control API) keeps the process, the server stops.
void server::connection_closed() {
  if (!context_.shutting_down || shutdown_complete_ || stopping_ || !connections_.empty()) return;
  shutdown_complete_ = true;
  apply_listener_states();
  log_.log(observe::level::info, "shutdown complete", {});
  if (!keep_running_after_shutdown_) shutdown_fast();
}

bool server::listener_down() const {
  return down_ || shutdown_complete_;
}

bool server::terminate(std::uint64_t connection_id) {
  for (auto& [pid, weak] : connections_) {
    auto c = weak.lock();
    if (!c || c->id() != connection_id) continue;
    c->request_terminate(protocol::errors::admin_terminate());
    return true;
  }
  return false;
}

void server::drop_listener_connections(std::string_view name) {
  auto snapshot = connections_;
  for (auto& [pid, weak] : snapshot)
    if (auto c = weak.lock(); c && c->listener_name() == name) c->request_drop();
}

bool server::set_listener_enabled(std::string_view name, bool enabled) {
  bool found = false;
  for (auto& l : tcp_)
    if (l.config->name == name && !l.removed) found = true, l.enabled = enabled;
  for (auto& l : unix_)
    if (l.config->name == name && !l.removed) found = true, l.enabled = enabled;
  if (!found) return false;
  if (!enabled) drop_listener_connections(name);
  apply_listener_states();
  log_.log(observe::level::info, enabled ? "listener enabled" : "listener disabled",
           {{"listener", name}});
  return true;
}

listener_snapshot server::add_listener(config::listener_config listener) {
  for (const auto& l : listeners())
    if (l.name == listener.name)
      throw std::runtime_error("listener " + listener.name + ": the name is taken");
  const auto& stored = added_listeners_.emplace_back(std::move(listener));
  try {
    if (stored.type == config::listener_config::kind::tcp) {
      auto& l = tcp_.emplace_back(bind_tcp(io_, stored));
      accept_tcp(l);
    } else {
      auto& l = unix_.emplace_back(bind_unix(io_, stored));
      accept_unix(l);
    }
  } catch (...) {
    added_listeners_.pop_back();
    throw;
  }
  apply_listener_states();  // a fault rule or a restart may keep it closed
  log_.log(observe::level::info, "listener added", {{"listener", stored.name}});
  for (const auto& l : listeners())
    if (l.name == stored.name) return l;
  return {};
}

bool server::remove_listener(std::string_view name) {
  bool found = false;
  for (auto& l : tcp_)
    if (l.config->name == name && !l.removed) found = true, l.removed = true;
  for (auto& l : unix_)
    if (l.config->name == name && !l.removed) found = true, l.removed = true;
  if (!found) return false;
  drop_listener_connections(name);
  apply_listener_states();
  log_.log(observe::level::info, "listener removed", {{"listener", name}});
  return true;
}

void server::reset() {
  faults_.clear_rules();
  context_.read_only = false;
  context_.shutting_down = false;
  shutdown_complete_ = false;
  down_ = false;
  if (restart_timer_) restart_timer_->cancel();
  for (auto& l : tcp_) l.enabled = true;
  for (auto& l : unix_) l.enabled = true;
  rules_changed();
  log_.log(observe::level::info, "reset", {});
}

std::vector<connection_snapshot> server::connections() const {
  std::vector<connection_snapshot> out;
  for (const auto& [pid, weak] : connections_)
    if (auto c = weak.lock()) out.push_back(c->snapshot());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

std::vector<listener_snapshot> server::listeners() const {
  std::vector<listener_snapshot> out;
  auto count = [this](const std::string& name) {
    std::uint64_t n = 0;
    for (const auto& [pid, weak] : connections_)
      if (auto c = weak.lock(); c && c->listener_name() == name) ++n;
    return n;
  };
  for (const auto& l : tcp_) {
    if (l.removed) continue;
    auto host = l.address.is_v6() ? "[" + l.address.to_string() + "]" : l.address.to_string();
    out.push_back({l.config->name, false, host + ":" + std::to_string(l.port), l.enabled,
                   l.acceptor.is_open(), count(l.config->name)});
  }
  for (const auto& l : unix_) {
    if (l.removed) continue;
    out.push_back(
        {l.config->name, true, l.path, l.enabled, l.acceptor.is_open(), count(l.config->name)});
  }
  return out;
}

}  // namespace fauxgres::net
