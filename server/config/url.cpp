// See url.hpp.
#include "config/url.hpp"

#include <cctype>

namespace fauxgres::config {

std::string percent_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::string database_url(const endpoint& where, const client_identity& who) {
  std::string url = "postgresql://" + percent_encode(who.user);
  if (who.password) url += ":" + percent_encode(*who.password);
  url += "@";
  if (where.unix_socket) {
    return url + "/" + percent_encode(who.database) + "?host=" + percent_encode(where.host) +
           "&port=" + std::to_string(where.port);
  }
  const bool v6 = where.host.find(':') != std::string::npos;
  url += v6 ? "[" + where.host + "]" : where.host;
  return url + ":" + std::to_string(where.port) + "/" + percent_encode(who.database);
}

}  // namespace fauxgres::config
