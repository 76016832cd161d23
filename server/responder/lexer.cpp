// SQL tokenizer; see lexer.hpp. Rules follow PostgreSQL 15's scan.l.
#include "responder/lexer.hpp"

#include <cstring>

namespace fauxgres::responder {
namespace {

constexpr std::size_t max_identifier_bytes = 63;  // NAMEDATALEN - 1

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_ident_char(char c) {
  return is_ident_start(c) || is_digit(c) || c == '$';
}
bool is_op_char(char c) {
  return c != '\0' && std::strchr("~!@#^&|`?+-*/%<>=", c) != nullptr;
}
// Operator characters that allow a multi-character operator to end in + or -.
bool is_special_op_char(char c) {
  return c != '\0' && std::strchr("~!@#^&|`?%", c) != nullptr;
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Cuts at a UTF-8 character boundary no later than `limit` bytes.
std::string clip(std::string s) {
  if (s.size() <= max_identifier_bytes) return s;
  std::size_t n = max_identifier_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

// Skips whitespace and comments; returns size()+1 for an unterminated /* comment and
// stores where it began in *comment_start.
std::size_t skip_gap(std::string_view sql, std::size_t pos, std::size_t* comment_start) {
  for (;;) {
    while (pos < sql.size() && is_space(sql[pos])) ++pos;
    if (pos + 1 < sql.size() && sql[pos] == '-' && sql[pos + 1] == '-') {
      while (pos < sql.size() && sql[pos] != '\n') ++pos;
      continue;
    }
    if (pos + 1 < sql.size() && sql[pos] == '/' && sql[pos + 1] == '*') {
      int depth = 0;
      std::size_t p = pos;
      while (p < sql.size()) {
        if (p + 1 < sql.size() && sql[p] == '/' && sql[p + 1] == '*') {
          ++depth;
          p += 2;
        } else if (p + 1 < sql.size() && sql[p] == '*' && sql[p + 1] == '/') {
          p += 2;
          if (--depth == 0) break;
        } else {
          ++p;
        }
      }
      if (depth != 0) {
        if (comment_start != nullptr) *comment_start = pos;
        return sql.size() + 1;
      }
      pos = p;
      continue;
    }
    return pos;
  }
}

class scanner {
 public:
  explicit scanner(std::string_view sql) : sql_(sql) {}

  lex_result run() {
    lex_result result;
    result.tokens.reserve(16);
    for (;;) {
      std::size_t comment_start = 0;
      pos_ = skip_gap(sql_, pos_, &comment_start);
      if (pos_ > sql_.size()) {
        result.error = lex_error{"unterminated /* comment at or near \"" +
                                     std::string(sql_.substr(comment_start)) + "\"",
                                 static_cast<std::uint32_t>(comment_start)};
        pos_ = sql_.size();
        break;
      }
      if (pos_ >= sql_.size()) break;
      std::optional<lex_error> error;
      result.tokens.push_back(next(error));
      if (error) {
        result.error = std::move(error);
        break;
      }
    }
    result.tokens.push_back(
        token{token_kind::end, sql_.substr(sql_.size()), static_cast<std::uint32_t>(sql_.size())});
    return result;
  }

 private:
  char at(std::size_t i) const { return i < sql_.size() ? sql_[i] : '\0'; }

  token make(token_kind kind, std::size_t start) const {
    return token{kind, sql_.substr(start, pos_ - start), static_cast<std::uint32_t>(start)};
  }

  lex_error unterminated(const char* what, std::size_t start) const {
    return lex_error{std::string("unterminated ") + what + " at or near \"" +
                         std::string(sql_.substr(start)) + "\"",
                     static_cast<std::uint32_t>(start)};
  }

  token next(std::optional<lex_error>& error) {
    const std::size_t start = pos_;
    const char c = sql_[pos_];
    const char c1 = at(pos_ + 1);
    if ((c == 'e' || c == 'E') && c1 == '\'') return quoted_string(start, 1, true, error);
    if ((c == 'n' || c == 'N') && c1 == '\'') return quoted_string(start, 1, false, error);
    if ((c == 'b' || c == 'B' || c == 'x' || c == 'X') && c1 == '\'') {
      token t = quoted_string(start, 1, false, error);
      t.kind = token_kind::bit_string;
      return t;
    }
    if (is_ident_start(c)) {
      while (pos_ < sql_.size() && is_ident_char(sql_[pos_])) ++pos_;
      return make(token_kind::identifier, start);
    }
    if (c == '"') return quoted_identifier(start, error);
    if (c == '\'') return quoted_string(start, 0, false, error);
    if (c == '$') return dollar(start, error);
    if (is_digit(c) || (c == '.' && is_digit(c1))) return number(start);
    switch (c) {
      case '(':
        ++pos_;
        return make(token_kind::left_paren, start);
      case ')':
        ++pos_;
        return make(token_kind::right_paren, start);
      case '[':
        ++pos_;
        return make(token_kind::left_bracket, start);
      case ']':
        ++pos_;
        return make(token_kind::right_bracket, start);
      case ',':
        ++pos_;
        return make(token_kind::comma, start);
      case ';':
        ++pos_;
        return make(token_kind::semicolon, start);
      case '.':
        ++pos_;
        return make(token_kind::dot, start);
      case ':':
        if (c1 == ':') {
          pos_ += 2;
          return make(token_kind::typecast, start);
        }
        if (c1 == '=') {
          pos_ += 2;
          return make(token_kind::op, start);
        }
        ++pos_;
        return make(token_kind::colon, start);
      default:
        break;
    }
    if (is_op_char(c)) return op(start);
    // Any other byte (e.g. a lone backslash) is a token of its own, as in scan.l.
    ++pos_;
    return make(token_kind::op, start);
  }

  token quoted_identifier(std::size_t start, std::optional<lex_error>& error) {
    ++pos_;
    for (;;) {
      if (pos_ >= sql_.size()) {
        error = unterminated("quoted identifier", start);
        return make(token_kind::quoted_identifier, start);
      }
      if (sql_[pos_] == '"') {
        if (at(pos_ + 1) == '"') {
          pos_ += 2;
          continue;
        }
        ++pos_;
        break;
      }
      ++pos_;
    }
    if (pos_ - start == 2) {
      error = lex_error{"zero-length delimited identifier at or near \"\"\"\"",
                        static_cast<std::uint32_t>(start)};
    }
    return make(token_kind::quoted_identifier, start);
  }

  token quoted_string(std::size_t start, std::size_t prefix, bool escapes,
                      std::optional<lex_error>& error) {
    pos_ += prefix + 1;
    for (;;) {
      if (pos_ >= sql_.size()) {
        error = unterminated("quoted string", start);
        return make(token_kind::string, start);
      }
      const char ch = sql_[pos_];
      if (escapes && ch == '\\' && pos_ + 1 < sql_.size()) {
        pos_ += 2;
        continue;
      }
      if (ch == '\'') {
        if (at(pos_ + 1) == '\'') {
          pos_ += 2;
          continue;
        }
        ++pos_;
        return make(token_kind::string, start);
      }
      ++pos_;
    }
  }

  token dollar(std::size_t start, std::optional<lex_error>& error) {
    if (is_digit(at(pos_ + 1))) {
      ++pos_;
      while (pos_ < sql_.size() && is_digit(sql_[pos_])) ++pos_;
      return make(token_kind::parameter, start);
    }
    // $tag$ where tag is an identifier without '$', possibly empty.
    std::size_t p = pos_ + 1;
    if (is_ident_start(at(p))) {
      while (p < sql_.size() && is_ident_char(sql_[p]) && sql_[p] != '$') ++p;
    }
    if (at(p) != '$') {  // a lone '$' is an operator-ish token in PG; treat it as such
      ++pos_;
      return make(token_kind::op, start);
    }
    const std::string_view tag = sql_.substr(pos_, p - pos_ + 1);
    const std::size_t body = p + 1;
    const std::size_t close = sql_.find(tag, body);
    if (close == std::string_view::npos) {
      pos_ = sql_.size();
      error = unterminated("dollar-quoted string", start);
      return make(token_kind::string, start);
    }
    pos_ = close + tag.size();
    return make(token_kind::string, start);
  }

  token number(std::size_t start) {
    bool decimal = false;
    while (is_digit(at(pos_))) ++pos_;
    if (at(pos_) == '.' && at(pos_ + 1) != '.') {
      decimal = true;
      ++pos_;
      while (is_digit(at(pos_))) ++pos_;
    }
    if (lower(at(pos_)) == 'e') {
      std::size_t p = pos_ + 1;
      if (at(p) == '+' || at(p) == '-') ++p;
      if (is_digit(at(p))) {
        decimal = true;
        while (is_digit(at(p))) ++p;
        pos_ = p;
      }
    }
    return make(decimal ? token_kind::decimal : token_kind::integer, start);
  }

  token op(std::size_t start) {
    std::size_t end = pos_;
    while (end < sql_.size() && is_op_char(sql_[end])) {
      // A comment start ends the operator.
      if (end > pos_ &&
          ((sql_[end] == '-' && at(end + 1) == '-') || (sql_[end] == '/' && at(end + 1) == '*'))) {
        break;
      }
      if (end == pos_ &&
          ((sql_[end] == '-' && at(end + 1) == '-') || (sql_[end] == '/' && at(end + 1) == '*'))) {
        break;
      }
      ++end;
    }
    if (end - pos_ > 1) {
      bool special = false;
      for (std::size_t i = pos_; i < end; ++i) special = special || is_special_op_char(sql_[i]);
      // "=-" is "=" followed by unary minus, unless the operator has a special character.
      while (!special && end - pos_ > 1 && (sql_[end - 1] == '+' || sql_[end - 1] == '-')) --end;
    }
    pos_ = end == pos_ ? pos_ + 1 : end;
    return make(token_kind::op, start);
  }

  std::string_view sql_;
  std::size_t pos_ = 0;
};

// Hex digit value or -1.
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Processes the body of an E'' string.
std::string unescape(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '\'' && i + 1 < body.size() && body[i + 1] == '\'') {
      out += '\'';
      ++i;
      continue;
    }
    if (c != '\\' || i + 1 >= body.size()) {
      out += c;
      continue;
    }
    c = body[++i];
    switch (c) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'x': {
        int v = 0, n = 0;
        while (n < 2 && i + 1 < body.size() && hex_value(body[i + 1]) >= 0) {
          v = v * 16 + hex_value(body[++i]);
          ++n;
        }
        if (n == 0)
          out += 'x';
        else
          out += static_cast<char>(v);
        break;
      }
      case 'u':
      case 'U': {
        const int digits = c == 'u' ? 4 : 8;
        std::uint32_t v = 0;
        int n = 0;
        while (n < digits && i + 1 < body.size() && hex_value(body[i + 1]) >= 0) {
          v = v * 16 + static_cast<std::uint32_t>(hex_value(body[++i]));
          ++n;
        }
        append_utf8(out, v);
        break;
      }
      default:
        if (c >= '0' && c <= '7') {
          int v = c - '0', n = 1;
          while (n < 3 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7') {
            v = v * 8 + (body[++i] - '0');
            ++n;
          }
          out += static_cast<char>(v);
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace

lex_result tokenize(std::string_view sql) {
  return scanner(sql).run();
}

std::size_t skip_space_and_comments(std::string_view sql, std::size_t pos) {
  const std::size_t end = skip_gap(sql, pos, nullptr);
  return end > sql.size() ? sql.size() : end;
}

bool iequals(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower_b[i]) return false;
  }
  return true;
}

bool is_keyword(const token& t, std::string_view lower_keyword) {
  return t.kind == token_kind::identifier && iequals(t.raw, lower_keyword);
}

std::string identifier_value(const token& t) {
  std::string out;
  if (t.kind == token_kind::quoted_identifier) {
    const std::string_view body = t.raw.substr(1, t.raw.size() >= 2 ? t.raw.size() - 2 : 0);
    out.reserve(body.size());
    for (std::size_t i = 0; i < body.size(); ++i) {
      out += body[i];
      if (body[i] == '"' && i + 1 < body.size() && body[i + 1] == '"') ++i;
    }
  } else {
    out.reserve(t.raw.size());
    for (char c : t.raw) out += lower(c);
  }
  return clip(std::move(out));
}

std::string string_value(const token& t) {
  std::string_view raw = t.raw;
  if (raw.empty()) return {};
  if (raw[0] == '$') {
    const std::size_t tag_end = raw.find('$', 1);
    const std::size_t tag_len = tag_end + 1;
    if (raw.size() < 2 * tag_len) return {};
    return std::string(raw.substr(tag_len, raw.size() - 2 * tag_len));
  }
  bool escapes = false;
  if (raw[0] != '\'') {
    escapes = lower(raw[0]) == 'e';
    raw.remove_prefix(1);
  }
  if (raw.size() < 2) return {};
  const std::string_view body = raw.substr(1, raw.size() - 2);
  if (escapes) return unescape(body);
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    out += body[i];
    if (body[i] == '\'' && i + 1 < body.size() && body[i + 1] == '\'') ++i;
  }
  return out;
}

int char_position(std::string_view sql, std::uint32_t offset) {
  int chars = 0;
  for (std::size_t i = 0; i < offset && i < sql.size(); ++i) {
    if ((static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars + 1;
}

}  // namespace fauxgres::responder
