// The always-on counters: gauges per listener, user and application_name, rejections by
// reason, errors by SQLSTATE, durations, idle times, the open-connections series, reset().
#include <catch2/catch.hpp>

#include "observe/stats.hpp"

using namespace fauxgres::observe;
using namespace std::chrono_literals;

namespace {

// A connection that logs in as `user` on tcp0 at `at`.
void open_session(stats& s, std::uint64_t id, std::string_view user, milliseconds at,
                  std::string_view application = "app") {
  s.connection_opened(id, "tcp0", at);
  s.connection_started(id, user, application);
  s.connection_logged_in(id);
}

closing client_left() {
  closing how;
  how.client_gone = true;
  return how;
}

}  // namespace

TEST_CASE("stats: current and peak, in total and per listener, user and application") {
  stats s;
  open_session(s, 1, "app", 0ms, "worker-1");
  open_session(s, 2, "app", 1ms, "worker-2");
  s.connection_opened(3, "unix0", 2ms);
  s.connection_started(3, "admin", "psql");
  CHECK(s.current == 3);
  CHECK(s.peak == 3);
  CHECK(s.accepted == 3);
  CHECK(s.listener("tcp0").current == 2);
  CHECK(s.listener("unix0").peak == 1);
  CHECK(s.listener("nope").peak == 0);
  CHECK(s.user("app").current == 2);
  CHECK(s.application("worker-1").current == 1);

  s.connection_closed(1, 10ms, 10ms, client_left());
  s.connection_closed(3, 11ms, 9ms, client_left());
  CHECK(s.current == 1);
  CHECK(s.peak == 3);
  CHECK(s.closed == 2);
  CHECK(s.listener("tcp0").current == 1);
  CHECK(s.listener("tcp0").peak == 2);
  CHECK(s.user("app").current == 1);
  CHECK(s.user("app").peak == 2);
  CHECK(s.user("admin").current == 0);
  CHECK(s.user("admin").peak == 1);
  CHECK(s.logins == 2);
  CHECK(s.by_user().size() == 2);
  CHECK(s.by_application().size() == 3);
  // Before logging in, leaving is not a rejection.
  CHECK(s.rejected_total() == 0);
  CHECK(s.abandoned == 1);
}

TEST_CASE("stats: distinct names beyond the bound share one entry") {
  stats s;
  for (std::uint64_t id = 1; id <= stats::max_names + 5; ++id) {
    s.connection_opened(id, "tcp0", 0ms);
    s.connection_started(id, "app", "request-" + std::to_string(id));
  }
  CHECK(s.by_application().size() == stats::max_names + 1);
  CHECK(s.application(stats::other_name).current == 5);
  CHECK(s.user("app").current == stats::max_names + 5);
}

