// The control API's HTTP side (see api.hpp): accept loop, one coroutine per connection that
// reads bounded requests, checks the token, asks the handlers and writes the answer, and
// the chunked event stream. Coroutines hold the state they use (a shared_ptr), so nothing
// dangles when the API closes before its last connection has finished.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <map>

#include "control/api.hpp"
#include "control/handlers.hpp"

namespace fauxgres::control {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

constexpr std::size_t max_body = 1 << 20;  // 1 MiB
constexpr std::size_t max_header = 16 << 10;
constexpr std::size_t max_connections = 64;
constexpr std::size_t events_per_chunk = 1000;
constexpr auto idle_timeout = seconds(60);
constexpr auto write_timeout = seconds(10);
constexpr auto event_poll = milliseconds(50);
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

using beast_response = http::response<http::string_body>;

beast_response to_beast(response r, unsigned version, bool keep_alive) {
  beast_response out{static_cast<http::status>(r.status), version};
  out.set(http::field::server, "fauxgres/" FAUXGRES_VERSION);
  if (!r.content_type.empty()) out.set(http::field::content_type, r.content_type);
  for (auto& [name, value] : r.headers) out.set(name, value);
  out.keep_alive(keep_alive);
  out.body() = std::move(r.body);
  out.prepare_payload();
  return out;
}

// Constant time in the token's length.
bool same_token(std::string_view given, std::string_view wanted) {
  unsigned char diff = given.size() == wanted.size() ? 0 : 1;
  for (std::size_t i = 0; i < wanted.size(); ++i)
    diff |= static_cast<unsigned char>(wanted[i] ^ (i < given.size() ? given[i] : 0));
  return diff == 0;
}

tcp::endpoint api_endpoint(const config::api_config& api) {
  boost::system::error_code ec;
  auto address = api.host == "localhost" ? asio::ip::make_address("127.0.0.1")
                                         : asio::ip::make_address(api.host, ec);
  if (ec) throw std::runtime_error("--api " + api.host + ": not an IP address");
  return {address, api.port};
}

}  // namespace

struct api::impl : std::enable_shared_from_this<impl> {
  impl(net::server& s, const config::server_config& config, observe::logger& l)
      : server(s), log(l), handle(s, config, l), token(config.api.token), acceptor(s.io()) {}

  net::server& server;
  observe::logger& log;
  handlers handle;
  std::string token;
  tcp::acceptor acceptor;
  std::string url;
  bool stopped = false;
  std::uint64_t next_id = 1;
  std::map<std::uint64_t, beast::tcp_stream*> open;  // to close them at stop

  void bind(const config::api_config& api) {
    const auto endpoint = api_endpoint(api);
    boost::system::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      throw std::runtime_error("--api " + endpoint.address().to_string() + ":" +
                               std::to_string(api.port) + ": " + ec.message());
    }
    const auto bound = acceptor.local_endpoint();
    const auto host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                              : bound.address().to_string();
    url = "http://" + host + ":" + std::to_string(bound.port());
  }

  void stop() {
    if (stopped) return;
    stopped = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    for (auto& [id, stream] : open) stream->socket().close(ignored);
  }

  // The token check, then the handlers.
  response answer(const http::request<http::string_body>& req) {
    if (!token.empty()) {
      const auto header = req[http::field::authorization];
      constexpr std::string_view bearer = "Bearer ";
      const bool ok = header.size() > bearer.size() &&
                      beast::iequals(header.substr(0, bearer.size()), bearer) &&
                      same_token(header.substr(bearer.size()), token);
      if (!ok) {
        response r = error_response(401,
                                    "missing or wrong token: send Authorization: Bearer TOKEN "
                                    "(the --api-token)");
        r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
      }
    }
    return handle.handle({std::string(req.method_string()), std::string(req.target()), req.body()});
  }

  static asio::awaitable<void> accept_loop(std::shared_ptr<impl> self);
  static asio::awaitable<void> serve(std::shared_ptr<impl> self, tcp::socket socket);
  static asio::awaitable<void> stream_events(std::shared_ptr<impl> self, beast::tcp_stream& stream,
                                             unsigned version, std::uint64_t cursor);
};

namespace {

// Removes a connection from `open` when its coroutine ends.
struct registration {
  std::shared_ptr<api::impl> self;
  std::uint64_t id;
  registration(std::shared_ptr<api::impl> s, beast::tcp_stream& stream)
      : self(std::move(s)), id(self->next_id++) {
    self->open.emplace(id, &stream);
  }
  ~registration() { self->open.erase(id); }
  registration(const registration&) = delete;
  registration& operator=(const registration&) = delete;
};

// Watches an event-stream client for going away (EOF or an error on read) while the stream
// waits for events; whatever it sends is ignored.
struct client_watch : std::enable_shared_from_this<client_watch> {
  explicit client_watch(asio::any_io_executor ex) : timer(ex) {}
  asio::steady_timer timer;
  std::array<char, 256> sink{};
  bool gone = false;

