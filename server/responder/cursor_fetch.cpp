// FETCH / MOVE; see cursor_fetch.hpp. The structure follows pquery.c so that each corner
// (MOVE 0, MOVE BACKWARD ALL, ABSOLUTE from the end) lands where PG's does.
#include "responder/cursor_fetch.hpp"

#include "responder/pg_error.hpp"

namespace fauxgres::responder {
namespace {

class fetcher {
 public:
  fetcher(cursor_position& at, std::size_t total, bool scrollable, fetch_result& out)
      : at_(at), total_(static_cast<std::int64_t>(total)), scrollable_(scrollable), out_(out) {}

  // PortalRunSelect: up to `count` rows (fetch_all for every one) in one direction,
  // sent only when `send`. Returns how many were processed.
  std::uint64_t select(bool forward, std::int64_t count, bool send) {
    if (!forward && !scrollable_) {
      forward_only(940, "PortalRunSelect");
      return 0;
    }
    const bool blocked = forward ? at_.at_end : at_.at_start;
    if (blocked || count <= 0) return 0;  // no movement
    std::uint64_t done = 0;
    while (count == fetch_all || static_cast<std::int64_t>(done) < count) {
      if (forward ? at_.row >= total_ : at_.row <= 1) {
        at_.row = forward ? total_ + 1 : 0;
        break;
      }
      at_.row += forward ? 1 : -1;
      if (send && done == 0) {
        out_.first = static_cast<std::size_t>(at_.row - 1);
        out_.step = forward ? 1 : -1;
      }
      ++done;
    }
    if (send) out_.sent = done;
    const bool all = count == fetch_all || static_cast<std::int64_t>(done) < count;
    if (forward) {
      if (done > 0) at_.at_start = false;
      if (all) at_.at_end = true;
      at_.portal_pos += done;
    } else {
      if (done > 0 && at_.at_end) {
        at_.at_end = false;
        ++at_.portal_pos;
      }
      if (all) {
        at_.at_start = true;
        at_.portal_pos = 0;
      } else {
        at_.portal_pos -= done;
      }
    }
    return done;
  }

  // DoPortalRewind: nothing to do (and no error) for a portal that has not moved.
  void rewind() {
    if (at_.at_start && !at_.at_end) return;
    if (!scrollable_) return forward_only(1685, "DoPortalRewind");
    at_ = cursor_position{};
  }

  bool failed() const { return out_.error.has_value(); }

 private:
  void forward_only(int line, const char* routine) {
    out_.error = pg_error("55000", "cursor can only scan forward");
    out_.error->hint = "Declare it with SCROLL option to enable backward scan.";
    out_.error->file = "pquery.c";
    out_.error->line = line;
    out_.error->routine = routine;
  }

  cursor_position& at_;
  std::int64_t total_;
  bool scrollable_;
  fetch_result& out_;
};

}  // namespace

fetch_result run_fetch(cursor_position& at, std::size_t total, const fetch_request& request,
                       bool scrollable) {
  fetch_result out;
  fetcher f(at, total, scrollable, out);
  const bool send = !request.move;
  std::int64_t count = request.count;
  bool forward = true;
  switch (request.direction) {
    case fetch_direction::forward:
    case fetch_direction::backward:
      forward = (request.direction == fetch_direction::forward) == (count >= 0);
      if (count < 0) count = -count;
      break;
    case fetch_direction::absolute:
      if (count > 0) {
        // Rewind and advance count - 1 rows, or step from where the portal stands when
        // that is shorter; the target row is always fetched going forwards.
        if (static_cast<std::uint64_t>(count - 1) <= at.portal_pos / 2) {
          f.rewind();
          if (count > 1 && !f.failed()) f.select(true, count - 1, false);
        } else {
          std::int64_t pos = static_cast<std::int64_t>(at.portal_pos);
          if (at.at_end) ++pos;
          if (count <= pos) {
            f.select(false, pos - count + 1, false);
          } else if (count > pos + 1) {
            f.select(true, count - pos - 1, false);
          }
        }
        if (!f.failed()) out.processed = f.select(true, 1, send);
        return out;
      }
      if (count < 0) {  // to the end, back abs(count) - 1 rows, then the row before
        f.select(true, fetch_all, false);
        if (count < -1 && !f.failed()) f.select(false, -count - 1, false);
        if (!f.failed()) out.processed = f.select(false, 1, send);
        return out;
      }
      f.rewind();
      return out;
    case fetch_direction::relative:
      if (count > 0) {
        if (count > 1) f.select(true, count - 1, false);
        if (!f.failed()) out.processed = f.select(true, 1, send);
        return out;
      }
      if (count < 0) {
        if (count < -1) f.select(false, -count - 1, false);
        if (!f.failed()) out.processed = f.select(false, 1, send);
        return out;
      }
      break;  // RELATIVE 0 is FORWARD 0
  }
  if (count == 0) {  // the current row again, if the portal stands on one
    const bool on_row = !at.at_start && !at.at_end;
    if (!send) {
      out.processed = on_row ? 1 : 0;
      return out;
    }
    if (on_row) {
      f.select(false, 1, false);
      if (f.failed()) return out;
      count = 1;
      forward = true;
    }
  }
  if (!forward && count == fetch_all && !send) {  // MOVE BACKWARD ALL: a rewind
    const std::uint64_t passed =
        at.portal_pos > 0 && !at.at_end ? at.portal_pos - 1 : at.portal_pos;
    f.rewind();
    if (!f.failed()) out.processed = passed;
    return out;
  }
  out.processed = f.select(forward, count, send);
  return out;
}

}  // namespace fauxgres::responder
