// The pg_cursors view (PG's pg_cursor(), portalmem.c): a row for each cursor the session
// has DECLAREd. Portals made by Bind are not listed, as PG marks them invisible. Plain
// reads of the view are answered, such as psycopg 3 sends before closing a cursor it never
// used: SELECT <*, columns or integers> FROM [pg_catalog.]pg_cursors [WHERE name = '...']
// [ORDER BY column [ASC | DESC]].
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "responder/responder.hpp"
#include "responder/token_cursor.hpp"

namespace fauxgres::types {
class time_zone;
}

namespace fauxgres::responder {

// What the session knows of one cursor.
struct cursor_entry {
  std::string_view name;
  std::string_view statement;  // the whole query string that declared it
  bool holdable = false;
  bool binary = false;
  bool scrollable = false;
  std::chrono::system_clock::time_point created;
};

struct cursor_view {
  // An output column: one of the view's (its index), or an integer constant.
  struct item {
    int view_column = -1;
    std::string constant;
  };
  std::vector<item> items;
  std::optional<std::string> name;  // WHERE name = '...'
  int order_by = -1;                // a view column, or none
  bool descending = false;
};

// Reads a plain read of the view from a cursor at SELECT; nullopt (and the cursor where
// it was) for any other statement.
std::optional<cursor_view> match_cursor_view(token_cursor& cur);

std::vector<column> cursor_view_columns(const cursor_view& view);

std::vector<row> cursor_view_rows(const cursor_view& view, std::span<const cursor_entry> cursors,
                                  const types::time_zone& zone);

// The read's answer, its times in the session's TimeZone.
execution read_cursor_view(const cursor_view& view, std::span<const cursor_entry> cursors,
                           const settings& session_settings);

}  // namespace fauxgres::responder
