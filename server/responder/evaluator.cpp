// Expression evaluation; see evaluator.hpp. Operands arrive coerced to a common type by
// the typer, so each operator works on one representation.
#include "responder/evaluator.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "responder/lexer.hpp"
#include "responder/numeric.hpp"
#include "responder/pg_error.hpp"
#include "types/catalog.hpp"
#include "types/timestamps.hpp"

namespace fauxgres::responder {
namespace {

namespace oid = types::oid;

datum bool_datum(bool v) {
  datum d;
  d.null = false;
  d.type = oid::bool_;
  d.i = v ? 1 : 0;
  return d;
}

std::string_view rtrim_spaces(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Three-way comparison of two non-null values of the same type.
int compare_values(const datum& a, const datum& b) {
  if (stored_as_int(a.type)) return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
  if (stored_as_float(a.type)) {
    // PG orders NaN above every other value and equal to itself.
    const bool an = std::isnan(a.f), bn = std::isnan(b.f);
    if (an || bn) return an && bn ? 0 : (an ? 1 : -1);
    return a.f < b.f ? -1 : (a.f > b.f ? 1 : 0);
  }
  if (a.type == oid::numeric) {
    auto x = decimal::parse(a.s), y = decimal::parse(b.s);
    if (x && y) return decimal::compare(*x, *y);
  }
  std::string_view x = a.s, y = b.s;
  if (a.type == oid::bpchar) {
    x = rtrim_spaces(x);
    y = rtrim_spaces(y);
  }
  const int c = x.compare(y);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

char fold(char c, bool icase) {
  return icase && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// LIKE with % and _ (one character), backslash escaping the next pattern character.
bool like_match(std::string_view text, std::string_view pattern, bool icase) {
  std::size_t t = 0, p = 0;
  std::size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star_p = ++p;
      star_t = t;
      continue;
    }
    if (p < pattern.size() && pattern[p] == '_') {
      t += utf8_length(static_cast<unsigned char>(text[t]));
      ++p;
      continue;
    }
    if (p < pattern.size()) {
      std::size_t pp = p;
      if (pattern[pp] == '\\' && pp + 1 < pattern.size()) ++pp;
      if (fold(pattern[pp], icase) == fold(text[t], icase)) {
        p = pp + 1;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

class evaluator {
 public:
  evaluator(const select_query& q, std::string_view sql, std::span<const std::uint32_t> types,
            std::span<const value> params, eval_env& env)
      : q_(q), sql_(sql), types_(types), params_(params), env_(env) {}

  datum eval(int i) {
    if (failed()) return {};
    const expr& e = q_.nodes[static_cast<std::size_t>(i)];
    switch (e.kind) {
      case expr_kind::constant:
        return constant(e);
      case expr_kind::param:
        return param(e);
      case expr_kind::cast: {
        const datum arg = eval(e.args[0]);
        if (failed()) return {};
        datum out;
        if (auto error = cast_datum(arg, e.type, float_digits_for(arg.type),
                                    zone_for(arg.type, e.type.oid), out))
          return fail(*error);
        return out;
      }
      case expr_kind::unary:
        return negate(e);
      case expr_kind::binary:
        return binary(e);
      case expr_kind::bool_and:
      case expr_kind::bool_or:
        return logical(e);
      case expr_kind::bool_not: {
        const datum a = eval(e.args[0]);
        if (a.null) return datum::null_of(oid::bool_);
        return bool_datum(a.i == 0);
      }
      case expr_kind::null_test: {
        const datum a = eval(e.args[0]);
        return bool_datum(a.null != e.negated);
      }
      case expr_kind::bool_test: {
        const datum a = eval(e.args[0]);
        bool v = false;
        if (e.name == "unknown")
          v = a.null;
        else if (e.name == "true")
          v = !a.null && a.i != 0;
        else
          v = !a.null && a.i == 0;
        return bool_datum(v != e.negated);
      }
      case expr_kind::distinct: {
        const datum a = eval(e.args[0]), b = eval(e.args[1]);
        bool differs = a.null != b.null;
        if (!a.null && !b.null) differs = compare_values(a, b) != 0;
        return bool_datum(differs != e.negated);
      }
      case expr_kind::in_list:
        return in_list(e);
      case expr_kind::between:
        return between(e);
      case expr_kind::case_when:
        return case_when(e);
      case expr_kind::coalesce: {
        for (int a : e.args) {
          datum d = eval(a);
          if (failed() || !d.null) return d;
        }
        return datum::null_of(e.type.oid);
      }
      case expr_kind::nullif: {
        datum a = eval(e.args[0]);
        const datum b = eval(e.args[1]);
        if (!a.null && !b.null && compare_values(a, b) == 0) return datum::null_of(e.type.oid);
        return a;
      }
      case expr_kind::greatest:
      case expr_kind::least: {
        datum best = datum::null_of(e.type.oid);
        for (int a : e.args) {
          datum d = eval(a);
          if (failed()) return {};
          if (d.null) continue;
          const int c = best.null ? 0 : compare_values(d, best);
          if (best.null || (e.kind == expr_kind::greatest ? c > 0 : c < 0)) best = std::move(d);
        }
        return best;
      }
      case expr_kind::function: {
        std::vector<datum> args;
        args.reserve(e.args.size());
        for (int a : e.args) args.push_back(eval(a));
        if (failed()) return {};
        const auto candidates = find_functions(e.name);
        const function_signature& f = candidates[static_cast<std::size_t>(e.param)];
        return call_builtin(f, args, env_);
      }
      case expr_kind::sql_value:
        return sql_value(e.name, e.type.typmod, env_);
      case expr_kind::column_ref:
      case expr_kind::array:
        break;
    }
    return fail(pg_error("0A000", "fauxgres cannot evaluate this expression"));
  }

  bool failed() const { return env_.error.has_value(); }

  // The setting matters only when a float is printed.
  int float_digits_for(std::uint32_t type) {
    return stored_as_float(type) ? env_.extra_float_digits() : 1;
  }

  // TimeZone matters only when a timestamptz is read, made or cut.
  const types::time_zone& zone_for(std::uint32_t from, std::uint32_t to = 0) {
    return from == oid::timestamptz || to == oid::timestamptz ? env_.time_zone()
                                                              : types::utc_zone();
  }

 private:
  datum fail(protocol::error_fields error) {
    if (!env_.error) env_.error = std::move(error);
    return {};
  }

  datum constant(const expr& e) {
    datum d;
    switch (e.literal) {
      case literal_kind::null:
        return datum::null_of(e.type.oid);
      case literal_kind::boolean:
        d = bool_datum(e.text == "t");
        return d;
      case literal_kind::integer:
      case literal_kind::decimal:
      case literal_kind::string:
        if (e.type.oid == oid::unknown) {
          d.null = false;
          d.type = oid::unknown;
          d.s = e.text;
          return d;
        }
        if (auto error = input_datum(e.text, {e.type.oid, -1}, 0, d, &zone_for(e.type.oid)))
          return fail(*error);
        return d;
      case literal_kind::none:
        break;
    }
    return datum::null_of(e.type.oid);
  }

  datum param(const expr& e) {
    const auto index = static_cast<std::size_t>(e.param - 1);
    if (index >= params_.size()) {
      return fail(
          with_position(pg_error("42P02", "there is no parameter $" + std::to_string(e.param)),
                        char_position(sql_, e.offset)));
    }
    const std::uint32_t type = index < types_.size() ? types_[index] : oid::text;
    if (!params_[index]) return datum::null_of(type);
    datum d;
    if (auto error = input_datum(*params_[index], {type, -1}, 0, d, &zone_for(type)))
      return fail(*error);
    return d;
  }

  datum negate(const expr& e) {
    datum a = eval(e.args[0]);
    if (failed() || a.null || e.name == "+") return a;
    if (a.type == oid::numeric) {
      auto d = decimal::parse(a.s);
      if (d) a.s = d->negated().to_string();
    } else if (stored_as_float(a.type)) {
      a.f = -a.f;
    } else {
      if (a.i == std::numeric_limits<std::int64_t>::min() || !fits_integer_type(-a.i, a.type)) {
        return fail(integer_out_of_range(a.type));
      }
      a.i = -a.i;
    }
    return a;
  }

  datum binary(const expr& e) {
    datum a = eval(e.args[0]);
    datum b = eval(e.args[1]);
    if (failed()) return {};
    const std::string& op = e.name;
    if (op == "=" || op == "<>" || op == "<" || op == ">" || op == "<=" || op == ">=") {
      if (a.null || b.null) return datum::null_of(oid::bool_);
      const int c = compare_values(a, b);
      const bool v = op == "="    ? c == 0
                     : op == "<>" ? c != 0
                     : op == "<"  ? c < 0
                     : op == ">"  ? c > 0
                     : op == "<=" ? c <= 0
                                  : c >= 0;
      return bool_datum(v);
    }
    if (a.null || b.null) return datum::null_of(e.type.oid);
    if (op == "||") {
      datum d;
      d.null = false;
      d.type = oid::text;
      d.s = datum_text(a, float_digits_for(a.type)) + datum_text(b, float_digits_for(b.type));
      return d;
    }
    if (op == "like" || op == "ilike") {
      return bool_datum(like_match(a.s, b.s, op == "ilike") != e.negated);
    }
    if (a.type == oid::numeric) return numeric_op(op, a, b);
    if (stored_as_float(a.type)) return float_op(op, a, b, e.type.oid);
    return integer_op(op, a, b, e.type.oid);
  }

  datum integer_op(const std::string& op, const datum& a, const datum& b, std::uint32_t type) {
    std::int64_t r = 0;
    bool overflow = false;
    if (op == "+") {
      overflow = __builtin_add_overflow(a.i, b.i, &r);
    } else if (op == "-") {
      overflow = __builtin_sub_overflow(a.i, b.i, &r);
    } else if (op == "*") {
      overflow = __builtin_mul_overflow(a.i, b.i, &r);
    } else if (op == "/" || op == "%") {
      if (b.i == 0) return fail(protocol::errors::division_by_zero());
      if (b.i == -1) {
        // INT_MIN / -1 overflows; INT_MIN % -1 is 0.
        if (op == "%") {
          r = 0;
        } else {
          overflow = __builtin_sub_overflow(std::int64_t{0}, a.i, &r);
        }
      } else {
        r = op == "/" ? a.i / b.i : a.i % b.i;
      }
    }
    if (overflow || !fits_integer_type(r, type)) return fail(integer_out_of_range(type));
    datum d;
    d.null = false;
    d.type = type;
    d.i = r;
    return d;
  }

  datum float_op(const std::string& op, const datum& a, const datum& b, std::uint32_t type) {
    double r = 0;
    if (op == "+") {
      r = a.f + b.f;
    } else if (op == "-") {
      r = a.f - b.f;
    } else if (op == "*") {
      r = a.f * b.f;
    } else if (op == "/") {
      if (b.f == 0) return fail(protocol::errors::division_by_zero());
      r = a.f / b.f;
    } else if (op == "^") {
      if (a.f == 0 && b.f < 0) {
        return fail(pg_error("2201F", "zero raised to a negative power is undefined"));
      }
      if (a.f < 0 && std::floor(b.f) != b.f) {
        return fail(pg_error("2201F",
                             "a negative number raised to a non-integer power yields a complex "
                             "result"));
      }
      r = std::pow(a.f, b.f);
    }
    if (type == oid::float4) r = static_cast<double>(static_cast<float>(r));
    if (std::isinf(r) && std::isfinite(a.f) && std::isfinite(b.f)) {
      return fail(pg_error("22003", "value out of range: overflow"));
    }
    if (r == 0 && a.f != 0 && op == "*" && b.f != 0) {
      return fail(pg_error("22003", "value out of range: underflow"));
    }
    datum d;
    d.null = false;
    d.type = type;
    d.f = r;
    return d;
  }

  datum numeric_op(const std::string& op, const datum& a, const datum& b) {
    auto x = decimal::parse(a.s), y = decimal::parse(b.s);
    if (!x || !y) return fail(pg_error("22P02", "invalid numeric value"));
    decimal r;
    if (op == "+") {
      r = *x + *y;
    } else if (op == "-") {
      r = *x - *y;
    } else if (op == "*") {
      r = *x * *y;
    } else if (op == "/" || op == "%") {
      if (y->is_zero()) return fail(protocol::errors::division_by_zero());
      r = op == "/" ? decimal::divide(*x, *y) : decimal::modulo(*x, *y);
    } else if (op == "^") {
      auto p = decimal::from_double(std::pow(x->to_double(), y->to_double()));
      if (!p) return fail(pg_error("22003", "value out of range: overflow"));
      r = *p;
    }
    datum d;
    d.null = false;
    d.type = oid::numeric;
    d.s = r.to_string();
    return d;
  }

  datum logical(const expr& e) {
    const datum a = eval(e.args[0]);
    if (failed()) return {};
    const bool is_and = e.kind == expr_kind::bool_and;
    // Short circuit: FALSE AND x, TRUE OR x.
    if (!a.null && (a.i != 0) != is_and) return bool_datum(!is_and);
    const datum b = eval(e.args[1]);
    if (failed()) return {};
    if (!b.null && (b.i != 0) != is_and) return bool_datum(!is_and);
    if (a.null || b.null) return datum::null_of(oid::bool_);
    return bool_datum(is_and);
  }

  datum in_list(const expr& e) {
    const datum x = eval(e.args[0]);
    if (failed()) return {};
    bool saw_null = x.null;
    for (std::size_t k = 1; k < e.args.size(); ++k) {
      const datum item = eval(e.args[k]);
      if (failed()) return {};
      if (item.null || x.null) {
        saw_null = true;
        continue;
      }
      if (compare_values(x, item) == 0) return bool_datum(!e.negated);
    }
    if (saw_null) return datum::null_of(oid::bool_);
    return bool_datum(e.negated);
  }

  datum between(const expr& e) {
    const datum x = eval(e.args[0]), low = eval(e.args[1]), high = eval(e.args[2]);
    if (failed()) return {};
    // x >= low AND x <= high, with NULLs as in AND.
    std::optional<bool> ge, le;
    if (!x.null && !low.null) ge = compare_values(x, low) >= 0;
    if (!x.null && !high.null) le = compare_values(x, high) <= 0;
    std::optional<bool> v;
    if ((ge && !*ge) || (le && !*le))
      v = false;
    else if (ge && le)
      v = true;
    if (!v) return datum::null_of(oid::bool_);
    return bool_datum(*v != e.negated);
  }

  datum case_when(const expr& e) {
    const std::size_t n = e.args.size();
    datum operand;
    if (e.args[0] >= 0) operand = eval(e.args[0]);
    for (std::size_t k = 1; k + 1 < n; k += 2) {
      const datum test = eval(e.args[k]);
      if (failed()) return {};
      const bool hit = e.args[0] >= 0
                           ? (!operand.null && !test.null && compare_values(operand, test) == 0)
                           : (!test.null && test.i != 0);
      if (hit) return eval(e.args[k + 1]);
    }
    if (e.args[n - 1] >= 0) return eval(e.args[n - 1]);
    return datum::null_of(e.type.oid);
  }

  const select_query& q_;
  std::string_view sql_;
  std::span<const std::uint32_t> types_;
  std::span<const value> params_;
  eval_env& env_;
};

}  // namespace

std::optional<row> evaluate_select(const select_query& q, std::string_view sql,
                                   std::span<const std::uint32_t> parameter_types,
                                   std::span<const value> parameters, eval_env& env) {
  evaluator ev(q, sql, parameter_types, parameters, env);
  if (q.where >= 0) {
    const datum w = ev.eval(q.where);
    if (ev.failed() || w.null || w.i == 0) return std::nullopt;
  }
  row out;
  out.reserve(q.targets.size());
  for (const auto& target : q.targets) {
    const datum d = ev.eval(target.node);
    if (ev.failed()) return std::nullopt;
    if (d.null)
      out.emplace_back(std::nullopt);
    else
      out.emplace_back(datum_text(d, ev.float_digits_for(d.type)));
  }
  return out;
}

}  // namespace fauxgres::responder
