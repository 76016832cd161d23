// accept_hang: the connection is accepted and then never read or answered, as behind a
// stuck proxy or a full backlog; the client waits for its own connect timeout.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class accept_hang final : public fault {
 public:
  std::string_view type() const override { return "accept_hang"; }
  bool listens_to(hook h) const override { return h == hook::accept; }
  verdict decide(hook h, const connection_facts&, milliseconds) const override {
    return h == hook::accept ? verdicts::hang() : verdict{};
  }
};

}  // namespace

std::unique_ptr<fault> make_accept_hang(attributes&) {
  return std::make_unique<accept_hang>();
}

}  // namespace fauxgres::faults::catalogue
