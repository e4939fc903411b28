#include "silt/columnar/decimal.h"

#include <algorithm>

namespace silt::columnar {

namespace {

using int128 = __int128;
using uint128 = unsigned __int128;

int128 ToInt128(const Decimal128& d) {
  return static_cast<int128>((static_cast<uint128>(static_cast<uint64_t>(d.high())) << 64) |
                             d.low());
}

Decimal128 FromInt128(int128 v) {
  auto u = static_cast<uint128>(v);
  return Decimal128(static_cast<int64_t>(static_cast<uint64_t>(u >> 64)),
                    static_cast<uint64_t>(u));
}

// Decimal digits of |v|, most significant first ("0" for zero).
std::string AbsDigits(int128 v) {
  uint128 u = v < 0 ? -static_cast<uint128>(v) : static_cast<uint128>(v);
  if (u == 0) return "0";
  std::string digits;
  while (u != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

}  // namespace

Result<Decimal128> Decimal128::FromBigEndian(const uint8_t* bytes, int32_t length) {
  if (length < 1 || length > 16) {
    return Status::InvalidArgument("decimal byte length must be in [1, 16], got {}", length);
  }
  // Sign-extend from the first byte.
  uint128 u = (bytes[0] & 0x80) ? ~static_cast<uint128>(0) : 0;
  for (int32_t i = 0; i < length; ++i) u = (u << 8) | bytes[i];
  return FromInt128(static_cast<int128>(u));
}

std::string Decimal128::ToIntegerString() const {
  int128 v = ToInt128(*this);
  return (v < 0 ? "-" : "") + AbsDigits(v);
}

std::string Decimal128::ToString(int32_t scale) const {
  int128 v = ToInt128(*this);
  std::string digits = AbsDigits(v);
  if (scale > 0) {
    if (static_cast<int32_t>(digits.size()) <= scale) {
      digits.insert(0, static_cast<size_t>(scale + 1) - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), 1, '.');
  } else if (scale < 0 && digits != "0") {
    digits.append(static_cast<size_t>(-scale), '0');
  }
  return (v < 0 ? "-" : "") + digits;
}

bool Decimal128::FitsInPrecision(int32_t precision) const {
  if (precision >= 39) return true;
  if (precision <= 0) return false;
  int128 v = ToInt128(*this);
  uint128 u = v < 0 ? -static_cast<uint128>(v) : static_cast<uint128>(v);
  uint128 limit = 1;
  for (int32_t i = 0; i < precision; ++i) limit *= 10;
  return u < limit;
}

Result<Decimal128> Decimal128::FromString(std::string_view text, int32_t precision,
                                          int32_t scale) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("invalid decimal '{}' for decimal({},{}): {}", text, precision,
                                   scale, why);
  };
  if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
    return bad("unsupported precision/scale");
  }
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string digits;
  int64_t frac_digits = 0;
  bool any_digit = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    digits.push_back(text[i]);
    any_digit = true;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      digits.push_back(text[i]);
      ++frac_digits;
      any_digit = true;
    }
  }
  if (!any_digit) return bad("no digits");
  int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (i >= text.size()) return bad("missing exponent");
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      exponent = exponent * 10 + (text[i] - '0');
      if (exponent > 100000) return bad("exponent out of range");
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != text.size()) return bad("unexpected character");

  // value = digits * 10^(exponent - frac_digits); unscaled = value * 10^scale.
  int64_t shift = exponent - frac_digits + scale;
  if (shift < 0) {
    size_t drop = static_cast<size_t>(-shift);
    if (drop > digits.size()) drop = digits.size();
    for (size_t k = digits.size() - drop; k < digits.size(); ++k) {
      if (digits[k] != '0') return bad("too many fractional digits for the scale");
    }
    digits.resize(digits.size() - drop);
  }
  size_t first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "" : digits.substr(first);
  if (shift > 0 && !digits.empty()) {
    if (shift > 38) return bad("too many digits for the precision");
    digits.append(static_cast<size_t>(shift), '0');
  }
  if (static_cast<int32_t>(digits.size()) > precision) {
    return bad("too many digits for the precision");
  }
  int128 v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return FromInt128(negative ? -v : v);
}

}  // namespace silt::columnar
