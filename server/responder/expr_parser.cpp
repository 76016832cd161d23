// Expression and SELECT-list parser; see expr_parser.hpp. Precedence follows gram.y:
// OR < AND < NOT < IS < comparison < LIKE/BETWEEN/IN < other operators < + - < * / % < ^
// < unary minus < :: .
#include "responder/expr_parser.hpp"

#include <cstdlib>

#include "types/catalog.hpp"

namespace fauxgres::responder {
namespace {

bool is_comparison(std::string_view op) {
  return op == "<" || op == ">" || op == "=" || op == "<=" || op == ">=" || op == "<>" ||
         op == "!=";
}
bool is_arith(std::string_view op) {
  return op == "+" || op == "-" || op == "*" || op == "/" || op == "%" || op == "^";
}

// Keywords that end a target expression (so they are not taken as a bare alias).
bool ends_target(const token& t) {
  static constexpr std::string_view words[] = {
      "from",  "where", "group", "having",    "window", "order", "limit",    "offset",
      "fetch", "for",   "union", "intersect", "except", "into",  "returning"};
  for (auto w : words) {
    if (is_keyword(t, w)) return true;
  }
  return false;
}

// SQL-value functions (no parentheses): keyword → FigureColname spelling.
const char* sql_value_name(const token& t) {
  static constexpr const char* names[] = {"current_date",    "current_time",   "current_timestamp",
                                          "localtime",       "localtimestamp", "current_role",
                                          "current_user",    "session_user",   "user",
                                          "current_catalog", "current_schema"};
  for (const char* n : names) {
    if (is_keyword(t, n)) return n;
  }
  return nullptr;
}

class expr_parser {
 public:
  expr_parser(token_cursor& cur, parsed_select& out) : cur_(cur), out_(out), q_(out.query) {}

  int expression() { return or_expr(); }

  bool stopped() const { return cur_.failed() || out_.unsupported; }

  // Flags the statement as needing a database; parsing stops.
  int unsupported() {
    out_.unsupported = true;
    return -1;
  }

 private:
  int add(expr e) {
    q_.nodes.push_back(std::move(e));
    return static_cast<int>(q_.nodes.size() - 1);
  }

  int node(expr_kind kind, std::uint32_t offset, std::string name, std::vector<int> args) {
    expr e;
    e.kind = kind;
    e.offset = offset;
    e.name = std::move(name);
    e.args = std::move(args);
    return add(std::move(e));
  }

  int or_expr() {
    int left = and_expr();
    while (!stopped() && cur_.is("or")) {
      const auto off = cur_.next().offset;
      const int right = and_expr();
      if (stopped()) return -1;
      left = node(expr_kind::bool_or, off, "or", {left, right});
    }
    return stopped() ? -1 : left;
  }

  int and_expr() {
    int left = not_expr();
    while (!stopped() && cur_.is("and")) {
      const auto off = cur_.next().offset;
      const int right = not_expr();
      if (stopped()) return -1;
      left = node(expr_kind::bool_and, off, "and", {left, right});
    }
    return stopped() ? -1 : left;
  }

  int not_expr() {
    if (cur_.is("not")) {
      const auto off = cur_.next().offset;
      const int arg = not_expr();
      if (stopped()) return -1;
      return node(expr_kind::bool_not, off, "not", {arg});
    }
    return is_expr();
  }

  int is_expr() {
    int left = comparison();
    while (!stopped()) {
      const token& t = cur_.peek();
      if (is_keyword(t, "isnull") || is_keyword(t, "notnull")) {
        cur_.next();
        const int n = node(expr_kind::null_test, t.offset, "", {left});
        q_.nodes[n].negated = is_keyword(t, "notnull");
        left = n;
        continue;
      }
      if (!is_keyword(t, "is")) break;
      cur_.next();
      const bool negated = cur_.accept("not");
      int n = -1;
      if (cur_.accept("null")) {
        n = node(expr_kind::null_test, t.offset, "", {left});
      } else if (cur_.is("true") || cur_.is("false") || cur_.is("unknown")) {
        n = node(expr_kind::bool_test, t.offset, identifier_value(cur_.next()), {left});
      } else if (cur_.accept("distinct")) {
        if (!cur_.accept("from")) {
          cur_.fail_here();
          return -1;
        }
        const int right = comparison();
        if (stopped()) return -1;
        n = node(expr_kind::distinct, t.offset, "", {left, right});
      } else {
        cur_.fail_here();
        return -1;
      }
      q_.nodes[n].negated = negated;
      left = n;
    }
    return stopped() ? -1 : left;
  }

