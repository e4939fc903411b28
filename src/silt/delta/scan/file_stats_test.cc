#include "silt/delta/scan/file_stats.h"

#include <gtest/gtest.h>

#include "silt/delta/table/schema.h"
#include "silt/expr/expr.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using expr::Value;

TEST(FileStatsTest, ParsesTypedBoundsByLogicalPath) {
  ASSERT_OK_AND_ASSIGN(auto schema, ParseSchemaString(R"json({"type":"struct","fields":[
    {"name":"id","type":"long","nullable":true,"metadata":{}},
    {"name":"ts","type":"timestamp","nullable":true,"metadata":{}},
    {"name":"d","type":"decimal(10,2)","nullable":true,"metadata":{}},
    {"name":"s","type":{"type":"struct","fields":[
      {"name":"day","type":"date","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}}]})json"));
  ASSERT_OK_AND_ASSIGN(
      FileStats stats,
      ParseFileStats(R"json({"numRecords":10,"minValues":{"id":1,"ts":"2023-06-15T12:30:00.000Z",
        "d":1.5,"s":{"day":"2020-01-01"}},"maxValues":{"id":9,"ts":"2023-06-15T12:30:00.001-01:00",
        "d":123.45},"nullCount":{"id":0,"ts":2,"s":{"day":10}},"tightBounds":false})json",
                     *schema, ColumnMappingMode::kNone));
  EXPECT_EQ(stats.num_records, 10);
  EXPECT_FALSE(stats.tight_bounds);
  EXPECT_EQ(stats.columns.at({"id"}).min, Value::Int(1));
  EXPECT_EQ(stats.columns.at({"id"}).max, Value::Int(9));
  EXPECT_EQ(stats.columns.at({"ts"}).min, Value::Timestamp(1686832200000000LL));
  // One hour later (the -01:00 offset), plus 1 ms, widened by 999 µs.
  EXPECT_EQ(stats.columns.at({"ts"}).max, Value::Timestamp(1686835800000000LL + 1000 + 999));
  EXPECT_EQ(stats.columns.at({"d"}).min, Value::MakeDecimal(150, 2));
  EXPECT_EQ(stats.columns.at({"d"}).max, Value::MakeDecimal(12345, 2));
  EXPECT_EQ(stats.columns.at({"s", "day"}).min, Value::Date(18262));
  EXPECT_EQ(stats.columns.at({"s", "day"}).null_count, 10);

  expr::StatsView view = ToStatsView(stats);
  EXPECT_FALSE(expr::MayMatch(*expr::Parse("id > 9").value(), view));
  EXPECT_TRUE(expr::MayMatch(*expr::Parse("id = 9").value(), view));
  EXPECT_FALSE(expr::MayMatch(*expr::Parse("s.day IS NOT NULL").value(), view));
}

TEST(FileStatsTest, ColumnMappingUsesPhysicalNames) {
  ASSERT_OK_AND_ASSIGN(auto schema, ParseSchemaString(R"json({"type":"struct","fields":[
    {"name":"id","type":"integer","nullable":true,"metadata":{
      "delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-abc"}}]})json"));
  ASSERT_OK_AND_ASSIGN(FileStats stats,
                       ParseFileStats(R"json({"numRecords":3,"minValues":{"col-abc":4},
                                          "maxValues":{"id":100}})json",
                                      *schema, ColumnMappingMode::kName));
  EXPECT_EQ(stats.columns.at({"id"}).min, Value::Int(4));
  EXPECT_FALSE(stats.columns.at({"id"}).max.has_value());
}

TEST(FileStatsTest, BadValuesAreDroppedBadJsonIsCorruption) {
  ASSERT_OK_AND_ASSIGN(auto schema, ParseSchemaString(R"json({"type":"struct","fields":[
    {"name":"d","type":"date","nullable":true,"metadata":{}}]})json"));
  ASSERT_OK_AND_ASSIGN(FileStats stats,
                       ParseFileStats(R"json({"numRecords":3,"minValues":{"d":"yesterday"}})json",
                                      *schema, ColumnMappingMode::kNone));
  EXPECT_TRUE(stats.columns.empty());
  EXPECT_STATUS_CODE(kCorruption, ParseFileStats("{\"numRecords\":", *schema,
                                                 ColumnMappingMode::kNone));
}

}  // namespace
}  // namespace silt::delta
