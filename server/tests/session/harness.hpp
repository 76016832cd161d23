// A session with no sockets around it, for session tests: feed it frontend bytes, take
// what it sends, move its uptime clock. Fault rules are optional.
#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "session/session.hpp"
#include "tests/session/wire.hpp"

namespace fauxgres::test {

struct session_harness {
  config::server_config config;
  config::listener_config listener;
  responder::fixtures fixtures;
  observe::stats stats;
  std::unique_ptr<faults::engine> rules;
  session::server_context context;
  std::unique_ptr<session::session> s;
  std::chrono::milliseconds now{0};  // the server's uptime, as the session reads it
  std::string sent;                  // everything taken so far
  std::vector<std::string> pieces;   // the last take(), one string per send

  explicit session_harness(std::vector<std::string> fault_rules = {}) {
    listener.name = "tcp0";
    listener.address = "127.0.0.1";
    context.config = &config;
    context.fixtures = &fixtures;
    context.server_secret = "secret";
    context.stats = &stats;
    context.uptime = [this] { return now; };
    std::vector<faults::rule> parsed;
    for (const auto& text : fault_rules) parsed.push_back(faults::parse_rule(text));
    rules = std::make_unique<faults::engine>(std::move(parsed), 1);
    context.faults = rules.get();
  }

  void open() {
    stats.current = 1;
    stats.current_by_listener["tcp0"] = 1;
    std::uint8_t counter = 1;
    s = std::make_unique<session::session>(
        context, session::connection_info{&listener, "127.0.0.1:1", false, "127.0.0.1", 1, now},
        4242, 777,
        [counter](std::span<std::uint8_t> out) mutable {
          for (auto& b : out) b = counter++;
        },
        [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)); });
  }

  // Feeds bytes and returns everything the session made sendable.
  std::vector<backend_message> feed(std::string_view bytes) {
    s->receive(bytes);
    return take();
  }
  std::vector<backend_message> take() {
    std::string out;
    for (const auto& piece : take_pieces()) out += piece;
    return split(out);
  }
  // The bytes due for sending, one string per separate send.
  const std::vector<std::string>& take_pieces() {
    pieces.clear();
    for (auto piece = s->output(); !piece.empty(); piece = s->output()) {
      pieces.emplace_back(piece);
      sent += piece;
      s->output_sent();
    }
    return pieces;
  }
  // A fresh connection's login as `user` (trust unless configured otherwise).
  std::vector<backend_message> login(std::string_view user = "app") {
    open();
    return feed(startup({{"user", std::string(user)}, {"database", "db"}}));
  }
  // A cleartext login: the messages after the password.
  std::vector<backend_message> login(std::string_view user, std::string_view pw) {
    login(user);
    return feed(password(pw));
  }
  std::vector<std::string> errors_sent() {
    std::vector<std::string> codes;
    for (const auto& e : s->take_events())
      if (e.what == session::event::kind::error_sent) codes.push_back(e.text);
    return codes;
  }
};

}  // namespace fauxgres::test
