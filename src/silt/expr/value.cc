#include "silt/expr/value.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace silt::expr {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian civil date (the well-known era-based formula).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool ParseFixedInt(std::string_view s, size_t pos, size_t len, int64_t* out) {
  if (pos + len > s.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Parses "YYYY-MM-DD" at the start of `text`; sets *consumed.
Result<int64_t> ParseDatePrefix(std::string_view text, size_t* consumed) {
  size_t pos = 0;
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    pos = 1;
  }
  size_t dash = text.find('-', pos);
  int64_t y, m, d;
  if (dash == std::string_view::npos || dash - pos < 4 || dash - pos > 6 ||
      !ParseFixedInt(text, pos, dash - pos, &y) || dash + 6 > text.size() ||
      text[dash + 3] != '-' || !ParseFixedInt(text, dash + 1, 2, &m) ||
      !ParseFixedInt(text, dash + 4, 2, &d) || m < 1 || m > 12 || d < 1 ||
      static_cast<unsigned>(d) > DaysInMonth(negative ? -y : y, static_cast<unsigned>(m))) {
    return Status::InvalidArgument("'{}' is not a date (expected YYYY-MM-DD)", text);
  }
  *consumed = dash + 6;
  return DaysFromCivil(negative ? -y : y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

}  // namespace

Result<int32_t> ParseDate(std::string_view text) {
  size_t consumed = 0;
  SILT_ASSIGN_OR_RETURN(int64_t days, ParseDatePrefix(text, &consumed));
  if (consumed != text.size()) {
    return Status::InvalidArgument("'{}' is not a date (expected YYYY-MM-DD)", text);
  }
  return static_cast<int32_t>(days);
}

Result<int64_t> ParseTimestamp(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument(
        "'{}' is not a timestamp (expected YYYY-MM-DD[ |T]hh:mm:ss[.f][Z|+hh:mm])", text);
  };
  size_t pos = 0;
  SILT_ASSIGN_OR_RETURN(int64_t days, ParseDatePrefix(text, &pos));
  int64_t micros = days * 86400LL * 1000000LL;
  if (pos == text.size()) return micros;
  if (text[pos] != ' ' && text[pos] != 'T') return bad();
  ++pos;
  int64_t hh, mm, ss = 0;
  if (!ParseFixedInt(text, pos, 2, &hh) || pos + 2 >= text.size() || text[pos + 2] != ':' ||
      !ParseFixedInt(text, pos + 3, 2, &mm) || hh > 23 || mm > 59) {
    return bad();
  }
  pos += 5;
  if (pos < text.size() && text[pos] == ':') {
    if (!ParseFixedInt(text, pos + 1, 2, &ss) || ss > 59) return bad();
    pos += 3;
  }
  int64_t frac = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) frac = frac * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0 || digits > 9) return bad();
    for (int i = digits; i < 6; ++i) frac *= 10;
  }
  micros += ((hh * 60 + mm) * 60 + ss) * 1000000LL + frac;
  if (pos == text.size()) return micros;
  if (text[pos] == 'Z' && pos + 1 == text.size()) return micros;
  if (text[pos] == '+' || text[pos] == '-') {
    int sign = text[pos] == '+' ? 1 : -1;
    int64_t oh, om = 0;
    if (!ParseFixedInt(text, pos + 1, 2, &oh)) return bad();
    size_t p = pos + 3;
    if (p < text.size() && text[p] == ':') ++p;
    if (p < text.size()) {
      if (!ParseFixedInt(text, p, 2, &om)) return bad();
      p += 2;
    }
    if (p != text.size() || oh > 18 || om > 59) return bad();
    return micros - sign * (oh * 60 + om) * 60 * 1000000LL;
  }
  return bad();
}

std::string FormatDate(int32_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  if (y < 0) return fmt::format("-{:04d}-{:02d}-{:02d}", -y, m, d);
  return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
}

std::string FormatTimestamp(int64_t micros) {
  int64_t days = micros / 86400000000LL;
  int64_t rem = micros % 86400000000LL;
  if (rem < 0) {
    rem += 86400000000LL;
    --days;
  }
  int64_t secs = rem / 1000000, frac = rem % 1000000;
  std::string out = fmt::format("{} {:02d}:{:02d}:{:02d}", FormatDate(static_cast<int32_t>(days)),
                                secs / 3600, secs / 60 % 60, secs % 60);
  if (frac != 0) out += fmt::format(".{:06d}", frac);
  return out;
}

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
