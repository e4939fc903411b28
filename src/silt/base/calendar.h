// Proleptic Gregorian calendar arithmetic and the date/timestamp text forms Delta uses in
// partition values, statistics and SQL literals. The one place silt converts between civil
// dates and days since 1970-01-01.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "silt/base/result.h"

namespace silt {

// Days since 1970-01-01 of year-month-day (month 1..12, day 1..31; not validated).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
// The inverse of DaysFromCivil.
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);

// "2020-01-31" -> days since the epoch. kInvalidArgument for anything else (incl. 2021-02-29).
Result<int32_t> ParseDate(std::string_view text);
// "2020-01-31 12:00:00[.ffffff]", "2020-01-31T12:00:00[.fff][Z|+hh:mm]", "2020-01-31" -> micros
// since the epoch. Without an offset the text is read as UTC (the caller decides whether that
// means NTZ). kInvalidArgument for anything else.
Result<int64_t> ParseTimestamp(std::string_view text);
// "2020-01-31"; years before 1 as "-0044-03-15".
std::string FormatDate(int64_t days);
// "2020-01-31 12:00:00.123456" (fraction only when non-zero).
std::string FormatTimestamp(int64_t micros);

}  // namespace silt
