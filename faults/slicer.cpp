// slicer: cuts each chunk into slices of about `average_size` bytes (± `size_variation`),
// `delay` microseconds apart, as Toxiproxy's slicer toxic: halves, recursively, each cut moved
// by up to ± size_variation, until a part is within size_variation of average_size.
#include <charconv>

#include "faults/catalogue.hpp"
#include "faults/toxic.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class slicer final : public network_fault {
 public:
  slicer(toxic_settings s, std::uint64_t average, std::uint64_t variation, microseconds delay)
      : network_fault(s), average_(average), variation_(variation), delay_(delay) {}
  std::string_view type() const override { return "slicer"; }

  void pipe(flow& f, toxic_state&, random_source& random) const override {
    std::vector<flow::piece> out;
    std::vector<std::uint64_t> sizes;
    microseconds busy{0};
    for (const auto& p : f.pieces) {
      auto t = std::max(p.at, busy);
      sizes.clear();
      cut(0, p.size, sizes, random);
      for (auto size : sizes) {
        out.push_back({t, p.stamp, size});
        t += delay_;  // Toxiproxy waits after every slice, the last one too
      }
      busy = t;
    }
    f.pieces = std::move(out);
    f.end_after(busy);
  }

  std::string describe() const override {
    return "slicer " + std::to_string(average_) + "±" + std::to_string(variation_) +
           " bytes every " + describe_duration(delay_) + " " + direction_text();
  }

 private:
  // Toxiproxy's chunk(): sizes of the slices of [start, end), in order.
  void cut(std::uint64_t start, std::uint64_t end, std::vector<std::uint64_t>& sizes,
           random_source& random) const {
    if (end - start <= average_ + variation_) {
      if (end > start) sizes.push_back(end - start);
      return;
    }
    std::uint64_t mid = start + (end - start) / 2;
    if (variation_ > 0) mid = mid + random.below(variation_ * 2) - variation_;
    cut(start, mid, sizes, random);
    cut(mid, end, sizes, random);
  }

  std::uint64_t average_;
  std::uint64_t variation_;
  microseconds delay_;
};

// Toxiproxy's unit for the slicer's delay is the microsecond: a bare number is µs; 250us,
// 2ms and 1s are accepted too.
microseconds read_microseconds(attributes& a, std::string_view key) {
  const auto text = a.text(key);
  if (!text) return microseconds(0);
  std::uint64_t value = 0;
  const char* begin = text->data();
  const char* end = begin + text->size();
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  const std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
  const std::uint64_t scale = unit.empty() || unit == "us" ? 1
                              : unit == "ms"               ? 1000
                              : unit == "s"                ? 1'000'000
                                                           : 0;
  if (ptr == begin || ec != std::errc() || scale == 0 || value > 3'600'000'000ull / scale) {
    a.fail(key, *text,
           "expected microseconds, e.g. 500 (or with a unit: 250us, 2ms, 1s; at most 1h)");
  }
  return microseconds(static_cast<std::int64_t>(value * scale));
}

}  // namespace

std::unique_ptr<fault> make_slicer(attributes& a) {
  const auto settings = read_toxic_settings(a);
  const auto average = a.count("average_size");
  if (!average || *average == 0) {
    a.fail("average_size", average ? "0" : "", "required by slicer: bytes per slice, 1 or more");
  }
  const auto variation = a.count("size_variation").value_or(0);
  if (variation >= *average) {
    a.fail("size_variation", std::to_string(variation), "must be smaller than average_size");
  }
  return std::make_unique<slicer>(settings, *average, variation, read_microseconds(a, "delay"));
}

}  // namespace fauxgres::faults::catalogue
