// Always-on counters the harness asserts on: open connections (current and peak, in total
// and per listener, user and application_name), accepted, rejected by reason, logins,
// errors sent per SQLSTATE, connection durations, idle times between statements, and a
// bounded time series of open connections. Pure bookkeeping: the network layer reports
// what happened and when (uptime), nothing here reads a clock or does I/O. Not
// thread-safe: used from the server's one thread. docs/stats.md describes every number.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fauxgres::observe {

using milliseconds = std::chrono::milliseconds;

// A count of open things: now, and the most there were at once.
struct gauge {
  std::uint64_t current = 0;
  std::uint64_t peak = 0;
  bool operator==(const gauge&) const = default;
};

// How long connections lived (accept to close): count, sum, max and a histogram.
struct duration_histogram {
  // Exclusive upper bounds of the buckets; one more bucket holds the rest (>= 600 s).
  static constexpr std::array<milliseconds, 4> bounds{milliseconds(1'000), milliseconds(10'000),
                                                      milliseconds(60'000), milliseconds(600'000)};
  std::uint64_t count = 0;
  milliseconds sum{0};
  milliseconds max{0};
  std::array<std::uint64_t, bounds.size() + 1> buckets{};  // <1s <10s <60s <600s, rest

  void add(milliseconds lifetime);
};

// Open connections over time, for reports: one point per change, bounded. A point is the
// time (uptime) of its first change, the open count after its last change, and the highest
// count in between, so merging never hides a peak. Changes less than `resolution()` apart
// share a point (1 ms at first: changes in the same millisecond). When the series is full
// the resolution doubles and neighbouring points that now share a slot are merged, so a
// long run keeps its whole history at a coarser grain (about half the capacity after each
// doubling) instead of losing its start or its end.
class open_series {
 public:
  struct point {
    milliseconds at{0};
    std::uint64_t open = 0;      // after the last change of the point
    std::uint64_t max_open = 0;  // the highest count within the point
  };
  static constexpr std::size_t default_capacity = 20'000;

  explicit open_series(std::size_t capacity = default_capacity);
  void record(milliseconds at, std::uint64_t open);
  void clear();  // the resolution goes back to 1 ms
  const std::vector<point>& points() const { return points_; }
  milliseconds resolution() const { return resolution_; }
  std::size_t capacity() const { return capacity_; }

 private:
  void coarsen();

  std::size_t capacity_;
  milliseconds resolution_{1};
  std::vector<point> points_;
};

// How a connection ended, as the network layer saw it.
struct closing {
  bool client_gone = false;      // the client closed or reset the socket, or stopped reading
  bool timed_out = false;        // authentication_timeout expired
  bool server_stopping = false;  // fast shutdown or a kill while it was logging in
  bool tls_failed = false;       // the TLS handshake failed
};

// What the counters know about a connection that ended: why it never became a session.
struct rejection_facts {
  bool logged_in = false;
  bool cancel_request = false;     // a CancelRequest connection (never a session, not rejected)
  std::string_view ending_fault;   // type of a fault rule that ended it (fatal/close/reset/hang)
  std::string_view fault;          // type of the last other fault that fired for it
  std::string_view last_sqlstate;  // of the last ErrorResponse it was sent
  closing how;
};

// The reason a connection was turned away before logging in, "" if it was not (it logged in,
// it was a CancelRequest, or the client left on its own). A fault rule that ended it gives
// its type (max_connections, startup_error, refuse, auth_fail, credential_expiry, ...);
// otherwise auth_failed (28xxx), database_not_found (3D000), shutting_down (57P03, or a
// shutdown while logging in), max_connections (53300), protocol_error (08xxx, 0A000, or closed
// without an error: a bad startup packet), authentication_timeout, tls_failed, the type of a
// fault that led the client to give up (ssl reject, startup_delay), or error_<SQLSTATE>.
std::string rejection_reason(const rejection_facts& facts);

class stats {
 public:
  // Most distinct user / application_name values counted one by one; later ones share
  // the entry "(other)", so a client putting request ids in application_name cannot grow
  // the counters without bound.
  static constexpr std::size_t max_names = 1'000;
  static constexpr std::string_view other_name = "(other)";

  explicit stats(std::size_t series_capacity = open_series::default_capacity);

