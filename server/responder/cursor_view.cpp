// The pg_cursors view; see cursor_view.hpp.
#include "responder/cursor_view.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

#include "responder/datetime.hpp"
#include "responder/sql_types.hpp"
#include "responder/time_zones.hpp"
#include "types/catalog.hpp"

namespace fauxgres::responder {
namespace {

namespace oid = types::oid;
constexpr std::uint32_t pg_cursors_view = 12077;  // its oid in PG 15, as RowDescription shows

struct view_column {
  std::string_view name;
  std::uint32_t type;
};
constexpr std::array<view_column, 6> view_columns{{{"name", oid::text},
                                                   {"statement", oid::text},
                                                   {"is_holdable", oid::bool_},
                                                   {"is_binary", oid::bool_},
                                                   {"is_scrollable", oid::bool_},
                                                   {"creation_time", oid::timestamptz}}};

// A view column, bare or as pg_cursors.column: its index, or -1.
int read_view_column(token_cursor& cur) {
  const std::size_t start = cur.position();
  if (cur.is("pg_cursors") && cur.peek(1).kind == token_kind::dot) {
    cur.next();
    cur.next();
  }
  const token& t = cur.peek();
  if (t.kind == token_kind::identifier || t.kind == token_kind::quoted_identifier) {
    const std::string name = identifier_value(t);
    for (int i = 0; i < static_cast<int>(view_columns.size()); ++i) {
      if (name == view_columns[i].name) {
        cur.next();
        return i;
      }
    }
  }
  cur.rewind(start);
  return -1;
}

// One select-list item: *, a view column, or an integer.
bool read_items(token_cursor& cur, std::vector<cursor_view::item>& items) {
  if (cur.is_op("*")) {
    cur.next();
    for (int i = 0; i < static_cast<int>(view_columns.size()); ++i) items.push_back({i, {}});
    return true;
  }
  const token& t = cur.peek();
  if (t.kind == token_kind::integer) {
    std::int32_t v = 0;
    auto [end, ec] = std::from_chars(t.raw.data(), t.raw.data() + t.raw.size(), v);
    if (ec != std::errc() || end != t.raw.data() + t.raw.size()) return false;  // int8, numeric
    cur.next();
    items.push_back({-1, std::to_string(v)});
    return true;
  }
  const int column = read_view_column(cur);
  if (column < 0) return false;
  items.push_back({column, {}});
  return true;
}

std::optional<cursor_view> read_view(token_cursor& cur) {
  cursor_view view;
  if (!cur.accept("select")) return std::nullopt;
  do {
    if (!read_items(cur, view.items)) return std::nullopt;
  } while (cur.accept(token_kind::comma));
  if (!cur.accept("from")) return std::nullopt;
  if (cur.is("pg_catalog") && cur.peek(1).kind == token_kind::dot) {
    cur.next();
    cur.next();
  }
  if (!cur.accept("pg_cursors")) return std::nullopt;
  if (cur.accept("where")) {
    if (!cur.accept("name") || !cur.is_op("=")) return std::nullopt;
    cur.next();
    if (cur.peek().kind != token_kind::string) return std::nullopt;
    view.name = string_value(cur.next());
  }
  if (cur.is("order") && cur.is("by", 1)) {
    cur.next();
    cur.next();
    view.order_by = read_view_column(cur);
    if (view.order_by < 0) return std::nullopt;
    view.descending = cur.is("desc");
    if (!cur.accept("asc")) cur.accept("desc");
  }
  if (!cur.at_statement_end()) return std::nullopt;
  return view;
}

}  // namespace

std::optional<cursor_view> match_cursor_view(token_cursor& cur) {
  const std::size_t start = cur.position();
  auto view = read_view(cur);
  if (!view) cur.rewind(start);
  return view;
}

std::vector<column> cursor_view_columns(const cursor_view& view) {
  std::vector<column> columns;
  columns.reserve(view.items.size());
  for (const auto& item : view.items) {
    column c;
    if (item.view_column < 0) {
      c.name = "?column?";
      c.type_oid = oid::int4;
    } else {
      const auto& v = view_columns[static_cast<std::size_t>(item.view_column)];
      c.name = std::string(v.name);
      c.type_oid = v.type;
      c.table_oid = pg_cursors_view;
      c.column_attr = static_cast<std::int16_t>(item.view_column + 1);
    }
    c.type_len = type_length(c.type_oid);
    columns.push_back(std::move(c));
  }
  return columns;
}

std::vector<row> cursor_view_rows(const cursor_view& view, std::span<const cursor_entry> cursors,
                                  const types::time_zone& zone) {
  std::vector<const cursor_entry*> listed;
  for (const auto& cursor : cursors) {
    if (!view.name || *view.name == cursor.name) listed.push_back(&cursor);
  }
  if (view.order_by >= 0) {
    auto less = [&](const cursor_entry* a, const cursor_entry* b) {  // text in byte order,
      switch (view.order_by) {                                       // false before true
        case 0:
          return a->name < b->name;
        case 1:
          return a->statement < b->statement;
        case 2:
          return a->holdable < b->holdable;
        case 3:
          return a->binary < b->binary;
        case 4:
          return a->scrollable < b->scrollable;
        default:
          return a->created < b->created;
      }
    };
    std::stable_sort(listed.begin(), listed.end(),
                     [&](auto* a, auto* b) { return view.descending ? less(b, a) : less(a, b); });
  }
  std::vector<row> rows;
  for (const cursor_entry* c : listed) {
    const cursor_entry& cursor = *c;
    row r;
    r.reserve(view.items.size());
    for (const auto& item : view.items) {
      switch (item.view_column) {
        case -1:
          r.emplace_back(item.constant);
          break;
        case 0:
          r.emplace_back(std::string(cursor.name));
          break;
        case 1:
          r.emplace_back(std::string(cursor.statement));
          break;
        case 2:
          r.emplace_back(cursor.holdable ? "t" : "f");
          break;
        case 3:
          r.emplace_back(cursor.binary ? "t" : "f");
          break;
        case 4:
          r.emplace_back(cursor.scrollable ? "t" : "f");
          break;
        default:
          r.emplace_back(format_timestamptz(cursor.created, zone));
          break;
      }
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

execution read_cursor_view(const cursor_view& view, std::span<const cursor_entry> cursors,
                           const settings& session_settings) {
  execution ex;
  ex.rows = cursor_view_rows(view, cursors, *session_time_zone(session_settings));
  ex.tag = "SELECT";
  ex.counts_rows = true;
  return ex;
}

}  // namespace fauxgres::responder
