#include "silt/columnar/data_type.h"

#include <gtest/gtest.h>

#include "silt/columnar/decimal.h"
#include "silt/columnar/schema.h"
#include "testing/status_matchers.h"

namespace silt::columnar {
namespace {

TEST(DataTypeTest, PrimitiveToStringAndNames) {
  EXPECT_EQ(Boolean()->ToString(), "boolean");
  EXPECT_EQ(Int8()->ToString(), "tinyint");
  EXPECT_EQ(Int16()->ToString(), "smallint");
  EXPECT_EQ(Int32()->ToString(), "int");
  EXPECT_EQ(Int64()->ToString(), "bigint");
  EXPECT_EQ(Float32()->ToString(), "float");
  EXPECT_EQ(Float64()->ToString(), "double");
  EXPECT_EQ(String()->ToString(), "string");
  EXPECT_EQ(Binary()->ToString(), "binary");
  EXPECT_EQ(Date()->ToString(), "date");
  EXPECT_EQ(Timestamp()->ToString(), "timestamp");
  EXPECT_EQ(TimestampNtz()->ToString(), "timestamp_ntz");
  EXPECT_EQ(TypeIdName(TypeId::kInt32), "integer");
  EXPECT_EQ(TypeIdName(TypeId::kInt64), "long");
  EXPECT_EQ(TypeIdName(TypeId::kList), "array");
}

TEST(DataTypeTest, NestedToString) {
  auto type = Struct({Field("a", Int32()), Field("b", List(String())),
                      Field("m", Map(String(), Decimal(10, 2)))});
  EXPECT_EQ(type->ToString(), "struct<a:int,b:array<string>,m:map<string,decimal(10,2)>>");
}

TEST(DataTypeTest, ByteWidths) {
  EXPECT_EQ(Boolean()->byte_width(), 0);
  EXPECT_TRUE(Boolean()->is_fixed_width());
  EXPECT_EQ(Int8()->byte_width(), 1);
  EXPECT_EQ(Int16()->byte_width(), 2);
  EXPECT_EQ(Date()->byte_width(), 4);
  EXPECT_EQ(Timestamp()->byte_width(), 8);
  EXPECT_EQ(Decimal(38, 0)->byte_width(), 16);
  EXPECT_EQ(String()->byte_width(), 0);
  EXPECT_FALSE(String()->is_fixed_width());
  EXPECT_TRUE(Binary()->is_binary_like());
  EXPECT_TRUE(Map(Int32(), Int32())->is_nested());
}

TEST(DataTypeTest, Equality) {
  EXPECT_EQ(*Int64(), *Int64());
  EXPECT_FALSE(*Int64() == *Timestamp());
  EXPECT_EQ(*Decimal(10, 2), *Decimal(10, 2));
  EXPECT_FALSE(*Decimal(10, 2) == *Decimal(10, 3));
  EXPECT_FALSE(*Decimal(10, 2) == *Decimal(11, 2));
  EXPECT_EQ(*List(Int32(), true), *List(Int32(), true));
  EXPECT_FALSE(*List(Int32(), true) == *List(Int32(), false));
  EXPECT_FALSE(*Map(String(), Int32(), true) == *Map(String(), Int32(), false));
  EXPECT_FALSE(*Map(String(), Int32()) == *Map(Binary(), Int32()));
  auto a = Struct({Field("x", Int32(), true, {{"delta.columnMapping.id", "1"}})});
  auto b = Struct({Field("x", Int32(), true, {{"delta.columnMapping.id", "2"}})});
  auto c = Struct({Field("x", Int32(), false)});
  auto d = Struct({Field("y", Int32())});
  EXPECT_FALSE(*a == *b);
  EXPECT_TRUE(a->Equals(*b, /*check_metadata=*/false));
  EXPECT_FALSE(a->Equals(*c, false));
  EXPECT_FALSE(a->Equals(*d, false));
}

TEST(DataTypeTest, MakeDecimalChecksArguments) {
  ASSERT_OK_AND_ASSIGN(auto ok, MakeDecimal(38, 38));
  EXPECT_EQ(ok->ToString(), "decimal(38,38)");
  ASSERT_STATUS_CODE(kInvalidArgument, MakeDecimal(39, 2));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeDecimal(0, 0));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeDecimal(5, 6));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeDecimal(5, -1));
}

