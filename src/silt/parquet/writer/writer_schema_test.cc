#include "silt/parquet/writer/writer_schema.h"

#include <gtest/gtest.h>

#include "testing/parquet_schema.h"
#include "testing/status_matchers.h"

namespace silt::parquet::writer {
namespace {

constexpr auto Group = &silt::testing::ParquetGroup;
constexpr auto Leaf = &silt::testing::ParquetLeaf;

namespace col = silt::columnar;

constexpr auto kOpt = FieldRepetitionType::kOptional;
constexpr auto kReq = FieldRepetitionType::kRequired;
constexpr auto kRepd = FieldRepetitionType::kRepeated;

TEST(WriterSchemaTest, PrimitiveTypesFollowTheDeltaMapping) {
  auto schema = col::Schema::Make({
      col::Field("b", col::Boolean(), false),
      col::Field("i8", col::Int8()),
      col::Field("i16", col::Int16()),
      col::Field("i32", col::Int32()),
      col::Field("i64", col::Int64()),
      col::Field("f", col::Float32()),
      col::Field("d", col::Float64()),
      col::Field("s", col::String()),
      col::Field("bin", col::Binary()),
      col::Field("date", col::Date()),
      col::Field("ts", col::Timestamp()),
      col::Field("ntz", col::TimestampNtz()),
      col::Field("dec9", col::Decimal(9, 2)),
      col::Field("dec18", col::Decimal(18, 0)),
      col::Field("dec19", col::Decimal(19, 4)),
      col::Field("dec38", col::Decimal(38, 10)),
  });
  ASSERT_OK_AND_ASSIGN(WriterSchema ws, ToParquetSchema(*schema));
  ASSERT_EQ(ws.elements.size(), 17u);
  EXPECT_EQ(ws.elements[0].name, "schema");
  EXPECT_EQ(ws.elements[0].num_children, 16);
  EXPECT_FALSE(ws.elements[0].repetition_type.has_value());

  EXPECT_EQ(ws.elements[1], Leaf("b", PhysicalType::kBoolean, kReq));

  SchemaElement i8 = Leaf("i8", PhysicalType::kInt32, kOpt);
  i8.converted_type = ConvertedType::kInt8;
  i8.logical_type = LogicalType{};
  i8.logical_type->kind = LogicalType::Kind::kInteger;
  i8.logical_type->bit_width = 8;
  i8.logical_type->is_signed = true;
  EXPECT_EQ(ws.elements[2], i8);
  EXPECT_EQ(ws.elements[3].logical_type->bit_width, 16);
  EXPECT_EQ(ws.elements[3].converted_type, ConvertedType::kInt16);
  EXPECT_EQ(ws.elements[4], Leaf("i32", PhysicalType::kInt32, kOpt));
  EXPECT_EQ(ws.elements[5], Leaf("i64", PhysicalType::kInt64, kOpt));
  EXPECT_EQ(ws.elements[6], Leaf("f", PhysicalType::kFloat, kOpt));
  EXPECT_EQ(ws.elements[7], Leaf("d", PhysicalType::kDouble, kOpt));
  EXPECT_EQ(ws.elements[8].type, PhysicalType::kByteArray);
  EXPECT_EQ(ws.elements[8].converted_type, ConvertedType::kUtf8);
  EXPECT_EQ(ws.elements[8].logical_type->kind, LogicalType::Kind::kString);
  EXPECT_EQ(ws.elements[9], Leaf("bin", PhysicalType::kByteArray, kOpt));
  EXPECT_EQ(ws.elements[10].type, PhysicalType::kInt32);
  EXPECT_EQ(ws.elements[10].logical_type->kind, LogicalType::Kind::kDate);
  EXPECT_EQ(ws.elements[10].converted_type, ConvertedType::kDate);

  for (int k : {11, 12}) {
    const SchemaElement& e = ws.elements[k];
    EXPECT_EQ(e.type, PhysicalType::kInt64);
    EXPECT_EQ(e.converted_type, ConvertedType::kTimestampMicros);
    ASSERT_TRUE(e.logical_type.has_value());
    EXPECT_EQ(e.logical_type->kind, LogicalType::Kind::kTimestamp);
    EXPECT_EQ(e.logical_type->unit, TimeUnit::kMicros);
    EXPECT_EQ(e.logical_type->is_adjusted_to_utc, k == 11);
  }

  EXPECT_EQ(ws.elements[13].type, PhysicalType::kInt32);
  EXPECT_EQ(ws.elements[14].type, PhysicalType::kInt64);
  EXPECT_EQ(ws.elements[15].type, PhysicalType::kFixedLenByteArray);
  EXPECT_EQ(ws.elements[15].type_length, 9);
  EXPECT_EQ(ws.elements[16].type_length, 16);
  EXPECT_EQ(ws.elements[16].converted_type, ConvertedType::kDecimal);
  EXPECT_EQ(ws.elements[16].precision, 38);
  EXPECT_EQ(ws.elements[16].scale, 10);
  EXPECT_EQ(ws.elements[16].logical_type->precision, 38);
  EXPECT_EQ(ws.elements[16].logical_type->scale, 10);

  ASSERT_EQ(ws.leaves.size(), 16u);
  EXPECT_EQ(ws.leaves[0].max_def, 0);
  EXPECT_EQ(ws.leaves[1].max_def, 1);
  EXPECT_EQ(ws.leaves[15].type_length, 16);
  EXPECT_EQ(ws.leaves[15].physical_type, PhysicalType::kFixedLenByteArray);
}

TEST(WriterSchemaTest, DecimalWidthsAreMinimal) {
  // parquet-format LogicalTypes.md / digest §7.5 table.
  const int expected[] = {0,  1,  1,  2,  2,  3,  3,  4,  4,  4,  5,  5,  6,
                          6,  6,  7,  7,  8,  8,  9,  9,  9,  10, 10, 11, 11,
                          11, 12, 12, 13, 13, 13, 14, 14, 15, 15, 16, 16, 16};
  for (int p = 1; p <= 38; ++p) EXPECT_EQ(DecimalByteWidth(p), expected[p]) << p;
}

TEST(WriterSchemaTest, NestedTypesUseStandardListAndMapShapes) {
  // tags: optional list<string (nullable)>, m: map<string, int (nullable)> not null,
  // s: struct<x: int not null, y: string>.
  auto schema = col::Schema::Make({
      col::Field("tags", col::List(col::String(), true)),
      col::Field("m", col::Map(col::String(), col::Int32(), true), false),
      col::Field(
          "s", col::Struct({col::Field("x", col::Int32(), false), col::Field("y", col::String())})),
  });
  ASSERT_OK_AND_ASSIGN(WriterSchema ws, ToParquetSchema(*schema));
  ASSERT_EQ(ws.elements.size(), 11u);
  SchemaElement tags = Group("tags", 1, kOpt);
  tags.converted_type = ConvertedType::kList;
  tags.logical_type = LogicalType{};
  tags.logical_type->kind = LogicalType::Kind::kList;
  EXPECT_EQ(ws.elements[1], tags);
  EXPECT_EQ(ws.elements[2], Group("list", 1, kRepd));
  EXPECT_EQ(ws.elements[3].name, "element");
  EXPECT_EQ(ws.elements[3].repetition_type, kOpt);

  SchemaElement m = Group("m", 1, kReq);
  m.converted_type = ConvertedType::kMap;
  m.logical_type = LogicalType{};
  m.logical_type->kind = LogicalType::Kind::kMap;
  EXPECT_EQ(ws.elements[4], m);
  EXPECT_EQ(ws.elements[5], Group("key_value", 2, kRepd));
  EXPECT_EQ(ws.elements[6].name, "key");
  EXPECT_EQ(ws.elements[6].repetition_type, kReq);
  EXPECT_EQ(ws.elements[7].name, "value");
  EXPECT_EQ(ws.elements[7].repetition_type, kOpt);
  EXPECT_EQ(ws.elements[8], Group("s", 2, kOpt));
  EXPECT_EQ(ws.elements[9], Leaf("x", PhysicalType::kInt32, kReq));

  ASSERT_EQ(ws.leaves.size(), 5u);
  const LeafDescriptor& element = ws.leaves[0];
  EXPECT_EQ(element.parquet_path, (std::vector<std::string>{"tags", "list", "element"}));
  EXPECT_EQ(element.columnar_path, (std::vector<std::string>{"tags", "element"}));
  EXPECT_EQ(element.max_def, 3);
  EXPECT_EQ(element.max_rep, 1);
  const LeafDescriptor& key = ws.leaves[1];
  EXPECT_EQ(key.parquet_path, (std::vector<std::string>{"m", "key_value", "key"}));
  EXPECT_EQ(key.columnar_path, (std::vector<std::string>{"m", "key"}));
  EXPECT_EQ(key.max_def, 1);
  EXPECT_EQ(key.max_rep, 1);
  const LeafDescriptor& value = ws.leaves[2];
  EXPECT_EQ(value.columnar_path, (std::vector<std::string>{"m", "value"}));
  EXPECT_EQ(value.max_def, 2);
  EXPECT_EQ(ws.leaves[3].columnar_path, (std::vector<std::string>{"s", "x"}));
  EXPECT_EQ(ws.leaves[3].max_def, 1);
  EXPECT_EQ(ws.leaves[4].max_def, 2);
  EXPECT_EQ(ws.leaves[4].top_level_field, 2);
  // Every columnar path resolves in the schema.
  for (const LeafDescriptor& leaf : ws.leaves) EXPECT_OK(schema->FindPath(leaf.columnar_path));
}

TEST(WriterSchemaTest, FieldIdsComeFromFieldMetadata) {
  auto schema = col::Schema::Make({
      col::Field("a", col::Int32(), true, col::KeyValueMetadata{{"parquet.field.id", "7"}}),
      col::Field(
          "b",
          col::Struct({col::Field("c", col::String(), true, {{"delta.columnMapping.id", "12"}})}),
          true, {{"delta.columnMapping.id", "11"}}),
      col::Field("d", col::Int32()),
  });
  ASSERT_OK_AND_ASSIGN(WriterSchema ws, ToParquetSchema(*schema));
  EXPECT_EQ(ws.elements[1].field_id, 7);
  EXPECT_EQ(ws.elements[2].field_id, 11);
  EXPECT_EQ(ws.elements[3].field_id, 12);
  EXPECT_FALSE(ws.elements[4].field_id.has_value());

  auto bad = col::Schema::Make(
      {col::Field("a", col::Int32(), true, col::KeyValueMetadata{{"parquet.field.id", "x7"}})});
  ASSERT_STATUS_CODE(kInvalidArgument, ToParquetSchema(*bad));
}

TEST(WriterSchemaTest, EmptyStructIsUnsupported) {
  auto schema = col::Schema::Make({col::Field("s", col::Struct({}))});
  ASSERT_STATUS_CODE(kUnsupported, ToParquetSchema(*schema));
  auto nested = col::Schema::Make({col::Field("l", col::List(col::Struct({})))});
  ASSERT_STATUS_CODE(kUnsupported, ToParquetSchema(*nested));
  ASSERT_STATUS_CODE(kUnsupported, ToParquetSchema(*col::Schema::Make({})));
}

}  // namespace
}  // namespace silt::parquet::writer