  // --- Plain counters (read them; only the network layer writes) -----------------------
  std::uint64_t accepted = 0;       // connections accepted
  std::uint64_t closed = 0;         // connections closed
  std::uint64_t current = 0;        // open now (accepted, not closed yet)
  std::uint64_t peak = 0;           // most open at once
  std::uint64_t logins = 0;         // sessions that logged in (ReadyForQuery after login)
  std::uint64_t auth_failures = 0;  // logins refused for the password or the role
  std::uint64_t cancel_requests = 0;
  std::uint64_t abandoned = 0;  // the client left before logging in, without being refused
  std::map<std::string, std::uint64_t, std::less<>> current_by_listener;
  std::map<std::string, std::uint64_t, std::less<>> peak_by_listener;

  // --- Reading --------------------------------------------------------------------------
  gauge listener(std::string_view name) const;
  // From the StartupMessage (user, and application_name as sent in it) to the close.
  gauge user(std::string_view name) const;
  gauge application(std::string_view name) const;
  const std::map<std::string, gauge, std::less<>>& by_user() const { return by_user_; }
  const std::map<std::string, gauge, std::less<>>& by_application() const {
    return by_application_;
  }
  // Connections turned away before logging in, by rejection_reason().
  std::uint64_t rejected(std::string_view reason) const;
  std::uint64_t rejected_total() const;
  const std::map<std::string, std::uint64_t, std::less<>>& rejections() const { return rejected_; }
  // ErrorResponses sent (every one, FATAL included), by SQLSTATE.
  std::uint64_t errors(std::string_view sqlstate) const;
  std::uint64_t errors_total() const;
  const std::map<std::string, std::uint64_t, std::less<>>& errors_by_sqlstate() const {
    return errors_;
  }
  const duration_histogram& durations() const { return durations_; }
  // The longest a logged-in session has waited for its client between statements
  // (ReadyForQuery sent → next message), over every connection, the still-idle ones
  // counted up to `now`. Since the last reset().
  milliseconds max_idle(milliseconds now) const;
  const open_series& open_over_time() const { return series_; }

  // --- Reporting (the network layer) ----------------------------------------------------
  void connection_opened(std::uint64_t id, std::string_view listener, milliseconds now);
  // The StartupMessage arrived.
  void connection_started(std::uint64_t id, std::string_view user,
                          std::string_view application_name);
  void connection_logged_in(std::uint64_t id);
  void authentication_failed(std::uint64_t id);
  void cancel_request(std::uint64_t id);
  void error_sent(std::uint64_t id, std::string_view sqlstate);
  // A fault rule fired for the connection; `ends` when its verdict closes it.
  void fault_fired(std::uint64_t id, std::string_view type, bool ends);
  // The session is idle since `since` (uptime of its last ReadyForQuery), or busy (nullopt);
  // a change ends the previous idle period at `now`.
  void idle(std::uint64_t id, std::optional<milliseconds> since, milliseconds now);
  void connection_closed(std::uint64_t id, milliseconds now, milliseconds lifetime,
                         const closing& how);

  // Zeroes the counters, rejections, errors, durations and idle times, clears the time
  // series, and sets every peak to its current value; the current counts stay true. With
  // `now`, the series restarts with a point for the connections open at that time.
  void reset(std::optional<milliseconds> now = std::nullopt);

 private:
  using gauges = std::map<std::string, gauge, std::less<>>;
  struct live {
    std::map<std::string, std::uint64_t, std::less<>>::iterator listener;
    gauges::iterator user;  // valid when `started`
    gauges::iterator application;
    std::optional<milliseconds> idle_since;
    const std::string* ending_fault = nullptr;  // interned in fault_types_
    const std::string* fault = nullptr;
    std::array<char, 5> sqlstate{};  // last error; all zero for none
    bool started = false;
    bool logged_in = false;
    bool cancel = false;
  };

  live* find(std::uint64_t id);
  gauges::iterator enter(gauges& map, std::string_view name);
  void end_idle(live& c, milliseconds now);

  std::unordered_map<std::uint64_t, live> live_;
  gauges by_user_;
  gauges by_application_;
  std::set<std::string, std::less<>> fault_types_;
  std::map<std::string, std::uint64_t, std::less<>> rejected_;
  std::map<std::string, std::uint64_t, std::less<>> errors_;
  duration_histogram durations_;
  milliseconds max_idle_{0};  // of idle periods that ended
  milliseconds reset_at_{0};  // idle periods count from here
  open_series series_;
};

}  // namespace fauxgres::observe
