// See http_types.hpp.
#include "control/http_types.hpp"

#include <boost/json.hpp>

namespace fauxgres::control {

response error_response(unsigned status, std::string_view message) {
  return json_response(status, boost::json::object{{"error", message}, {"status", status}});
}

response json_response(unsigned status, const boost::json::value& body) {
  response r;
  r.status = status;
  r.body = boost::json::serialize(body) + "\n";
  return r;
}

response no_content() {
  response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

std::string_view status_text(unsigned status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

}  // namespace fauxgres::control
