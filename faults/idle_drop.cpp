// idle_drop: a connection idle (ReadyForQuery 'I') for `after` is dropped. `mode=fatal`
// (default) sends PG15's 57P05 idle-session timeout then FIN; `fin` closes silently;
// `reset` sends an RST (what NAT gateways and load balancers do); `blackhole` stops reading
// and answering but keeps the socket open.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class idle_drop final : public fault {
 public:
  idle_drop(milliseconds after, verdict then) : after_(after), then_(std::move(then)) {}
  std::string_view type() const override { return "idle_drop"; }
  bool listens_to(hook h) const override { return h == hook::ready; }
  verdict decide(hook h, const connection_facts& facts, milliseconds) const override {
    if (h != hook::ready || facts.transaction_status != 'I') return {};
    return verdicts::deadline(after_, then_);
  }

 private:
  milliseconds after_;
  verdict then_;
};

}  // namespace

std::unique_ptr<fault> make_idle_drop(attributes& a) {
  const milliseconds after = a.required_duration("after");
  const auto mode = a.choice("mode", {"fatal", "fin", "reset", "blackhole"}, "fatal");
  return std::make_unique<idle_drop>(after, ending(mode, protocol::errors::idle_session_timeout()));
}

}  // namespace fauxgres::faults::catalogue
