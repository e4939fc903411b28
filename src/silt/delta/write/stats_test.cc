#include "silt/delta/write/stats.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "silt/columnar/from_json.h"
#include "silt/delta/scan/file_stats.h"
#include "silt/delta/write/data_writer.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

namespace col = silt::columnar;

// Writes `rows` (JSON) as one unpartitioned file and returns its add.stats.
std::string StatsOf(const col::SchemaPtr& schema, std::string_view rows, StringMap properties = {},
                    ColumnMappingMode mode = ColumnMappingMode::kNone) {
  fs::MemoryFileSystem fs;
  TableLayout layout;
  layout.table_root = "/t";
  layout.schema = schema;
  layout.mapping_mode = mode;
  layout.metadata.configuration = std::move(properties);
  auto writer = DataFileWriter::Make(fs, layout);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  auto batch = col::RecordBatchFromJson(schema, rows);
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_OK((*writer)->Write(**batch));
  auto adds = (*writer)->Finish();
  EXPECT_TRUE(adds.ok()) << adds.status().ToString();
  if (!adds.ok() || adds->size() != 1 || !(*adds)[0].stats) return "<no stats>";
  return *(*adds)[0].stats;
}

TEST(StatsTest, PrimitiveTypes) {
  auto schema = col::Schema::Make({
      {"i", col::Int32()},
      {"l", col::Int64()},
      {"f", col::Float32()},
      {"d", col::Float64()},
      {"dec", col::Decimal(5, 2)},
      {"s", col::String()},
      {"b", col::Boolean()},
      {"bin", col::Binary()},
      {"dt", col::Date()},
      {"ts", col::Timestamp()},
      {"ntz", col::TimestampNtz()},
  });
  std::string stats = StatsOf(schema, R"([
    {"i": 3, "l": -5, "f": 1.1, "d": 2.5, "dec": "1.25", "s": "b", "b": true, "bin": "AQI=",
     "dt": "2024-01-02", "ts": "2024-01-01T00:00:00.000500Z", "ntz": "2024-01-01T10:00:00.123999"},
    {"i": 1, "l": 7, "f": -2.0, "d": null, "dec": "-3.00", "s": "a", "b": false, "bin": null,
     "dt": "2023-12-31", "ts": "2024-01-01T00:00:01.999001Z", "ntz": null},
    {"i": null, "l": null, "f": null, "d": null, "dec": null, "s": null, "b": null, "bin": null,
     "dt": null, "ts": null, "ntz": null}
  ])");
  EXPECT_EQ(stats,
            R"({"numRecords":3,)"
            R"("minValues":{"i":1,"l":-5,"f":-2.0,"d":2.5,"dec":-3.00,"s":"a","dt":"2023-12-31",)"
            R"("ts":"2024-01-01T00:00:00.000Z","ntz":"2024-01-01T10:00:00.123"},)"
            R"("maxValues":{"i":3,"l":7,"f":1.1,"d":2.5,"dec":1.25,"s":"b","dt":"2024-01-02",)"
            R"("ts":"2024-01-01T00:00:02.000Z","ntz":"2024-01-01T10:00:00.124"},)"
            R"("nullCount":{"i":1,"l":1,"f":1,"d":2,"dec":1,"s":1,"b":1,"bin":2,"dt":1,"ts":1,)"
            R"("ntz":2},"tightBounds":true})");
}

TEST(StatsTest, StringTruncation) {
  std::string long_a(40, 'a');
  EXPECT_EQ(TruncateStatsMin(long_a), std::string(32, 'a'));
  EXPECT_EQ(TruncateStatsMax(long_a), std::string(32, 'a') + "\x7F");
  EXPECT_EQ(TruncateStatsMax(std::string(32, 'a')), std::string(32, 'a'));
  // The cut character is not ASCII: U+10FFFF keeps the max an upper bound.
  std::string accented = std::string(32, 'z') + "\xC3\xA9xyz";
  EXPECT_EQ(TruncateStatsMax(accented), std::string(32, 'z') + "\xF4\x8F\xBF\xBF");
  // Code points, not bytes: 33 two-byte characters keep 32 of them.
  std::string wide;
  for (int i = 0; i < 33; ++i) wide += "\xC3\xA9";
  EXPECT_EQ(TruncateStatsMin(wide).size(), 64u);
  EXPECT_GT(TruncateStatsMax(wide), wide);
  EXPECT_LE(TruncateStatsMin(wide), wide);

  auto schema = col::Schema::Make({{"s", col::String()}});
  std::string stats = StatsOf(schema, R"([{"s": ")" + long_a + R"("}])");
  EXPECT_NE(stats.find(R"("minValues":{"s":")" + std::string(32, 'a') + "\"}"), std::string::npos)
      << stats;
  EXPECT_NE(stats.find(R"("maxValues":{"s":")" + std::string(32, 'a') + R"(\u007f"})"),
            std::string::npos)
      << stats;
}

