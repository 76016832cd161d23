// A small blocking HTTP/1.1 client for the control API tests: one request per connection
// (Connection: close), every wait bounded by a deadline, chunked bodies decoded; and an
// event-stream reader that returns one line at a time.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fauxgres_test::api {

using std::chrono::milliseconds;
using headers = std::vector<std::pair<std::string, std::string>>;

struct reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  boost::json::value json() const;  // throws with the body on bad JSON
  std::string header(const std::string& lower_name) const;
};

// Throws std::runtime_error when the server cannot be reached or does not answer in time.
reply call(const std::string& host, std::uint16_t port, const std::string& method,
           const std::string& target, const std::string& body = {}, const headers& extra = {},
           milliseconds timeout = milliseconds(5000));

// The control API of one server: host, port and an optional bearer token.
struct client {
  std::string host;
  std::uint16_t port = 0;
  std::string token;

  reply request(const std::string& method, const std::string& target,
                const std::string& body = {}) const;
  reply get(const std::string& target) const { return request("GET", target); }
  reply post(const std::string& target, const std::string& body = {}) const {
    return request("POST", target, body);
  }
  reply put(const std::string& target, const std::string& body) const {
    return request("PUT", target, body);
  }
  reply patch(const std::string& target, const std::string& body) const {
    return request("PATCH", target, body);
  }
  reply del(const std::string& target) const { return request("DELETE", target); }
};

// GET of a streaming endpoint (chunked, one JSON object per line).
class line_stream {
 public:
  line_stream(const std::string& host, std::uint16_t port, const std::string& target,
              milliseconds timeout = milliseconds(5000));
  ~line_stream();
  line_stream(const line_stream&) = delete;
  line_stream& operator=(const line_stream&) = delete;

  int status() const { return status_; }
  // The next line (without '\n'), or nullopt at the deadline or the end of the stream.
  std::optional<std::string> next_line(milliseconds timeout);
  bool ended() const { return ended_; }  // the last chunk or EOF was seen

 private:
  bool fill(std::chrono::steady_clock::time_point deadline);  // more raw bytes
  bool decode();                                              // raw chunks → text_

  int fd_ = -1;
  int status_ = 0;
  std::string raw_;   // undecoded bytes after the header
  std::string text_;  // decoded, not yet returned
  bool ended_ = false;
};

}  // namespace fauxgres_test::api
