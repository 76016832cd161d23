// The ssl fault: see ssl.hpp.
#include "faults/ssl.hpp"

#include "faults/catalogue.hpp"

namespace fauxgres::faults {

bool ssl_fault::listens_to(hook h) const {
  return h == hook::ssl_request || (h == hook::startup && mode_ == "require");
}

verdict ssl_fault::decide(hook h, const connection_facts& facts, milliseconds) const {
  if (h == hook::startup) {
    if (mode_ != "require" || facts.tls) return {};
    return verdicts::fatal(
        protocol::errors::no_hba_entry(facts.client_address, facts.user, facts.database, false));
  }
  if (h != hook::ssl_request) return {};
  if (mode_ == "reject") return verdicts::ssl_answer('N');
  if (mode_ == "close") return verdicts::close();
  if (mode_ == "hang") return verdicts::hang();
  if (mode_ == "garbage") return verdicts::ssl_answer(garbage_byte);
  verdict v = verdicts::ssl_answer('S');  // accept, require
  v.certificate = cert_;
  return v;
}

namespace catalogue {

std::unique_ptr<fault> make_ssl(attributes& a) {
  std::string mode =
      a.choice("mode", {"accept", "reject", "require", "close", "garbage", "hang"}, "accept");
  std::string cert = a.choice("cert", {"valid", "self_signed", "wrong_host", "expired"}, "");
  if (!cert.empty() && mode != "accept" && mode != "require") {
    a.fail("cert", cert, "only applies with mode=accept or mode=require (got mode=" + mode + ")");
  }
  return std::make_unique<ssl_fault>(std::move(mode), std::move(cert));
}

}  // namespace catalogue
}  // namespace fauxgres::faults
