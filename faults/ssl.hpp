// The `ssl` fault, exposed so the network layer can read which certificate a rule wants.
// Modes: accept → answer 'S' (TLS, with `cert`); reject → 'N'; require → 'S', and a
// StartupMessage without TLS gets PG15's 28000 "no pg_hba.conf entry … no encryption";
// close → close on SSLRequest (FIN, no byte); garbage → answer 'H' (0x48, the first byte of
// an HTTP proxy's "HTTP/1.1 400"), neither S nor N; hang → never answer.
#pragma once

#include <string>
#include <string_view>

#include "faults/fault.hpp"

namespace fauxgres::faults {

class ssl_fault final : public fault {
 public:
  static constexpr char garbage_byte = 'H';

  ssl_fault(std::string mode, std::string cert) : mode_(std::move(mode)), cert_(std::move(cert)) {}
  std::string_view type() const override { return "ssl"; }
  bool listens_to(hook h) const override;
  verdict decide(hook h, const connection_facts& facts, milliseconds now) const override;

  const std::string& mode() const { return mode_; }
  // valid | self_signed | wrong_host | expired; empty when not given (the server's own).
  const std::string& cert() const { return cert_; }

 private:
  std::string mode_;
  std::string cert_;
};

}  // namespace fauxgres::faults
