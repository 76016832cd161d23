// max_lifetime: a connection older than `lifetime` is ended, as poolers and managed
// databases do. The deadline is armed at ReadyForQuery for the time left, so the end
// comes while the connection is idle. `mode=fatal` (default) sends PG15's 57P01
// administrator-command FATAL then FIN; `fin` closes silently; `reset` sends an RST.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class max_lifetime final : public fault {
 public:
  max_lifetime(milliseconds lifetime, verdict then) : lifetime_(lifetime), then_(std::move(then)) {}
  std::string_view type() const override { return "max_lifetime"; }
  bool listens_to(hook h) const override { return h == hook::ready; }
  verdict decide(hook h, const connection_facts& facts, milliseconds) const override {
    if (h != hook::ready) return {};
    return verdicts::deadline(lifetime_ - facts.connected_for, then_);  // at least 0
  }

 private:
  milliseconds lifetime_;
  verdict then_;
};

}  // namespace

std::unique_ptr<fault> make_max_lifetime(attributes& a) {
  const milliseconds lifetime = a.required_duration("lifetime");
  const auto mode = a.choice("mode", {"fatal", "fin", "reset"}, "fatal");
  return std::make_unique<max_lifetime>(lifetime,
                                        ending(mode, protocol::errors::admin_terminate()));
}

}  // namespace fauxgres::faults::catalogue
