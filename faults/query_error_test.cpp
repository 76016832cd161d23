// query_error: any SQLSTATE for statements matching a pattern.
#include "faults/testing.hpp"

using namespace fauxgres::faults;
using namespace fauxgres::faults::testing;
using kind = verdict::kind;

TEST_CASE("query_error: pattern, sqlstate, default message", "[faults][query_error]") {
  const auto f = make("query_error", {{"pattern", "^\\s*update\\b"}, {"sqlstate", "40001"}});
  CHECK(f->listens_to(hook::query));
  CHECK(f->decide(hook::query, querying("SELECT 1"), 0ms).what == kind::none);
  const verdict v = f->decide(hook::query, querying("  UPDATE t SET x = 1"), 0ms);
  REQUIRE(v.what == kind::error);
  CHECK(v.error.severity == "ERROR");
  CHECK(v.error.sqlstate == "40001");
  CHECK(v.error.message == "could not serialize access due to concurrent update");
  CHECK(v.describe() == "error 40001");
}

TEST_CASE("query_error default messages", "[faults][query_error]") {
  const auto message = [](std::string_view code, std::string_view statement = "select 1") {
    return make("query_error", {{"sqlstate", std::string(code)}})
        ->decide(hook::query, querying(statement), 0ms)
        .error.message;
  };
  CHECK(message("40P01") == "deadlock detected");
  CHECK(message("53300") == "sorry, too many clients already");
  CHECK(message("08006") == "connection failure");
  CHECK(message("25006", "insert into t values (1)") ==
        "cannot execute INSERT in a read-only transaction");
  CHECK(message("25006") == "cannot execute UPDATE in a read-only transaction");
  CHECK(message("XX123") == "injected error (SQLSTATE XX123)");
}

TEST_CASE("query_error with message, detail, hint, severity=FATAL", "[faults][query_error]") {
  auto e =
      engine_of(R"(query_error:sqlstate=57P01,message="bye, now",detail=d,hint=h,severity=FATAL)");
  const verdict v = e.decide(hook::query, querying("select 1"), 1, 0ms);
  REQUIRE(v.what == kind::fatal);
  CHECK(v.error.message == "bye, now");
  CHECK(v.error.detail == "d");
  CHECK(v.error.hint == "h");
  CHECK(v.error.severity == "FATAL");
}

TEST_CASE("query_error errors", "[faults][query_error]") {
  CHECK(rule_error("query_error").field() == "--fault query_error.sqlstate");
  CHECK(rule_error("query_error:sqlstate=4000").field() == "--fault query_error.sqlstate");
  auto e = rule_error("query_error:sqlstate=40001,pattern=(unclosed");
  CHECK(e.field() == "--fault query_error.pattern");
  CHECK(e.value() == "(unclosed");
  CHECK(rule_error("query_error:sqlstate=40001,severity=WARNING").field() ==
        "--fault query_error.severity");
}
