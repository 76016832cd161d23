// noop: lets everything through untouched, as Toxiproxy's noop toxic (which also stands in
// for a toxic that loses its toxicity draw). Its rule still fires once per connection.
#include "faults/catalogue.hpp"
#include "faults/toxic.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class noop final : public network_fault {
 public:
  using network_fault::network_fault;
  std::string_view type() const override { return "noop"; }
  void pipe(flow&, toxic_state&, random_source&) const override {}
  std::string describe() const override { return "noop " + direction_text(); }
};

}  // namespace

std::unique_ptr<fault> make_noop(attributes& a) {
  return std::make_unique<noop>(read_toxic_settings(a));
}

}  // namespace fauxgres::faults::catalogue
