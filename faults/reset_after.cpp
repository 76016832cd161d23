// reset_after: the connection is reset (RST) once it is `after` old (armed at ReadyForQuery
// for the time left, so it lands while idle), or when its `statements`-th statement
// arrives (that statement is not answered). Exactly one of the two.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class reset_after final : public fault {
 public:
  reset_after(std::optional<milliseconds> after, std::optional<std::uint64_t> statements)
      : after_(after), statements_(statements) {}
  std::string_view type() const override { return "reset_after"; }
  bool listens_to(hook h) const override { return after_ ? h == hook::ready : h == hook::query; }
  verdict decide(hook h, const connection_facts& facts, milliseconds) const override {
    if (after_ && h == hook::ready) {
      return verdicts::deadline(*after_ - facts.connected_for, verdicts::reset());
    }
    if (statements_ && h == hook::query && facts.statements + 1 >= *statements_) {
      return verdicts::reset();
    }
    return {};
  }

 private:
  std::optional<milliseconds> after_;
  std::optional<std::uint64_t> statements_;
};

}  // namespace

std::unique_ptr<fault> make_reset_after(attributes& a) {
  const auto after = a.duration("after");
  const auto statements = a.count("statements");
  if (after.has_value() == statements.has_value()) {
    a.fail(after ? "statements" : "after", after ? *a.text("statements") : "",
           "reset_after needs exactly one of after (a duration) and statements (a count)");
  }
  if (statements == 0u) a.fail("statements", "0", "must be 1 or more");
  return std::make_unique<reset_after>(after, statements);
}

}  // namespace fauxgres::faults::catalogue
