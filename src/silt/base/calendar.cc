#include "silt/base/calendar.h"

#include <fmt/format.h>

namespace silt {

// The well-known era-based formulas: 400-year eras of 146097 days.
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

namespace {

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

std::string FormatDate(int64_t days) {
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

}  // namespace silt
