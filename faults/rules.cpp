// Rule matching and the one rule builder behind --fault, the config file and the API.
#include "faults/rules.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "config/error.hpp"
#include "config/server_config.hpp"
#include "faults/catalogue.hpp"
#include "faults/glob.hpp"

namespace fauxgres::faults {
namespace {

constexpr std::array<std::string_view, 5> rule_keys{"name", "probability", "times", "from",
                                                    "until"};
constexpr std::array<std::string_view, 7> match_keys{
    "listener", "user", "database", "application_name", "client_address", "nth", "every"};

bool listener_matches(const std::string& wanted, const connection_facts& facts) {
  if (wanted == facts.listener) return true;
  if (wanted == "tcp") return !facts.unix_socket;
  if (wanted == "unix") return facts.unix_socket;
  return false;
}

// Exact unless the pattern has a wildcard; empty text is "not known yet".
bool address_matches(const std::string& wanted, std::string_view address) {
  if (address.empty()) return false;
  return wanted.find_first_of("*?") == std::string::npos ? wanted == address
                                                         : glob_match(wanted, address);
}

std::uint64_t whole_number(const std::string& text, const std::string& field, std::uint64_t min) {
  std::uint64_t n = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, n);
  if (text.empty() || ec != std::errc() || ptr != end) {
    throw config::error(field, text, "expected a whole number");
  }
  if (n < min) throw config::error(field, text, "must be " + std::to_string(min) + " or more");
  return n;
}

double probability(const std::string& text, const std::string& field) {
  double p = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, p, std::chars_format::fixed);
  if (text.empty() || ec != std::errc() || ptr != end || !(p >= 0.0 && p <= 1.0)) {
    throw config::error(field, text, "expected a probability from 0 to 1, e.g. 0.5");
  }
  return p;
}

std::string not_empty(const std::string& text, const std::string& field) {
  if (text.empty()) throw config::error(field, "", "must not be empty");
  return text;
}

void set_rule_key(rule& r, const std::string& key, const std::string& value,
                  const std::string& field) {
  if (key == "name") {
    r.name = not_empty(value, field);
  } else if (key == "probability") {
    r.probability = probability(value, field);
  } else if (key == "times") {
    r.times = whole_number(value, field, 0);
  } else if (key == "from") {
    r.from = parse_duration(value, field);
  } else {
    r.until = parse_duration(value, field);
  }
}

void set_match_key(rule_match& m, const std::string& key, const std::string& value,
                   const std::string& field) {
  if (key == "nth") {
    m.nth = whole_number(value, field, 1);
  } else if (key == "every") {
    m.every = whole_number(value, field, 1);
  } else {
    std::optional<std::string>& slot = key == "listener"           ? m.listener
                                       : key == "user"             ? m.user
                                       : key == "database"         ? m.database
                                       : key == "application_name" ? m.application_name
                                                                   : m.client_address;
    slot = not_empty(value, field);
  }
}

