// FETCH / MOVE positioning against PostgreSQL 15.18's answers for a SCROLL cursor over
// generate_series(1, 5) (the same statements, in order, on one cursor).
#include <catch2/catch.hpp>

#include "responder/cursor_fetch.hpp"

using namespace fauxgres::responder;

namespace {

struct step {
  const char* statement;
  fetch_request request;
  std::vector<int> rows;  // the values sent (row index + 1)
  std::uint64_t processed;
};

std::vector<int> values(const fetch_result& r) {
  std::vector<int> out;
  for (std::uint64_t i = 0; i < r.sent; ++i) out.push_back(static_cast<int>(r.row(i)) + 1);
  return out;
}

}  // namespace

TEST_CASE("FETCH and MOVE land where PG's do", "[responder][cursor]") {
  using d = fetch_direction;
  const step steps[] = {
      {"fetch 2", {d::forward, 2}, {1, 2}, 2},
      {"move 1", {d::forward, 1, true}, {}, 1},
      {"fetch prior", {d::backward, 1}, {2}, 1},
      {"fetch absolute -1", {d::absolute, -1}, {5}, 1},
      {"fetch next", {d::forward, 1}, {}, 0},
      {"fetch next", {d::forward, 1}, {}, 0},
      {"move all", {d::forward, fetch_all, true}, {}, 0},
      {"move backward all", {d::backward, fetch_all, true}, {}, 5},
      {"fetch relative 0", {d::relative, 0}, {}, 0},
      {"fetch forward 0", {d::forward, 0}, {}, 0},
      {"fetch absolute 0", {d::absolute, 0}, {}, 0},
      {"fetch backward 2", {d::backward, 2}, {}, 0},
      {"fetch last", {d::absolute, -1}, {5}, 1},
      {"fetch first", {d::absolute, 1}, {1}, 1},
      {"fetch relative 2", {d::relative, 2}, {3}, 1},
      {"fetch relative 0", {d::relative, 0}, {3}, 1},
      {"move 0", {d::forward, 0, true}, {}, 1},
      {"fetch -1", {d::forward, -1}, {2}, 1},
      {"fetch all", {d::forward, fetch_all}, {3, 4, 5}, 3},
      {"fetch backward all", {d::backward, fetch_all}, {5, 4, 3, 2, 1}, 5},
      {"move forward 3", {d::forward, 3, true}, {}, 3},
      {"move relative -1", {d::relative, -1, true}, {}, 1},
      {"fetch absolute 2", {d::absolute, 2}, {2}, 1},
      {"fetch absolute 7", {d::absolute, 7}, {}, 0},
      {"fetch absolute -7", {d::absolute, -7}, {}, 0},
  };
  cursor_position at;
  for (const auto& s : steps) {
    INFO(s.statement);
    const auto r = run_fetch(at, 5, s.request, true);
    REQUIRE_FALSE(r.error);
    CHECK(values(r) == s.rows);
    CHECK(r.processed == s.processed);
  }
}

TEST_CASE("a NO SCROLL cursor only moves forward", "[responder][cursor]") {
  using d = fetch_direction;
  cursor_position at;
  CHECK(run_fetch(at, 5, {d::absolute, 1}, false).sent == 1);  // no rewind needed yet
  auto r = run_fetch(at, 5, {d::backward, 1}, false);
  REQUIRE(r.error);
  CHECK(r.error->sqlstate == "55000");
  CHECK(r.error->message == "cursor can only scan forward");
  CHECK(r.error->hint == "Declare it with SCROLL option to enable backward scan.");
  CHECK(r.error->routine == "PortalRunSelect");
  r = run_fetch(at, 5, {d::absolute, 1}, false);  // a rewind, once it has moved
  REQUIRE(r.error);
  CHECK(r.error->routine == "DoPortalRewind");
  CHECK(values(run_fetch(at, 5, {d::forward, fetch_all}, false)) == std::vector<int>{2, 3, 4, 5});
}

TEST_CASE("a protocol portal's Execute with a row limit", "[responder][cursor]") {
  cursor_position at;
  const fetch_request two{fetch_direction::forward, 2};
  CHECK(values(run_fetch(at, 3, two, false)) == std::vector<int>{1, 2});
  CHECK_FALSE(at.at_end);  // exactly two went out: PG suspends
  CHECK(values(run_fetch(at, 3, two, false)) == std::vector<int>{3});
  CHECK(at.at_end);
  CHECK(run_fetch(at, 3, two, false).sent == 0);
}
