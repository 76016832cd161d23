// Helpers for the fault tests: build faults and rules from text, capture config::error,
// and connection facts at each stage of a connection. Fixed seed, fake clock.
#pragma once

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

#include "config/error.hpp"
#include "faults/rules.hpp"

namespace fauxgres::faults::testing {

using namespace std::chrono_literals;

constexpr std::uint64_t seed = 42;

inline std::unique_ptr<fault> make(std::string_view type, const attribute_map& attributes = {}) {
  return make_fault(type, attributes, "test");
}

// The error a --fault text gives.
inline config::error rule_error(std::string_view text) {
  try {
    parse_rule(text);
  } catch (const config::error& e) {
    return e;
  }
  FAIL("expected a config::error for " << text);
  throw std::logic_error("unreachable");
}

// An engine of one rule, from --fault text.
inline engine engine_of(std::string_view text) {
  std::vector<rule> rules;
  rules.push_back(parse_rule(text));
  return engine(std::move(rules), seed);
}

// Facts at accept: nothing from the StartupMessage yet.
inline connection_facts accepted(std::uint64_t ordinal = 1) {
  connection_facts f;
  f.listener = "tcp0";
  f.client_address = "127.0.0.1";
  f.ordinal = ordinal;
  f.open_connections = 1;
  f.open_on_listener = 1;
  return f;
}

// Facts after the StartupMessage of user app, database app.
inline connection_facts started(std::uint64_t ordinal = 1) {
  connection_facts f = accepted(ordinal);
  f.user = "app";
  f.database = "appdb";
  f.application_name = "psql";
  return f;
}

inline connection_facts idle(milliseconds connected_for = 0ms, char status = 'I') {
  connection_facts f = started();
  f.connected_for = connected_for;
  f.transaction_status = status;
  return f;
}

inline connection_facts querying(std::string_view statement, std::uint64_t before = 0) {
  connection_facts f = started();
  f.statement = statement;
  f.statements = before;
  return f;
}

}  // namespace fauxgres::faults::testing
