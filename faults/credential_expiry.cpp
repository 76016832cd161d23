// credential_expiry: short-lived credentials, as IAM database tokens (story S4). Each
// password a matched role logs in with is valid for `valid_for` from its first login; a
// login with it after that gets PG15's FATAL 28P01 "password authentication failed for user
// "…"" (the bytes auth_fail sends), then FIN. A password not seen before is a fresh token:
// accepted, and its own window starts. That is what a token refresh looks like to the
// database: the old token stops working, the client fetches a new one and logs in with it;
// connections already logged in are left alone.
//
// The rule needs to see passwords. With the cleartext method (`--auth password`, which is
// how Cloud SQL and RDS IAM authentication send the token) any new password of a configured
// role is accepted, so a typo counts as a fresh token too. md5 and SCRAM only prove that
// the client knows the role's configured password: that one expires `valid_for` after its
// first login and stays refused (nothing can replace it). Trust logins carry no password:
// the rule never fires for them. `valid_for=0` makes every password good for one login.
//
// The one fault with memory: when each password was first seen (a hash of role and
// password, never the password), for the last `max_remembered` passwords.
#include <deque>
#include <functional>
#include <unordered_map>

#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class credential_expiry final : public fault {
 public:
  static constexpr std::size_t max_remembered = 100'000;

  explicit credential_expiry(milliseconds valid_for) : valid_for_(valid_for) {}
  std::string_view type() const override { return "credential_expiry"; }
  bool listens_to(hook h) const override { return h == hook::auth; }
  verdict decide(hook h, const connection_facts& facts, milliseconds now) const override {
    if (h != hook::auth || facts.password.empty()) return {};
    const auto key = token_key(facts.user, facts.password);
    auto [it, fresh] = first_seen_.try_emplace(key, now);
    if (fresh) {
      order_.push_back(key);
      if (order_.size() > max_remembered) {
        first_seen_.erase(order_.front());
        order_.pop_front();
      }
      return {};
    }
    if (now - it->second < valid_for_) return {};
    return verdicts::fatal(protocol::errors::password_failed(facts.user));
  }

 private:
  static std::size_t token_key(std::string_view user, std::string_view password) {
    std::string text;
    text.reserve(user.size() + 1 + password.size());
    text.append(user).push_back('\0');
    text.append(password);
    return std::hash<std::string>{}(text);
  }

  milliseconds valid_for_;
  mutable std::unordered_map<std::size_t, milliseconds> first_seen_;
  mutable std::deque<std::size_t> order_;  // oldest first
};

}  // namespace

std::unique_ptr<fault> make_credential_expiry(attributes& a) {
  return std::make_unique<credential_expiry>(a.required_duration("valid_for"));
}

}  // namespace fauxgres::faults::catalogue
