// Session settings; see settings.hpp. Values are kept in layers (SET LOCAL over SET over
// startup/session defaults over the table's defaults); transactions and savepoints take a
// copy of the SET layers only when something changes, so BEGIN/COMMIT stay cheap.
#include "responder/settings.hpp"

#include <algorithm>

#include "responder/guc_table.hpp"
#include "responder/guc_values.hpp"
#include "responder/pg_error.hpp"

namespace fauxgres::responder {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string severity(bool fatal) {
  return fatal ? "FATAL" : "ERROR";
}

// "15.20 (Debian ...)" → "150020"; "9.6.3" style is not expected.
std::string version_num(std::string_view version) {
  int major = 0, minor = 0;
  std::size_t p = 0;
  while (p < version.size() && version[p] >= '0' && version[p] <= '9') {
    major = major * 10 + (version[p++] - '0');
  }
  if (p < version.size() && version[p] == '.') {
    ++p;
    while (p < version.size() && version[p] >= '0' && version[p] <= '9') {
      minor = minor * 10 + (version[p++] - '0');
    }
  }
  return std::to_string(major * 10000 + minor);
}

constexpr std::size_t max_name_bytes = 63;

}  // namespace

settings::settings(std::string_view user, std::string_view server_version, bool superuser)
    : user_(user),
      server_version_(server_version),
      server_version_num_(server_version.empty() ? "" : version_num(server_version)),
      superuser_(superuser) {}

std::optional<std::string_view> settings::value_of(std::string_view key) const {
  if (auto it = local_.find(key); it != local_.end()) return it->second;
  const guc_definition* def = find_guc(key);
  if (def != nullptr && (def->flags & guc_transaction) != 0) {
    // transaction_isolation & co. follow their default_* parameter unless set for the
    // transaction.
    return value_of("default_" + std::string(key));
  }
  if (auto it = session_.find(key); it != session_.end()) return it->second;
  if (auto it = reset_.find(key); it != reset_.end()) return it->second;
  // Per-session defaults live in members, not maps: idle sessions must stay small.
  if (key == "session_authorization") return std::string_view(user_);
  if (key == "is_superuser") return superuser_ ? "on" : "off";
  if (key == "server_version" && !server_version_.empty()) return std::string_view(server_version_);
  if (key == "server_version_num" && !server_version_num_.empty())
    return std::string_view(server_version_num_);
  if (def != nullptr) return def->default_value;
  return std::nullopt;
}

std::optional<protocol::error_fields> settings::check_settable(std::string_view given,
                                                               std::string_view key,
                                                               bool fatal) const {
  const guc_definition* def = find_guc(key);
  if (def == nullptr) {
    if (key.find('.') == std::string_view::npos) {
      return protocol::errors::unrecognized_parameter(given, fatal);
    }
    if (!valid_custom_name(key)) {
      return with_detail(
          pg_error("42602", "invalid configuration parameter name \"" + std::string(given) + "\"",
                   severity(fatal)),
          "Custom parameter names must be two or more simple identifiers separated by dots.");
    }
    return std::nullopt;
  }
  const std::string quoted = "parameter \"" + std::string(given) + "\"";
  switch (def->context) {
    case guc_context::internal:
      return pg_error("55P02", quoted + " cannot be changed", severity(fatal));
    case guc_context::postmaster:
      return pg_error("55P02", quoted + " cannot be changed without restarting the server",
                      severity(fatal));
    case guc_context::sighup:
      return pg_error("55P02", quoted + " cannot be changed now", severity(fatal));
    case guc_context::backend:
      if (!fatal) return pg_error("55P02", quoted + " cannot be set after connection start");
      return std::nullopt;
    case guc_context::superuser:
      if (!superuser_) {
        return pg_error("42501", "permission denied to set " + quoted, severity(fatal));
      }
      return std::nullopt;
    case guc_context::user:
      return std::nullopt;
  }
  return std::nullopt;
}

void settings::before_change() {
  changed();
  if (!in_transaction_) return;
  std::shared_ptr<const snapshot> now;
  auto current = [&] {
    if (!now) now = std::make_shared<const snapshot>(snapshot{session_, local_});
    return now;
  };
  if (!transaction_state_) transaction_state_ = current();
  for (auto it = savepoints_.rbegin(); it != savepoints_.rend() && !it->state; ++it) {
    it->state = current();
  }
}

