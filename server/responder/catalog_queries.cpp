// Driver introspection queries; see catalog_queries.hpp. Matching compares a compact form
// of the statement (comments and whitespace removed, lower case outside quotes) with the
// drivers' texts, so reformatting by a driver version does not break it.
#include "responder/catalog_queries.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "responder/datum.hpp"
#include "responder/lexer.hpp"
#include "responder/pg_error.hpp"
#include "responder/sql_types.hpp"
#include "types/catalog.hpp"

namespace fauxgres::responder {
namespace {

namespace oid = types::oid;
constexpr std::uint32_t pg_type_table = 1247, pg_range_table = 3541;

// Lower case outside quotes; whitespace and comments dropped; trailing ';' dropped.
std::string compact(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  std::size_t p = 0;
  while (p < sql.size()) {
    const std::size_t skipped = skip_space_and_comments(sql, p);
    if (skipped != p) {
      p = skipped;
      continue;
    }
    const char c = sql[p];
    if (c == '\'' || c == '"') {
      std::size_t end = p + 1;
      while (end < sql.size()) {
        if (sql[end] == c) {
          if (end + 1 < sql.size() && sql[end + 1] == c) {
            end += 2;
            continue;
          }
          ++end;
          break;
        }
        ++end;
      }
      out.append(sql.substr(p, end - p));
      p = end;
      continue;
    }
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    ++p;
  }
  while (!out.empty() && out.back() == ';') out.pop_back();
  return out;
}

bool contains_ci(std::string_view haystack, std::string_view lower_needle) {
  if (haystack.size() < lower_needle.size()) return false;
  for (std::size_t i = 0; i + lower_needle.size() <= haystack.size(); ++i) {
    if (iequals(haystack.substr(i, lower_needle.size()), lower_needle)) return true;
  }
  return false;
}

column col(std::string name, std::uint32_t type, std::uint32_t table = 0, std::int16_t attnum = 0) {
  column c;
  c.name = std::move(name);
  c.type_oid = type;
  c.type_len = type_length(type);
  c.table_oid = table;
  c.column_attr = attnum;
  return c;
}

// pg_type attribute numbers (PG 15).
constexpr std::int16_t att_oid = 1, att_typname = 2, att_typtype = 7, att_typelem = 14,
                       att_typarray = 15;

constexpr std::string_view hstore_prefix =
    "selectt.oid,typarrayfrompg_typetjoinpg_namespacensontypnamespace=ns.oidwheretypname='";
constexpr std::string_view type_by_oid_text =
    "selectt.oid,t.typelemaselemtype,t.typtypeaskindfrompg_catalog.pg_typeastwheret.oid=$1";
constexpr std::string_view type_by_name_text =
    "selectt.oid,t.typelemaselemtype,t.typtypeaskindfrompg_catalog.pg_typeastinnerjoinpg_"
    "catalog.pg_namespacenson(ns.oid=t.typnamespace)wheret.typname=$1andns.nspname=$2";
constexpr std::string_view array_types_text =
    "selectb.oid,b.typarrayfrompg_catalog.pg_typealeftjoinpg_catalog.pg_typebonb.oid=a."
    "typelemwherea.typcategory='A'groupbyb.oid,b.typarrayorderbyb.oid";
constexpr std::string_view sequelize_text =
    "withrangesas(selectpg_range.rngtypid,pg_type.typnameasrngtypname,pg_type.typarrayasrngtyparr"
    "ay,pg_range.rngsubtypefrompg_rangeleftouterjoinpg_typeonpg_type.oid=pg_range.rngtypid)select"
    "pg_type.typname,pg_type.typtype,pg_type.oid,pg_type.typarray,ranges.rngtypname,ranges.rngtyp"
    "id,ranges.rngtyparrayfrompg_typeleftouterjoinrangesonpg_type.oid=ranges.rngsubtypewhere(pg_t"
    "ype.typtypein('b','e'))";

std::vector<column> oid_elemtype_kind() {
  return {col("oid", oid::oid, pg_type_table, att_oid),
          col("elemtype", oid::oid, pg_type_table, att_typelem),
          col("kind", oid::char_, pg_type_table, att_typtype)};
}

std::string oid_text(std::uint32_t v) {
  return std::to_string(v);
}
std::string char_text(char c) {
  return c == 0 ? std::string() : std::string(1, c);
}

std::optional<std::uint32_t> parse_oid(const value& v,
                                       std::optional<protocol::error_fields>& error) {
  if (!v) return std::nullopt;
  datum d;
  if (auto e = input_datum(*v, {oid::oid, -1}, 0, d)) {
    error = std::move(e);
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(d.i);
}

const types::type_info* type_named(std::string_view name) {
  for (const auto& t : types::all_types()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

// "{114,3802}" → oids; NULL elements are skipped.
std::vector<std::uint32_t> oid_array(std::string_view text,
                                     std::optional<protocol::error_fields>& error) {
  std::vector<std::uint32_t> out;
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') {
    error = pg_error("22P02", "malformed array literal: \"" + std::string(text) + "\"");
    return out;
  }
  std::string_view body = text.substr(1, text.size() - 2);
  while (!body.empty()) {
    const std::size_t comma = body.find(',');
    std::string_view item = body.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty() && !iequals(item, "null")) {
      if (auto v = parse_oid(std::string(item), error)) out.push_back(*v);
      if (error) return out;
    }
    if (comma == std::string_view::npos) break;
    body.remove_prefix(comma + 1);
  }
  return out;
}

row typeinfo_row(const types::type_info& t, int depth) {
  const types::type_info* elem = t.element != 0 ? types::find_type(t.element) : nullptr;
  const bool ranged = t.kind == 'r' && t.range_subtype != 0;
  row r;
  r.emplace_back(oid_text(t.oid));
  r.emplace_back("pg_catalog");
  r.emplace_back(std::string(t.name));
  r.emplace_back(char_text(t.kind));
  r.emplace_back(std::nullopt);  // basetype: built-in types are not domains
  r.emplace_back(oid_text(t.element));
  if (t.length == -1 && elem != nullptr)
    r.emplace_back(char_text(elem->delimiter));
  else
    r.emplace_back(std::nullopt);
  if (ranged)
    r.emplace_back(oid_text(t.range_subtype));
  else
    r.emplace_back(std::nullopt);
  r.emplace_back(std::nullopt);  // attrtypoids
  r.emplace_back(std::nullopt);  // attrnames
  r.emplace_back(std::to_string(depth));
  r.emplace_back(std::nullopt);  // basetype_name
  r.emplace_back(t.element == 0 ? std::string("-") : format_type(t.element));
  if (ranged)
    r.emplace_back(format_type(t.range_subtype));
  else
    r.emplace_back(std::nullopt);
  return r;
}

std::vector<row> asyncpg_typeinfo(std::span<const value> params,
                                  std::optional<protocol::error_fields>& error) {
  if (params.empty() || !params[0]) return {};
  const std::vector<std::uint32_t> roots = oid_array(*params[0], error);
  if (error) return {};
  // typeinfo_tree: the requested types at depth 0, then element and range subtypes.
  std::set<std::pair<int, std::uint32_t>> seen;  // (depth, oid): SELECT DISTINCT
  std::vector<std::pair<std::uint32_t, int>> work;
  for (std::uint32_t o : roots) work.emplace_back(o, 0);
  std::vector<std::pair<int, const types::type_info*>> found;
  while (!work.empty()) {
    const auto [o, depth] = work.back();
    work.pop_back();
    const types::type_info* t = types::find_type(o);
    if (t == nullptr || depth > 32 || !seen.emplace(depth, o).second) continue;
    found.emplace_back(depth, t);
    if (t->element != 0) work.emplace_back(t->element, depth + 1);
    if (t->kind == 'r' && t->range_subtype != 0) work.emplace_back(t->range_subtype, depth + 1);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second->oid < b.second->oid;
  });
  std::vector<row> rows;
  for (const auto& [depth, t] : found) rows.push_back(typeinfo_row(*t, depth));
  return rows;
}

std::vector<row> array_types() {
  std::set<std::uint32_t> elements;
  bool missing = false;
  for (const auto& t : types::all_types()) {
    if (t.category != 'A') continue;
    if (types::find_type(t.element) != nullptr)
      elements.insert(t.element);
    else
      missing = true;
  }
  std::vector<row> rows;
  for (std::uint32_t e : elements) {
    rows.push_back({oid_text(e), oid_text(types::find_type(e)->array)});
  }
  if (missing) rows.push_back({std::nullopt, std::nullopt});  // LEFT JOIN miss, NULLs last
  return rows;
}

std::vector<row> sequelize_types() {
  std::multimap<std::uint32_t, const types::type_info*> ranges;  // subtype → range type
  for (const auto& t : types::all_types()) {
    if (t.kind == 'r' && t.range_subtype != 0) ranges.emplace(t.range_subtype, &t);
  }
  std::vector<row> rows;
  for (const auto& t : types::all_types()) {
    if (t.kind != 'b' && t.kind != 'e') continue;
    auto [first, last] = ranges.equal_range(t.oid);
    if (first == last) {
      rows.push_back({std::string(t.name), char_text(t.kind), oid_text(t.oid), oid_text(t.array),
                      std::nullopt, std::nullopt, std::nullopt});
    }
    for (auto it = first; it != last; ++it) {
      const types::type_info& r = *it->second;
      rows.push_back({std::string(t.name), char_text(t.kind), oid_text(t.oid), oid_text(t.array),
                      std::string(r.name), oid_text(r.oid), oid_text(r.array)});
    }
  }
  return rows;
}

}  // namespace

std::optional<catalog_match> match_catalog_query(std::string_view sql) {
  if (!contains_ci(sql, "pg_type")) return std::nullopt;
  const std::string c = compact(sql);
  catalog_match m;
  if (c.size() > hstore_prefix.size() + 1 &&
      c.compare(0, hstore_prefix.size(), hstore_prefix) == 0 && c.back() == '\'') {
    const std::string literal = c.substr(hstore_prefix.size() - 1);  // keep the opening quote
    lex_result lexed = tokenize(literal);
    if (lexed.error || lexed.tokens.size() != 2 || lexed.tokens[0].kind != token_kind::string) {
      return std::nullopt;
    }
    m.kind = catalog_query::type_by_name_literal;
    m.argument = string_value(lexed.tokens[0]);
    m.columns = {col("oid", oid::oid, pg_type_table, att_oid),
                 col("typarray", oid::oid, pg_type_table, att_typarray)};
    return m;
  }
  if (c == type_by_oid_text) {
    m.kind = catalog_query::type_by_oid;
    m.columns = oid_elemtype_kind();
    m.parameter_types = {oid::oid};
    return m;
  }
  if (c == type_by_name_text) {
    m.kind = catalog_query::type_by_name;
    m.columns = oid_elemtype_kind();
    m.parameter_types = {oid::name, oid::name};
    return m;
  }
  if (c == array_types_text) {
    m.kind = catalog_query::array_types;
    m.columns = {col("oid", oid::oid, pg_type_table, att_oid),
                 col("typarray", oid::oid, pg_type_table, att_typarray)};
    return m;
  }
  if (c == sequelize_text) {
    m.kind = catalog_query::sequelize_types;
    m.columns = {col("typname", oid::name, pg_type_table, att_typname),
                 col("typtype", oid::char_, pg_type_table, att_typtype),
                 col("oid", oid::oid, pg_type_table, att_oid),
                 col("typarray", oid::oid, pg_type_table, att_typarray),
                 col("rngtypname", oid::name, pg_type_table, att_typname),
                 col("rngtypid", oid::oid, pg_range_table, 1),
                 col("rngtyparray", oid::oid, pg_type_table, att_typarray)};
    return m;
  }
  if (c.find("withrecursivetypeinfo_tree(") == 0 && c.find("any($1::oid[])") != std::string::npos) {
    m.kind = catalog_query::asyncpg_typeinfo;
    m.columns = {col("oid", oid::oid),
                 col("ns", oid::name),
                 col("name", oid::name),
                 col("kind", oid::char_),
                 col("basetype", oid::oid),
                 col("elemtype", oid::oid),
                 col("elemdelim", oid::char_),
                 col("range_subtype", oid::oid),
                 col("attrtypoids", oid::oid_array),
                 col("attrnames", oid::text_array),
                 col("depth", oid::int4),
                 col("basetype_name", oid::text),
                 col("elemtype_name", oid::text),
                 col("range_subtype_name", oid::text)};
    m.parameter_types = {oid::oid_array};
    return m;
  }
  return std::nullopt;
}

std::vector<row> run_catalog_query(const catalog_match& m, std::span<const value> params,
                                   std::optional<protocol::error_fields>& error) {
  switch (m.kind) {
    case catalog_query::type_by_name_literal: {
      const types::type_info* t = type_named(m.argument);
      if (t == nullptr) return {};
      return {{oid_text(t->oid), oid_text(t->array)}};
    }
    case catalog_query::type_by_oid: {
      if (params.empty()) return {};
      auto o = parse_oid(params[0], error);
      const types::type_info* t = o ? types::find_type(*o) : nullptr;
      if (t == nullptr) return {};
      return {{oid_text(t->oid), oid_text(t->element), char_text(t->kind)}};
    }
    case catalog_query::type_by_name: {
      if (params.size() < 2 || !params[0] || !params[1] || *params[1] != "pg_catalog") return {};
      const types::type_info* t = type_named(*params[0]);
      if (t == nullptr) return {};
      return {{oid_text(t->oid), oid_text(t->element), char_text(t->kind)}};
    }
    case catalog_query::array_types:
      return array_types();
    case catalog_query::sequelize_types:
      return sequelize_types();
    case catalog_query::asyncpg_typeinfo:
      return asyncpg_typeinfo(params, error);
  }
  return {};
}

}  // namespace fauxgres::responder