TEST(StatsTest, NestedAndComplexColumns) {
  auto schema = col::Schema::Make({
      {"id", col::Int64()},
      {"s", col::Struct({{"x", col::Int32()}, {"y", col::Struct({{"z", col::String()}})}})},
      {"arr", col::List(col::Int32())},
      {"m", col::Map(col::String(), col::Int32())},
  });
  std::string stats = StatsOf(schema, R"([
    {"id": 1, "s": {"x": 5, "y": {"z": "q"}}, "arr": [1, 2], "m": {"a": 1}},
    {"id": 2, "s": null, "arr": null, "m": null},
    {"id": 3, "s": {"x": null, "y": null}, "arr": [], "m": {}}
  ])");
  EXPECT_EQ(stats,
            R"({"numRecords":3,"minValues":{"id":1,"s":{"x":5,"y":{"z":"q"}}},)"
            R"("maxValues":{"id":3,"s":{"x":5,"y":{"z":"q"}}},)"
            R"("nullCount":{"id":0,"s":{"x":2,"y":{"z":2}},"arr":1,"m":1},"tightBounds":true})");
}

TEST(StatsTest, NumIndexedColsAndStatsColumns) {
  auto schema = col::Schema::Make({{"a", col::Int32()},
                                   {"s", col::Struct({{"x", col::Int32()}, {"y", col::Int32()}})},
                                   {"c", col::Int32()}});
  std::string rows = R"([{"a": 1, "s": {"x": 2, "y": 3}, "c": 4}])";
  EXPECT_EQ(StatsOf(schema, rows, {{"delta.dataSkippingNumIndexedCols", "2"}}),
            R"({"numRecords":1,"minValues":{"a":1,"s":{"x":2}},"maxValues":{"a":1,"s":{"x":2}},)"
            R"("nullCount":{"a":0,"s":{"x":0}},"tightBounds":true})");
  EXPECT_EQ(StatsOf(schema, rows, {{"delta.dataSkippingNumIndexedCols", "0"}}),
            R"({"numRecords":1,"minValues":{},"maxValues":{},"nullCount":{},"tightBounds":true})");
  EXPECT_EQ(StatsOf(schema, rows, {{"delta.dataSkippingStatsColumns", "c, S"}}),
            R"({"numRecords":1,"minValues":{"s":{"x":2,"y":3},"c":4},)"
            R"("maxValues":{"s":{"x":2,"y":3},"c":4},"nullCount":{"s":{"x":0,"y":0},"c":0},)"
            R"("tightBounds":true})");
  EXPECT_EQ(StatsOf(schema, rows, {{"delta.dataSkippingStatsColumns", "s.y"}}),
            R"({"numRecords":1,"minValues":{"s":{"y":3}},"maxValues":{"s":{"y":3}},)"
            R"("nullCount":{"s":{"y":0}},"tightBounds":true})");
  // A listed name that is no column selects nothing (Spark ignores it when collecting).
  EXPECT_EQ(StatsOf(schema, rows, {{"delta.dataSkippingStatsColumns", "nope, c"}}),
            R"({"numRecords":1,"minValues":{"c":4},"maxValues":{"c":4},"nullCount":{"c":0},)"
            R"("tightBounds":true})");
}

// Properties -> selected leaves, written as "logical.path=physical.path:type".
struct LeafSelectionCase {
  StringMap properties;
  std::vector<std::string> leaves;
};

std::vector<std::string> Describe(const std::vector<StatsLeaf>& leaves) {
  std::vector<std::string> out;
  for (const StatsLeaf& l : leaves) {
    out.push_back(fmt::format("{}={}:{}", fmt::join(l.logical_path, "."),
                              fmt::join(l.physical_path, "."), l.type->ToString()));
  }
  return out;
}

