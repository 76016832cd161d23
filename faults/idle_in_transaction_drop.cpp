// idle_in_transaction_drop: a connection idle inside a transaction (ReadyForQuery 'T' or
// 'E') for `after` is dropped. `mode=fatal` (default) sends PG15's 25P03
// idle-in-transaction timeout then FIN; `fin`, `reset`, `blackhole` as for idle_drop.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class idle_in_transaction_drop final : public fault {
 public:
  idle_in_transaction_drop(milliseconds after, verdict then)
      : after_(after), then_(std::move(then)) {}
  std::string_view type() const override { return "idle_in_transaction_drop"; }
  bool listens_to(hook h) const override { return h == hook::ready; }
  verdict decide(hook h, const connection_facts& facts, milliseconds) const override {
    const char status = facts.transaction_status;
    if (h != hook::ready || (status != 'T' && status != 'E')) return {};
    return verdicts::deadline(after_, then_);
  }

 private:
  milliseconds after_;
  verdict then_;
};

}  // namespace

std::unique_ptr<fault> make_idle_in_transaction_drop(attributes& a) {
  const milliseconds after = a.required_duration("after");
  const auto mode = a.choice("mode", {"fatal", "fin", "reset", "blackhole"}, "fatal");
  return std::make_unique<idle_in_transaction_drop>(
      after, ending(mode, protocol::errors::idle_in_transaction_timeout()));
}

}  // namespace fauxgres::faults::catalogue
