// query_hang: statements matching `pattern` (all when absent) are never answered and the
// connection is never read again; the client waits for its own timeout.
#include "faults/catalogue.hpp"
#include "faults/statement_pattern.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class query_hang final : public fault {
 public:
  explicit query_hang(statement_pattern pattern) : pattern_(std::move(pattern)) {}
  std::string_view type() const override { return "query_hang"; }
  bool listens_to(hook h) const override { return h == hook::query; }
  verdict decide(hook h, const connection_facts& facts, milliseconds) const override {
    if (h != hook::query || !pattern_.matches(facts.statement)) return {};
    return verdicts::hang();
  }

 private:
  statement_pattern pattern_;
};

}  // namespace

std::unique_ptr<fault> make_query_hang(attributes& a) {
  return std::make_unique<query_hang>(statement_pattern(a));
}

}  // namespace fauxgres::faults::catalogue