col::SchemaPtr MappedSchema() {
  auto meta = [](int id, std::string name) {
    return col::KeyValueMetadata{{"delta.columnMapping.id", std::to_string(id)},
                                 {"delta.columnMapping.physicalName", "\"" + name + "\""}};
  };
  return col::Schema::Make({
      col::Field("a", col::Int32(), true, meta(1, "p1")),
      col::Field(
          "S",
          col::Struct(
              {col::Field("x", col::String(), true, meta(3, "p3")),
               col::Field("t", col::Struct({col::Field("z", col::Date(), true, meta(5, "p5"))}),
                          true, meta(4, "p4"))}),
          true, meta(2, "p2")),
      col::Field("arr", col::List(col::Int64()), true, meta(6, "p6")),
      col::Field("x.y", col::Boolean(), true, meta(7, "p7")),
      col::Field("c", col::Int64(), true, meta(8, "p8")),
  });
}

TEST(StatsTest, SelectStatsLeavesFollowsSpark) {
  const std::string a = "a=p1:int", sx = "S.x=p2.p3:string", stz = "S.t.z=p2.p4.p5:date",
                    arr = "arr=p6:array<bigint>", xy = "x.y=p7:boolean", c = "c=p8:bigint";
  const std::vector<std::string> all = {a, sx, stz, arr, xy, c};
  const std::vector<LeafSelectionCase> cases = {
      {{}, all},
      {{{"delta.dataSkippingNumIndexedCols", "-1"}, {"ignored", "x"}}, all},
      {{{"delta.dataSkippingNumIndexedCols", "0"}}, {}},
      {{{"delta.dataSkippingNumIndexedCols", "2"}}, {a, sx}},
      {{{"delta.dataSkippingNumIndexedCols", "3"}}, {a, sx, stz}},
      {{{"delta.dataSkippingNumIndexedCols", "100"}}, all},
      // Listed columns: schema order, case-insensitive, a struct selects its leaves, nested
      // names reach into structs, unknown names and paths through non-structs select nothing.
      {{{"delta.dataSkippingStatsColumns", "c, s"}}, {sx, stz, c}},
      {{{"delta.dataSkippingStatsColumns", "s.T.z,a"}}, {a, stz}},
      {{{"delta.dataSkippingStatsColumns", "S.t"}}, {stz}},
      {{{"delta.dataSkippingStatsColumns", " nope , s.nope, c.x, arr "}}, {arr}},
      {{{"delta.dataSkippingStatsColumns", "`x.y`"}}, {xy}},
      {{{"delta.dataSkippingStatsColumns", "x.y"}}, {}},
      {{{"delta.dataSkippingStatsColumns", "s, s.x, a, A"}}, {a, sx, stz}},
      {{{"delta.dataSkippingStatsColumns", ""}}, {}},
      {{{"delta.dataSkippingStatsColumns", "   "}}, {}},
      // The list wins over the count.
      {{{"delta.dataSkippingStatsColumns", "c"}, {"delta.dataSkippingNumIndexedCols", "1"}}, {c}},
  };
  const col::SchemaPtr schema = MappedSchema();
  for (const LeafSelectionCase& tc : cases) {
    Metadata metadata;
    metadata.configuration = tc.properties;
    SCOPED_TRACE(fmt::format("{}", fmt::join(tc.properties, ", ")));
    ASSERT_OK_AND_ASSIGN(auto leaves,
                         SelectStatsLeaves(*schema, ColumnMappingMode::kName, metadata));
    EXPECT_EQ(Describe(leaves), tc.leaves);
  }
  // Without column mapping the physical path is the logical one.
  Metadata metadata;
  metadata.configuration = {{"delta.dataSkippingStatsColumns", "S.x"}};
  ASSERT_OK_AND_ASSIGN(auto leaves, SelectStatsLeaves(*schema, ColumnMappingMode::kNone, metadata));
  EXPECT_EQ(Describe(leaves), std::vector<std::string>{"S.x=S.x:string"});
}

TEST(StatsTest, SelectStatsLeavesRejectsMalformedProperties) {
  const std::vector<StringMap> bad = {
      {{"delta.dataSkippingNumIndexedCols", "-2"}}, {{"delta.dataSkippingNumIndexedCols", "x"}},
      {{"delta.dataSkippingStatsColumns", "a,"}},   {{"delta.dataSkippingStatsColumns", ",a"}},
      {{"delta.dataSkippingStatsColumns", "a..c"}}, {{"delta.dataSkippingStatsColumns", "a b"}},
      {{"delta.dataSkippingStatsColumns", "`a"}},
  };
  const col::SchemaPtr schema = MappedSchema();
  for (const StringMap& properties : bad) {
    Metadata metadata;
    metadata.configuration = properties;
    SCOPED_TRACE(fmt::format("{}", fmt::join(properties, ", ")));
    ASSERT_STATUS_CODE(kCorruption, SelectStatsLeaves(*schema, ColumnMappingMode::kName, metadata));
  }
}

