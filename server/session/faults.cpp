// Where the session asks the fault rules, and how it carries out their verdicts.
// Verdicts that end the connection are common to every hook; the others (delays,
// statement errors, deadlines) are handled at their hook.
#include <algorithm>

#include "session/session_parts.hpp"

namespace fauxgres::session {

// What rules match on and faults read, now. `application` keeps the application_name.
faults::connection_facts session::facts(std::string& application,
                                        std::chrono::milliseconds now) const {
  application = application_name();
  faults::connection_facts f;
  f.listener = connection_.listener->name;
  f.unix_socket = connection_.unix_socket;
  f.client_address = connection_.client_address;
  f.ordinal = connection_.id;
  f.user = user_;
  f.database = database_;
  f.application_name = application;
  f.tls = tls_active_;
  f.transaction_status = tx_status_;
  if (const auto* stats = server_.stats) {
    f.open_connections = stats->current;
    if (auto it = stats->current_by_listener.find(f.listener);
        it != stats->current_by_listener.end())
      f.open_on_listener = it->second;
  }
  f.connected_for = now - connection_.opened_at;
  f.statements = statements_run_;
  f.superuser = superuser();
  f.password = login_password_;
  f.messages = messages_received_;
  f.bytes_received = bytes_received_;
  return f;
}

faults::verdict session::ask_faults(faults::hook h, std::string_view statement) {
  if (!rules_listen(h)) return {};
  auto* engine = server_.faults;
  auto now = server_.uptime ? server_.uptime() : std::chrono::milliseconds(0);
  std::string application;
  auto f = facts(application, now);
  f.statement = statement;
  return engine->decide(h, f, connection_.id, now);
}

faults::verdict session::moment_verdict(std::string_view rule) const {
  if (state_ == state::closed || !server_.faults) return {};
  auto now = server_.uptime ? server_.uptime() : std::chrono::milliseconds(0);
  std::string application;
  auto f = facts(application, now);
  return server_.faults->decide_rule(rule, faults::hook::moment, f, connection_.id, now);
}

bool session::rules_listen(faults::hook h) const {
  return server_.faults && server_.faults->listens_to(h);
}

const faults::verdict& session::query_verdict(std::string_view statement,
                                              std::optional<faults::verdict>& storage) {
  static const faults::verdict none;
  if (!rules_listen(faults::hook::query)) return none;
  return storage.emplace(ask_faults(faults::hook::query, statement));
}

bool session::message_arrived() {
  ++messages_received_;
  auto* engine = server_.faults;
  if (!engine || !engine->listens_to(faults::hook::message)) return false;
  auto now = server_.uptime ? server_.uptime() : std::chrono::milliseconds(0);
  std::string application;
  auto f = facts(application, now);
  f.message_arrived = true;
  return act_on(engine->decide(faults::hook::message, f, connection_.id, now));
}

// Whether a credential_expiry rule covers this login (its match and window; its budget only
// limits how often it refuses): then the role's passwords are tokens the rule decides.
bool session::passwords_decided_by_rules() const {
  auto* engine = server_.faults;
  if (!engine || !engine->listens_to(faults::hook::auth)) return false;
  auto now = server_.uptime ? server_.uptime() : std::chrono::milliseconds(0);
  std::string application;
  auto f = facts(application, now);
  for (const auto& r : engine->rules()) {
    if (r.type == "credential_expiry" && now >= r.from && (!r.until || now < *r.until) &&
        r.match.matches(f))
      return true;
  }
  return false;
}

// As PG: a role with the superuser attribute; without configured users, postgres (the role
// initdb creates) is the superuser and every other name an ordinary role.
bool session::superuser() const {
  const auto& users = server_.config->users;
  if (users.empty()) return user_ == "postgres";
  if (user_config_) return user_config_->superuser;
  auto found = std::find_if(users.begin(), users.end(),
                            [&](const config::user_config& u) { return u.name == user_; });
  return found != users.end() && found->superuser;
}

bool session::act_on(const faults::verdict& v) {
  using kind = faults::verdict::kind;
  switch (v.what) {
    case kind::fatal:
      close_with(&v.error, v.error.message);
      return true;
    case kind::close:
      close_with(nullptr, "fault: close");
      return true;
    case kind::reset:
      close_with(nullptr, "fault: reset", action::kind::reset);
      return true;
    case kind::hang:
      make_sendable();
      transition(state::hung);
      next_ = {action::kind::hang, {}};
      events_.push_back({event::kind::closing, "fault: hang"});
      return true;
    default:
      return false;
  }
}

void session::accepted() {
  act_on(ask_faults(faults::hook::accept));
}

void session::begin_wait(std::chrono::milliseconds duration, resume then) {
  // No flush: PG sends what it has written (a RowDescription, a NegotiateProtocolVersion)
  // together with what comes after the wait.
  resume_ = then;
  transition(state::waiting);
  next_ = {action::kind::wait, duration};
}

void session::arm_fault_deadline() {
  fault_deadline_.reset();
  if (!rules_listen(faults::hook::ready)) return;
  auto v = ask_faults(faults::hook::ready);
  if (v.what == faults::verdict::kind::deadline && v.then) {
    v.after = std::max(v.after, std::chrono::milliseconds(1));
    fault_deadline_ = std::make_shared<const faults::verdict>(std::move(v));
  } else {
    act_on(v);
  }
}

std::chrono::milliseconds session::deadline() const {
  if (state_ != state::ready) return std::chrono::milliseconds(0);
  auto idle = idle_limit();
  if (fault_deadline_ && (idle.count() == 0 || fault_deadline_->after <= idle))
    return fault_deadline_->after;
  return idle;
}

void session::deadline_reached() {
  if (state_ != state::ready) return;
  auto idle = idle_limit();
  if (fault_deadline_ && (idle.count() == 0 || fault_deadline_->after <= idle)) {
    auto armed = std::move(fault_deadline_);
    auto now = server_.uptime ? server_.uptime() : std::chrono::milliseconds(0);
    // The rule counts (and may be out of budget) only when its deadline really expires.
    if (server_.faults && server_.faults->fire_deadline(*armed, connection_.id, now))
      act_on(*armed->then);
    return;
  }
  idle_timeout();
}

}  // namespace fauxgres::session
