// FETCH and MOVE over a portal whose rows are all known, as PG's DoPortalRunFetch and
// PortalRunSelect move through a held result: the same rows, in the same order, the same
// counts, and the same position afterwards. Pure logic: the session owns the portals.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

#include "protocol/error_fields.hpp"

namespace fauxgres::responder {

inline constexpr std::int64_t fetch_all = std::numeric_limits<std::int64_t>::max();

enum class fetch_direction : std::uint8_t { forward, backward, absolute, relative };

struct fetch_request {
  fetch_direction direction = fetch_direction::forward;
  std::int64_t count = 1;  // fetch_all for ALL
  bool move = false;       // MOVE counts the rows it passes and sends none
};

// Where a portal stands: the executor's row (0 before the first, 1..n on a row, n + 1
// after the last) and PG's own bookkeeping, which MOVE's count and ABSOLUTE read.
struct cursor_position {
  std::int64_t row = 0;
  std::uint64_t portal_pos = 0;
  bool at_start = true;
  bool at_end = false;
};

// The rows a FETCH sends are one run, read in one direction: `sent` rows from index
// `first`, each `step` (+1 or -1) from the one before. No list, so an Execute allocates none.
struct fetch_result {
  std::size_t first = 0;
  int step = 1;
  std::uint64_t sent = 0;
  std::uint64_t processed = 0;  // the n of "FETCH n" / "MOVE n"
  std::optional<protocol::error_fields> error;

  std::size_t row(std::uint64_t i) const { return step > 0 ? first + i : first - i; }
};

// `scrollable` is false for a NO SCROLL cursor and every protocol-level portal.
fetch_result run_fetch(cursor_position& at, std::size_t total, const fetch_request& request,
                       bool scrollable);

}  // namespace fauxgres::responder
