// slow_close: the connection's close (FIN or RST) waits `delay` milliseconds once it reaches
// this toxic, as Toxiproxy's slow_close toxic; data passes untouched.
#include "faults/catalogue.hpp"
#include "faults/toxic.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class slow_close final : public network_fault {
 public:
  slow_close(toxic_settings s, milliseconds delay) : network_fault(s), delay_(delay) {}
  std::string_view type() const override { return "slow_close"; }

  void pipe(flow& f, toxic_state&, random_source&) const override {
    if (f.end == flow::ending::none || f.end_at == never) return;
    f.end_at += delay_;
  }
  microseconds close_delay() const override { return delay_; }

  std::string describe() const override {
    return "slow_close " + describe_duration(delay_) + " " + direction_text();
  }

 private:
  milliseconds delay_;
};

}  // namespace

std::unique_ptr<fault> make_slow_close(attributes& a) {
  const auto settings = read_toxic_settings(a);
  return std::make_unique<slow_close>(settings, a.duration("delay").value_or(milliseconds(0)));
}

}  // namespace fauxgres::faults::catalogue
