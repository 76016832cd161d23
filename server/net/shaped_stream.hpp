// The TLS layer's transport: the connection's socket with its network faults in between, so
// toxics shape the encrypted bytes as Toxiproxy (a TCP proxy) would. With no toxic in
// effect every call goes straight to the socket.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <exception>
#include <utility>

namespace fauxgres::net {

class connection;

class shaped_stream {
 public:
  using socket_type = boost::asio::generic::stream_protocol::socket;
  using executor_type = socket_type::executor_type;
  using lowest_layer_type = socket_type::lowest_layer_type;

  shaped_stream(connection& owner, socket_type& socket) : owner_(owner), socket_(socket) {}

  executor_type get_executor() noexcept { return socket_.get_executor(); }
  lowest_layer_type& lowest_layer() { return socket_.lowest_layer(); }
  const lowest_layer_type& lowest_layer() const { return socket_.lowest_layer(); }

  template <typename MutableBuffers, typename Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const MutableBuffers& b) {
          const boost::asio::mutable_buffer first = *boost::asio::buffer_sequence_begin(b);
          // A zero-sized read is the TLS layer's way of posting its own completion.
          if (first.size() == 0 || !shaping())
            return socket_.async_read_some(b, std::move(handler));
          spawn(read(first), std::move(handler));
        },
        token, buffers);
  }

  template <typename ConstBuffers, typename Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& b) {
          boost::asio::const_buffer first;
          for (auto it = boost::asio::buffer_sequence_begin(b);
               it != boost::asio::buffer_sequence_end(b) && first.size() == 0; ++it)
            first = *it;
          if (first.size() == 0 || !shaping())
            return socket_.async_write_some(b, std::move(handler));
          spawn(write(first), std::move(handler));
        },
        token, buffers);
  }

 private:
  using result = std::pair<boost::system::error_code, std::size_t>;
  // In connection_network.cpp.
  bool shaping();
  boost::asio::awaitable<result> read(boost::asio::mutable_buffer into);
  boost::asio::awaitable<result> write(boost::asio::const_buffer from);

  template <typename Handler>
  void spawn(boost::asio::awaitable<result> op, Handler handler) {
    auto executor = boost::asio::get_associated_executor(handler, socket_.get_executor());
    boost::asio::co_spawn(
        socket_.get_executor(), std::move(op),
        boost::asio::bind_executor(
            executor, [h = std::move(handler)](std::exception_ptr e, result r) mutable {
              if (e) r = {boost::asio::error::fault, 0};
              std::move(h)(r.first, r.second);
            }));
  }

  connection& owner_;
  socket_type& socket_;
};

}  // namespace fauxgres::net
