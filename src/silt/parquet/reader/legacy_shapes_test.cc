// Legacy LIST and MAP shapes (LogicalTypes.md backward-compatibility rules, digest §6.6-6.7):
// files written with the standard shapes, whose footer schema is then rewritten into a legacy
// shape with the same levels, must read back to the same values.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "silt/columnar/from_json.h"
#include "silt/fs/memory_file_system.h"
#include "silt/parquet/file_metadata.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/writer/file_writer.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

namespace col = silt::columnar;

SchemaElement Group(std::string name, std::optional<FieldRepetitionType> rep, int children,
                    std::optional<ConvertedType> ct = std::nullopt) {
  SchemaElement e;
  e.name = std::move(name);
  e.repetition_type = rep;
  e.num_children = children;
  e.converted_type = ct;
  return e;
}

SchemaElement Leaf(std::string name, FieldRepetitionType rep, PhysicalType type,
                   std::optional<ConvertedType> ct = std::nullopt) {
  SchemaElement e;
  e.name = std::move(name);
  e.repetition_type = rep;
  e.type = type;
  e.converted_type = ct;
  return e;
}

TEST(LegacyShapesTest, TwoLevelListsAndLegacyMaps) {
  using col::Field;
  using R = FieldRepetitionType;
  auto x_struct = col::Struct({Field("x", col::Int32(), false)});
  auto schema = col::Schema::Make({
      Field("a", col::List(col::Int32(), false)),
      Field("nums", col::List(col::Int32(), false), false),
      Field("c", col::List(x_struct, false)),
      Field("e", col::List(x_struct, false)),
      Field("f", col::List(col::Int32())),
      Field("m", col::Map(col::String(), col::Int32())),
  });
  ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatchFromJson(schema, R"([
    {"a": [1, 2], "nums": [], "c": [{"x": 1}], "e": null, "f": [null, 5], "m": {"k": 1, "j": null}},
    {"a": null, "nums": [3], "c": [], "e": [{"x": 2}, {"x": 3}], "f": [], "m": null},
    {"a": [], "nums": [4, 5, 6], "c": null, "e": [], "f": null, "m": {}}])"));
  fs::MemoryFileSystem fs;
  ASSERT_OK_AND_ASSIGN(auto w, FileWriter::Open(fs, "std.parquet", schema));
  ASSERT_OK(w->WriteBatch(*batch));
  ASSERT_OK(w->Close());
  ASSERT_OK_AND_ASSIGN(std::string bytes, fs.ReadFile("std.parquet"));

  ASSERT_OK_AND_ASSIGN(FileMetaData md, ParseFileMetaData(bytes));
  md.schema = {
      Group("spark_schema", std::nullopt, 6),
      Group("a", R::kOptional, 1, ConvertedType::kList),  // rule 1: repeated primitive
      Leaf("array", R::kRepeated, PhysicalType::kInt32),
      Leaf("nums", R::kRepeated, PhysicalType::kInt32),   // bare repeated field
      Group("c", R::kOptional, 1, ConvertedType::kList),  // rule 4: group named "array"
      Group("array", R::kRepeated, 1),
      Leaf("x", R::kRequired, PhysicalType::kInt32),
      Group("e", R::kOptional, 1, ConvertedType::kList),  // rule 4: "<name>_tuple"
      Group("e_tuple", R::kRepeated, 1),
      Leaf("x", R::kRequired, PhysicalType::kInt32),
      Group("f", R::kOptional, 1, ConvertedType::kList),  // rule 5 with other names
      Group("bag", R::kRepeated, 1),
      Leaf("array_element", R::kOptional, PhysicalType::kInt32),
      Group("m", R::kOptional, 1, ConvertedType::kMapKeyValue),  // legacy map
      Group("map", R::kRepeated, 2),
      Leaf("key", R::kRequired, PhysicalType::kByteArray, ConvertedType::kUtf8),
      Leaf("value", R::kOptional, PhysicalType::kInt32),
  };
  uint32_t footer_len = 0;
  std::memcpy(&footer_len, bytes.data() + bytes.size() - 8, 4);
  std::string legacy = bytes.substr(0, bytes.size() - 8 - footer_len);
  AppendFooter(md, &legacy);
  ASSERT_OK(fs.Put("legacy.parquet", legacy));

  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(fs, "legacy.parquet"));
  EXPECT_EQ(reader->schema()->ToString(),
            "struct<a:array<int>,nums:array<int>,c:array<struct<x:int>>,"
            "e:array<struct<x:int>>,f:array<int>,m:map<string,int>>");
  EXPECT_FALSE(reader->schema()->field(1).nullable());
  ASSERT_OK_AND_ASSIGN(auto batches, ReadTable(fs, "legacy.parquet"));
  ASSERT_EQ(batches.size(), 1u);
  for (int i = 0; i < batch->num_columns(); ++i) {
    EXPECT_TRUE(batches[0]->column(i)->Equals(*batch->column(i)))
        << schema->field(i).name() << ": " << batches[0]->column(i)->ToString();
  }
}

TEST(LegacyShapesTest, UnsupportedShapesAreReported) {
  using R = FieldRepetitionType;
  auto schema = col::Schema::Make({col::Field("m", col::Map(col::String(), col::Int32()))});
  fs::MemoryFileSystem fs;
  ASSERT_OK_AND_ASSIGN(auto w, FileWriter::Open(fs, "m.parquet", schema));
  ASSERT_OK(w->Close());
  ASSERT_OK_AND_ASSIGN(std::string bytes, fs.ReadFile("m.parquet"));
  ASSERT_OK_AND_ASSIGN(FileMetaData md, ParseFileMetaData(bytes));
  // A map whose entries have keys only.
  md.schema = {Group("schema", std::nullopt, 1), Group("m", R::kOptional, 1, ConvertedType::kMap),
               Group("key_value", R::kRepeated, 1),
               Leaf("key", R::kRequired, PhysicalType::kByteArray, ConvertedType::kUtf8)};
  md.row_groups.clear();
  std::string out = "PAR1";
  AppendFooter(md, &out);
  ASSERT_OK(fs.Put("keys.parquet", out));
  auto reader = FileReader::Open(fs, "keys.parquet");
  EXPECT_STATUS_CODE(kUnsupported, reader);
  EXPECT_NE(reader.status().message().find("keys.parquet"), std::string::npos);

  // Decimal precision above 38.
  SchemaElement d =
      Leaf("d", R::kOptional, PhysicalType::kFixedLenByteArray, ConvertedType::kDecimal);
  d.type_length = 20;
  d.precision = 45;
  d.scale = 2;
  md.schema = {Group("schema", std::nullopt, 1), d};
  out = "PAR1";
  AppendFooter(md, &out);
  ASSERT_OK(fs.Put("dec.parquet", out));
  EXPECT_STATUS_CODE(kUnsupported, FileReader::Open(fs, "dec.parquet"));

  // DATE on a BYTE_ARRAY is a contradiction.
  md.schema = {Group("schema", std::nullopt, 1),
               Leaf("x", R::kOptional, PhysicalType::kByteArray, ConvertedType::kDate)};
  out = "PAR1";
  AppendFooter(md, &out);
  ASSERT_OK(fs.Put("date.parquet", out));
  EXPECT_STATUS_CODE(kCorruption, FileReader::Open(fs, "date.parquet"));
}

}  // namespace
}  // namespace silt::parquet