TEST_CASE("stats: rejections by reason") {
  stats s;
  SECTION("a fault rule that ended the connection counts under its type") {
    s.connection_opened(1, "tcp0", 0ms);
    s.connection_started(1, "app", "");
    s.fault_fired(1, "max_connections", true);
    s.error_sent(1, "53300");
    s.connection_closed(1, 1ms, 1ms, {});
    CHECK(s.rejected("max_connections") == 1);
    CHECK(s.errors("53300") == 1);
  }
  SECTION("without a fault: from the SQLSTATE of the last error") {
    const std::pair<std::string, std::string> cases[] = {
        {"28P01", "auth_failed"},   {"28000", "auth_failed"},    {"3D000", "database_not_found"},
        {"57P03", "shutting_down"}, {"08P01", "protocol_error"}, {"0A000", "protocol_error"},
        {"22023", "error_22023"},
    };
    std::uint64_t id = 0;
    for (const auto& [code, reason] : cases) {
      s.connection_opened(++id, "tcp0", 0ms);
      s.error_sent(id, code);
      s.connection_closed(id, 1ms, 1ms, {});
      INFO(code);
      CHECK(s.rejected(reason) >= 1);
    }
    CHECK(s.rejected_total() == std::size(cases));
    CHECK(s.errors_total() == std::size(cases));
  }
  SECTION("a fault that did not end it: the client gave up because of it") {
    s.connection_opened(1, "unix0", 0ms);
    s.fault_fired(1, "ssl", false);
    s.connection_closed(1, 1ms, 1ms, client_left());
    CHECK(s.rejected("ssl") == 1);
    CHECK(s.abandoned == 0);
  }
  SECTION("an error after a delay fault counts as the error") {
    s.connection_opened(1, "tcp0", 0ms);
    s.fault_fired(1, "startup_delay", false);
    s.error_sent(1, "28P01");
    s.connection_closed(1, 1ms, 1ms, {});
    CHECK(s.rejected("auth_failed") == 1);
  }
  SECTION("timeouts, TLS failures, shutdown, bad packets") {
    closing timed_out, tls, stopping;
    timed_out.timed_out = true;
    tls.tls_failed = true;
    stopping.server_stopping = true;
    s.connection_opened(1, "tcp0", 0ms);
    s.connection_closed(1, 1ms, 1ms, timed_out);
    s.connection_opened(2, "tcp0", 0ms);
    s.connection_closed(2, 1ms, 1ms, tls);
    s.connection_opened(3, "tcp0", 0ms);
    s.connection_closed(3, 1ms, 1ms, stopping);
    s.connection_opened(4, "tcp0", 0ms);
    s.connection_closed(4, 1ms, 1ms, {});
    CHECK(s.rejected("authentication_timeout") == 1);
    CHECK(s.rejected("tls_failed") == 1);
    CHECK(s.rejected("shutting_down") == 1);
    CHECK(s.rejected("protocol_error") == 1);
  }
  SECTION("logged-in sessions and cancel requests are never rejections") {
    open_session(s, 1, "app", 0ms);
    s.fault_fired(1, "idle_drop", true);  // after login: not a rejection
    s.error_sent(1, "57P05");
    s.connection_closed(1, 1ms, 1ms, {});
    s.connection_opened(2, "tcp0", 0ms);
    s.cancel_request(2);
    s.connection_closed(2, 1ms, 1ms, {});
    CHECK(s.rejected_total() == 0);
    CHECK(s.cancel_requests == 1);
    CHECK(s.errors("57P05") == 1);
  }
}

TEST_CASE("stats: rejection_reason prefers the ending fault, then the error") {
  rejection_facts f;
  f.ending_fault = "credential_expiry";
  f.last_sqlstate = "28P01";
  CHECK(rejection_reason(f) == "credential_expiry");
  f.ending_fault = {};
  CHECK(rejection_reason(f) == "auth_failed");
  f.logged_in = true;
  CHECK(rejection_reason(f).empty());
}

TEST_CASE("stats: connection durations") {
  stats s;
  const milliseconds lifetimes[] = {10ms, 999ms, 1s, 9s, 59s, 10min, 2h};
  std::uint64_t id = 0;
  for (auto d : lifetimes) {
    s.connection_opened(++id, "tcp0", 0ms);
    s.connection_closed(id, d, d, client_left());
  }
  const auto& h = s.durations();
  CHECK(h.count == 7);
  CHECK(h.max == 2h);
  CHECK(h.sum == 10ms + 999ms + 1s + 9s + 59s + 10min + 2h);
  CHECK(h.buckets == std::array<std::uint64_t, 5>{2, 2, 1, 0, 2});
}