TEST(DataTypeTest, DeltaTypeNames) {
  for (const TypePtr& type : {Boolean(), Int8(), Int16(), Int32(), Int64(), Float32(), Float64(),
                              String(), Binary(), Date(), Timestamp(), TimestampNtz(),
                              Decimal(10, 2), Decimal(38, 0)}) {
    ASSERT_OK_AND_ASSIGN(auto name, DeltaTypeName(*type));
    ASSERT_OK_AND_ASSIGN(auto back, TypeFromDeltaName(name));
    EXPECT_EQ(*back, *type) << name;
  }
  EXPECT_EQ(DeltaTypeName(*Int32()).ValueOrDie(), "integer");
  EXPECT_EQ(DeltaTypeName(*Int8()).ValueOrDie(), "byte");
  ASSERT_STATUS_CODE(kInvalidArgument, DeltaTypeName(*List(Int32())));
  ASSERT_OK_AND_ASSIGN(auto spaced, TypeFromDeltaName("decimal( 12 , 3 )"));
  EXPECT_EQ(*spaced, *Decimal(12, 3));
  ASSERT_STATUS_CODE(kInvalidArgument, TypeFromDeltaName("decimal(40,2)"));
  ASSERT_STATUS_CODE(kInvalidArgument, TypeFromDeltaName("decimal(10,-2)"));
  ASSERT_STATUS_CODE(kInvalidArgument, TypeFromDeltaName("decimal(10)"));
  ASSERT_STATUS_CODE(kInvalidArgument, TypeFromDeltaName("decimal"));
  ASSERT_STATUS_CODE(kInvalidArgument, TypeFromDeltaName("decimal(a,b)"));
  ASSERT_STATUS_CODE(kUnsupported, TypeFromDeltaName("void"));
  ASSERT_STATUS_CODE(kUnsupported, TypeFromDeltaName("int"));
}

TEST(DataTypeTest, MapEntriesType) {
  auto map = Map(String(), Int64(), false);
  const auto& entries = AsStruct(*AsMap(*map).entries_type());
  ASSERT_EQ(entries.num_fields(), 2);
  EXPECT_EQ(entries.field(0).name(), "key");
  EXPECT_FALSE(entries.field(0).nullable());
  EXPECT_EQ(entries.field(1).name(), "value");
  EXPECT_FALSE(entries.field(1).nullable());
}

TEST(KeyValueMetadataTest, KeepsInsertionOrderAndReplaces) {
  KeyValueMetadata md;
  md.Set("z", "1");
  md.Set("a", "{\"x\":1}");
  md.Set("z", "2");
  ASSERT_EQ(md.size(), 2u);
  EXPECT_EQ(md.entries()[0].first, "z");
  EXPECT_EQ(md.entries()[0].second, "2");
  EXPECT_EQ(md.Get("a"), "{\"x\":1}");
  EXPECT_FALSE(md.Get("b").has_value());
  EXPECT_TRUE(md.Remove("z"));
  EXPECT_FALSE(md.Remove("z"));
  EXPECT_EQ(md.size(), 1u);
}

TEST(FieldTest, WithersAndToString) {
  Field f("a", Int32());
  EXPECT_TRUE(f.nullable());
  EXPECT_EQ(f.ToString(), "a:int");
  Field g = f.WithName("b").WithNullable(false).WithMetadata({{"k", "v"}});
  EXPECT_EQ(g.name(), "b");
  EXPECT_FALSE(g.nullable());
  EXPECT_EQ(g.metadata().Get("k"), "v");
  EXPECT_EQ(f.WithType(String()).type()->id(), TypeId::kString);
  EXPECT_FALSE(f == g);
}

