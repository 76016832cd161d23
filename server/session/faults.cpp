// Where the session asks the fault rules, and how it carries out their verdicts.
// Verdicts that end the connection are common to every hook; the others (delays,
// statement errors, deadlines) are handled at their hook.
#include "session/session_parts.hpp"

namespace fauxgres::session {

faults::verdict session::ask_faults(faults::hook h, std::string_view statement) {
  auto* engine = server_.faults;
  if (!engine || !engine->listens_to(h)) return {};
  auto now = server_.uptime ? server_.uptime() : std::chrono::milliseconds(0);
  auto application = application_name();
  faults::connection_facts facts;
  facts.listener = connection_.listener->name;
  facts.unix_socket = connection_.unix_socket;
  facts.client_address = connection_.client_address;
  facts.ordinal = connection_.id;
  facts.user = user_;
  facts.database = database_;
  facts.application_name = application;
  facts.tls = tls_active_;
  facts.transaction_status = tx_status_;
  if (const auto* stats = server_.stats) {
    facts.open_connections = stats->current;
    if (auto it = stats->current_by_listener.find(facts.listener);
        it != stats->current_by_listener.end())
      facts.open_on_listener = it->second;
  }
  facts.connected_for = now - connection_.opened_at;
  facts.statements = statements_run_;
  facts.statement = statement;
  return engine->decide(h, facts, connection_.id, now);
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
  make_sendable();
  resume_ = then;
  transition(state::waiting);
  next_ = {action::kind::wait, duration};
}

void session::arm_fault_deadline() {
  fault_deadline_.reset();
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
