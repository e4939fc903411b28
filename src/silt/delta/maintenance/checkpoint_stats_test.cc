#include "silt/delta/maintenance/checkpoint_stats.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <string>

#include "delta/maintenance_test_table.h"
#include "silt/columnar/builder.h"
#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "silt/delta/write/data_writer.h"
#include "silt/fs/memory_file_system.h"
#include "silt/json/json_reader.h"
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
    // Schema order, not the list's (as Spark and the data writer); unknown names are ignored.
    ASSERT_OK_AND_ASSIGN(auto s,
                         WideTable(t, {{"delta.dataSkippingStatsColumns", "dec, nope, s.ts"}}));
    ASSERT_OK_AND_ASSIGN(col::TypePtr type, StatsParsedType(*s));
    EXPECT_EQ(type->ToString(),
              "struct<numRecords:bigint,minValues:struct<s:struct<ts:timestamp>,dec:decimal(10,2)>,"
              "maxValues:struct<s:struct<ts:timestamp>,dec:decimal(10,2)>,"
              "nullCount:struct<s:struct<ts:bigint>,dec:bigint>>");
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
  {
    TestTable t;
    ASSERT_OK_AND_ASSIGN(auto s, WideTable(t, {{"delta.dataSkippingStatsColumns", "`i"}}));
    ASSERT_STATUS_CODE(kCorruption, StatsParsedType(*s));
  }
}

// Leaf paths of a stats JSON section ("s.d") and of a struct type.
void JsonLeaves(const json::Value& v, const std::string& prefix, std::vector<std::string>& out) {
  if (v.type() != json::Type::kObject) {
    out.push_back(prefix);
    return;
  }
  ASSERT_OK_AND_ASSIGN(json::Object obj, v.AsObject());
  ASSERT_OK(obj.ForEachField([&](std::string_view key, const json::Value& child) {
    JsonLeaves(child, prefix.empty() ? std::string(key) : prefix + "." + std::string(key), out);
    return Status::OK();
  }));
}

void TypeLeaves(const col::DataType& type, const std::string& prefix,
                std::vector<std::string>& out) {
  if (type.id() != col::TypeId::kStruct) {
    out.push_back(prefix);
    return;
  }
  for (const col::Field& f : col::AsStruct(type).fields()) {
    TypeLeaves(*f.type(), prefix.empty() ? f.name() : prefix + "." + f.name(), out);
  }
}

constexpr char kMappedSchema[] =
    R"({"type":"struct","fields":[)"
    R"({"name":"i","type":"integer","nullable":true,"metadata":{)"
    R"("delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-i"}},)"
    R"({"name":"s","type":{"type":"struct","fields":[)"
    R"({"name":"d","type":"date","nullable":true,"metadata":{)"
    R"("delta.columnMapping.id":3,"delta.columnMapping.physicalName":"col-d"}},)"
    R"({"name":"bin","type":"binary","nullable":true,"metadata":{)"
    R"("delta.columnMapping.id":4,"delta.columnMapping.physicalName":"col-bin"}}]},)"
    R"("nullable":true,"metadata":{)"
    R"("delta.columnMapping.id":2,"delta.columnMapping.physicalName":"col-s"}},)"
    R"({"name":"p","type":"date","nullable":true,"metadata":{)"
    R"("delta.columnMapping.id":5,"delta.columnMapping.physicalName":"col-p"}}]})";

// The checkpoint's stats_parsed type has exactly the leaves the data writer puts in add.stats,
// for every way the table can choose its stats columns.
TEST(CheckpointStatsTest, StatsParsedMatchesWhatTheWriterWrites) {
  struct Case {
    StringMap config;
    const char* schema;
    const char* rows;
  };
  constexpr char kWideRows[] =
      R"([{"i":1,"b":true,"s":{"d":"2024-01-02","bin":"AQI=","ts":"2024-01-01T00:00:00Z"},)"
      R"("arr":[1],"dec":"1.25","p":"2024-03-01"},)"
      R"({"i":null,"b":null,"s":null,"arr":null,"dec":null,"p":"2024-03-01"}])";
  constexpr char kMappedRows[] =
      R"([{"i":1,"s":{"d":"2024-01-02","bin":"AQI="},"p":"2024-03-01"}])";
  const StringMap mapped = {{"delta.columnMapping.mode", "name"},
                            {"delta.columnMapping.maxColumnId", "5"}};
  auto with = [](StringMap m, StringMap more) {
    m.insert(more.begin(), more.end());
    return m;
  };
  const std::vector<Case> cases = {
      {{}, kWideSchema, kWideRows},
      {{{"delta.dataSkippingNumIndexedCols", "0"}}, kWideSchema, kWideRows},
      {{{"delta.dataSkippingNumIndexedCols", "-1"}}, kWideSchema, kWideRows},
      {{{"delta.dataSkippingNumIndexedCols", "3"}}, kWideSchema, kWideRows},
      {{{"delta.dataSkippingStatsColumns", "dec, S, nope"}}, kWideSchema, kWideRows},
      {{{"delta.dataSkippingStatsColumns", "arr,s.bin"}}, kWideSchema, kWideRows},
      {mapped, kMappedSchema, kMappedRows},
      {with(mapped, {{"delta.dataSkippingStatsColumns", "s.d"}}), kMappedSchema, kMappedRows},
      {with(mapped, {{"delta.dataSkippingNumIndexedCols", "2"}}), kMappedSchema, kMappedRows},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(fmt::format("{}", fmt::join(c.config, ", ")));
    TestTable t;
    Protocol protocol = c.schema == kMappedSchema ? MakeProtocol(2, 5) : MakeProtocol();
    ASSERT_OK(t.Commit(0, {protocol, MakeMetadata(c.config, {"p"}, c.schema)}));
    ASSERT_OK_AND_ASSIGN(auto snapshot, t.Load());
    ASSERT_OK_AND_ASSIGN(TableLayout layout, TableLayout::FromSnapshot(*snapshot));
    fs::MemoryFileSystem fs;
    layout.table_root = "/data";
    ASSERT_OK_AND_ASSIGN(auto writer, DataFileWriter::Make(fs, layout));
    ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatchFromJson(snapshot->schema(), c.rows));
    ASSERT_OK(writer->Write(*batch));
    ASSERT_OK_AND_ASSIGN(std::vector<Add> adds, writer->Finish());
    ASSERT_EQ(adds.size(), 1u);
    ASSERT_TRUE(adds[0].stats.has_value());

    ASSERT_OK_AND_ASSIGN(col::TypePtr type, StatsParsedType(*snapshot));
    json::Parser parser;
    ASSERT_OK_AND_ASSIGN(json::Object stats, parser.ParseObject(*adds[0].stats));
    for (std::string_view member : {"minValues", "maxValues", "nullCount"}) {
      SCOPED_TRACE(member);
      std::vector<std::string> written, typed;
      std::optional<json::Value> section = stats.Find(member);
      ASSERT_TRUE(section.has_value());
      ASSERT_OK_AND_ASSIGN(json::Object section_obj, section->AsObject());
      if (section_obj.size() > 0) JsonLeaves(*section, "", written);
      int index = col::AsStruct(*type).GetFieldIndex(member);
      if (index >= 0) TypeLeaves(*col::AsStruct(*type).field(index).type(), "", typed);
      EXPECT_EQ(written, typed) << *adds[0].stats << "\n" << type->ToString();
    }
    if (c.schema == kMappedSchema) {
      EXPECT_NE(type->ToString().find("col-s:struct<col-d"), std::string::npos) << type->ToString();
    }
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
