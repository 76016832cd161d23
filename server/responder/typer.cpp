// Type resolution; see typer.hpp. A simplified transcription of parse_oper.c /
// parse_func.c / parse_coerce.c for the types fauxgres evaluates.
#include "responder/typer.hpp"

#include <algorithm>

#include "responder/datum.hpp"
#include "responder/functions.hpp"
#include "responder/lexer.hpp"
#include "responder/pg_error.hpp"
#include "types/catalog.hpp"

namespace fauxgres::responder {
namespace {

namespace oid = types::oid;
constexpr std::uint32_t unknown = oid::unknown;

bool is_datetime(std::uint32_t t) {
  return t == oid::date || t == oid::time || t == oid::timestamp || t == oid::timestamptz ||
         t == 1266 || t == oid::interval;
}

std::string type_list(const std::vector<std::uint32_t>& types) {
  std::string out;
  for (std::uint32_t t : types) {
    if (!out.empty()) out += ", ";
    out += t == unknown ? "unknown" : format_type(t);
  }
  return out;
}

class typer {
 public:
  typer(select_query& q, std::string_view sql, std::span<const std::uint32_t> declared)
      : q_(q), sql_(sql), declared_(declared) {
    result_.parameter_types.assign(declared.begin(), declared.end());
  }

  typing_result run() {
    for (auto& target : q_.targets) {
      resolve(target.node);
      if (stopped()) return finish();
    }
    if (q_.where >= 0) {
      resolve(q_.where);
      if (!stopped()) q_.where = required_bool(q_.where, "WHERE");
      if (stopped()) return finish();
    }
    // PG 10+: unknown-type output columns become text.
    for (auto& target : q_.targets) {
      if (type_of(target.node) == unknown) target.node = coerced(target.node, {oid::text, -1});
      if (stopped()) return finish();
    }
    for (std::size_t i = 0; i < result_.parameter_types.size(); ++i) {
      const std::uint32_t t = result_.parameter_types[i];
      if (t == 0 || t == unknown) {
        fail(pg_error("42P18",
                      "could not determine data type of parameter $" + std::to_string(i + 1)));
        return finish();
      }
    }
    for (const auto& target : q_.targets) {
      result_.column_names.push_back(target.name.empty() ? figure_column_name(q_, target.node)
                                                         : target.name);
    }
    return finish();
  }

 private:
  bool stopped() const { return result_.error.has_value() || result_.unsupported; }
  typing_result finish() { return std::move(result_); }

  void fail(protocol::error_fields e) {
    if (!result_.error) result_.error = std::move(e);
  }
  void fail_at(protocol::error_fields e, std::uint32_t offset) {
    e.position = char_position(sql_, offset);
    fail(std::move(e));
  }
  void unsupported(std::uint32_t offset) {
    if (!result_.unsupported) result_.unsupported_offset = offset;
    result_.unsupported = true;
  }

  expr& at(int i) { return q_.nodes[static_cast<std::size_t>(i)]; }
  std::uint32_t type_of(int i) { return at(i).type.oid; }

  std::uint32_t declared_param_type(int n) const {
    const auto i = static_cast<std::size_t>(n - 1);
    if (i < declared_.size() && declared_[i] != 0 && declared_[i] != unknown) return declared_[i];
    return 0;
  }

  std::uint32_t& param_slot(int n) {
    const auto i = static_cast<std::size_t>(n - 1);
    if (result_.parameter_types.size() <= i) result_.parameter_types.resize(i + 1, 0);
    return result_.parameter_types[i];
  }

