// The control API's endpoints (docs/api.md) and Toxiproxy's (docs/toxiproxy.md): a request
// in, a response out, acting on the server through its control surface. Runs on the
// server's io_context thread, like everything that touches the server.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/server_config.hpp"
#include "control/http_types.hpp"
#include "control/router.hpp"
#include "net/server.hpp"
#include "observe/logger.hpp"

namespace fauxgres::control {

class handlers {
 public:
  handlers(net::server& server, const config::server_config& config, observe::logger& log);

  // Routes and answers; every refusal becomes {"error": ..., "status": N}.
  response handle(const request& r);

  // Events after `cursor` as JSON lines, at most `max` of them, moving `cursor` on. Events
  // the log dropped before they were read become one {"dropped": N} line.
  std::string event_lines(std::uint64_t& cursor, std::size_t max) const;
  std::uint64_t last_event() const;

 private:
  response dispatch(const route& r, const request& req);

  // fauxgres (handlers.cpp)
  response list_rules() const;
  response show_rule(const std::string& name) const;
  response create_rule(const request& req);
  response replace_rule(const std::string& name, const request& req);
  response patch_rule(const std::string& name, const request& req);
  response delete_rule(const std::string& name);
  response action(std::string_view what, const request& req);
  response list_connections() const;
  response show_connection(const std::string& id) const;
  response terminate(const std::string& id, bool with_body);
  response list_listeners() const;
  response set_listener(const std::string& name, bool enabled);
  response stats_reset();
  response list_events(const route& r) const;
  response stream_events(const route& r) const;
  response version() const;
  response reset();

  // Toxiproxy (toxiproxy.cpp)
  response list_proxies() const;
  response create_proxy(const request& req);
  response populate(const request& req);
  response show_proxy(const std::string& name) const;
  response update_proxy(const std::string& name, const request& req);
  response delete_proxy(const std::string& name);
  response list_toxics(const std::string& proxy) const;
  response create_toxic(const std::string& proxy, const request& req);
  response show_toxic(const std::string& proxy, const std::string& toxic) const;
  response update_toxic(const std::string& proxy, const std::string& toxic, const request& req);
  response delete_toxic(const std::string& proxy, const std::string& toxic);
  const net::listener_snapshot* find_proxy(const std::vector<net::listener_snapshot>& all,
                                           std::string_view name) const;
  const net::listener_snapshot& proxy_or_404(const std::vector<net::listener_snapshot>& all,
                                             std::string_view name) const;
  boost::json::object proxy_json(const net::listener_snapshot& l) const;
  boost::json::array toxics_json(std::string_view proxy) const;
  const faults::rule* find_toxic(std::string_view proxy, std::string_view toxic) const;
  std::string toxic_name(const faults::rule& r, std::string_view proxy) const;
  // Creates, or (populate) updates a proxy from a Toxiproxy proxy object.
  net::listener_snapshot apply_proxy(const boost::json::object& body, bool replace_existing,
                                     bool& created);
  void rebind(const net::listener_snapshot& current, const std::string& listen);

  void changed();  // rules changed: server.rules_changed()

  net::server& server_;
  const config::server_config& config_;
  observe::logger& log_;
  // The stream given to a toxic of a fauxgres fault type (they have none of their own),
  // by rule name, for listing.
  std::map<std::string, std::string, std::less<>> toxic_streams_;
};

}  // namespace fauxgres::control
