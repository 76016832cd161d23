// Fixture files (docs/fixtures.md): YAML → fixture entries, validated up front so a bad
// file fails at startup with the exact field, never at query time.
#include "responder/fixtures.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "config/error.hpp"
#include "responder/datum.hpp"
#include "responder/expr_parser.hpp"
#include "responder/sql_types.hpp"

namespace fauxgres::responder {
namespace {

using config::error;

constexpr std::string_view known_fields =
    "match, regex, case_insensitive, params, columns, rows, tag, error, latency";

std::string at(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

std::string scalar(const YAML::Node& node, const std::string& field) {
  if (!node.IsScalar()) throw error(field, "", "must be a string");
  return node.Scalar();
}

// "50ms", "2s", "1.5s", "250us", "1min", or a bare number of milliseconds.
std::chrono::milliseconds duration(const YAML::Node& node, const std::string& field) {
  const std::string text = scalar(node, field);
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  std::string unit = text.substr(used);
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  double ms = -1;
  if (used > 0) {
    if (unit.empty() || unit == "ms")
      ms = v;
    else if (unit == "s")
      ms = v * 1000;
    else if (unit == "us")
      ms = v / 1000;
    else if (unit == "min" || unit == "m")
      ms = v * 60000;
  }
  if (ms < 0 || !std::isfinite(ms)) {
    throw error(field, text, "must be a duration such as 50ms, 2s or 1.5s");
  }
  return std::chrono::milliseconds(static_cast<long long>(std::llround(ms)));
}

sql_type type(const YAML::Node& node, const std::string& field) {
  const std::string text = scalar(node, field);
  auto t = type_from_text(text);
  if (!t)
    throw error(field, text,
                "unknown type (use a PostgreSQL type name such as int4, text, "
                "numeric(10,2), timestamptz, text[])");
  return *t;
}

protocol::error_fields error_response(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) throw error(path, "", "must be a map with sqlstate and message");
  protocol::error_fields e;
  e.severity = "ERROR";
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    const std::string field = path + "." + key;
    const std::string v = scalar(kv.second, field);
    if (key == "sqlstate") {
      bool ok = v.size() == 5;
      for (char c : v) ok = ok && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'));
      if (!ok) throw error(field, v, "must be five digits or upper-case letters, e.g. 40001");
      e.sqlstate = v;
    } else if (key == "message") {
      e.message = v;
    } else if (key == "severity") {
      if (v != "ERROR" && v != "FATAL" && v != "PANIC") {
        throw error(field, v, "must be ERROR, FATAL or PANIC");
      }
      e.severity = v;
    } else if (key == "detail") {
      e.detail = v;
    } else if (key == "hint") {
      e.hint = v;
    } else {
      throw error(field, "", "unknown field (expected sqlstate, message, severity, detail, hint)");
    }
  }
  if (e.sqlstate.empty()) throw error(path + ".sqlstate", "", "is required");
  if (e.message.empty()) throw error(path + ".message", "", "is required");
  return e;
}

std::vector<column> columns(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) throw error(path, "", "must be a list of {name, type}");
  std::vector<column> out;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item = at(path, i);
    const YAML::Node c = node[i];
    if (!c.IsMap()) throw error(item, "", "must be a map with name and type");
    if (!c["name"]) throw error(item + ".name", "", "is required");
    if (!c["type"]) throw error(item + ".type", "", "is required");
    for (const auto& kv : c) {
      const std::string key = kv.first.as<std::string>();
      if (key != "name" && key != "type") {
        throw error(item + "." + key, "", "unknown field (expected name, type)");
      }
    }
    column col;
    col.name = scalar(c["name"], item + ".name");
    const sql_type t = type(c["type"], item + ".type");
    col.type_oid = t.oid;
    col.type_mod = t.typmod;
    col.type_len = type_length(t.oid);
    out.push_back(std::move(col));
  }
  return out;
}

std::vector<row> rows(const YAML::Node& node, const std::string& path,
                      const std::vector<column>& cols) {
  if (!node.IsSequence()) throw error(path, "", "must be a list of rows");
  std::vector<row> out;
  for (std::size_t r = 0; r < node.size(); ++r) {
    const std::string row_path = at(path, r);
    const YAML::Node values = node[r];
    if (!values.IsSequence()) throw error(row_path, "", "must be a list of values");
    if (values.size() != cols.size()) {
      throw error(row_path, "",
                  "has " + std::to_string(values.size()) + " values but there are " +
                      std::to_string(cols.size()) + " columns");
    }
    row out_row;
    for (std::size_t c = 0; c < values.size(); ++c) {
      const std::string field = at(row_path, c);
      const YAML::Node v = values[c];
      if (v.IsNull()) {
        out_row.emplace_back(std::nullopt);
        continue;
      }
      const std::string text = scalar(v, field);
      datum d;
      if (auto bad = input_datum(text, {cols[c].type_oid, cols[c].type_mod}, 0, d)) {
        throw error(field, text,
                    "is not a valid " +
                        format_type_with_typmod(cols[c].type_oid, cols[c].type_mod) +
                        " value: " + bad->message);
      }
      out_row.emplace_back(datum_text(d, 1));
    }
    out.push_back(std::move(out_row));
  }
  return out;
}

