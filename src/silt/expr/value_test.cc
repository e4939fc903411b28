#include "silt/expr/value.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::expr {
namespace {

TEST(ValueTest, DatesRoundTrip) {
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

TEST(ValueTest, Timestamps) {
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

TEST(ValueTest, Decimals) {
  ASSERT_OK_AND_ASSIGN(Decimal d, ParseDecimal("-12.340"));
  EXPECT_EQ(d.unscaled, -12340);
  EXPECT_EQ(d.scale, 3);
  EXPECT_EQ(FormatDecimal(d), "-12.340");
  EXPECT_EQ(FormatDecimal(Decimal{5, 3}), "0.005");
  ASSERT_OK_AND_ASSIGN(d, ParseDecimal("99999999999999999999999999999999999999"));
  EXPECT_EQ(FormatDecimal(d), "99999999999999999999999999999999999999");
  EXPECT_STATUS_CODE(kInvalidArgument, ParseDecimal("999999999999999999999999999999999999999"));
  EXPECT_STATUS_CODE(kInvalidArgument, ParseDecimal("1.2.3"));
  EXPECT_STATUS_CODE(kInvalidArgument, ParseDecimal("-"));
}

TEST(ValueTest, CompareAcrossKinds) {
  EXPECT_EQ(Compare(Value::Int(3), Value::Double(3.0)), 0);
  EXPECT_EQ(Compare(Value::Int(3), Value::MakeDecimal(301, 2)), -1);
  EXPECT_EQ(Compare(Value::MakeDecimal(1500, 3), Value::MakeDecimal(15, 1)), 0);
  EXPECT_EQ(Compare(Value::String("a"), Value::String("b")), -1);
  EXPECT_EQ(Compare(Value::String("\xc3\xa9"), Value::String("z")), 1);  // é after z
  EXPECT_EQ(Compare(Value::Date(1), Value::Timestamp(86400000000LL)), 0);
  EXPECT_EQ(Compare(Value::Null(), Value::Int(1)), std::nullopt);
  EXPECT_EQ(Compare(Value::String("1"), Value::Int(1)), std::nullopt);
  EXPECT_EQ(Compare(Value::Timestamp(1), Value::TimestampNtz(1)), std::nullopt);
  EXPECT_EQ(Compare(Value::Double(std::nan("")), Value::Double(1e300)), 1);
}

TEST(ValueTest, ToStringIsSqlLiteral) {
  EXPECT_EQ(Value::String("it's").ToString(), "'it''s'");
  EXPECT_EQ(Value::Date(0).ToString(), "DATE '1970-01-01'");
  EXPECT_EQ(Value::Binary("\x01\xff").ToString(), "X'01FF'");
  EXPECT_EQ(Value::Null().ToString(), "NULL");
}

}  // namespace
}  // namespace silt::expr
