// terminate: at `at` after server start, every connection open then gets PG15's 57P01
// "terminating connection due to administrator command" (pg_terminate_backend), then FIN.
// Like PG's, it reaches a busy connection at once: a running pg_sleep or scripted latency
// is cut short. Connections opened after `at` are left alone.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class terminate final : public fault {
 public:
  explicit terminate(milliseconds at) : at_(at) {}
  std::string_view type() const override { return "terminate"; }
  bool listens_to(hook h) const override { return h == hook::moment; }
  std::optional<milliseconds> moment() const override { return at_; }
  verdict decide(hook h, const connection_facts& facts, milliseconds now) const override {
    // `now` is past `at` when the rule was added late (control API): only connections
    // that were open at `at` are ended.
    if (h != hook::moment || now - facts.connected_for > at_) return {};
    return verdicts::fatal(protocol::errors::admin_terminate());
  }

 private:
  milliseconds at_;
};

}  // namespace

std::unique_ptr<fault> make_terminate(attributes& a) {
  return std::make_unique<terminate>(a.required_duration("at"));
}

}  // namespace fauxgres::faults::catalogue