TEST(StatsTest, ValidateStatsColumnsRejectsWhatSparkRejectsWhenSet) {
  auto schema = col::Schema::Make(
      {{"a", col::Int32()}, {"S", col::Struct({{"x", col::Int32()}})}, {"p", col::String()}});
  auto validate = [&](std::string columns) {
    return ValidateStatsColumns(*schema, {"p"},
                                {{"delta.dataSkippingStatsColumns", std::move(columns)}});
  };
  EXPECT_OK(ValidateStatsColumns(*schema, {"p"}, {}));
  EXPECT_OK(validate(""));
  EXPECT_OK(validate("a, s, S.X"));
  ASSERT_STATUS_CODE(kInvalidArgument, validate("a, nope"));
  EXPECT_NE(validate("a, nope").message().find("'nope' is not a column"), std::string::npos);
  ASSERT_STATUS_CODE(kInvalidArgument, validate("s.nope"));
  ASSERT_STATUS_CODE(kInvalidArgument, validate("a.x"));
  ASSERT_STATUS_CODE(kInvalidArgument, validate("P"));
  EXPECT_NE(validate("p").message().find("partition column"), std::string::npos);
  ASSERT_STATUS_CODE(kInvalidArgument, validate("a,,s"));
}

TEST(StatsTest, StatsStructTypeMirrorsTheJson) {
  Metadata metadata;
  ASSERT_OK_AND_ASSIGN(auto leaves,
                       SelectStatsLeaves(*MappedSchema(), ColumnMappingMode::kName, metadata));
  EXPECT_EQ(StatsStructType(leaves, /*with_tight_bounds=*/true)->ToString(),
            "struct<numRecords:bigint,"
            "minValues:struct<p1:int,p2:struct<p3:string,p4:struct<p5:date>>,p8:bigint>,"
            "maxValues:struct<p1:int,p2:struct<p3:string,p4:struct<p5:date>>,p8:bigint>,"
            "nullCount:struct<p1:bigint,p2:struct<p3:bigint,p4:struct<p5:bigint>>,p6:bigint,"
            "p7:bigint,p8:bigint>,tightBounds:boolean>");
  EXPECT_EQ(StatsStructType({}, /*with_tight_bounds=*/false)->ToString(),
            "struct<numRecords:bigint>");
}

TEST(StatsTest, ColumnMappingUsesPhysicalNames) {
  auto meta = [](int id, std::string name) {
    return col::KeyValueMetadata{{"delta.columnMapping.id", std::to_string(id)},
                                 {"delta.columnMapping.physicalName", "\"" + name + "\""}};
  };
  auto schema = col::Schema::Make({
      col::Field("a", col::Int32(), true, meta(1, "col-a")),
      col::Field("s", col::Struct({col::Field("x", col::String(), true, meta(3, "col-x"))}), true,
                 meta(2, "col-s")),
  });
  std::string stats =
      StatsOf(schema, R"([{"a": 1, "s": {"x": "v"}}])", {}, ColumnMappingMode::kName);
  EXPECT_EQ(stats, R"({"numRecords":1,"minValues":{"col-a":1,"col-s":{"col-x":"v"}},)"
                   R"("maxValues":{"col-a":1,"col-s":{"col-x":"v"}},)"
                   R"("nullCount":{"col-a":0,"col-s":{"col-x":0}},"tightBounds":true})");
  // The reader's stats parser understands what was written.
  ASSERT_OK_AND_ASSIGN(FileStats parsed, ParseFileStats(stats, *schema, ColumnMappingMode::kName));
  EXPECT_EQ(parsed.num_records, 1);
  EXPECT_EQ(parsed.columns.count({"s", "x"}), 1u);
}

TEST(StatsTest, LooseBounds) {
  ASSERT_OK_AND_ASSIGN(
      auto loose,
      WithLooseBounds(std::string(R"({"numRecords":2,"minValues":{"a":1},"tightBounds":true})")));
  EXPECT_EQ(loose, R"({"numRecords":2,"minValues":{"a":1},"tightBounds":false})");
  ASSERT_OK_AND_ASSIGN(auto none, WithLooseBounds(std::nullopt));
  EXPECT_FALSE(none.has_value());
  ASSERT_STATUS_CODE(kCorruption, WithLooseBounds(std::string("[1]")));
}

}  // namespace
}  // namespace silt::delta
