#include "silt/parquet/int96.h"

#include <cstring>

#include "silt/parquet/encoding/bit_util.h"

namespace silt::parquet {

namespace {

constexpr int64_t kNanosPerDay = int64_t{86400} * 1000 * 1000 * 1000;
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000 * 1000;

Status Split(const Int96& value, int64_t* days, int64_t* nanos) {
  *nanos = LoadLE<int64_t>(value.bytes);
  *days = static_cast<int64_t>(LoadLE<int32_t>(value.bytes + 8)) - kJulianDayOfUnixEpoch;
  if (*nanos < 0 || *nanos >= kNanosPerDay) {
    return Status::InvalidArgument("INT96 timestamp with {} nanoseconds of the day", *nanos);
  }
  return Status::OK();
}

}  // namespace

Result<int64_t> Int96ToUnixMicros(const Int96& value) {
  int64_t days = 0, nanos = 0;
  SILT_RETURN_NOT_OK(Split(value, &days, &nanos));
  int64_t day_micros = 0, result = 0;
  if (__builtin_mul_overflow(days, kMicrosPerDay, &day_micros) ||
      __builtin_add_overflow(day_micros, nanos / 1000, &result)) {
    return Status::InvalidArgument("INT96 timestamp of Julian day {} does not fit microseconds",
                                   days + kJulianDayOfUnixEpoch);
  }
  return result;
}

Result<int64_t> Int96ToUnixNanos(const Int96& value) {
  int64_t days = 0, nanos = 0;
  SILT_RETURN_NOT_OK(Split(value, &days, &nanos));
  int64_t day_nanos = 0, result = 0;
  if (__builtin_mul_overflow(days, kNanosPerDay, &day_nanos) ||
      __builtin_add_overflow(day_nanos, nanos, &result)) {
    return Status::InvalidArgument("INT96 timestamp of Julian day {} does not fit nanoseconds",
                                   days + kJulianDayOfUnixEpoch);
  }
  return result;
}

Int96 UnixMicrosToInt96(int64_t micros) {
  int64_t days = micros / kMicrosPerDay;
  int64_t rest = micros % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    --days;
  }
  Int96 out;
  StoreLE<int64_t>(out.bytes, rest * 1000);
  StoreLE<int32_t>(out.bytes + 8, static_cast<int32_t>(days + kJulianDayOfUnixEpoch));
  return out;
}

}  // namespace silt::parquet
