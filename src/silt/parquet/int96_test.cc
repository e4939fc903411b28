#include "silt/parquet/int96.h"

#include <cstring>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

Int96 FromBytes(const char* bytes) {
  Int96 v;
  std::memcpy(v.bytes, bytes, 12);
  return v;
}

TEST(Int96Test, SparkExample) {
  // 00d00361ed280000 cf892500 = 2023-06-15 12:30:00 UTC (a Spark file).
  Int96 v = FromBytes("\x00\xd0\x03\x61\xed\x28\x00\x00\xcf\x89\x25\x00");
  ASSERT_OK_AND_ASSIGN(int64_t micros, Int96ToUnixMicros(v));
  EXPECT_EQ(micros, int64_t{1686832200} * 1000000);
  ASSERT_OK_AND_ASSIGN(int64_t nanos, Int96ToUnixNanos(v));
  EXPECT_EQ(nanos, int64_t{1686832200} * 1000000000);
  EXPECT_EQ(std::memcmp(UnixMicrosToInt96(micros).bytes, v.bytes, 12), 0);
}

TEST(Int96Test, RoundTripsBeforeAndAfterTheEpoch) {
  for (int64_t micros : {int64_t{0}, int64_t{-1}, int64_t{1}, int64_t{-86400000000},
                         int64_t{-12219292800000000} /* 1582-10-15 */, int64_t{253402300799999999}}) {
    ASSERT_OK_AND_ASSIGN(int64_t back, Int96ToUnixMicros(UnixMicrosToInt96(micros)));
    EXPECT_EQ(back, micros);
  }
}

TEST(Int96Test, InvalidValues) {
  Int96 v = UnixMicrosToInt96(0);
  int64_t too_many = int64_t{86400} * 1000000000;
  std::memcpy(v.bytes, &too_many, 8);
  ASSERT_STATUS_CODE(kInvalidArgument, Int96ToUnixMicros(v));
  // Year ~2517: fine in micros, not in nanos.
  Int96 far = UnixMicrosToInt96(0);
  int32_t day = static_cast<int32_t>(kJulianDayOfUnixEpoch + 200000);
  std::memcpy(far.bytes + 8, &day, 4);
  ASSERT_OK(Int96ToUnixMicros(far));
  ASSERT_STATUS_CODE(kInvalidArgument, Int96ToUnixNanos(far));
  // Julian day 2e9 does not fit microseconds either.
  day = 2000000000;
  std::memcpy(far.bytes + 8, &day, 4);
  ASSERT_STATUS_CODE(kInvalidArgument, Int96ToUnixMicros(far));
}

}  // namespace
}  // namespace silt::parquet