  // Gives an unknown literal or parameter its type (validating a literal now, as PG's
  // coerce_type calls the input function at parse time).
  void coerce_unknown(int i, sql_type target) {
    expr& e = at(i);
    if (e.kind == expr_kind::param) {
      std::uint32_t& slot = param_slot(e.param);
      if (slot != 0 && slot != unknown && slot != target.oid) {
        fail_at(with_detail(pg_error("42P08", "inconsistent types deduced for parameter $" +
                                                  std::to_string(e.param)),
                            format_type(slot) + " versus " + format_type(target.oid)),
                e.offset);
        return;
      }
      slot = target.oid;
      e.type = {target.oid, -1};
      return;
    }
    if (e.kind == expr_kind::constant && e.literal == literal_kind::string) {
      datum d;
      if (auto error = input_datum(e.text, {target.oid, -1}, char_position(sql_, e.offset), d)) {
        fail(std::move(*error));
        return;
      }
      e.type = {target.oid, -1};
      return;
    }
    e.type = {target.oid, -1};  // NULL and unknown-typed expressions
  }

  // Implicit coercion of `node` to `target`: returns the node to use instead (a new
  // cast node, or `node` itself). Callers store the result; the node vector may grow.
  int coerced(int node, sql_type target) {
    const std::uint32_t t = type_of(node);
    if (t == target.oid) return node;
    if (t == unknown) {
      coerce_unknown(node, target);
      return node;
    }
    expr cast;
    cast.kind = expr_kind::cast;
    cast.implicit = true;
    cast.offset = at(node).offset;
    cast.type = target;
    cast.args = {node};
    q_.nodes.push_back(std::move(cast));
    return static_cast<int>(q_.nodes.size() - 1);
  }

  void coerce_arg(int parent, std::size_t k, sql_type target) {
    const int replacement = coerced(at(parent).args[k], target);
    at(parent).args[k] = replacement;
  }

  void coerce_all_args(int parent, sql_type target) {
    for (std::size_t k = 0; k < at(parent).args.size() && !stopped(); ++k) {
      coerce_arg(parent, k, target);
    }
  }

  // Returns the node to use (unknown literals become bool).
  int required_bool(int node, std::string_view construct) {
    const std::uint32_t t = type_of(node);
    if (t == oid::bool_) return node;
    if (t == unknown) return coerced(node, {oid::bool_, -1});
    fail_at(pg_error("42804", "argument of " + std::string(construct) +
                                  " must be type boolean, not type " + format_type(t)),
            at(node).offset);
    return node;
  }

  // select_common_type for CASE / COALESCE / IN lists.
  std::optional<std::uint32_t> common_type(const std::vector<int>& nodes, std::string_view what,
                                           std::uint32_t offset) {
    std::uint32_t common = unknown;
    for (int n : nodes) {
      const std::uint32_t t = type_of(n);
      if (t == unknown) continue;
      if (common == unknown) {
        common = t;
      } else if (common == t) {
        continue;
      } else if (is_numeric_type(common) && is_numeric_type(t)) {
        if (numeric_rank(t) > numeric_rank(common)) common = t;
      } else if (is_string_type(common) && is_string_type(t)) {
        common = oid::text;
      } else if (can_coerce_implicitly(t, common)) {
        continue;
      } else if (can_coerce_implicitly(common, t)) {
        common = t;
      } else {
        fail_at(pg_error("42804", std::string(what) + " types " + format_type(common) + " and " +
                                      format_type(t) + " cannot be matched"),
                offset);
        return std::nullopt;
      }
    }
    return common == unknown ? oid::text : common;
  }

