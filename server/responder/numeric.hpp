// Exact decimal arithmetic with PostgreSQL's numeric display-scale rules (add, subtract,
// multiply, divide with select_div_scale, modulo, rounding for numeric(p,s)).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fauxgres::responder {

class decimal {
 public:
  decimal() = default;
  static decimal from_int(std::int64_t v);
  // numeric_in: spaces, sign, digits, point, exponent, NaN, Infinity. nullopt if invalid.
  static std::optional<decimal> parse(std::string_view text);
  // float8 → numeric goes through "%.15g", as PG does.
  static std::optional<decimal> from_double(double v);

  std::string to_string() const;
  double to_double() const;
  // Rounds half away from zero; nullopt when out of int64 range.
  std::optional<std::int64_t> to_int() const;

  bool is_nan() const { return special_ == kind::nan; }
  bool is_zero() const { return special_ == kind::finite && coef_.empty(); }
  int scale() const { return scale_; }

  friend decimal operator+(const decimal& a, const decimal& b);
  friend decimal operator-(const decimal& a, const decimal& b);
  friend decimal operator*(const decimal& a, const decimal& b);
  // Division and modulo: the caller checks for zero (22012).
  static decimal divide(const decimal& a, const decimal& b);
  static decimal modulo(const decimal& a, const decimal& b);
  decimal negated() const;
  // Rounds to `scale` fractional digits (half away from zero).
  decimal rounded(int scale) const;
  // Number of digits before the decimal point (0 for |x| < 1).
  int integer_digits() const;
  static int compare(const decimal& a, const decimal& b);

 private:
  enum class kind { finite, nan, pos_inf, neg_inf };
  bool negative_ = false;
  std::string coef_;  // decimal digits of the unscaled value, no leading zeros ("" is 0)
  int scale_ = 0;     // display scale: value = coef / 10^scale
  kind special_ = kind::finite;

  void normalise();
  int digit_at_power(int power) const;
  int leading_power() const;  // power of ten of the first nonzero digit
};

}  // namespace fauxgres::responder
