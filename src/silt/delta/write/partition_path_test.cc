#include "silt/delta/write/partition_path.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "silt/delta/scan/values.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

namespace col = silt::columnar;
using expr::Value;

std::optional<std::string> Ser(const Value& v, const col::TypePtr& type) {
  auto r = SerializePartitionValue(v, *type);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::optional<std::string>("<error>");
}

TEST(SerializePartitionValueTest, EveryPrimitiveType) {
  EXPECT_EQ(Ser(Value::Boolean(true), col::Boolean()), "true");
  EXPECT_EQ(Ser(Value::Boolean(false), col::Boolean()), "false");
  EXPECT_EQ(Ser(Value::Int(-128), col::Int8()), "-128");
  EXPECT_EQ(Ser(Value::Int(32767), col::Int16()), "32767");
  EXPECT_EQ(Ser(Value::Int(7), col::Int32()), "7");
  EXPECT_EQ(Ser(Value::Int(INT64_MAX), col::Int64()), "9223372036854775807");
  EXPECT_EQ(Ser(Value::Double(1.5), col::Float64()), "1.5");
  EXPECT_EQ(Ser(Value::Double(0.0), col::Float64()), "0.0");
  EXPECT_EQ(Ser(Value::Double(1e10), col::Float64()), "1.0E10");
  EXPECT_EQ(Ser(Value::Double(1.7976931348623157e308), col::Float64()), "1.7976931348623157E308");
  EXPECT_EQ(Ser(Value::Double(4.9e-324), col::Float64()), "4.9E-324");
  EXPECT_EQ(Ser(Value::Double(0.001), col::Float64()), "0.001");
  EXPECT_EQ(Ser(Value::Double(1e-4), col::Float64()), "1.0E-4");
  EXPECT_EQ(Ser(Value::Double(1234567.0), col::Float64()), "1234567.0");
  EXPECT_EQ(Ser(Value::Double(12345678.0), col::Float64()), "1.2345678E7");
  EXPECT_EQ(Ser(Value::Double(-2.25), col::Float64()), "-2.25");
  EXPECT_EQ(Ser(Value::Double(std::nan("")), col::Float64()), "NaN");
  EXPECT_EQ(Ser(Value::Double(-std::numeric_limits<double>::infinity()), col::Float64()),
            "-Infinity");
  // A float keeps its own shortest digits, not those of the widened double.
  EXPECT_EQ(Ser(Value::Double(static_cast<double>(1.1f)), col::Float32()), "1.1");
  EXPECT_EQ(Ser(Value::MakeDecimal(123, 2), col::Decimal(10, 2)), "1.23");
  EXPECT_EQ(Ser(Value::MakeDecimal(123, 2), col::Decimal(38, 18)), "1.230000000000000000");
  EXPECT_EQ(Ser(Value::MakeDecimal(-5, 1), col::Decimal(5, 1)), "-0.5");
  EXPECT_EQ(Ser(Value::String("hello world"), col::String()), "hello world");
  EXPECT_EQ(Ser(Value::String("Serbia/srb%"), col::String()), "Serbia/srb%");
  EXPECT_EQ(Ser(Value::Binary("HELLO"), col::Binary()), "HELLO");
  EXPECT_EQ(Ser(Value::Date(0), col::Date()), "1970-01-01");
  EXPECT_EQ(Ser(Value::Date(-719162), col::Date()), "0001-01-01");
  EXPECT_EQ(Ser(Value::Timestamp(1718479845000000), col::Timestamp()),
            "2024-06-15T19:30:45.000000Z");
  EXPECT_EQ(Ser(Value::TimestampNtz(1373043660123456), col::TimestampNtz()),
            "2013-07-05 17:01:00.123456");
  EXPECT_EQ(Ser(Value::TimestampNtz(1373043660000000), col::TimestampNtz()), "2013-07-05 17:01:00");
}

TEST(SerializePartitionValueTest, NullAndEmptyAreJsonNull) {
  EXPECT_EQ(Ser(Value::Null(), col::Int32()), std::nullopt);
  EXPECT_EQ(Ser(Value::Null(), col::String()), std::nullopt);
  EXPECT_EQ(Ser(Value::String(""), col::String()), std::nullopt);
  EXPECT_EQ(Ser(Value::Binary(""), col::Binary()), std::nullopt);
}

TEST(SerializePartitionValueTest, RoundTripsThroughTheReader) {
  struct Case {
    Value value;
    col::TypePtr type;
  };
  std::vector<Case> cases = {
      {Value::Int(-3), col::Int16()},
      {Value::Double(3.25), col::Float64()},
      {Value::Double(-1e-9), col::Float64()},
      {Value::MakeDecimal(-12345, 3), col::Decimal(9, 3)},
      {Value::Date(19000), col::Date()},
      {Value::Timestamp(-1234567), col::Timestamp()},
      {Value::TimestampNtz(987654321012345), col::TimestampNtz()},
      {Value::String("a b/c=d%e"), col::String()},
      {Value::Boolean(true), col::Boolean()},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(auto text, SerializePartitionValue(c.value, *c.type));
    ASSERT_OK_AND_ASSIGN(Value back, ParsePartitionValue(text, *c.type, "p"));
    EXPECT_EQ(expr::Compare(back, c.value), 0) << c.value.ToString() << " -> " << *text;
  }
}

TEST(SerializePartitionValueTest, Errors) {
  ASSERT_STATUS_CODE(kInvalidArgument, SerializePartitionValue(Value::String("x"), *col::Int32()));
  ASSERT_STATUS_CODE(kUnsupported,
                     SerializePartitionValue(Value::Int(1), *col::List(col::Int32())));
}

TEST(PartitionPathTest, HiveEscaping) {
  EXPECT_EQ(EscapePartitionPathPart("US/East"), "US%2FEast");
  EXPECT_EQ(EscapePartitionPathPart("a b}c"), "a b}c");
  EXPECT_EQ(EscapePartitionPathPart("\"#%'*/:=?\\{[]^"),
            "%22%23%25%27%2A%2F%3A%3D%3F%5C%7B%5B%5D%5E");
  EXPECT_EQ(EscapePartitionPathPart(std::string("\x01\x7f", 2)), "%01%7F");
  EXPECT_EQ(EscapePartitionPathPart("caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST(PartitionPathTest, Segments) {
  EXPECT_EQ(PartitionPathSegment("region", "US/East", *col::String()), "region=US%2FEast");
  EXPECT_EQ(PartitionPathSegment("d", std::nullopt, *col::Date()), "d=__HIVE_DEFAULT_PARTITION__");
  EXPECT_EQ(PartitionPathSegment("ts", "2013-07-05 17:01:00.123456", *col::TimestampNtz()),
            "ts=2013-07-05 17%3A01%3A00.123456");
  EXPECT_EQ(PartitionPathSegment("ts", "2024-06-15T19:30:45.000000Z", *col::Timestamp()),
            "ts=2024-06-15 19%3A30%3A45");
  EXPECT_EQ(PartitionPathSegment("a=b", "1", *col::Int32()), "a%3Db=1");
}

}  // namespace
}  // namespace silt::delta
