// reset_after: RST once a connection is `after` old, at its `statements`-th statement, at its
// `messages`-th frontend message, or once `bytes` bytes came from the client.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("reset_after after=: a deadline for the time left", "[faults][reset_after]") {
  const auto f = make("reset_after", {{"after", "1m"}});
  CHECK(f->listens_to(hook::ready));
  CHECK_FALSE(f->listens_to(hook::query));
  const verdict v = f->decide(hook::ready, idle(20s), 0ms);
  REQUIRE(v.what == kind::deadline);
  CHECK(v.after == 40s);
  CHECK(v.describe() == "deadline 40s then reset");
  CHECK(f->decide(hook::ready, idle(2min), 0ms).after == 0ms);
}

TEST_CASE("reset_after statements=: reset at the n-th statement", "[faults][reset_after]") {
  const auto f = make("reset_after", {{"statements", "3"}});
  CHECK(f->listens_to(hook::query));
  CHECK_FALSE(f->listens_to(hook::ready));
  CHECK(f->decide(hook::query, querying("select 1", 0), 0ms).what == kind::none);
  CHECK(f->decide(hook::query, querying("select 1", 1), 0ms).what == kind::none);
  CHECK(f->decide(hook::query, querying("select 1", 2), 0ms).what == kind::reset);
  CHECK(f->decide(hook::query, querying("select 1", 5), 0ms).what == kind::reset);
}

namespace {
connection_facts received(std::uint64_t messages, std::uint64_t bytes, bool message) {
  connection_facts f = started();
  f.messages = messages;
  f.bytes_received = bytes;
  f.message_arrived = message;
  return f;
}
}  // namespace

TEST_CASE("reset_after messages=: reset when the n-th message arrives", "[faults][reset_after]") {
  const auto f = make("reset_after", {{"messages", "3"}});
  CHECK(f->listens_to(hook::message));
  CHECK_FALSE(f->listens_to(hook::query));
  CHECK_FALSE(f->listens_to(hook::ready));
  CHECK(f->decide(hook::message, received(2, 500, true), 0ms).what == kind::none);
  const verdict v = f->decide(hook::message, received(3, 500, true), 0ms);
  CHECK(v.what == kind::reset);
  CHECK(v.describe() == "reset");
  CHECK(f->decide(hook::message, received(4, 500, true), 0ms).what == kind::reset);
  // Bytes alone (no new message) never count as a message.
  CHECK(f->decide(hook::message, received(3, 600, false), 0ms).what == kind::none);
}

TEST_CASE("reset_after bytes=: reset once n bytes arrived", "[faults][reset_after]") {
  const auto f = make("reset_after", {{"bytes", "100"}});
  CHECK(f->listens_to(hook::message));
  CHECK(f->decide(hook::message, received(0, 99, false), 0ms).what == kind::none);
  CHECK(f->decide(hook::message, received(0, 100, false), 0ms).what == kind::reset);
  CHECK(f->decide(hook::message, received(1, 180, true), 0ms).what == kind::reset);
}

TEST_CASE("reset_after: messages and bytes match the user", "[faults][reset_after]") {
  auto rules = engine_of("reset_after:messages=1,user=app");
  auto f = received(1, 90, true);
  CHECK(rules.decide(hook::message, f, 1, 0ms).what == kind::reset);
  f.user = "other";
  CHECK(rules.decide(hook::message, f, 2, 0ms).what == kind::none);
}

TEST_CASE("reset_after needs exactly one of after and statements", "[faults][reset_after]") {
  CHECK(rule_error("reset_after").field() == "--fault reset_after.after");
  CHECK(rule_error("reset_after:after=1s,statements=2").field() ==
        "--fault reset_after.statements");
  CHECK(rule_error("reset_after:statements=0").field() == "--fault reset_after.statements");
  CHECK(rule_error("reset_after:statements=x").field() == "--fault reset_after.statements");
  CHECK(rule_error("reset_after:messages=0").field() == "--fault reset_after.messages");
  CHECK(rule_error("reset_after:bytes=1k").field() == "--fault reset_after.bytes");
  const auto both = rule_error("reset_after:statements=2,bytes=10");
  CHECK(both.field() == "--fault reset_after.bytes");
  CHECK(both.why() ==
        "reset_after needs exactly one of after (a duration), statements, messages and bytes "
        "(counts)");
}
