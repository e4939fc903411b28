#include "silt/delta/scan/values.h"

#include <cmath>

#include <gtest/gtest.h>

#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

namespace col = ::silt::columnar;
using expr::Value;

Value Parse(std::optional<std::string> text, const col::TypePtr& type) {
  Result<Value> v = ParsePartitionValue(text, *type, "p");
  EXPECT_TRUE(v.ok()) << v.error().ToString();
  return v.ok() ? *v : Value::Null();
}

TEST(PartitionValueTest, EveryType) {
  EXPECT_TRUE(Parse(std::nullopt, col::Int32()).is_null());
  EXPECT_TRUE(Parse("", col::Int32()).is_null());
  EXPECT_EQ(Parse("", col::String()), Value::String(""));
  EXPECT_EQ(Parse("a b/c%d=é", col::String()), Value::String("a b/c%d=é"));
  EXPECT_EQ(Parse(std::string("\x01\x02", 2), col::Binary()), Value::Binary("\x01\x02"));
  EXPECT_EQ(Parse("-128", col::Int8()), Value::Int(-128));
  EXPECT_EQ(Parse("9223372036854775807", col::Int64()), Value::Int(INT64_MAX));
  EXPECT_EQ(Parse("TRUE", col::Boolean()), Value::Boolean(true));
  EXPECT_EQ(Parse("false", col::Boolean()), Value::Boolean(false));
  EXPECT_EQ(Parse("1.5", col::Float64()), Value::Double(1.5));
  EXPECT_EQ(Parse("4.9E-324", col::Float64()), Value::Double(4.9e-324));
  EXPECT_TRUE(std::isnan(Parse("NaN", col::Float32()).double_value()));
  EXPECT_EQ(Parse("-Infinity", col::Float64()), Value::Double(-INFINITY));
  EXPECT_EQ(Parse("1.230000000000000000", col::Decimal(38, 18)),
            Value::MakeDecimal(static_cast<__int128>(1230000000000000000LL), 18));
  EXPECT_EQ(Parse("1.5", col::Decimal(5, 2)), Value::MakeDecimal(150, 2));
  EXPECT_EQ(Parse("1E2", col::Decimal(5, 0)), Value::MakeDecimal(100, 0));
  EXPECT_EQ(Parse("1970-01-02", col::Date()), Value::Date(1));
  EXPECT_EQ(Parse("2024-06-15T19:30:45.000000Z", col::Timestamp()),
            Value::Timestamp(1718479845000000LL));
  EXPECT_EQ(Parse("2024-06-15 19:30:45", col::Timestamp()), Value::Timestamp(1718479845000000LL));
  EXPECT_EQ(Parse("2013-07-05 17:01:00.123456", col::TimestampNtz()),
            Value::TimestampNtz(1373043660123456LL));
}

TEST(PartitionValueTest, MalformedIsCorruptionNamingTheColumn) {
  Result<Value> v = ParsePartitionValue("12x", *col::Int32(), "year");
  ASSERT_STATUS_CODE(kCorruption, v);
  EXPECT_NE(v.error().message().find("year"), std::string::npos);
  EXPECT_NE(v.error().message().find("12x"), std::string::npos);
  EXPECT_STATUS_CODE(kCorruption, ParsePartitionValue("128", *col::Int8(), "b"));
  EXPECT_STATUS_CODE(kCorruption, ParsePartitionValue("maybe", *col::Boolean(), "b"));
  EXPECT_STATUS_CODE(kCorruption, ParsePartitionValue("1.234", *col::Decimal(5, 2), "d"));
  EXPECT_STATUS_CODE(kCorruption, ParsePartitionValue("2020-13-01", *col::Date(), "d"));
  EXPECT_STATUS_CODE(kUnsupported, ParsePartitionValue("x", *col::List(col::Int32()), "l"));
}

TEST(ConstantArrayTest, RepeatsTheValue) {
  ASSERT_OK_AND_ASSIGN(auto a, ConstantArray(col::Decimal(5, 2), Value::MakeDecimal(150, 2), 3));
  EXPECT_EQ(col::ArrayToJson(*a), "[1.50,1.50,1.50]");
  ASSERT_OK_AND_ASSIGN(auto n, ConstantArray(col::Date(), Value::Null(), 2));
  EXPECT_EQ(col::ArrayToJson(*n), "[null,null]");
  ASSERT_OK_AND_ASSIGN(auto s, ConstantArray(col::String(), Value::String("x"), 2));
  EXPECT_EQ(col::ArrayToJson(*s), R"(["x","x"])");
  EXPECT_STATUS_CODE(kInvalidArgument, ConstantArray(col::Int8(), Value::Int(1000), 1));
}

TEST(CastArrayTest, WidensAndRoundTripsValues) {
  ASSERT_OK_AND_ASSIGN(auto ints, col::ArrayFromJson(col::Int32(), "[1,null,-3]"));
  ASSERT_OK_AND_ASSIGN(auto longs, CastArray(*ints, col::Int64()));
  EXPECT_EQ(col::ArrayToJson(*longs), "[1,null,-3]");
  ASSERT_OK_AND_ASSIGN(auto doubles, CastArray(*ints, col::Float64()));
  EXPECT_EQ(longs->type_id(), col::TypeId::kInt64);
  EXPECT_EQ(doubles->type_id(), col::TypeId::kFloat64);
  EXPECT_TRUE(doubles->IsNull(1));
  ASSERT_OK_AND_ASSIGN(auto v, ValueFromArray(*ints, 2));
  EXPECT_EQ(v, Value::Int(-3));
  EXPECT_STATUS_CODE(kUnsupported, CastArray(*ints, col::Date()));
}

}  // namespace
}  // namespace silt::delta