  int comparison() {
    int left = like_expr();
    while (!stopped() && cur_.peek().kind == token_kind::op && is_comparison(cur_.peek().raw)) {
      const token& op = cur_.next();
      const int right = like_expr();
      if (stopped()) return -1;
      left = node(expr_kind::binary, op.offset, op.raw == "!=" ? "<>" : std::string(op.raw),
                  {left, right});
    }
    return stopped() ? -1 : left;
  }

  int like_expr() {
    int left = other_op();
    while (!stopped()) {
      const bool negated =
          cur_.is("not") && (cur_.is("like", 1) || cur_.is("ilike", 1) || cur_.is("between", 1) ||
                             cur_.is("in", 1) || cur_.is("similar", 1));
      const token& t = cur_.peek(negated ? 1 : 0);
      if (is_keyword(t, "like") || is_keyword(t, "ilike")) {
        if (negated) cur_.next();
        cur_.next();
        const int right = other_op();
        if (stopped()) return -1;
        if (cur_.is("escape")) return unsupported();
        const int n = node(expr_kind::binary, t.offset, identifier_value(t), {left, right});
        q_.nodes[n].negated = negated;
        left = n;
      } else if (is_keyword(t, "between")) {
        if (negated) cur_.next();
        cur_.next();
        if (cur_.is("symmetric") || cur_.is("asymmetric")) return unsupported();
        const int low = other_op();
        if (stopped()) return -1;
        if (!cur_.accept("and")) {
          cur_.fail_here();
          return -1;
        }
        const int high = other_op();
        if (stopped()) return -1;
        const int n = node(expr_kind::between, t.offset, "", {left, low, high});
        q_.nodes[n].negated = negated;
        left = n;
      } else if (is_keyword(t, "in")) {
        if (negated) cur_.next();
        cur_.next();
        if (!cur_.accept(token_kind::left_paren)) {
          cur_.fail_here();
          return -1;
        }
        if (cur_.is("select") || cur_.is("values")) return unsupported();
        std::vector<int> args{left};
        do {
          const int item = expression();
          if (stopped()) return -1;
          args.push_back(item);
        } while (cur_.accept(token_kind::comma));
        if (!cur_.accept(token_kind::right_paren)) {
          cur_.fail_here();
          return -1;
        }
        const int n = node(expr_kind::in_list, t.offset, "", std::move(args));
        q_.nodes[n].negated = negated;
        left = n;
      } else if (is_keyword(t, "similar")) {
        return unsupported();
      } else {
        break;
      }
    }
    return stopped() ? -1 : left;
  }

  int other_op() {
    int left = additive();
    while (!stopped() && cur_.peek().kind == token_kind::op && !is_comparison(cur_.peek().raw) &&
           !is_arith(cur_.peek().raw)) {
      const token& op = cur_.next();
      const int right = additive();
      if (stopped()) return -1;
      left = node(expr_kind::binary, op.offset, std::string(op.raw), {left, right});
    }
    return stopped() ? -1 : left;
  }

  int additive() {
    int left = multiplicative();
    while (!stopped() && (cur_.is_op("+") || cur_.is_op("-"))) {
      const token& op = cur_.next();
      const int right = multiplicative();
      if (stopped()) return -1;
      left = node(expr_kind::binary, op.offset, std::string(op.raw), {left, right});
    }
    return stopped() ? -1 : left;
  }

  int multiplicative() {
    int left = power();
    while (!stopped() && (cur_.is_op("*") || cur_.is_op("/") || cur_.is_op("%"))) {
      const token& op = cur_.next();
      const int right = power();
      if (stopped()) return -1;
      left = node(expr_kind::binary, op.offset, std::string(op.raw), {left, right});
    }
    return stopped() ? -1 : left;
  }

  int power() {
    int left = unary();
    while (!stopped() && cur_.is_op("^")) {
      const token& op = cur_.next();
      const int right = unary();
      if (stopped()) return -1;
      left = node(expr_kind::binary, op.offset, "^", {left, right});
    }
    return stopped() ? -1 : left;
  }

