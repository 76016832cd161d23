// Always-on connection counters the harness asserts on.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace fauxgres::observe {

struct stats {
  std::uint64_t accepted = 0;
  std::uint64_t closed = 0;
  std::uint64_t current = 0;
  std::uint64_t peak = 0;
  std::uint64_t logins = 0;
  std::uint64_t auth_failures = 0;
  std::map<std::string, std::uint64_t, std::less<>> current_by_listener;
  std::map<std::string, std::uint64_t, std::less<>> peak_by_listener;

  void connection_opened(const std::string& listener);
  void connection_closed(const std::string& listener);
};

}  // namespace fauxgres::observe