  void resolve(int i) {
    if (stopped()) return;
    switch (at(i).kind) {
      case expr_kind::constant:
        return constant(i);
      case expr_kind::param: {
        const int n = at(i).param;
        std::uint32_t t = declared_param_type(n);
        std::uint32_t& slot = param_slot(n);
        if (t != 0)
          slot = t;
        else if (slot != 0)
          t = slot;
        at(i).type = {t == 0 ? unknown : t, -1};
        return;
      }
      case expr_kind::cast:
        return cast(i);
      case expr_kind::unary:
        return unary(i);
      case expr_kind::binary:
        return binary(i);
      case expr_kind::bool_and:
      case expr_kind::bool_or:
      case expr_kind::bool_not:
        return boolean(i);
      case expr_kind::null_test:
        resolve(at(i).args[0]);
        at(i).type = {oid::bool_, -1};
        return;
      case expr_kind::bool_test: {
        resolve(at(i).args[0]);
        if (stopped()) return;
        std::string what = "IS ";
        if (at(i).negated) what += "NOT ";
        for (char c : at(i).name) what += static_cast<char>(c - 'a' + 'A');
        const int arg = required_bool(at(i).args[0], what);
        at(i).args[0] = arg;
        at(i).type = {oid::bool_, -1};
        return;
      }
      case expr_kind::distinct:
      case expr_kind::in_list:
      case expr_kind::between:
        return comparison_list(i);
      case expr_kind::case_when:
        return case_when(i);
      case expr_kind::coalesce:
      case expr_kind::greatest:
      case expr_kind::least:
        return common_args(i);
      case expr_kind::nullif:
        return nullif(i);
      case expr_kind::function:
        return function(i);
      case expr_kind::sql_value:
        at(i).type.oid = sql_value_type(at(i).name);
        if (at(i).type.oid == oid::name) at(i).type.typmod = -1;
        return;
      case expr_kind::column_ref:
      case expr_kind::array:
        return unsupported(at(i).offset);
    }
  }

  void constant(int i) {
    expr& e = at(i);
    switch (e.literal) {
      case literal_kind::integer: {
        // make_const: int4 if the digits fit, else int8, else numeric.
        const std::string_view digits =
            e.text[0] == '-' ? std::string_view(e.text).substr(1) : std::string_view(e.text);
        datum d;
        if (!input_datum(digits, {oid::int4, -1}, 0, d)) {
          e.type = {oid::int4, -1};
        } else if (!input_datum(e.text, {oid::int8, -1}, 0, d)) {
          e.type = {oid::int8, -1};
        } else {
          e.type = {oid::numeric, -1};
        }
        return;
      }
      case literal_kind::decimal:
        e.type = {oid::numeric, -1};
        return;
      case literal_kind::boolean:
        e.type = {oid::bool_, -1};
        return;
      default:
        e.type = {unknown, -1};
        return;
    }
  }

  void cast(int i) {
    int arg = at(i).args[0];
    resolve(arg);
    if (stopped()) return;
    const sql_type target = at(i).type;
    const std::uint32_t from = type_of(arg);
    if (from == unknown) {
      coerce_unknown(arg, {target.oid, -1});
      if (stopped()) return;
      at(i).args[0] = arg;
      return;
    }
    if (!can_cast(from, target.oid)) {
      fail_at(pg_error("42846",
                       "cannot cast type " + format_type(from) + " to " + format_type(target.oid)),
              at(i).offset);
    }
  }

  void unary(int i) {
    int arg = at(i).args[0];
    resolve(arg);
    if (stopped()) return;
    const std::uint32_t t = type_of(arg);
    if (t == unknown) {
      fail_at(with_hint(pg_error("42725", "operator is not unique: " + at(i).name + " unknown"),
                        "Could not choose a best candidate operator. You might need to add "
                        "explicit type casts."),
              at(i).offset);
      return;
    }
    if (!is_numeric_type(t)) {
      if (is_datetime(t)) return unsupported(at(i).offset);
      return no_operator(i, {t}, true);
    }
    at(i).type = {t, -1};
  }

  void no_operator(int i, const std::vector<std::uint32_t>& types, bool prefix = false) {
    std::string signature = prefix ? at(i).name + " " + type_list(types)
                                   : (types[0] == unknown ? "unknown" : format_type(types[0])) +
                                         " " + at(i).name + " " +
                                         (types[1] == unknown ? "unknown" : format_type(types[1]));
    fail_at(with_hint(pg_error("42883", "operator does not exist: " + signature),
                      "No operator matches the given name and argument types. You might need to "
                      "add explicit type casts."),
            at(i).offset);
  }

