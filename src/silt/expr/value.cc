#include "silt/expr/value.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace silt::expr {
Result<Decimal> ParseDecimal(std::string_view text) {
  Decimal d;
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  bool any_digit = false, seen_point = false;
  int digits = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return Status::InvalidArgument("'{}' is not a decimal number", text);
    any_digit = true;
    if (d.unscaled != 0 || c != '0') ++digits;
    if (digits > 38) return Status::InvalidArgument("'{}' has more than 38 digits", text);
    d.unscaled = d.unscaled * 10 + (c - '0');
    if (seen_point) ++d.scale;
  }
  if (!any_digit) return Status::InvalidArgument("'{}' is not a decimal number", text);
  if (negative) d.unscaled = -d.unscaled;
  return d;
}

std::string FormatDecimal(const Decimal& d) {
  unsigned __int128 mag = d.unscaled < 0 ? -static_cast<unsigned __int128>(d.unscaled)
                                         : static_cast<unsigned __int128>(d.unscaled);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(mag % 10)));
    mag /= 10;
  } while (mag != 0);
  if (d.scale > 0) {
    while (static_cast<int32_t>(digits.size()) <= d.scale) digits.insert(digits.begin(), '0');
    digits.insert(digits.end() - d.scale, '.');
  }
  return d.unscaled < 0 ? "-" + digits : digits;
}

std::string Value::ToString() const {
  switch (kind_) {
    case ValueKind::kNull: return "NULL";
    case ValueKind::kBoolean: return bool_value() ? "true" : "false";
    case ValueKind::kInt: return std::to_string(int_value());
    case ValueKind::kDouble: return fmt::format("{}", double_value());
    case ValueKind::kDecimal: return FormatDecimal(decimal_value());
    case ValueKind::kString:
    case ValueKind::kBinary: {
      std::string out = kind_ == ValueKind::kBinary ? "X'" : "'";
      if (kind_ == ValueKind::kBinary) {
        for (unsigned char c : string_value()) out += fmt::format("{:02X}", c);
      } else {
        for (char c : string_value()) {
          if (c == '\'') out.push_back('\'');
          out.push_back(c);
        }
      }
      return out + "'";
    }
    case ValueKind::kDate: return "DATE '" + FormatDate(static_cast<int32_t>(int_value())) + "'";
    case ValueKind::kTimestamp: return "TIMESTAMP '" + FormatTimestamp(int_value()) + "Z'";
    case ValueKind::kTimestampNtz: return "TIMESTAMP_NTZ '" + FormatTimestamp(int_value()) + "'";
  }
  return "?";
}

namespace {

long double AsLongDouble(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kInt: return static_cast<long double>(v.int_value());
    case ValueKind::kDouble: return v.double_value();
    case ValueKind::kDecimal: {
      long double x = static_cast<long double>(v.decimal_value().unscaled);
      for (int i = 0; i < v.decimal_value().scale; ++i) x /= 10;
      return x;
    }
    default: return 0;
  }
}

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Rescales to a common scale when that does not overflow 38 digits; nullopt otherwise.
std::optional<int> CompareDecimals(const Decimal& a, const Decimal& b) {
  Decimal x = a, y = b;
  constexpr __int128 kLimit = static_cast<__int128>(1) << 120;
  while (x.scale < y.scale) {
    if (x.unscaled > kLimit || x.unscaled < -kLimit) return std::nullopt;
    x.unscaled *= 10;
    ++x.scale;
  }
  while (y.scale < x.scale) {
    if (y.unscaled > kLimit || y.unscaled < -kLimit) return std::nullopt;
    y.unscaled *= 10;
    ++y.scale;
  }
  return Cmp(x.unscaled, y.unscaled);
}

bool IsTemporal(ValueKind k) {
  return k == ValueKind::kDate || k == ValueKind::kTimestamp || k == ValueKind::kTimestampNtz;
}

int64_t AsMicros(const Value& v) {
  return v.kind() == ValueKind::kDate ? v.int_value() * 86400000000LL : v.int_value();
}

}  // namespace

std::optional<int> Compare(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return std::nullopt;
  if (a.is_numeric() && b.is_numeric()) {
    if (a.kind() == ValueKind::kInt && b.kind() == ValueKind::kInt) {
      return Cmp(a.int_value(), b.int_value());
    }
    if (a.kind() == ValueKind::kDecimal && b.kind() == ValueKind::kDecimal) {
      if (auto c = CompareDecimals(a.decimal_value(), b.decimal_value())) return c;
    }
    long double x = AsLongDouble(a), y = AsLongDouble(b);
    if (std::isnan(x) || std::isnan(y)) {
      // Spark orders NaN above every other value and equal to itself.
      return Cmp(std::isnan(x) ? 1 : 0, std::isnan(y) ? 1 : 0);
    }
    return Cmp(x, y);
  }
  if (IsTemporal(a.kind()) && IsTemporal(b.kind())) {
    if (a.kind() == b.kind() || a.kind() == ValueKind::kDate || b.kind() == ValueKind::kDate) {
      return Cmp(AsMicros(a), AsMicros(b));
    }
    return std::nullopt;  // timestamp vs timestamp_ntz needs a session time zone
  }
  if (a.kind() != b.kind()) return std::nullopt;
  switch (a.kind()) {
    case ValueKind::kBoolean: return Cmp(a.bool_value(), b.bool_value());
    case ValueKind::kString:
    case ValueKind::kBinary: {
      // Byte order, which for UTF-8 equals code point order (Spark's string ordering).
      int c = std::string_view(a.string_value()).compare(b.string_value());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    default: return std::nullopt;
  }
}

}  // namespace silt::expr
