// Decimal arithmetic on digit strings; see numeric.hpp. Display scales follow numeric.c:
// add/sub take the larger scale, mul the sum, div select_div_scale, mod the larger scale.
#include "responder/numeric.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace fauxgres::responder {
namespace {

constexpr int max_display_scale = 1000;  // NUMERIC_MAX_DISPLAY_SCALE
constexpr int min_sig_digits = 16;       // NUMERIC_MIN_SIG_DIGITS

// Unsigned magnitudes as digit strings, most significant first, no leading zeros.
void strip(std::string& s) {
  std::size_t i = 0;
  while (i < s.size() && s[i] == '0') ++i;
  s.erase(0, i);
}

int cmp_mag(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::string add_mag(const std::string& a, const std::string& b) {
  std::string out;
  out.resize(std::max(a.size(), b.size()) + 1, '0');
  int carry = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    int d = carry;
    if (i < a.size()) d += a[a.size() - 1 - i] - '0';
    if (i < b.size()) d += b[b.size() - 1 - i] - '0';
    out[out.size() - 1 - i] = static_cast<char>('0' + d % 10);
    carry = d / 10;
  }
  strip(out);
  return out;
}

// a - b with a >= b.
std::string sub_mag(const std::string& a, const std::string& b) {
  std::string out = a;
  int borrow = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    int d = (a[a.size() - 1 - i] - '0') - borrow;
    if (i < b.size()) d -= b[b.size() - 1 - i] - '0';
    borrow = d < 0 ? 1 : 0;
    if (d < 0) d += 10;
    out[out.size() - 1 - i] = static_cast<char>('0' + d);
  }
  strip(out);
  return out;
}

std::string mul_mag(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return {};
  std::vector<int> acc(a.size() + b.size(), 0);
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = 0; j < b.size(); ++j) {
      acc[i + j + 1] += (a[i] - '0') * (b[j] - '0');
    }
  }
  for (std::size_t k = acc.size() - 1; k > 0; --k) {
    acc[k - 1] += acc[k] / 10;
    acc[k] %= 10;
  }
  std::string out;
  out.reserve(acc.size());
  for (int d : acc) out += static_cast<char>('0' + d);
  strip(out);
  return out;
}

// Long division: quotient of a / b (b nonzero), remainder in *rem.
std::string div_mag(const std::string& a, const std::string& b, std::string* rem) {
  std::string q, r;
  for (char c : a) {
    if (!(r.empty() && c == '0')) r += c;
    int count = 0;
    while (cmp_mag(r, b) >= 0) {
      r = sub_mag(r, b);
      ++count;
    }
    if (!(q.empty() && count == 0)) q += static_cast<char>('0' + count);
  }
  if (rem != nullptr) *rem = r;
  return q;
}

std::string shifted(const std::string& s, int zeros) {
  if (s.empty() || zeros <= 0) return s;
  return s + std::string(static_cast<std::size_t>(zeros), '0');
}

}  // namespace

void decimal::normalise() {
  strip(coef_);
  if (coef_.empty()) negative_ = false;
}

decimal decimal::from_int(std::int64_t v) {
  decimal d;
  d.negative_ = v < 0;
  const std::uint64_t mag =
      v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
  d.coef_ = mag == 0 ? std::string() : std::to_string(mag);
  return d;
}

std::optional<decimal> decimal::parse(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  decimal d;
  auto lower_eq = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
    }
    return true;
  };
  if (lower_eq(text, "nan")) {
    d.special_ = kind::nan;
    return d;
  }
  if (lower_eq(text, "infinity") || lower_eq(text, "+infinity") || lower_eq(text, "inf") ||
      lower_eq(text, "+inf")) {
    d.special_ = kind::pos_inf;
    return d;
  }
  if (lower_eq(text, "-infinity") || lower_eq(text, "-inf")) {
    d.special_ = kind::neg_inf;
    return d;
  }
  std::size_t p = 0;
  if (p < text.size() && (text[p] == '+' || text[p] == '-')) d.negative_ = text[p++] == '-';
  int frac_digits = 0;
  bool any_digit = false, seen_point = false;
  for (; p < text.size(); ++p) {
    const char c = text[p];
    if (c >= '0' && c <= '9') {
      d.coef_ += c;
      any_digit = true;
      if (seen_point) ++frac_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any_digit) return std::nullopt;
  long exponent = 0;
  if (p < text.size() && (text[p] == 'e' || text[p] == 'E')) {
    ++p;
    bool neg = false;
    if (p < text.size() && (text[p] == '+' || text[p] == '-')) neg = text[p++] == '-';
    if (p >= text.size()) return std::nullopt;
    for (; p < text.size() && text[p] >= '0' && text[p] <= '9'; ++p) {
      exponent = exponent * 10 + (text[p] - '0');
      if (exponent > 1000000) return std::nullopt;
    }
    if (neg) exponent = -exponent;
  }
  if (p != text.size()) return std::nullopt;
  // value = coef * 10^(exponent - frac_digits)
  const long scale = frac_digits - exponent;
  if (scale < 0) {
    d.coef_ = shifted(d.coef_, static_cast<int>(-scale));
    d.scale_ = 0;
  } else {
    d.scale_ = static_cast<int>(scale);
  }
  d.normalise();
  return d;
}

