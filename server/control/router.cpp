// See router.hpp.
#include "control/router.hpp"

#include <array>

namespace fauxgres::control {
namespace {

struct pattern {
  std::string_view method;
  std::string_view path;  // segments; "{}" captures one
  endpoint what;
};

constexpr std::array patterns{
    pattern{"GET", "/rules", endpoint::rules_list},
    pattern{"POST", "/rules", endpoint::rule_create},
    pattern{"GET", "/rules/{}", endpoint::rule_show},
    pattern{"PUT", "/rules/{}", endpoint::rule_replace},
    pattern{"PATCH", "/rules/{}", endpoint::rule_patch},
    pattern{"DELETE", "/rules/{}", endpoint::rule_delete},
    pattern{"POST", "/actions/kill_all", endpoint::action_kill_all},
    pattern{"POST", "/actions/restart", endpoint::action_restart},
    pattern{"POST", "/actions/shutdown", endpoint::action_shutdown},
    pattern{"POST", "/actions/failover", endpoint::action_failover},
    pattern{"GET", "/connections", endpoint::connections_list},
    pattern{"GET", "/connections/{}", endpoint::connection_show},
    pattern{"DELETE", "/connections/{}", endpoint::connection_terminate},
    pattern{"POST", "/connections/{}/terminate", endpoint::connection_terminate},
    pattern{"GET", "/listeners", endpoint::listeners_list},
    pattern{"POST", "/listeners/{}/enable", endpoint::listener_enable},
    pattern{"POST", "/listeners/{}/disable", endpoint::listener_disable},
    pattern{"GET", "/stats", endpoint::stats_show},
    pattern{"POST", "/stats/reset", endpoint::stats_reset},
    pattern{"GET", "/events", endpoint::events_list},
    pattern{"GET", "/events/stream", endpoint::events_stream},
    pattern{"GET", "/metrics", endpoint::metrics},
    pattern{"GET", "/version", endpoint::version},
    pattern{"POST", "/reset", endpoint::reset},
    pattern{"GET", "/proxies", endpoint::proxies_list},
    pattern{"POST", "/proxies", endpoint::proxy_create},
    pattern{"POST", "/populate", endpoint::populate},
    pattern{"GET", "/proxies/{}", endpoint::proxy_show},
    pattern{"POST", "/proxies/{}", endpoint::proxy_update},
    pattern{"PATCH", "/proxies/{}", endpoint::proxy_update},
    pattern{"DELETE", "/proxies/{}", endpoint::proxy_delete},
    pattern{"GET", "/proxies/{}/toxics", endpoint::toxics_list},
    pattern{"POST", "/proxies/{}/toxics", endpoint::toxic_create},
    pattern{"GET", "/proxies/{}/toxics/{}", endpoint::toxic_show},
    pattern{"POST", "/proxies/{}/toxics/{}", endpoint::toxic_update},
    pattern{"PATCH", "/proxies/{}/toxics/{}", endpoint::toxic_update},
    pattern{"DELETE", "/proxies/{}/toxics/{}", endpoint::toxic_delete},
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "/a/b/" → {"a", "b"}, raw (still percent-encoded); a trailing slash is ignored.
std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < path.size()) {
    if (path[at] == '/') {
      ++at;
      continue;
    }
    const auto end = std::min(path.find('/', at), path.size());
    out.push_back(path.substr(at, end - at));
    at = end;
  }
  return out;
}

// The decoded {} captures if `raw` fits the pattern.
std::optional<std::vector<std::string>> fit(std::string_view pattern_path,
                                            const std::vector<std::string_view>& raw) {
  const auto wanted = segments(pattern_path);
  if (wanted.size() != raw.size()) return std::nullopt;
  std::vector<std::string> params;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    if (wanted[i] == "{}") {
      params.push_back(percent_decode(raw[i]));
    } else if (wanted[i] != raw[i]) {
      return std::nullopt;
    }
  }
  return params;
}

std::map<std::string, std::string, std::less<>> parse_query(std::string_view query) {
  std::map<std::string, std::string, std::less<>> out;
  std::size_t at = 0;
  while (at <= query.size() && !query.empty()) {
    const auto end = std::min(query.find('&', at), query.size());
    const auto item = query.substr(at, end - at);
    if (!item.empty()) {
      const auto eq = item.find('=');
      const auto key = percent_decode(item.substr(0, eq), true);
      const auto value =
          eq == std::string_view::npos ? std::string() : percent_decode(item.substr(eq + 1), true);
      out.emplace(key, value);
    }
    at = end + 1;
  }
  return out;
}

}  // namespace

std::string percent_decode(std::string_view text, bool query) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else if (c == '+' && query) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

routing match_route(std::string_view method, std::string_view target) {
  const auto question = target.find('?');
  const auto path = target.substr(0, question);
  const auto raw = segments(path);
  routing result;
  for (const auto& p : patterns) {
    auto params = fit(p.path, raw);
    if (!params) continue;
    if (p.method == method) {
      route r;
      r.what = p.what;
      r.params = std::move(*params);
      if (question != std::string_view::npos) r.query = parse_query(target.substr(question + 1));
      result.found = std::move(r);
      result.allow.clear();
      return result;
    }
    if (result.allow.find(p.method) == std::string::npos)
      result.allow += (result.allow.empty() ? "" : ", ") + std::string(p.method);
  }
  return result;
}

}  // namespace fauxgres::control