  int unary() {
    if (cur_.is_op("-") || cur_.is_op("+")) {
      const token& op = cur_.next();
      const int arg = unary();
      if (stopped()) return -1;
      expr& a = q_.nodes[arg];
      // gram.y's doNegate: a minus in front of a numeric literal folds into it.
      if (a.kind == expr_kind::constant &&
          (a.literal == literal_kind::integer || a.literal == literal_kind::decimal)) {
        if (op.raw == "-") {
          a.text = a.text[0] == '-' ? a.text.substr(1) : "-" + a.text;
        }
        a.offset = op.offset;
        return arg;
      }
      return node(expr_kind::unary, op.offset, std::string(op.raw), {arg});
    }
    return postfix();
  }

  int postfix() {
    int arg = primary();
    while (!stopped()) {
      if (cur_.peek().kind == token_kind::typecast) {
        const token& op = cur_.next();
        arg = cast_to(arg, op.offset);
        if (arg < 0) return -1;
        continue;
      }
      if (cur_.peek().kind == token_kind::left_bracket || cur_.is("collate") ||
          (cur_.is("at") && cur_.is("time", 1))) {
        return unsupported();
      }
      break;
    }
    return stopped() ? -1 : arg;
  }

  // Parses a type name and wraps `arg` in a cast to it.
  int cast_to(int arg, std::uint32_t offset) {
    auto name = parse_type_name(cur_);
    if (!name) return -1;
    const int n = node(expr_kind::cast, offset, "", {arg});
    type_from_name(n, *name);
    return stopped() ? -1 : n;
  }

  void type_from_name(int n, const type_name& name) {
    std::string error, column;
    auto t = resolve_type_name(name, &column, &error);
    if (!t) {
      // Unknown types may be user-defined: the real database would know them.
      if (error.find("does not exist") != std::string::npos) {
        unsupported();
        return;
      }
      cur_.fail(protocol::error_fields{"ERROR", "42601", error});
      return;
    }
    q_.nodes[n].type = *t;
    q_.nodes[n].text = column;
  }

  int constant(literal_kind kind, std::string text, std::uint32_t offset) {
    expr e;
    e.kind = expr_kind::constant;
    e.literal = kind;
    e.text = std::move(text);
    e.offset = offset;
    return add(std::move(e));
  }

  std::vector<int> call_arguments() {
    std::vector<int> args;
    if (!cur_.accept(token_kind::left_paren)) {
      cur_.fail_here();
      return args;
    }
    if (cur_.accept(token_kind::right_paren)) return args;
    if (cur_.is("distinct") || cur_.is("all") || cur_.is_op("*") || cur_.is("variadic")) {
      unsupported();
      return args;
    }
    do {
      const int a = expression();
      if (stopped()) return args;
      args.push_back(a);
    } while (cur_.accept(token_kind::comma));
    if (cur_.is("order")) {
      unsupported();
      return args;
    }
    if (!cur_.accept(token_kind::right_paren)) cur_.fail_here();
    return args;
  }

  int primary() {
    const token& t = cur_.peek();
    switch (t.kind) {
      case token_kind::integer:
        cur_.next();
        return constant(literal_kind::integer, std::string(t.raw), t.offset);
      case token_kind::decimal:
        cur_.next();
        return constant(literal_kind::decimal, std::string(t.raw), t.offset);
      case token_kind::string:
        cur_.next();
        return constant(literal_kind::string, string_value(t), t.offset);
      case token_kind::bit_string:
        return unsupported();
      case token_kind::parameter: {
        cur_.next();
        expr e;
        e.kind = expr_kind::param;
        e.offset = t.offset;
        e.param = std::atoi(std::string(t.raw.substr(1)).c_str());
        if (e.param <= 0 || t.raw.size() > 6) {
          cur_.fail(protocol::error_fields{"ERROR", "42P02",
                                           "there is no parameter $" + std::string(t.raw.substr(1)),
                                           "", "", cur_.char_pos(t.offset)});
          return -1;
        }
        return add(std::move(e));
      }
      case token_kind::left_paren: {
        cur_.next();
        if (cur_.is("select") || cur_.is("values") || cur_.is("with")) return unsupported();
        const int inner = expression();
        if (stopped()) return -1;
        if (cur_.peek().kind == token_kind::comma) return unsupported();  // row constructor
        if (!cur_.accept(token_kind::right_paren)) {
          cur_.fail_here();
          return -1;
        }
        return inner;
      }
      case token_kind::quoted_identifier:
        return name_expression();
      case token_kind::identifier:
        return keyword_or_name();
      case token_kind::op:
        if (t.raw == "*") {  // SELECT *: keep going so a FROM clause is found
          cur_.next();
          return node(expr_kind::column_ref, t.offset, "*", {});
        }
        return unsupported();  // prefix operators (@, ~, |/ ...)
      default:
        cur_.fail_here();
        return -1;
    }
  }

