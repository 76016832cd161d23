// Listener binding; see listeners.hpp.
#include "net/listeners.hpp"

#include <sys/stat.h>
#include <sys/un.h>

#include <boost/asio/ip/v6_only.hpp>

#include <filesystem>
#include <stdexcept>

namespace fauxgres::net {

namespace asio = boost::asio;

namespace {

std::string listener_name(const config::listener_config& l) {
  return "listener " + l.name + " (" + l.address + ")";
}

asio::ip::address resolve_host(const config::listener_config& l) {
  if (l.address == "localhost") return asio::ip::address_v4::loopback();
  if (l.address == "*") return asio::ip::address_v4::any();
  boost::system::error_code ec;
  auto address = asio::ip::make_address(l.address, ec);
  if (ec) throw std::runtime_error(listener_name(l) + ": not an IP address");
  return address;
}

}  // namespace

std::string socket_path(const config::listener_config& listener) {
  return listener.address + "/.s.PGSQL." + std::to_string(listener.port);
}

tcp_listener bind_tcp(asio::io_context& io, const config::listener_config& listener,
                      std::optional<std::uint16_t> port) {
  asio::ip::tcp::endpoint endpoint(resolve_host(listener), port.value_or(listener.port));
  asio::ip::tcp::acceptor acceptor(io);
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec && endpoint.address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("could not listen on " + listener_name(listener) + " port " +
                             std::to_string(endpoint.port()) + ": " + ec.message());
  auto bound = acceptor.local_endpoint();
  return {&listener, std::move(acceptor), bound.port(), bound.address()};
}

unix_listener bind_unix(asio::io_context& io, const config::listener_config& listener) {
  namespace fs = std::filesystem;
  auto path = socket_path(listener);
  using local = asio::local::stream_protocol;
  if (path.size() >= sizeof(sockaddr_un::sun_path))
    throw std::runtime_error(listener_name(listener) + ": Unix socket path \"" + path +
                             "\" is too long");
  std::error_code fs_error;
  fs::create_directories(listener.address, fs_error);
  if (fs_error)
    throw std::runtime_error(listener_name(listener) +
                             ": cannot create directory: " + fs_error.message());
  if (fs::exists(fs::symlink_status(path))) {
    local::socket probe(io);
    boost::system::error_code ec;
    probe.connect(local::endpoint(path), ec);
    if (!ec)
      throw std::runtime_error(listener_name(listener) + ": another server is listening on \"" +
                               path + "\"");
    fs::remove(path, fs_error);  // stale: nobody answers on it
  }
  local::acceptor acceptor(io);
  boost::system::error_code ec;
  acceptor.open(local(), ec);
  if (!ec) acceptor.bind(local::endpoint(path), ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("could not listen on " + listener_name(listener) + " socket \"" +
                             path + "\": " + ec.message());
  ::chmod(path.c_str(), 0777);  // like unix_socket_permissions' default
  return {&listener, std::move(acceptor), path};
}

}  // namespace fauxgres::net
