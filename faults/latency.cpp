// latency: every chunk passes `latency` ± `jitter` milliseconds after it entered the chain,
// as Toxiproxy's latency toxic (a chunk that already waited that long behind another toxic
// passes at once, and latencies chained one after another add up).
#include "faults/catalogue.hpp"
#include "faults/toxic.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class latency final : public network_fault {
 public:
  latency(toxic_settings s, milliseconds delay, milliseconds jitter)
      : network_fault(s), latency_(delay), jitter_(jitter) {}
  std::string_view type() const override { return "latency"; }

  void pipe(flow& f, toxic_state&, random_source& random) const override {
    microseconds busy{0};
    for (auto& p : f.pieces) {
      const auto start = std::max(p.at, busy);
      microseconds delay = latency_;
      if (jitter_.count() > 0) {
        const auto span = static_cast<std::uint64_t>(jitter_.count()) * 2;
        delay += milliseconds(static_cast<std::int64_t>(random.below(span))) - jitter_;
      }
      const auto sleep = delay - (start - p.stamp);
      p.at = start;
      if (sleep.count() > 0) {
        p.at += sleep;
        p.stamp += sleep;
      }
      busy = p.at;
    }
    f.end_after(busy);
  }

  std::string describe() const override {
    return "latency " + describe_duration(latency_) +
           (jitter_.count() > 0 ? " ±" + describe_duration(jitter_) : "") + " " + direction_text();
  }

 private:
  milliseconds latency_;
  milliseconds jitter_;
};

}  // namespace

std::unique_ptr<fault> make_latency(attributes& a) {
  const auto settings = read_toxic_settings(a);
  return std::make_unique<latency>(settings, a.duration("latency").value_or(milliseconds(0)),
                                   a.duration("jitter").value_or(milliseconds(0)));
}

}  // namespace fauxgres::faults::catalogue