TEST_CASE("stats: the longest idle time between statements") {
  stats s;
  open_session(s, 1, "app", 0ms);
  open_session(s, 2, "app", 0ms);
  s.idle(1, 100ms, 100ms);           // ReadyForQuery at 100 ms
  s.idle(1, std::nullopt, 1'100ms);  // a message at 1.1 s: 1 s idle
  CHECK(s.max_idle(1'100ms) == 1s);
  s.idle(1, 1'200ms, 1'200ms);
  s.idle(1, 1'500ms, 1'500ms);  // pipelined: the next ReadyForQuery ends the 300 ms period
  CHECK(s.max_idle(1'500ms) == 1s);
  // Still idle: counted up to now.
  CHECK(s.max_idle(4'000ms) == 2'500ms);
  // Idle until the close counts too.
  s.idle(2, 0ms, 0ms);
  s.connection_closed(2, 5s, 5s, client_left());
  CHECK(s.max_idle(5s) == 5s);
  SECTION("reset: only idle time after it") {
    s.reset(6s);
    CHECK(s.max_idle(6s) == 0ms);
    CHECK(s.max_idle(7s) == 1s);  // connection 1, idle since 1.5 s, counts from 6 s
  }
}

TEST_CASE("stats: reset zeroes counters, keeps what is open") {
  stats s;
  open_session(s, 1, "app", 0ms);
  open_session(s, 2, "app", 1ms);
  s.connection_opened(3, "tcp0", 2ms);
  s.error_sent(3, "28P01");
  s.connection_closed(3, 3ms, 1ms, {});
  s.connection_closed(2, 4ms, 3ms, client_left());
  s.reset(10ms);
  CHECK(s.accepted == 0);
  CHECK(s.closed == 0);
  CHECK(s.logins == 0);
  CHECK(s.current == 1);
  CHECK(s.peak == 1);
  CHECK(s.listener("tcp0") == gauge{1, 1});
  CHECK(s.user("app").peak == 1);
  CHECK(s.rejected_total() == 0);
  CHECK(s.errors_total() == 0);
  CHECK(s.durations().count == 0);
  REQUIRE(s.open_over_time().points().size() == 1);
  CHECK(s.open_over_time().points()[0].at == 10ms);
  CHECK(s.open_over_time().points()[0].open == 1);
  // Connections open before the reset still close correctly.
  s.connection_closed(1, 20ms, 20ms, client_left());
  CHECK(s.current == 0);
  CHECK(s.user("app").current == 0);
  CHECK(s.closed == 1);
}

TEST_CASE("open_series: one point per change, merged within the resolution") {
  open_series series(8);
  series.record(0ms, 1);
  series.record(0ms, 2);  // same millisecond: one point
  series.record(5ms, 1);
  REQUIRE(series.points().size() == 2);
  CHECK(series.points()[0].open == 2);
  CHECK(series.points()[0].max_open == 2);
  CHECK(series.points()[1].at == 5ms);

  SECTION("full: the resolution doubles, peaks survive, the whole run stays") {
    for (int i = 0; i < 100; ++i) {
      series.record(milliseconds(10 + i), i % 7 == 3 ? 50 : 1);
    }
    CHECK(series.points().size() <= series.capacity());
    CHECK(series.resolution() > 1ms);
    CHECK(series.points().front().at == 0ms);
    CHECK(series.points().back().open == 1);
    std::uint64_t highest = 0;
    for (const auto& p : series.points()) highest = std::max(highest, p.max_open);
    CHECK(highest == 50);
    for (std::size_t i = 1; i < series.points().size(); ++i) {
      CHECK(series.points()[i].at / series.resolution() !=
            series.points()[i - 1].at / series.resolution());
    }
  }
  SECTION("clear") {
    series.clear();
    CHECK(series.points().empty());
    CHECK(series.resolution() == 1ms);
  }
}

TEST_CASE("stats: the series follows opens and closes") {
  stats s;
  s.connection_opened(1, "tcp0", 0ms);
  s.connection_opened(2, "tcp0", 10ms);
  s.connection_closed(1, 20ms, 20ms, client_left());
  const auto& points = s.open_over_time().points();
  REQUIRE(points.size() == 3);
  CHECK(points[1].at == 10ms);
  CHECK(points[1].open == 2);
  CHECK(points[2].open == 1);
}
