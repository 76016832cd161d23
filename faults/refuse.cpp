// refuse: the server is not taking connections. `mode=close` accepts and closes at once
// (FIN), `reset` accepts and resets (RST), `closed` closes the listening socket so connects
// are really refused (ECONNREFUSED); that last one is answered by engine::listener_closed.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class refuse final : public fault {
 public:
  explicit refuse(std::string mode) : mode_(std::move(mode)) {}
  std::string_view type() const override { return "refuse"; }
  bool listens_to(hook h) const override { return h == hook::accept && mode_ != "closed"; }
  verdict decide(hook h, const connection_facts&, milliseconds) const override {
    if (h != hook::accept) return {};
    if (mode_ == "close") return verdicts::close();
    if (mode_ == "reset") return verdicts::reset();
    return {};
  }
  bool closes_listener() const override { return mode_ == "closed"; }

 private:
  std::string mode_;
};

}  // namespace

std::unique_ptr<fault> make_refuse(attributes& a) {
  return std::make_unique<refuse>(a.choice("mode", {"close", "reset", "closed"}, "close"));
}

}  // namespace fauxgres::faults::catalogue
