// One-dimensional arrays: PG's text literal ({1,2,NULL}, "[0:1]={1,2}") and binary form
// (int32 ndim, int32 has-nulls flag, uint32 element oid, per dimension int32 length and
// lower bound, then int32 length + bytes per element, -1 for NULL).
#include <algorithm>
#include <vector>

#include "types/codecs.hpp"
#include "types/wire.hpp"

namespace fauxgres::types::detail {
namespace {

using element = std::optional<std::string>;  // nullopt is NULL

// array_isspace: PG's own notion of whitespace in array literals.
bool array_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void skip(std::string_view& s) {
  while (!s.empty() && array_space(s[0])) s.remove_prefix(1);
}

// "[lo:hi]=" before the braces; returns the lower bound and the element count it declares.
std::optional<std::pair<std::int32_t, std::int64_t>> read_dimension(std::string_view& s) {
  const auto close = s.find(']');
  const auto colon = s.find(':');
  if (close == std::string_view::npos || colon > close) return std::nullopt;
  auto lo = scalar_to_binary(23, s.substr(1, colon - 1));
  auto hi = scalar_to_binary(23, s.substr(colon + 1, close - colon - 1));
  if (!lo || !hi) return std::nullopt;
  s.remove_prefix(close + 1);
  skip(s);
  if (s.empty() || s[0] != '=') return std::nullopt;
  s.remove_prefix(1);
  const auto l = get_be<std::int32_t>(*lo), h = get_be<std::int32_t>(*hi);
  if (h < l) return std::nullopt;
  return std::pair{l, static_cast<std::int64_t>(h) - l + 1};
}

// One element: quoted ("a \"b\""), or unquoted with its surrounding spaces dropped.
std::optional<element> read_element(std::string_view& s) {
  skip(s);
  std::string out;
  bool quoted_any = false, in_quotes = false;
  std::size_t keep = 0;  // length of `out` up to the last non-space or escaped char
  while (!s.empty()) {
    const char c = s[0];
    if (!in_quotes && (c == ',' || c == '}')) break;
    if (!in_quotes && (c == '{')) return std::nullopt;  // nested: not one-dimensional
    s.remove_prefix(1);
    if (c == '\\') {
      if (s.empty()) return std::nullopt;
      out.push_back(s[0]);
      s.remove_prefix(1);
      keep = out.size();
    } else if (c == '"') {
      in_quotes = !in_quotes;
      quoted_any = true;
      keep = out.size();
    } else {
      out.push_back(c);
      if (in_quotes || !array_space(c)) keep = out.size();
    }
  }
  if (in_quotes) return std::nullopt;
  out.resize(keep);
  if (!quoted_any && out.empty()) return std::nullopt;  // "{1,,2}"
  if (!quoted_any && iequals(out, "NULL")) return element{};
  return element{std::move(out)};
}

std::optional<std::vector<element>> parse_literal(std::string_view s, std::int32_t& lower_bound) {
  skip(s);
  lower_bound = 1;
  std::int64_t declared = -1;
  if (!s.empty() && s[0] == '[') {
    auto dim = read_dimension(s);
    if (!dim) return std::nullopt;
    lower_bound = dim->first;
    declared = dim->second;
    skip(s);
  }
  if (s.empty() || s[0] != '{') return std::nullopt;
  s.remove_prefix(1);
  std::vector<element> items;
  skip(s);
  if (!s.empty() && s[0] == '}') {
    s.remove_prefix(1);
  } else {
    while (true) {
      auto e = read_element(s);
      if (!e || s.empty()) return std::nullopt;
      items.push_back(std::move(*e));
      const char sep = s[0];
      s.remove_prefix(1);
      if (sep == '}') break;
    }
  }
  skip(s);
  if (!s.empty()) return std::nullopt;
  if (declared >= 0 && declared != static_cast<std::int64_t>(items.size())) return std::nullopt;
  return items;
}

// array_out quotes empty strings, "NULL", and anything with braces, quotes, backslashes,
// the delimiter or whitespace.
std::string quote_if_needed(const std::string& v) {
  bool quote = v.empty() || iequals(v, "NULL");
  for (char c : v) {
    if (c == '{' || c == '}' || c == '"' || c == '\\' || c == ',' || array_space(c)) quote = true;
  }
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

maybe_string array_to_binary(std::uint32_t element_oid, std::string_view text) {
  std::int32_t lower_bound = 1;
  auto items = parse_literal(text, lower_bound);
  if (!items) return std::nullopt;
  std::string out;
  const bool has_null =
      std::any_of(items->begin(), items->end(), [](const element& e) { return !e; });
  put_be<std::int32_t>(out, items->empty() ? 0 : 1);
  put_be<std::int32_t>(out, has_null ? 1 : 0);
  put_be<std::uint32_t>(out, element_oid);
  if (items->empty()) return out;
  put_be<std::int32_t>(out, static_cast<std::int32_t>(items->size()));
  put_be<std::int32_t>(out, lower_bound);
  for (const auto& e : *items) {
    if (!e) {
      put_be<std::int32_t>(out, -1);
      continue;
    }
    auto bin = scalar_to_binary(element_oid, *e);
    if (!bin) return std::nullopt;
    put_be<std::int32_t>(out, static_cast<std::int32_t>(bin->size()));
    out += *bin;
  }
  return out;
}

maybe_string array_to_text(std::uint32_t element_oid, std::string_view b) {
  if (b.size() < 12) return std::nullopt;
  const auto ndim = get_be<std::int32_t>(b, 0);
  const auto flags = get_be<std::int32_t>(b, 4);
  if (get_be<std::uint32_t>(b, 8) != element_oid || (flags != 0 && flags != 1)) {
    return std::nullopt;
  }
  if (ndim == 0) return b.size() == 12 ? maybe_string("{}") : std::nullopt;
  if (ndim != 1 || b.size() < 20) return std::nullopt;
  const auto count = get_be<std::int32_t>(b, 12);
  const auto lower_bound = get_be<std::int32_t>(b, 16);
  // Each element needs at least its 4-byte length: bounds the count before any work.
  if (count < 0 || static_cast<std::size_t>(count) > (b.size() - 20) / 4) return std::nullopt;
  std::string out;
  if (lower_bound != 1) {
    out = "[" + std::to_string(lower_bound) + ":" +
          std::to_string(static_cast<std::int64_t>(lower_bound) + count - 1) + "]=";
  }
  out += "{";
  std::size_t at = 20;
  for (std::int32_t i = 0; i < count; ++i) {
    if (b.size() - at < 4) return std::nullopt;
    const auto len = get_be<std::int32_t>(b, at);
    at += 4;
    if (i > 0) out += ",";
    if (len == -1) {
      out += "NULL";
      continue;
    }
    if (len < 0 || static_cast<std::size_t>(len) > b.size() - at) return std::nullopt;
    auto text = scalar_to_text(element_oid, b.substr(at, static_cast<std::size_t>(len)));
    if (!text) return std::nullopt;
    out += quote_if_needed(*text);
    at += static_cast<std::size_t>(len);
  }
  if (at != b.size()) return std::nullopt;
  return out + "}";
}

}  // namespace fauxgres::types::detail