std::optional<protocol::error_fields> settings::apply_startup(std::string_view name,
                                                              std::string_view value) {
  const std::string key = lower(name);
  if (key == "user" || key == "database" || key == "replication") return std::nullopt;
  if (key == "options") {
    std::string_view rest = value;
    std::string option;
    while (auto v = next_startup_option(rest, &option)) {
      if (option.empty()) {
        return with_hint(
            pg_error("42601", "invalid command-line argument for server process: " + *v, "FATAL"),
            "Try \"postgres --help\" for more information.");
      }
      if (auto error = apply_startup(option, *v)) return error;
    }
    return std::nullopt;
  }
  if (auto error = check_settable(name, key, true)) return error;
  const guc_definition* def = find_guc(key);
  std::string normalised(value);
  if (def != nullptr) {
    auto current = value_of(key);
    auto result = normalise_guc_value(*def, name, value, current.value_or(""), true);
    if (result.error) return result.error;
    normalised = std::move(result.value);
    if (key == "application_name" && normalised.size() > max_name_bytes) {
      normalised.resize(max_name_bytes);
    }
  } else {
    custom_names_.emplace(key, std::string(name));
  }
  changed();
  session_.erase(key);
  reset_[key] = std::move(normalised);
  return std::nullopt;
}

std::optional<protocol::error_fields> settings::set(std::string_view name, std::string_view value,
                                                    bool local) {
  const std::string key = lower(name);
  if (key == "session_authorization") return set_session_authorization(value, local);
  if (auto error = check_settable(name, key, false)) return error;
  const guc_definition* def = find_guc(key);
  std::string normalised(value);
  if (def != nullptr) {
    auto current = value_of(key);
    auto result = normalise_guc_value(*def, name, value, current.value_or(""), false);
    if (result.error) return result.error;
    normalised = std::move(result.value);
    // transaction_* only exist inside a transaction block.
    if ((def->flags & guc_transaction) != 0) local = true;
  }
  if (local && !in_transaction_) return std::nullopt;
  before_change();
  if (def == nullptr) {
    custom_names_.emplace(key, std::string(name));
    reset_.emplace(key, std::string());  // a placeholder's reset value is empty
  }
  if (local) {
    local_[key] = std::move(normalised);
  } else {
    local_.erase(key);
    session_[key] = std::move(normalised);
  }
  return std::nullopt;
}

std::optional<protocol::error_fields> settings::reset(std::string_view name) {
  const std::string key = lower(name);
  if (key == "session_authorization") return set_session_authorization(std::nullopt);
  if (auto error = check_settable(name, key, false)) return error;
  if (find_guc(key) == nullptr && !custom_names_.contains(key)) {
    return std::nullopt;  // RESET of a never-set placeholder creates nothing visible
  }
  before_change();
  local_.erase(key);
  session_.erase(key);
  return std::nullopt;
}

void settings::reset_all() {
  before_change();
  auto resettable = [](const std::string& key) {
    const guc_definition* def = find_guc(key);
    return def == nullptr || (def->flags & guc_no_reset_all) == 0;
  };
  std::erase_if(session_, [&](const auto& kv) { return resettable(kv.first); });
  std::erase_if(local_, [&](const auto& kv) { return resettable(kv.first); });
}

void settings::discard_all() {
  reset_all();
  session_.erase("session_authorization");
  session_.erase("role");
  local_.erase("session_authorization");
  local_.erase("role");
}

std::optional<protocol::error_fields> settings::set_session_authorization(
    std::optional<std::string_view> role, bool local) {
  if (role && *role != user_ && !superuser_) {
    return pg_error("42501", "permission denied to set session authorization");
  }
  if (local && !in_transaction_) return std::nullopt;
  before_change();
  if (!role) {
    session_.erase("session_authorization");
    local_.erase("session_authorization");
    return std::nullopt;
  }
  (local ? local_ : session_)["session_authorization"] = std::string(*role);
  return std::nullopt;
}

