#include "silt/delta/maintenance/checkpoint_stats.h"

#include <gtest/gtest.h>

#include <string>

#include "delta/maintenance_test_table.h"
#include "silt/columnar/builder.h"
#include "silt/columnar/pretty.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using namespace maintenance_testing;  // NOLINT
namespace col = silt::columnar;

constexpr char kWideSchema[] =
    R"({"type":"struct","fields":[)"
    R"({"name":"i","type":"integer","nullable":true,"metadata":{}},)"
    R"({"name":"b","type":"boolean","nullable":true,"metadata":{}},)"
    R"({"name":"s","type":{"type":"struct","fields":[)"
    R"({"name":"d","type":"date","nullable":true,"metadata":{}},)"
    R"({"name":"bin","type":"binary","nullable":true,"metadata":{}},)"
    R"({"name":"ts","type":"timestamp","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},)"
    R"({"name":"arr","type":{"type":"array","elementType":"long","containsNull":true},"nullable":true,"metadata":{}},)"
    R"j({"name":"dec","type":"decimal(10,2)","nullable":true,"metadata":{}},)j"
    R"({"name":"p","type":"date","nullable":true,"metadata":{}}]})";

Result<std::shared_ptr<const Snapshot>> WideTable(TestTable& t, StringMap config,
                                                  Protocol protocol = MakeProtocol()) {
  SILT_RETURN_NOT_OK(t.Commit(0, {protocol, MakeMetadata(config, {"p"}, kWideSchema)}));
  return t.Load();
}

TEST(CheckpointStatsTest, StatsTypeFollowsSparkRules) {
  TestTable t;
  ASSERT_OK_AND_ASSIGN(auto s, WideTable(t, {}));
  ASSERT_OK_AND_ASSIGN(col::TypePtr type, StatsParsedType(*s));
  // min/max only for ordered types, nullCount for every leaf (arrays as one), partition column
  // left out.
  EXPECT_EQ(type->ToString(),
            "struct<numRecords:bigint,"
            "minValues:struct<i:int,s:struct<d:date,ts:timestamp>,dec:decimal(10,2)>,"
            "maxValues:struct<i:int,s:struct<d:date,ts:timestamp>,dec:decimal(10,2)>,"
            "nullCount:struct<i:bigint,b:bigint,s:struct<d:bigint,bin:bigint,ts:bigint>,"
            "arr:bigint,dec:bigint>>");
  ASSERT_OK_AND_ASSIGN(col::TypePtr pv, PartitionValuesParsedType(*s));
  EXPECT_EQ(pv->ToString(), "struct<p:date>");
}

TEST(CheckpointStatsTest, IndexedColumnsProperties) {
  {
    TestTable t;
    ASSERT_OK_AND_ASSIGN(auto s, WideTable(t, {{"delta.dataSkippingNumIndexedCols", "3"}}));
    ASSERT_OK_AND_ASSIGN(col::TypePtr type, StatsParsedType(*s));
    EXPECT_EQ(type->ToString(),
              "struct<numRecords:bigint,minValues:struct<i:int,s:struct<d:date>>,"
              "maxValues:struct<i:int,s:struct<d:date>>,"
              "nullCount:struct<i:bigint,b:bigint,s:struct<d:bigint>>>");
  }
  {
    TestTable t;
    ASSERT_OK_AND_ASSIGN(auto s, WideTable(t, {{"delta.dataSkippingStatsColumns", "dec, s.ts"}}));
    ASSERT_OK_AND_ASSIGN(col::TypePtr type, StatsParsedType(*s));
    EXPECT_EQ(type->ToString(),
              "struct<numRecords:bigint,minValues:struct<dec:decimal(10,2),s:struct<ts:timestamp>>,"
              "maxValues:struct<dec:decimal(10,2),s:struct<ts:timestamp>>,"
              "nullCount:struct<dec:bigint,s:struct<ts:bigint>>>");
  }
  {
    TestTable t;
    ASSERT_OK_AND_ASSIGN(auto s,
                         WideTable(t, {},
                                   MakeProtocol(3, 7, std::vector<std::string>{"deletionVectors"},
                                                std::vector<std::string>{"deletionVectors"})));
    ASSERT_OK_AND_ASSIGN(col::TypePtr type, StatsParsedType(*s));
    EXPECT_NE(type->ToString().find(",tightBounds:boolean>"), std::string::npos);
  }
  {
    TestTable t;
    ASSERT_OK_AND_ASSIGN(auto s, WideTable(t, {{"delta.dataSkippingNumIndexedCols", "x"}}));
    ASSERT_STATUS_CODE(kCorruption, StatsParsedType(*s));
  }
}

