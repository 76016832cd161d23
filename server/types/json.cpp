// json and jsonb: validation with PG's JSON grammar, and jsonb's normalized text (keys
// sorted by length then bytes, last duplicate wins, ", " and ": " separators, numbers as
// numeric, Unicode escapes decoded).
#include <algorithm>
#include <vector>

#include "types/codecs.hpp"
#include "types/wire.hpp"

namespace fauxgres::types::detail {
namespace {

constexpr int max_depth = 2000;  // bounds recursion on hostile input

struct json_member;

struct json_value {
  enum class kind { literal, number, string, array, object } k = kind::literal;
  std::string text;  // literal / canonical number / decoded string
  std::vector<json_value> items;
  std::vector<json_member> members;  // (std::pair may not hold an incomplete type)
};

struct json_member {
  std::string key;
  json_value value;
};

class parser {
 public:
  parser(std::string_view s, bool jsonb) : s_(s), jsonb_(jsonb) {}

  std::optional<json_value> document() {
    auto v = value(0);
    skip_ws();
    if (!v || pos_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void skip_ws() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool eat(char c) {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }

  std::optional<json_value> value(int depth) {
    if (depth > max_depth) return std::nullopt;
    skip_ws();
    if (pos_ >= s_.size()) return std::nullopt;
    const char c = s_[pos_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    json_value v;
    if (c == '"') {
      auto str = string();
      if (!str) return std::nullopt;
      v.k = json_value::kind::string;
      v.text = std::move(*str);
      return v;
    }
    for (std::string_view lit : {"true", "false", "null"}) {
      if (s_.substr(pos_, lit.size()) == lit) {
        pos_ += lit.size();
        v.text = lit;
        return v;
      }
    }
    return number();
  }

  std::optional<json_value> object(int depth) {
    ++pos_;
    json_value v;
    v.k = json_value::kind::object;
    if (eat('}')) return v;
    do {
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != '"') return std::nullopt;
      auto key = string();
      if (!key || !eat(':')) return std::nullopt;
      auto member = value(depth + 1);
      if (!member) return std::nullopt;
      v.members.push_back({std::move(*key), std::move(*member)});
    } while (eat(','));
    if (!eat('}')) return std::nullopt;
    return v;
  }

  std::optional<json_value> array(int depth) {
    ++pos_;
    json_value v;
    v.k = json_value::kind::array;
    if (eat(']')) return v;
    do {
      auto item = value(depth + 1);
      if (!item) return std::nullopt;
      v.items.push_back(std::move(*item));
    } while (eat(','));
    if (!eat(']')) return std::nullopt;
    return v;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  std::optional<json_value> number() {
    const std::size_t start = pos_;
    auto digits = [this] {
      const std::size_t from = pos_;
      while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
      return pos_ - from;
    };
    if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
    const std::size_t int_start = pos_;
    const std::size_t n = digits();
    if (n == 0 || (n > 1 && s_[int_start] == '0')) return std::nullopt;
    if (pos_ < s_.size() && s_[pos_] == '.' && (++pos_, digits() == 0)) return std::nullopt;
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (digits() == 0) return std::nullopt;
    }
    json_value v;
    v.k = json_value::kind::number;
    v.text = std::string(s_.substr(start, pos_ - start));
    if (jsonb_) {  // jsonb stores numbers as numeric
      auto bin = numeric_to_binary(v.text);
      auto canonical = bin ? numeric_to_text(*bin) : std::nullopt;
      if (!canonical) return std::nullopt;
      v.text = std::move(*canonical);
    }
    return v;
  }

  std::optional<unsigned> hex4() {
    if (s_.size() - pos_ < 4) return std::nullopt;
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = lower(s_[pos_++]);
      if (is_digit(c)) {
        v = v * 16 + static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v = v * 16 + static_cast<unsigned>(c - 'a' + 10);
      } else {
        return std::nullopt;
      }
    }
    return v;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // \uXXXX, pairing surrogates; jsonb rejects \u0000 as PG does.
  bool unicode_escape(std::string& out) {
    auto cp = hex4();
    if (!cp || (*cp >= 0xDC00 && *cp <= 0xDFFF)) return false;
    if (*cp >= 0xD800 && *cp <= 0xDBFF) {
      if (s_.substr(pos_, 2) != "\\u") return false;
      pos_ += 2;
      auto low = hex4();
      if (!low || *low < 0xDC00 || *low > 0xDFFF) return false;
      *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
    }
    if (*cp == 0 && jsonb_) return false;
    append_utf8(out, *cp);
    return true;
  }

  std::optional<std::string> string() {
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) return std::nullopt;
      const char e = s_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.push_back(e);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u':
          if (!unicode_escape(out)) return std::nullopt;
          break;
        default:
          return std::nullopt;
      }
    }
    return std::nullopt;
  }

  std::string_view s_;
  bool jsonb_;
  std::size_t pos_ = 0;
};

// PG's escape_json.
void write_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out.push_back(hex[(c >> 4) & 0xF]);
          out.push_back(hex[c & 0xF]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void write_jsonb(std::string& out, json_value& v) {
  using kind = json_value::kind;
  switch (v.k) {
    case kind::literal:
    case kind::number:
      out += v.text;
      return;
    case kind::string:
      write_string(out, v.text);
      return;
    case kind::array:
      out.push_back('[');
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i > 0) out += ", ";
        write_jsonb(out, v.items[i]);
      }
      out.push_back(']');
      return;
    case kind::object: {
      auto& m = v.members;
      // Stable sort keeps input order among equal keys, so the last one is the survivor.
      std::stable_sort(m.begin(), m.end(), [](const auto& a, const auto& b) {
        return a.key.size() != b.key.size() ? a.key.size() < b.key.size() : a.key < b.key;
      });
      out.push_back('{');
      bool first = true;
      for (std::size_t i = 0; i < m.size(); ++i) {
        if (i + 1 < m.size() && m[i + 1].key == m[i].key) continue;
        if (!first) out += ", ";
        first = false;
        write_string(out, m[i].key);
        out += ": ";
        write_jsonb(out, m[i].value);
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

maybe_string json_validate(std::string_view text) {
  if (!valid_utf8(text) || !parser(text, false).document()) return std::nullopt;
  return std::string(text);
}

maybe_string jsonb_normalize(std::string_view text) {
  if (!valid_utf8(text)) return std::nullopt;
  auto doc = parser(text, true).document();
  if (!doc) return std::nullopt;
  std::string out;
  write_jsonb(out, *doc);
  return out;
}

}  // namespace fauxgres::types::detail