std::optional<decimal> decimal::from_double(double v) {
  if (std::isnan(v)) return parse("NaN");
  if (std::isinf(v)) return parse(v > 0 ? "Infinity" : "-Infinity");
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return parse(buf);
}

std::string decimal::to_string() const {
  switch (special_) {
    case kind::nan:
      return "NaN";
    case kind::pos_inf:
      return "Infinity";
    case kind::neg_inf:
      return "-Infinity";
    case kind::finite:
      break;
  }
  std::string digits = coef_.empty() ? std::string("0") : coef_;
  if (static_cast<int>(digits.size()) <= scale_) {
    digits.insert(0, static_cast<std::size_t>(scale_ - static_cast<int>(digits.size()) + 1), '0');
  }
  if (scale_ > 0) digits.insert(digits.size() - static_cast<std::size_t>(scale_), 1, '.');
  if (negative_ && !coef_.empty()) digits.insert(0, 1, '-');
  return digits;
}

double decimal::to_double() const {
  switch (special_) {
    case kind::nan:
      return std::nan("");
    case kind::pos_inf:
      return HUGE_VAL;
    case kind::neg_inf:
      return -HUGE_VAL;
    case kind::finite:
      break;
  }
  return std::strtod(to_string().c_str(), nullptr);
}

std::optional<std::int64_t> decimal::to_int() const {
  if (special_ != kind::finite) return std::nullopt;
  const decimal r = rounded(0);
  if (r.coef_.size() > 19) return std::nullopt;
  const std::string limit = r.negative_ ? "9223372036854775808" : "9223372036854775807";
  if (r.coef_.size() == 19 && r.coef_ > limit) return std::nullopt;
  if (r.coef_.empty()) return 0;
  const std::uint64_t mag = std::strtoull(r.coef_.c_str(), nullptr, 10);
  if (r.negative_) return static_cast<std::int64_t>(0 - mag);
  return static_cast<std::int64_t>(mag);
}

int decimal::compare(const decimal& a, const decimal& b) {
  // NaN sorts above everything, as in PG.
  if (a.special_ != kind::finite || b.special_ != kind::finite) {
    auto rank = [](const decimal& x) {
      switch (x.special_) {
        case kind::neg_inf:
          return 0;
        case kind::finite:
          return 1;
        case kind::pos_inf:
          return 2;
        case kind::nan:
          return 3;
      }
      return 1;
    };
    const int ra = rank(a), rb = rank(b);
    return ra < rb ? -1 : (ra > rb ? 1 : 0);
  }
  if (a.negative_ != b.negative_) return a.negative_ ? -1 : 1;
  const int s = std::max(a.scale_, b.scale_);
  const int c = cmp_mag(shifted(a.coef_, s - a.scale_), shifted(b.coef_, s - b.scale_));
  return a.negative_ ? -c : c;
}

decimal operator+(const decimal& a, const decimal& b) {
  if (a.special_ != decimal::kind::finite || b.special_ != decimal::kind::finite) {
    return *decimal::parse("NaN");
  }
  decimal out;
  out.scale_ = std::max(a.scale_, b.scale_);
  const std::string ma = shifted(a.coef_, out.scale_ - a.scale_);
  const std::string mb = shifted(b.coef_, out.scale_ - b.scale_);
  if (a.negative_ == b.negative_) {
    out.coef_ = add_mag(ma, mb);
    out.negative_ = a.negative_;
  } else if (cmp_mag(ma, mb) >= 0) {
    out.coef_ = sub_mag(ma, mb);
    out.negative_ = a.negative_;
  } else {
    out.coef_ = sub_mag(mb, ma);
    out.negative_ = b.negative_;
  }
  out.normalise();
  return out;
}

decimal decimal::negated() const {
  decimal out = *this;
  if (special_ == kind::pos_inf)
    out.special_ = kind::neg_inf;
  else if (special_ == kind::neg_inf)
    out.special_ = kind::pos_inf;
  else if (!coef_.empty())
    out.negative_ = !negative_;
  return out;
}

