// limit_data: lets `bytes` bytes through (counted from when it began applying to the
// connection), then closes the connection, as Toxiproxy's limit_data toxic. With bytes=0 the
// first data closes it.
#include "faults/catalogue.hpp"
#include "faults/toxic.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class limit_data final : public network_fault {
 public:
  limit_data(toxic_settings s, std::uint64_t bytes) : network_fault(s), bytes_(bytes) {}
  std::string_view type() const override { return "limit_data"; }

  void pipe(flow& f, toxic_state& state, random_source&) const override {
    std::vector<flow::piece> out;
    for (const auto& p : f.pieces) {
      const std::uint64_t left = bytes_ > state.passed ? bytes_ - state.passed : 0;
      const std::uint64_t take = std::min<std::uint64_t>(p.size, left);
      if (take > 0) out.push_back({p.at, p.stamp, take});
      state.passed += take;
      if (state.passed >= bytes_) {
        f.end_at = p.at;  // before `p` goes with the pieces
        f.pieces = std::move(out);
        f.end = flow::ending::close;
        f.end_by = type();
        return;
      }
    }
    f.end_after(f.pieces.empty() ? microseconds(0) : f.pieces.back().at);
  }

  std::string describe() const override {
    return "limit_data " + std::to_string(bytes_) + " bytes " + direction_text();
  }

 private:
  std::uint64_t bytes_;
};

}  // namespace

std::unique_ptr<fault> make_limit_data(attributes& a) {
  const auto settings = read_toxic_settings(a);
  return std::make_unique<limit_data>(settings, a.count("bytes").value_or(0));
}

}  // namespace fauxgres::faults::catalogue
