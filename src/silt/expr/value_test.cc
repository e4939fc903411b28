#include "silt/expr/value.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::expr {
namespace {

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