decimal operator-(const decimal& a, const decimal& b) {
  return a + b.negated();
}

decimal operator*(const decimal& a, const decimal& b) {
  if (a.special_ != decimal::kind::finite || b.special_ != decimal::kind::finite) {
    return *decimal::parse("NaN");
  }
  decimal out;
  out.coef_ = mul_mag(a.coef_, b.coef_);
  out.negative_ = a.negative_ != b.negative_;
  out.scale_ = std::min(a.scale_ + b.scale_, max_display_scale);
  if (a.scale_ + b.scale_ > max_display_scale) {
    decimal exact = out;
    exact.scale_ = a.scale_ + b.scale_;
    out = exact.rounded(max_display_scale);
  }
  out.normalise();
  return out;
}

int decimal::digit_at_power(int power) const {
  const long index = static_cast<long>(coef_.size()) - 1 - (power + scale_);
  if (index < 0 || index >= static_cast<long>(coef_.size())) return 0;
  return coef_[static_cast<std::size_t>(index)] - '0';
}

int decimal::leading_power() const {
  return static_cast<int>(coef_.size()) - 1 - scale_;
}

decimal decimal::divide(const decimal& a, const decimal& b) {
  if (a.special_ != kind::finite || b.special_ != kind::finite) return *parse("NaN");
  // select_div_scale: weights and first digits in base 10000 (NBASE).
  auto nbase = [](const decimal& x, int* first) {
    if (x.coef_.empty()) {
      *first = 0;
      return 0;
    }
    const int p = x.leading_power();
    const int weight = p >= 0 ? p / 4 : -((-p + 3) / 4);
    int digit = 0;
    for (int k = 3; k >= 0; --k) digit = digit * 10 + x.digit_at_power(weight * 4 + k);
    *first = digit;
    return weight;
  };
  int first1 = 0, first2 = 0;
  const int weight1 = nbase(a, &first1);
  const int weight2 = nbase(b, &first2);
  int qweight = weight1 - weight2;
  if (first1 <= first2) --qweight;
  int rscale = min_sig_digits - qweight * 4;
  rscale = std::max({rscale, a.scale_, b.scale_, 0});
  rscale = std::min(rscale, max_display_scale);
  // q = a / b computed to rscale + 1 digits, then rounded half away from zero.
  const int extra = rscale + 1;
  const int shift = extra + b.scale_ - a.scale_;
  std::string num = a.coef_, den = b.coef_;
  if (shift >= 0)
    num = shifted(num, shift);
  else
    den = shifted(den, -shift);
  decimal q;
  q.coef_ = div_mag(num, den, nullptr);
  q.scale_ = extra;
  q.negative_ = a.negative_ != b.negative_;
  q.normalise();
  return q.rounded(rscale);
}

decimal decimal::modulo(const decimal& a, const decimal& b) {
  if (a.special_ != kind::finite || b.special_ != kind::finite) return *parse("NaN");
  const int s = std::max(a.scale_, b.scale_);
  std::string rem;
  div_mag(shifted(a.coef_, s - a.scale_), shifted(b.coef_, s - b.scale_), &rem);
  decimal out;
  out.coef_ = rem;
  out.scale_ = s;
  out.negative_ = a.negative_;
  out.normalise();
  return out;
}

decimal decimal::rounded(int scale) const {
  if (special_ != kind::finite || scale >= scale_) {
    decimal out = *this;
    if (special_ == kind::finite && scale > scale_) {
      out.coef_ = shifted(out.coef_, scale - scale_);
      out.scale_ = scale;
    }
    return out;
  }
  const int drop = scale_ - scale;
  decimal out = *this;
  out.scale_ = scale;
  if (static_cast<int>(coef_.size()) < drop) {
    out.coef_.clear();
  } else {
    const std::size_t keep = coef_.size() - static_cast<std::size_t>(drop);
    const bool round_up = coef_[keep] >= '5';
    out.coef_ = coef_.substr(0, keep);
    if (round_up) out.coef_ = add_mag(out.coef_, "1");
  }
  if (scale < 0) {  // numeric(p,-s): round to tens, hundreds, ...
    out.coef_ = shifted(out.coef_, -scale);
    out.scale_ = 0;
  }
  out.normalise();
  return out;
}

int decimal::integer_digits() const {
  const int n = static_cast<int>(coef_.size()) - scale_;
  return n > 0 ? n : 0;
}

}  // namespace fauxgres::responder
