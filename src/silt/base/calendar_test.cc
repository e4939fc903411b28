#include "silt/base/calendar.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt {
namespace {

TEST(CalendarTest, DatesRoundTrip) {
  ASSERT_OK_AND_ASSIGN(int32_t d, ParseDate("1970-01-01"));
  EXPECT_EQ(d, 0);
  ASSERT_OK_AND_ASSIGN(d, ParseDate("2000-03-01"));
  EXPECT_EQ(d, 11017);
  EXPECT_EQ(FormatDate(11017), "2000-03-01");
  ASSERT_OK_AND_ASSIGN(d, ParseDate("1969-12-31"));
  EXPECT_EQ(d, -1);
  for (int32_t days = -800000; days < 800000; days += 997) {
    ASSERT_OK_AND_ASSIGN(int32_t back, ParseDate(FormatDate(days)));
    EXPECT_EQ(back, days);
  }
  EXPECT_STATUS_CODE(kInvalidArgument, ParseDate("2021-02-29"));
  EXPECT_STATUS_CODE(kInvalidArgument, ParseDate("2021-13-01"));
  EXPECT_STATUS_CODE(kInvalidArgument, ParseDate("2021-1-01"));
  EXPECT_STATUS_CODE(kInvalidArgument, ParseDate("20210101"));
  EXPECT_STATUS_CODE(kInvalidArgument, ParseDate("2021-01-01x"));
  ASSERT_OK(ParseDate("2020-02-29"));
}

TEST(CalendarTest, Timestamps) {
  ASSERT_OK_AND_ASSIGN(int64_t t, ParseTimestamp("2023-06-15T12:30:00.000Z"));
  EXPECT_EQ(t, 1686832200000000);
  ASSERT_OK_AND_ASSIGN(int64_t t2, ParseTimestamp("2023-06-15 05:30:00-07:00"));
  EXPECT_EQ(t2, t);
  ASSERT_OK_AND_ASSIGN(int64_t t3, ParseTimestamp("2023-06-15 12:30:00.123456"));
  EXPECT_EQ(t3, t + 123456);
  EXPECT_EQ(FormatTimestamp(t3), "2023-06-15 12:30:00.123456");
  EXPECT_EQ(FormatTimestamp(t), "2023-06-15 12:30:00");
  ASSERT_OK_AND_ASSIGN(int64_t t4, ParseTimestamp("2023-06-15"));
  EXPECT_EQ(t4, t - (12 * 3600 + 1800) * 1000000LL);
  ASSERT_OK_AND_ASSIGN(int64_t neg, ParseTimestamp("1969-12-31 23:59:59.5"));
  EXPECT_EQ(neg, -500000);
  EXPECT_EQ(FormatTimestamp(-500000), "1969-12-31 23:59:59.500000");
  EXPECT_STATUS_CODE(kInvalidArgument, ParseTimestamp("2023-06-15T25:00:00"));
  EXPECT_STATUS_CODE(kInvalidArgument, ParseTimestamp("2023-06-15T12:30:00+"));
  EXPECT_STATUS_CODE(kInvalidArgument, ParseTimestamp("2023-06-15T12:30:00.Z"));
}

TEST(CalendarTest, CivilConversionsAreInverse) {
  for (int64_t days = -1000000; days <= 1000000; days += 331) {
    int64_t y;
    unsigned m, d;
    CivilFromDays(days, &y, &m, &d);
    EXPECT_EQ(DaysFromCivil(y, m, d), days);
  }
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(FormatDate(-719528), "0000-01-01");
  EXPECT_EQ(FormatDate(-719529), "-0001-12-31");
}

}  // namespace
}  // namespace silt
