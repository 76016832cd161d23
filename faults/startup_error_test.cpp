// startup_error: PG15's 57P03 presets, and any SQLSTATE with a message.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("startup_error presets give PG15's exact 57P03 texts", "[faults][startup_error]") {
  struct row {
    const char* preset;
    const char* message;
  };
  for (const row& r :
       {row{"starting_up", "the database system is starting up"},
        row{"not_yet_accepting", "the database system is not yet accepting connections"},
        row{"shutting_down", "the database system is shutting down"},
        row{"recovery", "the database system is in recovery mode"}}) {
    INFO(r.preset);
    const auto f = make("startup_error", {{"preset", r.preset}});
    CHECK(f->listens_to(hook::startup));
    const verdict v = f->decide(hook::startup, started(), 0ms);
    REQUIRE(v.what == kind::fatal);
    CHECK(v.error.sqlstate == "57P03");
    CHECK(v.error.severity == "FATAL");
    CHECK(v.error.message == r.message);
    CHECK(v.error.file == "postmaster.c");
  }
  CHECK(make("startup_error", {{"preset", "not_yet_accepting"}})
            ->decide(hook::startup, started(), 0ms)
            .error.detail == "Consistent recovery state has not been yet reached.");
}

TEST_CASE("startup_error with sqlstate and message", "[faults][startup_error]") {
  auto e = engine_of(
      R"(startup_error:sqlstate=28000,message="no, thanks, really",detail=D,hint=H,severity=ERROR)");
  const verdict v = e.decide(hook::startup, started(), 1, 0ms);
  REQUIRE(v.what == kind::fatal);
  CHECK(v.error.sqlstate == "28000");
  CHECK(v.error.severity == "ERROR");
  CHECK(v.error.message == "no, thanks, really");
  CHECK(v.error.detail == "D");
  CHECK(v.error.hint == "H");
  CHECK(v.rule == "startup_error#1");
}

TEST_CASE("startup_error errors", "[faults][startup_error]") {
  CHECK(rule_error("startup_error").field() == "--fault startup_error.sqlstate");
  CHECK(rule_error("startup_error:sqlstate=57P03").field() == "--fault startup_error.message");
  auto e = rule_error("startup_error:sqlstate=57p03,message=x");
  CHECK(e.field() == "--fault startup_error.sqlstate");
  CHECK(e.value() == "57p03");
  e = rule_error("startup_error:preset=starting_up,message=x");
  CHECK(e.field() == "--fault startup_error.message");
  CHECK(rule_error("startup_error:preset=down").field() == "--fault startup_error.preset");
  CHECK(rule_error("startup_error:sqlstate=XX000,message=x,severity=PANIC").field() ==
        "--fault startup_error.severity");
}