  void watch(tcp::socket& socket) {
    socket.async_read_some(asio::buffer(sink), [self = shared_from_this(), &socket](
                                                   boost::system::error_code ec, std::size_t) {
      if (ec) {
        self->gone = true;
        self->timer.cancel();
        return;
      }
      self->watch(socket);
    });
  }
};

}  // namespace

asio::awaitable<void> api::impl::accept_loop(std::shared_ptr<impl> self) {
  while (!self->stopped) {
    auto [ec, socket] = co_await self->acceptor.async_accept(use_tuple);
    if (ec == asio::error::operation_aborted || self->stopped) break;
    if (ec) continue;
    if (self->open.size() >= max_connections) {
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    asio::co_spawn(self->server.io(), serve(self, std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> api::impl::serve(std::shared_ptr<impl> self, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  registration registered(self, stream);
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(max_body);
    parser.header_limit(max_header);
    stream.expires_after(idle_timeout);
    auto [ec, ignored_size] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (self->stopped) break;
    if (ec) {
      const bool http_error =
          ec.category() == http::make_error_code(http::error::body_limit).category();
      if (!http_error || ec == http::error::end_of_stream || ec == http::error::partial_message)
        break;
      const bool body = ec == http::error::body_limit;
      response refusal = body ? error_response(413, "request body over 1 MiB")
                         : ec == http::error::header_limit
                             ? error_response(431, "request header over 16 KiB")
                             : error_response(400, "bad request: " + ec.message());
      auto out = to_beast(std::move(refusal), 11, false);
      stream.expires_after(write_timeout);
      co_await http::async_write(stream, out, use_tuple);
      break;
    }
    auto& req = parser.get();
    response answer = self->answer(req);
    if (answer.stream_events_after && answer.status == 200) {
      co_await stream_events(self, stream, req.version(), *answer.stream_events_after);
      break;
    }
    const bool keep_alive = req.keep_alive() && !self->stopped;
    auto out = to_beast(std::move(answer), req.version(), keep_alive);
    stream.expires_after(write_timeout);
    auto [write_ec, written] = co_await http::async_write(stream, out, use_tuple);
    if (write_ec || !keep_alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> api::impl::stream_events(std::shared_ptr<impl> self,
                                               beast::tcp_stream& stream, unsigned version,
                                               std::uint64_t cursor) {
  http::response<http::empty_body> head{http::status::ok, version};
  head.set(http::field::server, "fauxgres/" FAUXGRES_VERSION);
  head.set(http::field::content_type, "application/x-ndjson");
  head.set(http::field::cache_control, "no-cache");
  head.keep_alive(false);
  head.chunked(true);
  http::response_serializer<http::empty_body> serializer{head};
  stream.expires_after(write_timeout);
  auto [head_ec, head_written] = co_await http::async_write_header(stream, serializer, use_tuple);
  if (head_ec) co_return;
  auto watch = std::make_shared<client_watch>(stream.get_executor());
  watch->watch(stream.socket());
  while (!self->stopped && !watch->gone) {
    const std::string lines = self->handle.event_lines(cursor, events_per_chunk);
    if (lines.empty()) {
      watch->timer.expires_after(event_poll);
      co_await watch->timer.async_wait(use_tuple);
      continue;
    }
    stream.expires_after(write_timeout);  // a client that stops reading is dropped
    auto [ec, written] =
        co_await asio::async_write(stream, http::make_chunk(asio::buffer(lines)), use_tuple);
    if (ec) co_return;
  }
  if (!watch->gone) {
    stream.expires_after(write_timeout);
    co_await asio::async_write(stream, http::make_chunk_last(), use_tuple);
  }
}

api::api(net::server& server, const config::server_config& config, observe::logger& log)
    : impl_(std::make_shared<impl>(server, config, log)) {
  config::check_api(config.api, "--api-token");
  impl_->bind(config.api);
  server.keep_running_after_shutdown(true);
  server.on_stop([weak = std::weak_ptr<impl>(impl_)] {
    if (auto self = weak.lock()) self->stop();
  });
  asio::co_spawn(server.io(), impl::accept_loop(impl_), asio::detached);
  log.log(observe::level::info, "api listening", {{"url", impl_->url}});
}

api::~api() {
  impl_->stop();
}

std::string api::url() const {
  return impl_->url;
}

}  // namespace fauxgres::control
