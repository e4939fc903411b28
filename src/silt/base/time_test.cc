#include "silt/base/time.h"

#include <gtest/gtest.h>

namespace silt {
namespace {

TEST(TimeTest, FormatsUtc) {
  EXPECT_EQ(FormatTimestampMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestampMillis(1609459200123), "2021-01-01T00:00:00.123Z");
  EXPECT_EQ(FormatTimestampMillis(-1), "1969-12-31T23:59:59.999Z");
}

TEST(TimeTest, ClocksMove) {
  EXPECT_GT(NowMillis(), 1600000000000);
  int64_t a = MonotonicMicros();
  int64_t b = MonotonicMicros();
  EXPECT_LE(a, b);
}

}  // namespace
}  // namespace silt