  int keyword_or_name() {
    const token& t = cur_.peek();
    if (is_keyword(t, "null")) {
      cur_.next();
      return constant(literal_kind::null, "", t.offset);
    }
    if (is_keyword(t, "true") || is_keyword(t, "false")) {
      cur_.next();
      return constant(literal_kind::boolean, is_keyword(t, "true") ? "t" : "f", t.offset);
    }
    if (is_keyword(t, "cast") && cur_.peek(1).kind == token_kind::left_paren) {
      cur_.next();
      cur_.next();
      const int arg = expression();
      if (stopped()) return -1;
      if (!cur_.accept("as")) {
        cur_.fail_here();
        return -1;
      }
      const int n = cast_to(arg, t.offset);
      if (n < 0) return -1;
      if (!cur_.accept(token_kind::right_paren)) {
        cur_.fail_here();
        return -1;
      }
      return n;
    }
    if (is_keyword(t, "case")) return case_expression();
    if (is_keyword(t, "array") && cur_.peek(1).kind == token_kind::left_bracket) {
      return unsupported();
    }
    if (is_keyword(t, "interval") && cur_.peek(1).kind == token_kind::string) {
      return typed_literal();
    }
    // EXISTS, ROW(...) and the SQL-syntax functions (EXTRACT(x FROM y), ...) need more
    // than fauxgres evaluates.
    for (const char* word :
         {"exists", "row", "interval", "extract", "position", "substring", "trim", "overlay"}) {
      if (is_keyword(t, word)) return unsupported();
    }
    if (const char* sv = sql_value_name(t)) {
      // current_schema() is a function; the others take an optional precision.
      if (!(std::string_view(sv) == "current_schema" &&
            cur_.peek(1).kind == token_kind::left_paren)) {
        cur_.next();
        const int n = node(expr_kind::sql_value, t.offset, sv, {});
        if (cur_.peek().kind == token_kind::left_paren) {
          cur_.next();
          const token& p = cur_.peek();
          if (p.kind != token_kind::integer) {
            cur_.fail_here();
            return -1;
          }
          cur_.next();
          q_.nodes[n].type.typmod = std::atoi(std::string(p.raw).c_str());
          if (!cur_.accept(token_kind::right_paren)) {
            cur_.fail_here();
            return -1;
          }
        }
        return n;
      }
    }
    for (const char* special : {"coalesce", "nullif", "greatest", "least"}) {
      if (is_keyword(t, special) && cur_.peek(1).kind == token_kind::left_paren) {
        cur_.next();
        std::vector<int> args = call_arguments();
        if (stopped()) return -1;
        const expr_kind kind = special[0] == 'c'   ? expr_kind::coalesce
                               : special[0] == 'n' ? expr_kind::nullif
                               : special[0] == 'g' ? expr_kind::greatest
                                                   : expr_kind::least;
        return node(kind, t.offset, special, std::move(args));
      }
    }
    // A type name followed by a string is a typed literal: date '2024-01-01'.
    const bool qualified_literal = cur_.peek(1).kind == token_kind::dot &&
                                   cur_.peek(2).kind == token_kind::identifier &&
                                   cur_.peek(3).kind == token_kind::string;
    if (cur_.peek(1).kind == token_kind::string || qualified_literal || is_keyword(t, "double") ||
        is_keyword(t, "timestamp") || is_keyword(t, "time") || is_keyword(t, "character") ||
        is_keyword(t, "char") || is_keyword(t, "varchar") || is_keyword(t, "bit") ||
        is_keyword(t, "national") || is_keyword(t, "nchar")) {
      const std::size_t save = cur_.position();
      auto name = parse_type_name(cur_);
      if (name && cur_.peek().kind == token_kind::string && !cur_.failed()) {
        cur_.rewind(save);
        return typed_literal();
      }
      if (cur_.failed()) return -1;
      cur_.rewind(save);
    }
    if (is_reserved_keyword(identifier_value(t))) {
      cur_.fail_here();
      return -1;
    }
    return name_expression();
  }

