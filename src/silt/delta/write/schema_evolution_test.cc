#include "silt/delta/write/schema_evolution.h"

#include <gtest/gtest.h>

#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

namespace col = silt::columnar;

col::SchemaPtr Table() {
  return col::Schema::Make({
      {"id", col::Int64()},
      {"s", col::Struct({{"a", col::Int32()}, {"b", col::String()}})},
      {"v", col::Int32()},
  });
}

TEST(SchemaEvolutionTest, TypeWideningRules) {
  EXPECT_TRUE(IsTypeWidening(*col::Int8(), *col::Int16()));
  EXPECT_TRUE(IsTypeWidening(*col::Int32(), *col::Int64()));
  EXPECT_TRUE(IsTypeWidening(*col::Int16(), *col::Float64()));
  EXPECT_TRUE(IsTypeWidening(*col::Float32(), *col::Float64()));
  EXPECT_TRUE(IsTypeWidening(*col::Date(), *col::TimestampNtz()));
  EXPECT_TRUE(IsTypeWidening(*col::Decimal(10, 2), *col::Decimal(12, 4)));
  EXPECT_FALSE(IsTypeWidening(*col::Decimal(10, 2), *col::Decimal(11, 4)));
  EXPECT_FALSE(IsTypeWidening(*col::Int64(), *col::Int32()));
  EXPECT_FALSE(IsTypeWidening(*col::Int64(), *col::Float64()));
  EXPECT_FALSE(IsTypeWidening(*col::Date(), *col::Timestamp()));
  EXPECT_FALSE(IsTypeWidening(*col::String(), *col::Int64()));
}

TEST(SchemaEvolutionTest, CheckWriteSchemaAcceptsSubsetsAndSafeCasts) {
  auto data = col::Schema::Make(
      {{"V", col::Int16()}, {"ID", col::Int64()}, {"s", col::Struct({{"b", col::String()}})}});
  ASSERT_OK(CheckWriteSchema(*Table(), *data));
}

TEST(SchemaEvolutionTest, CheckWriteSchemaListsEveryDifference) {
  auto data = col::Schema::Make({{"id", col::String()},
                                 {"extra", col::Int32()},
                                 {"s", col::Struct({{"c", col::Boolean()}})}});
  Status st = CheckWriteSchema(*Table(), *data);
  ASSERT_STATUS_CODE(kInvalidArgument, st);
  EXPECT_NE(st.message().find("column 'id' has type bigint in the table but string in the data"),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("column 'extra' (int) is not in the table"), std::string::npos);
  EXPECT_NE(st.message().find("column 's.c' (boolean) is not in the table"), std::string::npos);
}

TEST(SchemaEvolutionTest, MergeAddsColumnsAndNestedFields) {
  auto data = col::Schema::Make({
      {"id", col::Int64()},
      {"s", col::Struct({{"a", col::Int32()}, {"c", col::Float64(), false}})},
      {"w", col::String(), false},
  });
  ASSERT_OK_AND_ASSIGN(MergedSchema merged, MergeSchemas(*Table(), *data, false));
  EXPECT_TRUE(merged.changed);
  EXPECT_FALSE(merged.widened);
  EXPECT_EQ(merged.schema->ToString(),
            "struct<id:bigint,s:struct<a:int,b:string,c:double>,v:int,w:string>");
  EXPECT_TRUE(merged.schema->field(3).nullable());
  EXPECT_TRUE(col::AsStruct(*merged.schema->field(1).type()).field(2).nullable());
  ASSERT_OK_AND_ASSIGN(MergedSchema same, MergeSchemas(*Table(), *Table(), false));
  EXPECT_FALSE(same.changed);
}