SchemaPtr NestedSchema() {
  return Schema::Make({Field("id", Int64(), false),
                       Field("Name", String()),
                       Field("s", Struct({Field("inner", Struct({Field("x", Int32())})),
                                          Field("tags", List(String())),
                                          Field("attrs", Map(String(), Float64()))}))},
                      {{"k", "v"}});
}

TEST(SchemaTest, LookupByName) {
  auto schema = NestedSchema();
  EXPECT_EQ(schema->num_fields(), 3);
  EXPECT_EQ(schema->GetFieldIndex("Name"), 1);
  EXPECT_EQ(schema->GetFieldIndex("name"), -1);
  EXPECT_EQ(schema->GetFieldByName("nope"), nullptr);
  ASSERT_OK_AND_ASSIGN(int i, schema->FindFieldIndex("NAME", /*case_sensitive=*/false));
  EXPECT_EQ(i, 1);
  ASSERT_STATUS_CODE(kNotFound, schema->FindFieldIndex("NAME"));
  EXPECT_EQ(schema->metadata().Get("k"), "v");
}

TEST(SchemaTest, CaseInsensitiveAmbiguity) {
  auto schema = Schema::Make({Field("a", Int32()), Field("A", Int32()), Field("b", Int32())});
  ASSERT_OK_AND_ASSIGN(int exact, schema->FindFieldIndex("A", false));
  EXPECT_EQ(exact, 1);
  ASSERT_STATUS_CODE(kNotFound, schema->FindFieldIndex("B", true));
  ASSERT_OK_AND_ASSIGN(int b, schema->FindFieldIndex("B", false));
  EXPECT_EQ(b, 2);
  auto ambiguous = Schema::Make({Field("ab", Int32()), Field("AB", Int32())});
  ASSERT_STATUS_CODE(kInvalidArgument, ambiguous->FindFieldIndex("Ab", false));
}

TEST(SchemaTest, FindNestedPath) {
  auto schema = NestedSchema();
  ASSERT_OK_AND_ASSIGN(auto path, schema->FindPath("s.inner.x"));
  EXPECT_EQ(path.indices, (std::vector<int>{2, 0, 0}));
  EXPECT_EQ(path.field.name(), "x");
  EXPECT_EQ(*path.field.type(), *Int32());

  ASSERT_OK_AND_ASSIGN(auto element, schema->FindPath("s.tags.element"));
  EXPECT_EQ(element.indices, (std::vector<int>{2, 1, 0}));
  EXPECT_EQ(*element.field.type(), *String());

  ASSERT_OK_AND_ASSIGN(auto value, schema->FindPath(std::vector<std::string>{"S", "ATTRS", "value"},
                                                    /*case_sensitive=*/false));
  EXPECT_EQ(value.indices, (std::vector<int>{2, 2, 1}));
  EXPECT_EQ(*value.field.type(), *Float64());

  ASSERT_STATUS_CODE(kNotFound, schema->FindPath("s.inner.y"));
  ASSERT_STATUS_CODE(kNotFound, schema->FindPath("id.x"));
  ASSERT_STATUS_CODE(kNotFound, schema->FindPath("s.tags.x"));
  ASSERT_STATUS_CODE(kInvalidArgument, schema->FindPath(std::vector<std::string>{}));
}

TEST(SchemaTest, TreeString) {
  auto schema = Schema::Make({Field("id", Int64(), false),
                              Field("s", Struct({Field("d", Decimal(10, 2))})),
                              Field("tags", List(String(), false)),
                              Field("m", Map(String(), List(Int32())))});
  EXPECT_EQ(schema->ToTreeString(),
            "root\n"
            " |-- id: long (nullable = false)\n"
            " |-- s: struct (nullable = true)\n"
            " |    |-- d: decimal(10,2) (nullable = true)\n"
            " |-- tags: array (nullable = true)\n"
            " |    |-- element: string (containsNull = false)\n"
            " |-- m: map (nullable = true)\n"
            " |    |-- key: string\n"
            " |    |-- value: array (valueContainsNull = true)\n"
            " |    |    |-- element: integer (containsNull = true)\n");
}

