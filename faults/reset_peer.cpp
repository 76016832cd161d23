// reset_peer: the first data to reach it (or the stream's end) is dropped with everything
// after it, and `timeout` milliseconds later the connection is reset (RST), as Toxiproxy's
// reset_peer toxic; timeout=0 resets at once.
#include "faults/catalogue.hpp"
#include "faults/toxic.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class reset_peer final : public network_fault {
 public:
  reset_peer(toxic_settings s, milliseconds timeout) : network_fault(s), timeout_(timeout) {}
  std::string_view type() const override { return "reset_peer"; }

  void pipe(flow& f, toxic_state& state, random_source&) const override {
    std::optional<microseconds> arrived;
    if (!f.pieces.empty()) {
      arrived = f.pieces.front().at;
    } else if (f.end == flow::ending::close || f.end == flow::ending::reset) {
      arrived = f.end_at;
    }
    if (!arrived && !state.triggered) return;
    if (!state.triggered) state.triggered = arrived;
    f.pieces.clear();
    f.end = flow::ending::reset;
    f.end_at = *state.triggered + timeout_;
    f.end_by = type();
  }

  std::string describe() const override {
    return "reset_peer after " + describe_duration(timeout_) + " " + direction_text();
  }

 private:
  milliseconds timeout_;
};

}  // namespace

std::unique_ptr<fault> make_reset_peer(attributes& a) {
  const auto settings = read_toxic_settings(a);
  return std::make_unique<reset_peer>(settings, a.duration("timeout").value_or(milliseconds(0)));
}

}  // namespace fauxgres::faults::catalogue
