// Routing for the control API, pure: a method and a request target become an endpoint, its
// path parameters (percent-decoded) and its query; a path that exists under other methods
// gives the methods allowed (405), any other path nothing (404). Serves both the fauxgres
// endpoints and Toxiproxy's on the same port.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fauxgres::control {

enum class endpoint {
  // fauxgres
  rules_list,
  rule_create,
  rule_show,
  rule_replace,
  rule_patch,
  rule_delete,
  action_kill_all,
  action_restart,
  action_shutdown,
  action_failover,
  connections_list,
  connection_show,
  connection_terminate,  // DELETE /connections/{id} and POST /connections/{id}/terminate
  listeners_list,
  listener_enable,
  listener_disable,
  stats_show,
  stats_reset,
  events_list,
  events_stream,
  metrics,
  version,  // shared with Toxiproxy
  reset,    // shared with Toxiproxy
  // Toxiproxy
  proxies_list,
  proxy_create,
  populate,
  proxy_show,
  proxy_update,  // POST and PATCH
  proxy_delete,
  toxics_list,
  toxic_create,
  toxic_show,
  toxic_update,  // POST and PATCH
  toxic_delete,
};

struct route {
  endpoint what = endpoint::version;
  std::vector<std::string> params;  // the {...} segments in order, percent-decoded
  std::map<std::string, std::string, std::less<>> query;
};

struct routing {
  std::optional<route> found;
  std::string allow;  // when not found: the methods the path has ("GET, POST"), empty: 404
};

routing match_route(std::string_view method, std::string_view target);

// %XX decoding; in a query, '+' is a space too. Bad escapes are kept as they are.
std::string percent_decode(std::string_view text, bool query = false);

}  // namespace fauxgres::control