// Checks that need the fault and the rule together.
void check_rule(const rule& r, const std::string& field) {
  if (r.until && *r.until <= r.from) {
    throw config::error(field + ".until", "", "must be later than from");
  }
  const fault& f = *r.impl;
  if (f.scheduled()) {
    const rule_match& m = r.match;
    if (m.listener || m.user || m.database || m.application_name || m.client_address || m.nth ||
        m.every) {
      throw config::error(field, r.type,
                          "a server action applies to the whole server: match keys do not apply");
    }
  }
  if (f.closes_listener()) {
    const rule_match& m = r.match;
    for (const auto& [key, set] :
         {std::pair{"user", m.user.has_value()}, std::pair{"database", m.database.has_value()},
          std::pair{"application_name", m.application_name.has_value()},
          std::pair{"client_address", m.client_address.has_value()},
          std::pair{"nth", m.nth.has_value()}, std::pair{"every", m.every.has_value()}}) {
      if (set) {
        throw config::error(field + "." + key, "",
                            "a closed listener refuses before any connection exists: only "
                            "listener, from, until and times apply");
      }
    }
    if (r.probability < 1.0) {
      throw config::error(field + ".probability", "",
                          "does not apply to a closed listener (use from/until)");
    }
  }
  const bool after_startup = f.listens_to(hook::startup) || f.listens_to(hook::auth) ||
                             f.listens_to(hook::ready) || f.listens_to(hook::query) ||
                             f.listens_to(hook::message) || f.listens_to(hook::moment) ||
                             f.listens_to(hook::data);  // network rules: from the StartupMessage on
  if (!after_startup && !f.closes_listener()) {
    for (const auto& [key, set] :
         {std::pair{"user", r.match.user.has_value()},
          std::pair{"database", r.match.database.has_value()},
          std::pair{"application_name", r.match.application_name.has_value()}}) {
      if (set) {
        throw config::error(
            field + "." + key, "",
            "not known yet when " + r.type + " is decided (before the StartupMessage)");
      }
    }
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One `key=value` of the --fault syntax, from `at`; leaves `at` after the ',' or at the end.
std::pair<std::string, std::string> next_pair(std::string_view text, std::size_t& at,
                                              const std::string& field) {
  const std::size_t end_of_key = text.find_first_of("=,", at);
  const std::string key(trim(text.substr(at, end_of_key - at)));
  if (end_of_key == std::string_view::npos || text[end_of_key] != '=' || key.empty()) {
    throw config::error(field, std::string(text.substr(at, end_of_key - at)), "expected key=value");
  }
  std::size_t i = end_of_key + 1;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  std::string value;
  if (i < text.size() && text[i] == '"') {
    for (++i;; ++i) {
      if (i >= text.size()) throw config::error(field + "." + key, "", "unterminated quote");
      if (text[i] == '"') break;
      if (text[i] == '\\' && i + 1 < text.size()) ++i;
      value += text[i];
    }
    ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i < text.size() && text[i] != ',') {
      throw config::error(field + "." + key, std::string(text.substr(end_of_key + 1)),
                          "expected ',' after the closing quote");
    }
  } else {
    const std::size_t comma = std::min(text.find(',', i), text.size());
    value = std::string(trim(text.substr(i, comma - i)));
    i = comma;
  }
  at = i < text.size() ? i + 1 : i;
  if (i < text.size() && at == text.size()) {
    throw config::error(field, std::string(text), "expected key=value after ','");
  }
  return {key, value};
}

}  // namespace

bool rule_match::matches(const connection_facts& facts) const {
  if (listener && !listener_matches(*listener, facts)) return false;
  if (client_address && !address_matches(*client_address, facts.client_address)) return false;
  if (nth && facts.ordinal != *nth) return false;
  if (every && (facts.ordinal == 0 || facts.ordinal % *every != 0)) return false;
  // The StartupMessage always carries a user, so an empty one means "not known yet".
  const bool started = !facts.user.empty();
  if (user && (!started || *user != facts.user)) return false;
  if (database && (!started || *database != facts.database)) return false;
  if (application_name && (!started || !glob_match(*application_name, facts.application_name))) {
    return false;
  }
  return true;
}

bool is_rule_key(std::string_view key) {
  return std::find(rule_keys.begin(), rule_keys.end(), key) != rule_keys.end();
}

bool is_match_key(std::string_view key) {
  return std::find(match_keys.begin(), match_keys.end(), key) != match_keys.end();
}

rule make_rule(std::string_view type, const attribute_map& keys, std::string_view field) {
  const std::string base(field);
  catalogue::check_type(type, field);
  rule r;
  r.type = std::string(type);
  r.field = base;
  attribute_map attributes;
  for (const auto& [key, value] : keys) {
    const std::string where = base + "." + key;
    if (key.empty()) throw config::error(base, value, "a key is empty");
    if (key == "type") throw config::error(where, value, "the type is given only once");
    if (is_rule_key(key)) {
      set_rule_key(r, key, value, where);
    } else if (is_match_key(key)) {
      set_match_key(r.match, key, value, where);
    } else {
      attributes.emplace(key, value);
    }
  }
  r.attributes = attributes;
  r.given = keys;
  r.impl = make_fault(type, attributes, field);
  check_rule(r, base);
  return r;
}

rule parse_rule(std::string_view text, std::string_view field) {
  const std::size_t colon = text.find(':');
  const std::string type(trim(text.substr(0, colon)));
  if (type.empty()) {
    throw config::error(std::string(field), std::string(text),
                        "expected TYPE[:key=value,...], e.g. idle_drop:after=5s");
  }
  const std::string base = std::string(field) + " " + type;
  attribute_map keys;
  if (colon != std::string_view::npos) {
    const std::string_view rest = text.substr(colon + 1);
    std::size_t at = 0;
    while (at < rest.size()) {
      auto [key, value] = next_pair(rest, at, base);
      if (keys.count(key) != 0) throw config::error(base + "." + key, value, "given twice");
      keys.emplace(std::move(key), std::move(value));
    }
    if (keys.empty()) throw config::error(base, "", "expected key=value after ':'");
  }
  return make_rule(type, keys, base);
}

milliseconds parse_duration(std::string_view text, const std::string& field) {
  return config::parse_duration(text, field);
}

}  // namespace fauxgres::faults