  void binary(int i) {
    resolve(at(i).args[0]);
    resolve(at(i).args[1]);
    if (stopped()) return;
    const std::string op = at(i).name;
    const std::uint32_t l = type_of(at(i).args[0]), r = type_of(at(i).args[1]);
    if (op == "+" || op == "-" || op == "*" || op == "/" || op == "%" || op == "^") {
      return arithmetic(i, l, r);
    }
    if (op == "||") return concatenation(i, l, r);
    if (op == "=" || op == "<>" || op == "<" || op == ">" || op == "<=" || op == ">=") {
      return compare(i, l, r);
    }
    if (op == "like" || op == "ilike") {
      if ((l != unknown && !is_string_type(l)) || (r != unknown && !is_string_type(r))) {
        at(i).name = op == "like" ? "~~" : "~~*";
        return no_operator(i, {l, r});
      }
      coerce_all_args(i, {oid::text, -1});
      at(i).type = {oid::bool_, -1};
      return;
    }
    unsupported(at(i).offset);  // other operators (~, @>, ->, ...)
  }

  void arithmetic(int i, std::uint32_t l, std::uint32_t r) {
    const std::string op = at(i).name;
    if (l == unknown && r == unknown) {
      fail_at(with_hint(pg_error("42725", "operator is not unique: unknown " + op + " unknown"),
                        "Could not choose a best candidate operator. You might need to add "
                        "explicit type casts."),
              at(i).offset);
      return;
    }
    if (is_datetime(l) || is_datetime(r)) return unsupported(at(i).offset);
    if (l == unknown) l = r;
    if (r == unknown) r = l;
    if (!is_numeric_type(l) || !is_numeric_type(r))
      return no_operator(i, {type_of(at(i).args[0]), type_of(at(i).args[1])});
    std::uint32_t common = numeric_rank(l) >= numeric_rank(r) ? l : r;
    if (op == "^")
      common = (l == oid::numeric || r == oid::numeric) && !is_float_type(l) && !is_float_type(r)
                   ? oid::numeric
                   : oid::float8;
    if (op == "%" && is_float_type(common)) {
      return no_operator(i, {l, r});
    }
    coerce_all_args(i, {common, -1});
    at(i).type = {common, -1};
  }

  void concatenation(int i, std::uint32_t l, std::uint32_t r) {
    const bool ls = l == unknown || is_string_type(l), rs = r == unknown || is_string_type(r);
    if (is_array_type(l) || is_array_type(r)) return unsupported(at(i).offset);
    if (!ls && !rs) return no_operator(i, {l, r});
    // text || text, or anynonarray || text: the non-text side is printed.
    if (ls) coerce_arg(i, 0, {oid::text, -1});
    if (rs) coerce_arg(i, 1, {oid::text, -1});
    at(i).type = {oid::text, -1};
  }

  // The type both sides of a comparison are converted to; nullopt after an error.
  std::optional<std::uint32_t> comparison_type(int i, std::uint32_t l, std::uint32_t r) {
    if (l == unknown && r == unknown) return oid::text;
    if (l == unknown) return is_string_type(r) ? oid::text : r;
    if (r == unknown) return is_string_type(l) ? oid::text : l;
    if (l == r) return l;
    if (is_numeric_type(l) && is_numeric_type(r)) {
      return numeric_rank(l) >= numeric_rank(r) ? l : r;
    }
    if (is_string_type(l) && is_string_type(r)) return oid::text;
    if (is_datetime(l) || is_datetime(r)) {
      unsupported(at(i).offset);
      return std::nullopt;
    }
    if (can_coerce_implicitly(l, r)) return r;
    if (can_coerce_implicitly(r, l)) return l;
    no_operator(i, {l, r});
    return std::nullopt;
  }

  void compare(int i, std::uint32_t l, std::uint32_t r) {
    auto t = comparison_type(i, l, r);
    if (!t) return;
    coerce_all_args(i, {*t, -1});
    at(i).type = {oid::bool_, -1};
  }

