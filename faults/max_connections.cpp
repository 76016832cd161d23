// max_connections: a connection cap. Over `limit` open connections (this one included):
// `variant=error` → PG15's 53300 "sorry, too many clients already" right after the
// StartupMessage; `reserved` → the "remaining connection slots are reserved…" 53300 after
// authentication, for ordinary roles only: superusers use the reserved slots, as with PG's
// superuser_reserved_connections (a hard cap for them is a second rule, variant=error);
// `silent` → closed with no bytes at accept, as the Cloud SQL Auth Proxy does.
// `scope=server` (default) counts every connection, `listener` only this listener's.
#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class max_connections final : public fault {
 public:
  max_connections(std::uint64_t limit, std::string variant, bool per_listener)
      : limit_(limit), variant_(std::move(variant)), per_listener_(per_listener) {}
  std::string_view type() const override { return "max_connections"; }
  bool listens_to(hook h) const override { return h == where(); }
  verdict decide(hook h, const connection_facts& facts, milliseconds) const override {
    const std::uint64_t open = per_listener_ ? facts.open_on_listener : facts.open_connections;
    if (h != where() || open <= limit_) return {};
    if (variant_ == "silent") return verdicts::close();
    if (variant_ == "reserved") {
      if (facts.superuser) return {};
      return verdicts::fatal(protocol::errors::reserved_slots());
    }
    return verdicts::fatal(protocol::errors::too_many_clients());
  }

 private:
  hook where() const {
    if (variant_ == "silent") return hook::accept;
    return variant_ == "reserved" ? hook::auth : hook::startup;
  }

  std::uint64_t limit_;
  std::string variant_;
  bool per_listener_;
};

}  // namespace

std::unique_ptr<fault> make_max_connections(attributes& a) {
  const std::uint64_t limit = a.required_count("limit");
  std::string variant = a.choice("variant", {"error", "reserved", "silent"}, "error");
  const bool per_listener = a.choice("scope", {"server", "listener"}, "server") == "listener";
  return std::make_unique<max_connections>(limit, std::move(variant), per_listener);
}

}  // namespace fauxgres::faults::catalogue