fixture entry(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) throw error(path, "", "must be a map (with match or regex)");
  fixture f;
  bool case_insensitive = false;
  std::optional<std::string> regex;
  YAML::Node rows_node;
  bool has_rows = false;
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    const std::string field = path + "." + key;
    const YAML::Node& v = kv.second;
    if (key == "match") {
      f.exact = normalise_statement(scalar(v, field));
      if (f.exact.empty()) throw error(field, "", "must not be empty");
    } else if (key == "regex") {
      regex = scalar(v, field);
    } else if (key == "case_insensitive") {
      const std::string b = scalar(v, field);
      if (b != "true" && b != "false") throw error(field, b, "must be true or false");
      case_insensitive = b == "true";
    } else if (key == "params") {
      if (!v.IsSequence()) throw error(field, "", "must be a list of type names");
      for (std::size_t i = 0; i < v.size(); ++i) f.params.push_back(type(v[i], at(field, i)).oid);
    } else if (key == "columns") {
      f.columns = columns(v, field);
    } else if (key == "rows") {
      rows_node = v;
      has_rows = true;
    } else if (key == "tag") {
      f.tag = scalar(v, field);
    } else if (key == "error") {
      f.error = error_response(v, field);
    } else if (key == "latency") {
      f.latency = duration(v, field);
    } else {
      throw error(field, "", "unknown field (expected " + std::string(known_fields) + ")");
    }
  }
  if (f.exact.empty() == !regex.has_value()) {
    throw error(path, "", "needs exactly one of \"match\" or \"regex\"");
  }
  if (regex) {
    std::string text = *regex;
    if (text.rfind("(?i)", 0) == 0) {  // ECMAScript has no inline flags: accept the common one
      text.erase(0, 4);
      case_insensitive = true;
    }
    try {
      auto flags = std::regex::ECMAScript;
      if (case_insensitive) flags |= std::regex::icase;
      f.pattern.emplace(text, flags);
    } catch (const std::regex_error& e) {
      throw error(path + ".regex", *regex,
                  std::string("is not a valid regular expression: ") + e.what());
    }
    f.pattern_text = *regex;
  }
  if (has_rows) {
    if (f.columns.empty()) throw error(path + ".rows", "", "needs columns");
    f.rows = rows(rows_node, path + ".rows", f.columns);
  }
  if (f.error && (!f.columns.empty() || has_rows)) {
    throw error(path, "", "has both an error and columns/rows");
  }
  return f;
}

std::string_view trim_statement(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && (space(s.back()) || s.back() == ';')) s.remove_suffix(1);
  return s;
}

}  // namespace

fixtures fixtures::load_yaml_text(std::string_view yaml, std::string_view origin) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    throw error(std::string(origin), "", std::string("is not valid YAML: ") + e.what());
  }
  YAML::Node list = root;
  if (root.IsMap()) {
    for (const auto& kv : root) {
      const std::string key = kv.first.as<std::string>();
      if (key != "queries") throw error(key, "", "unknown field (expected queries)");
    }
    list = root["queries"];
  }
  if (root.IsNull()) return fixtures();
  if (!list || !list.IsSequence()) {
    throw error("queries", "", "must be a list of query entries (see docs/fixtures.md)");
  }
  std::vector<fixture> entries;
  for (std::size_t i = 0; i < list.size(); ++i) entries.push_back(entry(list[i], at("queries", i)));
  return fixtures(std::move(entries));
}

fixtures fixtures::load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw error("fixtures", path, "cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return load_yaml_text(text.str(), path);
}

const fixture* fixtures::match(std::string_view statement) const {
  std::string normalised;
  bool have_normalised = false;
  const std::string_view trimmed = trim_statement(statement);
  for (const auto& f : entries_) {
    if (f.pattern) {
      if (std::regex_search(trimmed.begin(), trimmed.end(), *f.pattern)) return &f;
      continue;
    }
    if (!have_normalised) {
      normalised = normalise_statement(statement);
      have_normalised = true;
    }
    if (normalised == f.exact) return &f;
  }
  return nullptr;
}

}  // namespace fauxgres::responder