  void comparison_list(int i) {
    for (std::size_t k = 0; k < at(i).args.size(); ++k) resolve(at(i).args[k]);
    if (stopped()) return;
    auto common =
        common_type(at(i).args, at(i).kind == expr_kind::in_list ? "IN" : "CASE", at(i).offset);
    if (!common) return;
    if (at(i).kind == expr_kind::distinct) {
      const std::uint32_t l = type_of(at(i).args[0]), r = type_of(at(i).args[1]);
      at(i).name = "=";
      auto t = comparison_type(i, l, r);
      if (!t) return;
      common = t;
    }
    coerce_all_args(i, {*common, -1});
    at(i).type = {oid::bool_, -1};
  }

  void case_when(int i) {
    const std::size_t n = at(i).args.size();
    const int operand = at(i).args[0];
    std::vector<int> results, tests;
    if (operand >= 0) {
      resolve(operand);
      tests.push_back(operand);
    }
    for (std::size_t k = 1; k + 1 < n; k += 2) {
      resolve(at(i).args[k]);
      resolve(at(i).args[k + 1]);
      if (stopped()) return;
      if (operand >= 0) {
        tests.push_back(at(i).args[k]);
      } else {
        const int cond = required_bool(at(i).args[k], "CASE/WHEN");
        at(i).args[k] = cond;
      }
      results.push_back(at(i).args[k + 1]);
    }
    if (at(i).args[n - 1] >= 0) {
      resolve(at(i).args[n - 1]);
      results.push_back(at(i).args[n - 1]);
    }
    if (stopped()) return;
    if (operand >= 0) {
      auto t = common_type(tests, "CASE/WHEN", at(i).offset);
      if (!t) return;
      for (std::size_t k = 0; k + 1 < n; k += (k == 0 ? 1 : 2)) {
        coerce_arg(i, k, {*t, -1});
        if (stopped()) return;
      }
    }
    auto t = common_type(results, "CASE", at(i).offset);
    if (!t) return;
    for (std::size_t k = 2; k < n; k += 2) {
      coerce_arg(i, k, {*t, -1});
      if (stopped()) return;
    }
    if (at(i).args[n - 1] >= 0) coerce_arg(i, n - 1, {*t, -1});
    at(i).type = {*t, -1};
  }

  void common_args(int i) {
    for (std::size_t k = 0; k < at(i).args.size(); ++k) resolve(at(i).args[k]);
    if (stopped()) return;
    const char* what = at(i).kind == expr_kind::coalesce   ? "COALESCE"
                       : at(i).kind == expr_kind::greatest ? "GREATEST"
                                                           : "LEAST";
    auto t = common_type(at(i).args, what, at(i).offset);
    if (!t) return;
    coerce_all_args(i, {*t, -1});
    at(i).type = {*t, -1};
  }

  void nullif(int i) {
    if (at(i).args.size() != 2) return unsupported(at(i).offset);
    resolve(at(i).args[0]);
    resolve(at(i).args[1]);
    if (stopped()) return;
    const std::uint32_t l = type_of(at(i).args[0]), r = type_of(at(i).args[1]);
    auto t = comparison_type(i, l, r);
    if (!t) return;
    coerce_all_args(i, {*t, -1});
    at(i).type = {*t, -1};
  }

