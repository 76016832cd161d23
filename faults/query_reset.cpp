// query_reset: statements matching `pattern` (all when absent) get `rows` DataRows (default
// 0), then the connection is reset (RST) mid-result, as when a server process dies.
#include "faults/catalogue.hpp"
#include "faults/statement_pattern.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class query_reset final : public fault {
 public:
  query_reset(statement_pattern pattern, std::uint64_t rows)
      : pattern_(std::move(pattern)), rows_(rows) {}
  std::string_view type() const override { return "query_reset"; }
  bool listens_to(hook h) const override { return h == hook::query; }
  verdict decide(hook h, const connection_facts& facts, milliseconds) const override {
    if (h != hook::query || !pattern_.matches(facts.statement)) return {};
    return verdicts::reset_after_rows(rows_);
  }

 private:
  statement_pattern pattern_;
  std::uint64_t rows_;
};

}  // namespace

std::unique_ptr<fault> make_query_reset(attributes& a) {
  statement_pattern pattern(a);
  return std::make_unique<query_reset>(std::move(pattern), a.count("rows").value_or(0));
}

}  // namespace fauxgres::faults::catalogue
