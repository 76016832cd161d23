// Counter updates; kept out of the network code so they can be tested alone.
#include "observe/stats.hpp"

#include <algorithm>

namespace fauxgres::observe {

void stats::connection_opened(const std::string& listener) {
  ++accepted;
  peak = std::max(peak, ++current);
  auto& per = current_by_listener[listener];
  auto& per_peak = peak_by_listener[listener];
  per_peak = std::max(per_peak, ++per);
}

void stats::connection_closed(const std::string& listener) {
  ++closed;
  --current;
  --current_by_listener[listener];
}

}  // namespace fauxgres::observe