std::optional<std::pair<std::string, std::string>> settings::show(std::string_view name) const {
  const std::string key = lower(name);
  auto v = value_of(key);
  if (!v) return std::nullopt;
  if (const guc_definition* def = find_guc(key)) {
    return std::make_pair(std::string(def->name), std::string(*v));
  }
  auto display = custom_names_.find(key);
  return std::make_pair(display != custom_names_.end() ? display->second : key, std::string(*v));
}

std::optional<std::string> settings::get(std::string_view name) const {
  // Lower-case into a stack buffer: get() is on the statement path (timeouts, floats).
  char buffer[64];
  if (name.size() <= sizeof buffer) {
    for (std::size_t i = 0; i < name.size(); ++i) {
      const char c = name[i];
      buffer[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    auto v = value_of(std::string_view(buffer, name.size()));
    if (!v) return std::nullopt;
    return std::string(*v);
  }
  auto v = value_of(lower(name));
  if (!v) return std::nullopt;
  return std::string(*v);
}

std::vector<std::tuple<std::string, std::string, std::string>> settings::show_all() const {
  std::vector<std::tuple<std::string, std::string, std::string>> rows;
  for (const auto& def : all_gucs()) {
    if ((def.flags & guc_no_show_all) != 0) continue;
    rows.emplace_back(std::string(def.name), std::string(value_of(lower(def.name)).value_or("")),
                      std::string(def.description));
  }
  for (const auto& [key, display] : custom_names_) {
    if (auto v = value_of(key)) rows.emplace_back(display, std::string(*v), std::string());
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return lower(std::get<0>(a)) < lower(std::get<0>(b));
  });
  return rows;
}

std::vector<std::pair<std::string, std::string>> settings::reported() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(reported_gucs().size());
  auto names = reported_gucs();
  for (std::size_t i = 0; i < std::min(names.size(), last_reported_.size()); ++i) {
    std::string v(value_of(lower(names[i])).value_or(""));
    last_reported_[i] = std::hash<std::string_view>{}(v);
    out.emplace_back(std::string(names[i]), std::move(v));
  }
  dirty_ = false;
  return out;
}

std::vector<std::pair<std::string, std::string>> settings::take_report_changes() {
  std::vector<std::pair<std::string, std::string>> out;
  if (!dirty_) return out;
  dirty_ = false;
  auto names = reported_gucs();
  for (std::size_t i = 0; i < std::min(names.size(), last_reported_.size()); ++i) {
    const std::string_view v = value_of(lower(names[i])).value_or("");
    auto hash = std::hash<std::string_view>{}(v);
    if (last_reported_[i] == hash) continue;
    last_reported_[i] = hash;
    out.emplace_back(std::string(names[i]), std::string(v));
  }
  return out;
}

void settings::transaction_begin() {
  if (in_transaction_) return;
  in_transaction_ = true;
  transaction_state_.reset();
  savepoints_.clear();
}

void settings::transaction_commit() {
  if (!local_.empty()) changed();
  local_.clear();
  in_transaction_ = false;
  transaction_state_.reset();
  savepoints_.clear();
}

void settings::transaction_rollback() {
  if (transaction_state_) {
    session_ = transaction_state_->session;
    changed();
  }
  if (!local_.empty()) changed();
  local_.clear();
  in_transaction_ = false;
  transaction_state_.reset();
  savepoints_.clear();
}

void settings::savepoint(std::string_view name) {
  savepoints_.push_back(savepoint_entry{std::string(name), nullptr});
}

bool settings::release_savepoint(std::string_view name) {
  for (std::size_t i = savepoints_.size(); i-- > 0;) {
    if (savepoints_[i].name == name) {
      // Its changes now belong to the enclosing level, whose snapshot (if any) is older.
      savepoints_.resize(i);
      return true;
    }
  }
  return false;
}

bool settings::rollback_to_savepoint(std::string_view name) {
  for (std::size_t i = savepoints_.size(); i-- > 0;) {
    if (savepoints_[i].name == name) {
      if (savepoints_[i].state) {
        session_ = savepoints_[i].state->session;
        local_ = savepoints_[i].state->local;
        changed();
        // The savepoint stays; it is again "unchanged since creation".
        savepoints_[i].state.reset();
      }
      savepoints_.resize(i + 1);
      return true;
    }
  }
  return false;
}

}  // namespace fauxgres::responder