  // type 'string': a cast of the string constant, column named after the type.
  int typed_literal() {
    const std::uint32_t offset = cur_.peek().offset;
    auto name = parse_type_name(cur_);
    if (!name) return -1;
    const token& s = cur_.next();
    const int lit = constant(literal_kind::string, string_value(s), s.offset);
    const int n = node(expr_kind::cast, offset, "", {lit});
    type_from_name(n, *name);
    if (is_keyword(cur_.peek(), "year") || is_keyword(cur_.peek(), "month") ||
        is_keyword(cur_.peek(), "day") || is_keyword(cur_.peek(), "hour") ||
        is_keyword(cur_.peek(), "minute") || is_keyword(cur_.peek(), "second")) {
      return unsupported();  // interval field qualifiers
    }
    return stopped() ? -1 : n;
  }

  // name, name.name..., or a function call name(...).
  int name_expression() {
    const token& first = cur_.next();
    std::vector<std::string> names{identifier_value(first)};
    while (cur_.peek().kind == token_kind::dot) {
      cur_.next();
      const token& part = cur_.peek();
      if (part.kind == token_kind::op && part.raw == "*") return unsupported();
      if (part.kind != token_kind::identifier && part.kind != token_kind::quoted_identifier) {
        cur_.fail_here();
        return -1;
      }
      cur_.next();
      names.push_back(identifier_value(part));
    }
    if (cur_.peek().kind == token_kind::left_paren) {
      if (names.size() > 2 || (names.size() == 2 && names[0] != "pg_catalog")) {
        return unsupported();
      }
      std::vector<int> args = call_arguments();
      if (stopped()) return -1;
      if (cur_.is("over") || cur_.is("filter") || cur_.is("within")) return unsupported();
      return node(expr_kind::function, first.offset, names.back(), std::move(args));
    }
    // Function-style names not followed by '(' are column references.
    return node(expr_kind::column_ref, first.offset, names.back(), {});
  }

  int case_expression() {
    const token& t = cur_.next();
    std::vector<int> args;
    if (!cur_.is("when")) {
      const int operand = expression();
      if (stopped()) return -1;
      args.push_back(operand);
    } else {
      args.push_back(-1);
    }
    bool any = false;
    while (cur_.accept("when")) {
      any = true;
      const int cond = expression();
      if (stopped()) return -1;
      if (!cur_.accept("then")) {
        cur_.fail_here();
        return -1;
      }
      const int result = expression();
      if (stopped()) return -1;
      args.push_back(cond);
      args.push_back(result);
    }
    if (!any) {
      cur_.fail_here();
      return -1;
    }
    int otherwise = -1;
    if (cur_.accept("else")) {
      otherwise = expression();
      if (stopped()) return -1;
    }
    args.push_back(otherwise);
    if (!cur_.accept("end")) {
      cur_.fail_here();
      return -1;
    }
    return node(expr_kind::case_when, t.offset, "case", std::move(args));
  }

