// bandwidth: at most `rate` KB/s (1 KB = 1000 bytes), as Toxiproxy's bandwidth toxic: each
// chunk waits size / rate; one larger than 100 ms' worth goes out in 100 ms pieces. A rate of
// 0 is no limit.
#include "faults/catalogue.hpp"
#include "faults/toxic.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class bandwidth final : public network_fault {
 public:
  bandwidth(toxic_settings s, std::uint64_t rate) : network_fault(s), rate_(rate) {}
  std::string_view type() const override { return "bandwidth"; }

  void pipe(flow& f, toxic_state&, random_source&) const override {
    if (rate_ == 0) return;
    constexpr microseconds tick = std::chrono::milliseconds(100);
    const std::uint64_t per_tick = rate_ * 100;  // rate bytes per millisecond
    std::vector<flow::piece> out;
    microseconds busy{0};
    for (const auto& p : f.pieces) {
      auto t = std::max(p.at, busy);
      auto sleep = microseconds(static_cast<std::int64_t>(p.size * 1000 / rate_));
      std::uint64_t left = p.size;
      while (left > per_tick) {
        t += tick;
        out.push_back({t, p.stamp, per_tick});
        left -= per_tick;
        sleep -= tick;
      }
      if (sleep.count() > 0) t += sleep;
      out.push_back({t, p.stamp, left});
      busy = t;
    }
    f.pieces = std::move(out);
    f.end_after(busy);
  }

  std::string describe() const override {
    return "bandwidth " + std::to_string(rate_) + "KB/s " + direction_text();
  }

 private:
  std::uint64_t rate_;
};

}  // namespace

std::unique_ptr<fault> make_bandwidth(attributes& a) {
  const auto settings = read_toxic_settings(a);
  return std::make_unique<bandwidth>(settings, a.count("rate").value_or(0));
}

}  // namespace fauxgres::faults::catalogue