TEST(SchemaEvolutionTest, MergeWidensOnlyWhenEnabled) {
  auto data = col::Schema::Make({{"v", col::Int64()}});
  Result<MergedSchema> refused = MergeSchemas(*Table(), *data, false);
  ASSERT_STATUS_CODE(kInvalidArgument, refused);
  EXPECT_NE(refused.status().message().find("'v'"), std::string::npos);
  EXPECT_NE(refused.status().message().find("int"), std::string::npos);
  EXPECT_NE(refused.status().message().find("bigint"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(MergedSchema widened, MergeSchemas(*Table(), *data, true));
  EXPECT_TRUE(widened.widened);
  EXPECT_EQ(widened.schema->field(2).type()->id(), col::TypeId::kInt64);
  EXPECT_EQ(widened.schema->field(2).metadata().Get("delta.typeChanges"),
            R"([{"fromType":"integer","toType":"long"}])");
  auto incompatible = col::Schema::Make({{"id", col::String()}});
  Result<MergedSchema> bad = MergeSchemas(*Table(), *incompatible, true);
  ASSERT_STATUS_CODE(kInvalidArgument, bad);
  EXPECT_NE(bad.status().message().find("incompatible types, table type bigint and data type "
                                        "string"),
            std::string::npos)
      << bad.status().message();
}

TEST(SchemaEvolutionTest, AlignBatchReordersFillsAndCasts) {
  auto data = col::Schema::Make({
      {"v", col::Int16()},
      {"s", col::Struct({{"B", col::String()}})},
  });
  ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatchFromJson(data, R"([
    {"v": 1, "s": {"B": "x"}}, {"v": null, "s": null}])"));
  ASSERT_OK_AND_ASSIGN(auto aligned, AlignBatch(*batch, Table()));
  EXPECT_EQ(aligned->schema()->ToString(), Table()->ToString());
  EXPECT_EQ(col::RecordBatchToJsonLines(*aligned),
            "{\"id\":null,\"s\":{\"a\":null,\"b\":\"x\"},\"v\":1}\n"
            "{\"id\":null,\"s\":null,\"v\":null}\n");
  auto wrong = col::Schema::Make({{"id", col::String()}});
  ASSERT_OK_AND_ASSIGN(auto bad, col::RecordBatchFromJson(wrong, R"([{"id": "x"}])"));
  ASSERT_STATUS_CODE(kInvalidArgument, AlignBatch(*bad, Table()));
}

TEST(SchemaEvolutionTest, AssignsColumnMappingToNewFields) {
  auto schema = col::Schema::Make({
      col::Field("id", col::Int64(), true,
                 col::KeyValueMetadata{{"delta.columnMapping.id", "1"},
                                       {"delta.columnMapping.physicalName", "\"col-x\""}}),
      col::Field("n", col::Struct({{"m", col::Int32()}})),
  });
  Metadata metadata;
  metadata.configuration["delta.columnMapping.maxColumnId"] = "1";
  col::SchemaPtr out = AssignMissingColumnMapping(*schema, metadata);
  EXPECT_EQ(out->field(0).metadata().Get("delta.columnMapping.id"), "1");
  EXPECT_EQ(out->field(1).metadata().Get("delta.columnMapping.id"), "2");
  EXPECT_EQ(col::AsStruct(*out->field(1).type()).field(0).metadata().Get("delta.columnMapping.id"),
            "3");
  EXPECT_EQ(metadata.configuration["delta.columnMapping.maxColumnId"], "3");
}

TEST(SchemaEvolutionTest, ProtocolWithFeature) {
  Protocol legacy{1, 2, std::nullopt, std::nullopt};
  Protocol p = ProtocolWithFeature(legacy, "typeWidening", true);
  EXPECT_EQ(p.min_reader_version, 3);
  EXPECT_EQ(p.min_writer_version, 7);
  EXPECT_EQ(*p.writer_features,
            (std::vector<std::string>{"appendOnly", "invariants", "typeWidening"}));
  EXPECT_EQ(*p.reader_features, (std::vector<std::string>{"typeWidening"}));
  Protocol again = ProtocolWithFeature(p, "typeWidening", true);
  EXPECT_EQ(again, p);
}

TEST(SchemaEvolutionTest, ProtocolWithFeatureListsEverythingALegacyVersionImplied) {
  Protocol legacy{2, 6, std::nullopt, std::nullopt};
  Protocol p = ProtocolWithFeature(legacy, "deletionVectors", true);
  EXPECT_EQ(p.min_reader_version, 3);
  EXPECT_EQ(p.min_writer_version, 7);
  EXPECT_EQ(*p.writer_features,
            (std::vector<std::string>{"appendOnly", "invariants", "checkConstraints",
                                      "changeDataFeed", "generatedColumns", "columnMapping",
                                      "identityColumns", "deletionVectors"}));
  EXPECT_EQ(*p.reader_features, (std::vector<std::string>{"columnMapping", "deletionVectors"}));

  Protocol writer_only = ProtocolWithFeature(Protocol{1, 4, std::nullopt, std::nullopt},
                                             "checkConstraints", false);
  EXPECT_EQ(writer_only.min_reader_version, 1);
  EXPECT_EQ(*writer_only.writer_features,
            (std::vector<std::string>{"appendOnly", "invariants", "checkConstraints",
                                      "changeDataFeed", "generatedColumns"}));
  EXPECT_FALSE(writer_only.reader_features.has_value());
}

}  // namespace
}  // namespace silt::delta
