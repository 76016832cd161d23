// startup_delay: waits `delay` after the StartupMessage, before anything is answered (a slow server
// or a slow proxy in front of it).
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class startup_delay final : public fault {
 public:
  explicit startup_delay(milliseconds delay) : delay_(delay) {}
  std::string_view type() const override { return "startup_delay"; }
  bool listens_to(hook h) const override { return h == hook::startup; }
  verdict decide(hook h, const connection_facts&, milliseconds) const override {
    return h == hook::startup ? verdicts::delay(delay_) : verdict{};
  }

 private:
  milliseconds delay_;
};

}  // namespace

std::unique_ptr<fault> make_startup_delay(attributes& a) {
  return std::make_unique<startup_delay>(a.required_duration("delay"));
}

}  // namespace fauxgres::faults::catalogue
