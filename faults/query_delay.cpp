// query_delay: statements matching `pattern` (all when absent) wait `delay` before they run,
// like a slow query or a locked table; the pool sees connections held longer.
#include "faults/catalogue.hpp"
#include "faults/statement_pattern.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class query_delay final : public fault {
 public:
  query_delay(statement_pattern pattern, milliseconds delay)
      : pattern_(std::move(pattern)), delay_(delay) {}
  std::string_view type() const override { return "query_delay"; }
  bool listens_to(hook h) const override { return h == hook::query; }
  verdict decide(hook h, const connection_facts& facts, milliseconds) const override {
    if (h != hook::query || !pattern_.matches(facts.statement)) return {};
    return verdicts::delay(delay_);
  }

 private:
  statement_pattern pattern_;
  milliseconds delay_;
};

}  // namespace

std::unique_ptr<fault> make_query_delay(attributes& a) {
  statement_pattern pattern(a);
  return std::make_unique<query_delay>(std::move(pattern), a.required_duration("delay"));
}

}  // namespace fauxgres::faults::catalogue
