// What `fauxgres run` exports to COMMAND: libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD,
// PGDATABASE, a DATABASE_URL with user, password and database percent-encoded, and
// FAUXGRES_API when the control API is on. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/url.hpp"

namespace fauxgres::harness {

// Where the command connects (the first TCP listener, else the first Unix socket) and as
// whom; PGPASSWORD is removed from the environment when there is no password.
using config::client_identity;
using config::database_url;
using config::endpoint;
using config::percent_encode;

// NAME → value; a value of nullopt means "remove NAME from the environment".
using environment_changes = std::vector<std::pair<std::string, std::optional<std::string>>>;
environment_changes client_environment(const endpoint& where, const client_identity& who,
                                       const std::optional<std::string>& api_url);

// `base` (NAME=value strings, as in environ) with `changes` applied: replaced in place,
// removed, or appended in the order given.
std::vector<std::string> apply_environment(const std::vector<std::string>& base,
                                           const environment_changes& changes);

}  // namespace fauxgres::harness
