// max_connections: 53300 after the StartupMessage, the reserved-slots 53300 after auth, or a
// silent close at accept.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

namespace {
connection_facts with_open(connection_facts f, std::uint64_t open, std::uint64_t on_listener) {
  f.open_connections = open;
  f.open_on_listener = on_listener;
  return f;
}
}  // namespace

TEST_CASE("max_connections variant=error: FATAL 53300 after startup over the limit",
          "[faults][max_connections]") {
  const auto f = make("max_connections", {{"limit", "2"}});
  CHECK(f->listens_to(hook::startup));
  CHECK_FALSE(f->listens_to(hook::auth));
  CHECK(f->decide(hook::startup, with_open(started(), 2, 2), 0ms).what == kind::none);
  const verdict v = f->decide(hook::startup, with_open(started(), 3, 3), 0ms);
  REQUIRE(v.what == kind::fatal);
  CHECK(v.error.sqlstate == "53300");
  CHECK(v.error.severity == "FATAL");
  CHECK(v.error.message == "sorry, too many clients already");
  CHECK(v.error.file == "proc.c");
  CHECK(v.describe() == "fatal 53300");
}

TEST_CASE("max_connections variant=reserved: after auth", "[faults][max_connections]") {
  const auto f = make("max_connections", {{"limit", "1"}, {"variant", "reserved"}});
  CHECK(f->listens_to(hook::auth));
  CHECK(f->decide(hook::startup, with_open(started(), 5, 5), 0ms).what == kind::none);
  const verdict v = f->decide(hook::auth, with_open(started(), 2, 2), 0ms);
  REQUIRE(v.what == kind::fatal);
  CHECK(v.error.message ==
        "remaining connection slots are reserved for non-replication superuser connections");
}

TEST_CASE("max_connections variant=reserved: superusers use the reserved slots",
          "[faults][max_connections]") {
  const auto f = make("max_connections", {{"limit", "1"}, {"variant", "reserved"}});
  auto superuser = with_open(started(), 5, 5);
  superuser.superuser = true;
  CHECK(f->decide(hook::auth, superuser, 0ms).what == kind::none);
  CHECK(f->decide(hook::auth, with_open(started(), 5, 5), 0ms).what == kind::fatal);
  // variant=error is the hard cap: it refuses superusers too, as PG's last slots do.
  const auto cap = make("max_connections", {{"limit", "1"}});
  CHECK(cap->decide(hook::startup, superuser, 0ms).what == kind::fatal);
}

TEST_CASE("max_connections variant=silent: close at accept", "[faults][max_connections]") {
  const auto f = make("max_connections", {{"limit", "0"}, {"variant", "silent"}});
  CHECK(f->listens_to(hook::accept));
  CHECK(f->decide(hook::accept, with_open(accepted(), 1, 1), 0ms).what == kind::close);
}

TEST_CASE("max_connections scope=listener counts one listener", "[faults][max_connections]") {
  const auto f = make("max_connections", {{"limit", "2"}, {"scope", "listener"}});
  CHECK(f->decide(hook::startup, with_open(started(), 10, 2), 0ms).what == kind::none);
  CHECK(f->decide(hook::startup, with_open(started(), 3, 3), 0ms).what == kind::fatal);
}

TEST_CASE("max_connections errors", "[faults][max_connections]") {
  auto e = rule_error("max_connections");
  CHECK(e.field() == "--fault max_connections.limit");
  e = rule_error("max_connections:limit=-1");
  CHECK(e.field() == "--fault max_connections.limit");
  CHECK(e.value() == "-1");
  e = rule_error("max_connections:limit=5,variant=loud");
  CHECK(e.field() == "--fault max_connections.variant");
  CHECK(e.why() == "expected error, reserved or silent");
}