  token_cursor& cur_;
  parsed_select& out_;
  select_query& q_;
};

// Reads "(n[, m])" modifiers after a type name.
bool type_modifiers(token_cursor& cur, type_name& name) {
  if (cur.peek().kind != token_kind::left_paren) return true;
  cur.next();
  do {
    bool negative = false;
    if (cur.is_op("-")) {
      cur.next();
      negative = true;
    }
    const token& t = cur.peek();
    if (t.kind != token_kind::integer) {
      cur.fail_here();
      return false;
    }
    cur.next();
    const std::int64_t v = std::atoll(std::string(t.raw).c_str());
    name.modifiers.push_back(negative ? -v : v);
  } while (cur.accept(token_kind::comma));
  if (!cur.accept(token_kind::right_paren)) {
    cur.fail_here();
    return false;
  }
  return true;
}

}  // namespace

std::optional<type_name> parse_type_name(token_cursor& cur) {
  type_name name;
  const token& first = cur.peek();
  if (first.kind == token_kind::quoted_identifier) {
    cur.next();
    name.quoted = true;
    name.words.push_back(identifier_value(first));
  } else if (first.kind == token_kind::identifier) {
    cur.next();
    const std::string w = identifier_value(first);
    name.words.push_back(w);
    if (w == "double" && cur.accept("precision")) {
      name.words.push_back("precision");
    } else if (w == "national" && (cur.is("character") || cur.is("char"))) {
      name.words.push_back(identifier_value(cur.next()));
    }
    const std::string& last = name.words.back();
    if ((last == "character" || last == "char" || last == "nchar" || last == "bit") &&
        cur.accept("varying")) {
      name.words.push_back("varying");
    }
    if (w == "time" || w == "timestamp") {
      if (!type_modifiers(cur, name)) return std::nullopt;
      if (cur.is("with") || cur.is("without")) {
        name.words.push_back(identifier_value(cur.next()));
        if (!cur.accept("time") || !cur.accept("zone")) {
          cur.fail_here();
          return std::nullopt;
        }
        name.words.push_back("time");
        name.words.push_back("zone");
      }
    }
  } else {
    cur.fail_here();
    return std::nullopt;
  }
  // schema.type
  if (cur.peek().kind == token_kind::dot && name.words.size() == 1) {
    cur.next();
    const token& t = cur.peek();
    if (t.kind != token_kind::identifier && t.kind != token_kind::quoted_identifier) {
      cur.fail_here();
      return std::nullopt;
    }
    cur.next();
    name.schema = name.words[0];
    name.words = {identifier_value(t)};
    name.quoted = t.kind == token_kind::quoted_identifier;
  }
  if (name.modifiers.empty() && !type_modifiers(cur, name)) return std::nullopt;
  // Array bounds: [] [n] or ARRAY [n]
  for (;;) {
    if (cur.peek().kind == token_kind::left_bracket) {
      cur.next();
      if (cur.peek().kind == token_kind::integer) cur.next();
      if (!cur.accept(token_kind::right_bracket)) {
        cur.fail_here();
        return std::nullopt;
      }
      ++name.array_dims;
      continue;
    }
    if (cur.is("array")) {
      cur.next();
      ++name.array_dims;
      if (cur.peek().kind == token_kind::left_bracket) continue;
    }
    break;
  }
  return name;
}

std::optional<sql_type> type_from_text(std::string_view text) {
  lex_result lexed = tokenize(text);
  if (lexed.error) return std::nullopt;
  token_cursor cur(text, lexed.tokens);
  auto name = parse_type_name(cur);
  if (!name || !cur.at_end()) return std::nullopt;
  std::string error;
  return resolve_type_name(*name, nullptr, &error);
}

parsed_select parse_select_list(token_cursor& cur) {
  parsed_select out;
  expr_parser p(cur, out);
  cur.accept("all");
  if (cur.is("distinct")) {
    cur.next();
    if (cur.is("on")) {
      out.unsupported = true;
      return out;
    }
  }
  select_query& q = out.query;
  if (!cur.at_statement_end() && !ends_target(cur.peek())) {
    do {
      select_target target;
      target.offset = cur.peek().offset;
      target.node = p.expression();
      if (p.stopped()) return out;
      if (cur.accept("as")) {
        const token& alias = cur.peek();
        if (alias.kind != token_kind::identifier && alias.kind != token_kind::quoted_identifier) {
          cur.fail_here();
          return out;
        }
        cur.next();
        target.name = identifier_value(alias);
      } else if (cur.peek().kind == token_kind::quoted_identifier ||
                 (cur.peek().kind == token_kind::identifier && !ends_target(cur.peek()) &&
                  !is_reserved_keyword(identifier_value(cur.peek())))) {
        target.name = identifier_value(cur.next());
      }
      q.targets.push_back(std::move(target));
    } while (cur.accept(token_kind::comma));
  }
  if (cur.is("from")) {
    q.has_from = true;
    q.from_offset = cur.peek().offset;
    out.unsupported = true;
    return out;
  }
  if (cur.accept("where")) {
    q.where = p.expression();
    if (p.stopped()) return out;
  }
  if (ends_target(cur.peek())) {
    out.unsupported = true;  // ORDER BY, LIMIT, UNION, INTO, ... need the real thing
    return out;
  }
  cur.expect_end();
  return out;
}

}  // namespace fauxgres::responder
