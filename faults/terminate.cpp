// terminate: at `at` after server start, every connection that exists then gets PG15's
// 57P01 "terminating connection due to administrator command" (pg_terminate_backend), then
// FIN. Connections opened after `at` are left alone. The deadline is armed at
// ReadyForQuery, so a busy connection is terminated when it next goes idle.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class terminate final : public fault {
 public:
  explicit terminate(milliseconds at) : at_(at) {}
  std::string_view type() const override { return "terminate"; }
  bool listens_to(hook h) const override { return h == hook::ready; }
  verdict decide(hook h, const connection_facts& facts, milliseconds now) const override {
    if (h != hook::ready || now - facts.connected_for > at_) return {};
    return verdicts::deadline(at_ - now, verdicts::fatal(protocol::errors::admin_terminate()));
  }

 private:
  milliseconds at_;
};

}  // namespace

std::unique_ptr<fault> make_terminate(attributes& a) {
  return std::make_unique<terminate>(a.required_duration("at"));
}

}  // namespace fauxgres::faults::catalogue
