// What the network faults share: directions, flows, the per-connection random source and the
// `stream` / `toxicity` attributes.
#include "faults/toxic.hpp"

#include <algorithm>
#include <charconv>

namespace fauxgres::faults {

std::string_view to_string(stream_direction d) {
  return d == stream_direction::upstream ? "upstream" : "downstream";
}

std::size_t flow::passed() const {
  std::size_t n = 0;
  for (const auto& p : pieces) n += p.size;
  return n;
}

void flow::end_after(microseconds busy) {
  if (end != ending::none) end_at = std::max(end_at, busy);
}

std::uint64_t random_source::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::uint64_t random_source::below(std::uint64_t n) {
  return n == 0 ? 0 : next() % n;
}

toxic_settings read_toxic_settings(attributes& a) {
  toxic_settings s;
  s.stream = a.choice("stream", {"upstream", "downstream"}, "downstream") == "upstream"
                 ? stream_direction::upstream
                 : stream_direction::downstream;
  if (auto text = a.text("toxicity")) {
    double p = 0;
    const char* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, p, std::chars_format::fixed);
    if (text->empty() || ec != std::errc() || ptr != end || !(p >= 0.0 && p <= 1.0)) {
      a.fail("toxicity", *text, "expected a probability from 0 to 1, e.g. 0.5");
    }
    s.toxicity = p;
  }
  return s;
}

std::string describe_duration(microseconds d) {
  const auto us = d.count();
  if (us % 1000 != 0) return std::to_string(us) + "us";
  const auto ms = us / 1000;
  if (ms != 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace fauxgres::faults
