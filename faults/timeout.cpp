// timeout: nothing gets through, and the connection closes `timeout` milliseconds after the
// toxic began applying to it (0: never), as Toxiproxy's timeout toxic. Toxiproxy drops the
// data; fauxgres holds it (the PostgreSQL stream would be out of step otherwise) and lets it
// go on if the rule goes away before the connection closes.
#include "faults/catalogue.hpp"
#include "faults/toxic.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class timeout final : public network_fault {
 public:
  timeout(toxic_settings s, milliseconds after) : network_fault(s), timeout_(after) {}
  std::string_view type() const override { return "timeout"; }

  void pipe(flow& f, toxic_state& state, random_source&) const override {
    const auto closes = closes_at(state).value_or(never);
    const bool data = !f.pieces.empty();
    f.pieces.clear();
    if (f.end == flow::ending::close || f.end == flow::ending::reset) {
      f.end_at = std::min(f.end_at, closes);  // the stream's end gets through at once
    } else if (data || f.end == flow::ending::hold) {
      f.end_at = f.end == flow::ending::hold ? std::min(f.end_at, closes) : closes;
      f.end = flow::ending::hold;
      f.end_by = type();
    }
  }
  bool holds() const override { return true; }
  std::optional<microseconds> closes_at(const toxic_state& state) const override {
    if (timeout_.count() == 0) return std::nullopt;
    return state.since + timeout_;
  }

  std::string describe() const override {
    return "timeout " +
           (timeout_.count() == 0 ? std::string("never") : describe_duration(timeout_)) + " " +
           direction_text();
  }

 private:
  milliseconds timeout_;
};

}  // namespace

std::unique_ptr<fault> make_timeout(attributes& a) {
  const auto settings = read_toxic_settings(a);
  return std::make_unique<timeout>(settings, a.duration("timeout").value_or(milliseconds(0)));
}

}  // namespace fauxgres::faults::catalogue
