// What the control API's handlers see and answer, without Beast: a request (method, target,
// body) and a response (status, JSON body, headers). The HTTP layer (http_server.cpp)
// converts; handlers stay testable without sockets.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fauxgres::control {

struct request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // "/events?since=4"
  std::string body;
};

struct response {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // GET /events/stream: the HTTP layer keeps the connection and streams events after this
  // sequence number, one JSON object per line.
  std::optional<std::uint64_t> stream_events_after;
};

// A request the API refuses: answered as {"error": message, "status": status}.
class api_error : public std::runtime_error {
 public:
  api_error(unsigned status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  unsigned status() const { return status_; }

 private:
  unsigned status_;
};

// {"error": message, "status": status}: the fauxgres and the Toxiproxy error shape alike.
response error_response(unsigned status, std::string_view message);
// The value serialized, with a newline.
response json_response(unsigned status, const boost::json::value& body);
response no_content();  // 204

// The reason phrase of a status code ("Not Found").
std::string_view status_text(unsigned status);

}  // namespace fauxgres::control
