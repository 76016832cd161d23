// make_fault: the table of fault types and their factories, and the types that are planned
// but not built yet (so a rule naming one gets a clear answer).
#include <algorithm>
#include <array>
#include <utility>

#include "config/error.hpp"
#include "faults/catalogue.hpp"
#include "faults/rules.hpp"

namespace fauxgres::faults {
namespace {

using factory = std::unique_ptr<fault> (*)(attributes&);

constexpr std::pair<std::string_view, factory> table[] = {
    {"refuse", catalogue::make_refuse},
    {"accept_hang", catalogue::make_accept_hang},
    {"max_connections", catalogue::make_max_connections},
    {"startup_error", catalogue::make_startup_error},
    {"startup_delay", catalogue::make_startup_delay},
    {"ssl", catalogue::make_ssl},
    {"auth_fail", catalogue::make_auth_fail},
    {"auth_delay", catalogue::make_auth_delay},
    {"credential_expiry", catalogue::make_credential_expiry},
    {"idle_drop", catalogue::make_idle_drop},
    {"idle_in_transaction_drop", catalogue::make_idle_in_transaction_drop},
    {"max_lifetime", catalogue::make_max_lifetime},
    {"terminate", catalogue::make_terminate},
    {"reset_after", catalogue::make_reset_after},
    {"query_error", catalogue::make_query_error},
    {"query_delay", catalogue::make_query_delay},
    {"statement_timeout", catalogue::make_statement_timeout},
    {"query_reset", catalogue::make_query_reset},
    {"query_hang", catalogue::make_query_hang},
    {"kill_all", catalogue::make_kill_all},
    {"restart", catalogue::make_restart},
    {"shutdown", catalogue::make_shutdown},
    {"failover", catalogue::make_failover},
    {"latency", catalogue::make_latency},
    {"bandwidth", catalogue::make_bandwidth},
    {"slicer", catalogue::make_slicer},
    {"limit_data", catalogue::make_limit_data},
    {"timeout", catalogue::make_timeout},
    {"reset_peer", catalogue::make_reset_peer},
    {"slow_close", catalogue::make_slow_close},
    {"noop", catalogue::make_noop},
};

// Not built yet: a rule naming one gets its own message. Remove a name when it lands (none
// is left; add one here with the array's size when a fault is planned again).
constexpr std::array<std::string_view, 0> planned{};

std::string known_types() {
  std::string out;
  for (const auto& [name, make] : table) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

}  // namespace

std::vector<std::string_view> fault_types() {
  std::vector<std::string_view> out;
  for (const auto& [name, make] : table) out.push_back(name);
  return out;
}

std::unique_ptr<fault> make_fault(std::string_view type, const attribute_map& attributes_given,
                                  std::string_view field) {
  catalogue::check_type(type, field);
  for (const auto& [name, make] : table) {
    if (name != type) continue;
    attributes a(attributes_given, type, field);
    auto made = make(a);
    a.finish();
    return made;
  }
  return nullptr;  // not reached: check_type threw
}

namespace catalogue {

void check_type(std::string_view type, std::string_view field) {
  for (const auto& [name, make] : table) {
    if (name == type) return;
  }
  const std::string where = std::string(field) + ".type";
  for (std::string_view name : planned) {
    if (name == type) {
      throw config::error(where, std::string(type),
                          "planned but not implemented yet (implemented: " + known_types() + ")");
    }
  }
  throw config::error(where, std::string(type),
                      "unknown fault type (known: " + known_types() + ")");
}

verdict ending(std::string_view mode, const protocol::error_fields& error) {
  if (mode == "fin") return verdicts::close();
  if (mode == "reset") return verdicts::reset();
  if (mode == "blackhole") return verdicts::hang();
  return verdicts::fatal(error);
}

std::optional<std::string> read_sqlstate(attributes& a) {
  auto code = a.text("sqlstate");
  if (!code) return std::nullopt;
  const bool valid = code->size() == 5 && std::all_of(code->begin(), code->end(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
                     });
  if (!valid) a.fail("sqlstate", *code, "expected five digits or capital letters, e.g. 40001");
  return code;
}

}  // namespace catalogue
}  // namespace fauxgres::faults