  void function(int i) {
    const auto candidates = find_functions(at(i).name);
    if (candidates.empty()) return unsupported(at(i).offset);
    for (std::size_t k = 0; k < at(i).args.size(); ++k) resolve(at(i).args[k]);
    if (stopped()) return;
    std::vector<std::uint32_t> types;
    for (int a : at(i).args) types.push_back(type_of(a));
    const function_signature* best = nullptr;
    int best_exact = -1;
    for (const auto& f : candidates) {
      if (f.nargs != variadic_any && f.nargs != types.size()) continue;
      int exact = 0;
      bool ok = true;
      for (std::size_t k = 0; ok && k < types.size() && f.nargs != variadic_any; ++k) {
        const std::uint32_t want = f.args[k];
        if (want == any_type || types[k] == unknown) continue;
        if (types[k] == want)
          ++exact;
        else
          ok = can_coerce_implicitly(types[k], want);
      }
      if (ok && exact > best_exact) {
        best = &f;
        best_exact = exact;
      }
    }
    if (best == nullptr) {
      fail_at(with_hint(pg_error("42883", "function " + at(i).name + "(" + type_list(types) +
                                              ") does not exist"),
                        "No function matches the given name and argument types. You might need "
                        "to add explicit type casts."),
              at(i).offset);
      return;
    }
    for (std::size_t k = 0; k < types.size() && best->nargs != variadic_any; ++k) {
      if (best->args[k] != any_type) coerce_arg(i, k, {best->args[k], -1});
      if (stopped()) return;
    }
    if (best->nargs == variadic_any) {
      for (std::size_t k = 0; k < at(i).args.size(); ++k) {
        if (type_of(at(i).args[k]) == unknown) coerce_arg(i, k, {oid::text, -1});
      }
    }
    at(i).type = {best->result == any_type ? type_of(at(i).args[0]) : best->result, -1};
    at(i).text = std::string(best->name);
    // Remember which overload: its index in the candidate span.
    at(i).param = static_cast<int>(best - candidates.data());
  }

  void boolean(int i) {
    const char* what = at(i).kind == expr_kind::bool_and  ? "AND"
                       : at(i).kind == expr_kind::bool_or ? "OR"
                                                          : "NOT";
    for (std::size_t k = 0; k < at(i).args.size(); ++k) resolve(at(i).args[k]);
    if (stopped()) return;
    for (std::size_t k = 0; k < at(i).args.size(); ++k) {
      const int arg = required_bool(at(i).args[k], what);
      at(i).args[k] = arg;
      if (stopped()) return;
    }
    at(i).type = {oid::bool_, -1};
  }

  select_query& q_;
  std::string_view sql_;
  std::span<const std::uint32_t> declared_;
  typing_result result_;
};

// FigureColnameInternal: 2 = strong (column, function), 1 = weak (cast, CASE), 0 = none.
int colname(const select_query& q, int i, std::string& name) {
  if (i < 0) return 0;
  const expr& e = q.nodes[static_cast<std::size_t>(i)];
  switch (e.kind) {
    case expr_kind::column_ref:
    case expr_kind::sql_value:
    case expr_kind::coalesce:
    case expr_kind::nullif:
    case expr_kind::greatest:
    case expr_kind::least:
      name = e.name;
      return 2;
    case expr_kind::function:
      name = e.name;
      return 2;
    case expr_kind::array:
      name = "array";
      return 2;
    case expr_kind::cast: {
      if (e.implicit) return colname(q, e.args[0], name);
      const int strength = colname(q, e.args[0], name);
      if (strength <= 1) {
        name = e.text;
        return 1;
      }
      return strength;
    }
    case expr_kind::case_when: {
      const int strength = colname(q, e.args.back(), name);
      if (strength <= 1) {
        name = "case";
        return 1;
      }
      return strength;
    }
    case expr_kind::constant:
      // TRUE/FALSE are casts of 't'/'f' to bool in gram.y.
      if (e.literal == literal_kind::boolean) {
        name = "bool";
        return 1;
      }
      return 0;
    default:
      return 0;
  }
}

}  // namespace

typing_result resolve_select_types(select_query& q, std::string_view sql,
                                   std::span<const std::uint32_t> declared) {
  return typer(q, sql, declared).run();
}

std::string figure_column_name(const select_query& q, int node) {
  std::string name;
  if (colname(q, node, name) == 0 || name.empty()) return "?column?";
  return name;
}

}  // namespace fauxgres::responder
