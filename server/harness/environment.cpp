// See environment.hpp.
#include "harness/environment.hpp"

#include <algorithm>
#include <cctype>

namespace fauxgres::harness {

environment_changes client_environment(const endpoint& where, const client_identity& who,
                                       const std::optional<std::string>& api_url) {
  environment_changes out{
      {"PGHOST", where.host},       {"PGPORT", std::to_string(where.port)},
      {"PGUSER", who.user},         {"PGPASSWORD", who.password},
      {"PGDATABASE", who.database}, {"DATABASE_URL", database_url(where, who)},
  };
  out.emplace_back("FAUXGRES_API", api_url);
  return out;
}

std::vector<std::string> apply_environment(const std::vector<std::string>& base,
                                           const environment_changes& changes) {
  std::vector<std::string> out = base;
  for (const auto& [name, value] : changes) {
    const std::string prefix = name + "=";
    auto named = [&](const std::string& entry) { return entry.rfind(prefix, 0) == 0; };
    auto it = std::find_if(out.begin(), out.end(), named);
    if (!value) {
      out.erase(std::remove_if(out.begin(), out.end(), named), out.end());
    } else if (it != out.end()) {
      *it = prefix + *value;
      out.erase(std::remove_if(std::next(it), out.end(), named), out.end());
    } else {
      out.push_back(prefix + *value);
    }
  }
  return out;
}

}  // namespace fauxgres::harness