TEST(SchemaTest, EqualityAndStruct) {
  auto a = NestedSchema();
  auto b = NestedSchema();
  EXPECT_EQ(*a, *b);
  auto c = a->WithMetadata({});
  EXPECT_FALSE(*a == *c);
  EXPECT_TRUE(a->Equals(*c, /*check_metadata=*/false));
  EXPECT_EQ(a->ToString(), a->ToStruct()->ToString());
  EXPECT_EQ(*Schema::FromStruct(*a->ToStruct()), *c);
}

TEST(Decimal128Test, ToString) {
  EXPECT_EQ(Decimal128(1234).ToString(2), "12.34");
  EXPECT_EQ(Decimal128(-1234).ToString(2), "-12.34");
  EXPECT_EQ(Decimal128(5).ToString(2), "0.05");
  EXPECT_EQ(Decimal128(-5).ToString(3), "-0.005");
  EXPECT_EQ(Decimal128(0).ToString(2), "0.00");
  EXPECT_EQ(Decimal128(100).ToString(0), "100");
  // 10^38 - 1, the largest decimal(38, 0).
  ASSERT_OK_AND_ASSIGN(auto max, Decimal128::FromString("99999999999999999999999999999999999999",
                                                        38, 0));
  EXPECT_EQ(max.ToIntegerString(), "99999999999999999999999999999999999999");
  EXPECT_TRUE(max.FitsInPrecision(38));
  EXPECT_FALSE(max.FitsInPrecision(37));
  ASSERT_OK_AND_ASSIGN(auto min, Decimal128::FromString("-99999999999999999999999999999999999999",
                                                        38, 0));
  EXPECT_TRUE(min.is_negative());
  EXPECT_EQ(min.ToString(10), "-9999999999999999999999999999.9999999999");
}

TEST(Decimal128Test, FromString) {
  ASSERT_OK_AND_ASSIGN(auto a, Decimal128::FromString("12.3", 10, 2));
  EXPECT_EQ(a, Decimal128(1230));
  ASSERT_OK_AND_ASSIGN(auto b, Decimal128::FromString("-0.05", 10, 2));
  EXPECT_EQ(b, Decimal128(-5));
  ASSERT_OK_AND_ASSIGN(auto c, Decimal128::FromString("1.5E2", 10, 2));
  EXPECT_EQ(c, Decimal128(15000));
  ASSERT_OK_AND_ASSIGN(auto d, Decimal128::FromString("1.500", 10, 2));
  EXPECT_EQ(d, Decimal128(150));
  ASSERT_STATUS_CODE(kInvalidArgument, Decimal128::FromString("1.505", 10, 2));
  ASSERT_STATUS_CODE(kInvalidArgument, Decimal128::FromString("123456789.1", 10, 2));
  ASSERT_STATUS_CODE(kInvalidArgument, Decimal128::FromString("abc", 10, 2));
  ASSERT_STATUS_CODE(kInvalidArgument, Decimal128::FromString("", 10, 2));
  ASSERT_STATUS_CODE(kInvalidArgument, Decimal128::FromString("1e", 10, 2));
  ASSERT_STATUS_CODE(kInvalidArgument, Decimal128::FromString("1.2.3", 10, 2));
  ASSERT_STATUS_CODE(kInvalidArgument, Decimal128::FromString("1e999999999", 10, 2));
}

TEST(Decimal128Test, BigAndLittleEndian) {
  const uint8_t be[] = {0xFF, 0x85};  // -123
  ASSERT_OK_AND_ASSIGN(auto v, Decimal128::FromBigEndian(be, 2));
  EXPECT_EQ(v, Decimal128(-123));
  uint8_t le[16];
  v.ToLittleEndian(le);
  EXPECT_EQ(le[0], 0x85);
  EXPECT_EQ(le[15], 0xFF);
  EXPECT_EQ(Decimal128::FromLittleEndian(le), v);
  ASSERT_STATUS_CODE(kInvalidArgument, Decimal128::FromBigEndian(be, 0));
  ASSERT_STATUS_CODE(kInvalidArgument, Decimal128::FromBigEndian(be, 17));
}

}  // namespace
}  // namespace silt::columnar
