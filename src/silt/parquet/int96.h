// INT96 timestamps (parquet-format LogicalTypes.md, "INT96"; deprecated, still Spark's default
// for `timestamp`): bytes 0-7 little-endian nanoseconds of the day, bytes 8-11 little-endian
// Julian day number. Interpreted as a UTC instant. The Unix epoch is Julian day 2440588.
#pragma once

#include <cstdint>

#include "silt/base/result.h"
#include "silt/parquet/encoding/decoder.h"

namespace silt::parquet {

inline constexpr int64_t kJulianDayOfUnixEpoch = 2440588;

// Microseconds since the Unix epoch (sub-microsecond digits truncated toward negative infinity).
// kInvalidArgument when nanoseconds of the day are outside [0, 86400e9) or the result overflows.
Result<int64_t> Int96ToUnixMicros(const Int96& value);

// Nanoseconds since the Unix epoch; kInvalidArgument outside years 1677..2262.
Result<int64_t> Int96ToUnixNanos(const Int96& value);

Int96 UnixMicrosToInt96(int64_t micros);

}  // namespace silt::parquet
