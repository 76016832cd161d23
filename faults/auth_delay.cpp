// auth_delay: waits `delay` after the password checked out, before AuthenticationOk (a slow auth
// backend, e.g. an IAM token check).
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class auth_delay final : public fault {
 public:
  explicit auth_delay(milliseconds delay) : delay_(delay) {}
  std::string_view type() const override { return "auth_delay"; }
  bool listens_to(hook h) const override { return h == hook::auth; }
  verdict decide(hook h, const connection_facts&, milliseconds) const override {
    return h == hook::auth ? verdicts::delay(delay_) : verdict{};
  }

 private:
  milliseconds delay_;
};

}  // namespace

std::unique_ptr<fault> make_auth_delay(attributes& a) {
  return std::make_unique<auth_delay>(a.required_duration("delay"));
}

}  // namespace fauxgres::faults::catalogue