TEST(CheckpointStatsTest, AppendsTypedValuesAndNullsForWhatDoesNotParse) {
  TestTable t;
  ASSERT_OK_AND_ASSIGN(auto s, WideTable(t, {}));
  ASSERT_OK_AND_ASSIGN(col::TypePtr type, StatsParsedType(*s));
  ASSERT_OK_AND_ASSIGN(auto builder, col::MakeBuilder(type));
  ASSERT_OK(AppendStatsParsed(
      *builder,
      std::string(R"({"numRecords":3,"minValues":{"i":-5,"s":{"d":"2024-01-31",)"
                  R"("ts":"2024-01-31T10:00:00.123Z"},"dec":12.5},"maxValues":{"i":"oops",)"
                  R"("s":{"d":"2024-02-01"},"dec":99999999.99},)"
                  R"("nullCount":{"i":0,"b":1,"s":{"d":0,"bin":3,"ts":0},"arr":2,"dec":0}})")));
  ASSERT_OK(AppendStatsParsed(*builder, std::nullopt));
  ASSERT_OK(AppendStatsParsed(*builder, std::string("not json")));
  ASSERT_OK_AND_ASSIGN(col::ArrayPtr array, builder->Finish());
  ASSERT_EQ(array->length(), 3);
  EXPECT_EQ(col::ValueToJson(*array, 0),
            R"({"numRecords":3,"minValues":{"i":-5,"s":{"d":"2024-01-31",)"
            R"("ts":"2024-01-31T10:00:00.123000Z"},"dec":12.50},)"
            R"("maxValues":{"i":null,"s":{"d":"2024-02-01","ts":null},"dec":99999999.99},)"
            R"("nullCount":{"i":0,"b":1,"s":{"d":0,"bin":3,"ts":0},"arr":2,"dec":0}})");
  EXPECT_TRUE(array->IsNull(1));
  EXPECT_TRUE(array->IsNull(2));

  ASSERT_OK_AND_ASSIGN(col::TypePtr pv_type, PartitionValuesParsedType(*s));
  ASSERT_OK_AND_ASSIGN(auto pv_builder, col::MakeBuilder(pv_type));
  ASSERT_OK(AppendPartitionValuesParsed(*pv_builder, {{"p", "2024-03-01"}}));
  ASSERT_OK(AppendPartitionValuesParsed(*pv_builder, {{"p", std::nullopt}}));
  ASSERT_OK(AppendPartitionValuesParsed(*pv_builder, {{"p", "garbage"}}));
  ASSERT_OK_AND_ASSIGN(col::ArrayPtr pv, pv_builder->Finish());
  EXPECT_EQ(col::ValueToJson(*pv, 0), R"({"p":"2024-03-01"})");
  EXPECT_EQ(col::ValueToJson(*pv, 1), R"({"p":null})");
  EXPECT_EQ(col::ValueToJson(*pv, 2), R"({"p":null})");
}

TEST(CheckpointStatsTest, AppendScalarChecksRanges) {
  ASSERT_OK_AND_ASSIGN(auto b, col::MakeBuilder(col::Int8()));
  ASSERT_OK(AppendScalar(*b, expr::Value::Int(100)));
  ASSERT_OK(AppendScalar(*b, expr::Value::Int(1000)));
  ASSERT_OK(AppendScalar(*b, expr::Value::String("x")));
  ASSERT_OK_AND_ASSIGN(col::ArrayPtr a, b->Finish());
  EXPECT_EQ(col::ValueToJson(*a, 0), "100");
  EXPECT_TRUE(a->IsNull(1));
  EXPECT_TRUE(a->IsNull(2));
}

}  // namespace
}  // namespace silt::delta
