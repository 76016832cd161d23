// auth_fail: the password is refused whatever it was: PG15's 28P01 "password
// authentication failed for user …", then FIN.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class auth_fail final : public fault {
 public:
  std::string_view type() const override { return "auth_fail"; }
  bool listens_to(hook h) const override { return h == hook::auth; }
  verdict decide(hook h, const connection_facts& facts, milliseconds) const override {
    if (h != hook::auth) return {};
    return verdicts::fatal(protocol::errors::password_failed(facts.user));
  }
};

}  // namespace

std::unique_ptr<fault> make_auth_fail(attributes&) {
  return std::make_unique<auth_fail>();
}

}  // namespace fauxgres::faults::catalogue
