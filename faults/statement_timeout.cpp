// statement_timeout: statements matching `pattern` (all when absent) run for `after` and are
// then canceled with PG15's 57014 "canceling statement due to statement timeout"; the
// session goes on.
#include "faults/catalogue.hpp"
#include "faults/statement_pattern.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class statement_timeout final : public fault {
 public:
  statement_timeout(statement_pattern pattern, milliseconds after)
      : pattern_(std::move(pattern)), after_(after) {}
  std::string_view type() const override { return "statement_timeout"; }
  bool listens_to(hook h) const override { return h == hook::query; }
  verdict decide(hook h, const connection_facts& facts, milliseconds) const override {
    if (h != hook::query || !pattern_.matches(facts.statement)) return {};
    return verdicts::timeout(after_);
  }

 private:
  statement_pattern pattern_;
  milliseconds after_;
};

}  // namespace

std::unique_ptr<fault> make_statement_timeout(attributes& a) {
  statement_pattern pattern(a);
  return std::make_unique<statement_timeout>(std::move(pattern), a.required_duration("after"));
}

}  // namespace fauxgres::faults::catalogue
