#include "silt/delta/commit/table_creation.h"

#include <gtest/gtest.h>

#include <set>

#include "silt/base/uuid.h"
#include "silt/delta/commit/protocol_support.h"
#include "silt/delta/table/schema.h"
#include "silt/delta/table/table_features.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

namespace col = silt::columnar;

constexpr int64_t kNow = 1'700'000'000'000;

col::SchemaPtr PlainSchema() {
  return col::Schema::Make({col::Field("id", col::Int64(), false),
                            col::Field("name", col::String()), col::Field("day", col::Date())});
}

struct ProtocolCase {
  std::string label;
  StringMap properties;
  int32_t reader;
  int32_t writer;
  std::optional<std::vector<std::string>> reader_features;
  std::optional<std::vector<std::string>> writer_features;
};

using Features = std::vector<std::string>;

TEST(NewTableActionsTest, ChoosesTheLowestProtocolForEachProperty) {
  const std::vector<ProtocolCase> cases = {
      {"plain", {}, 1, 2, std::nullopt, std::nullopt},
      {"appendOnly", {{"delta.appendOnly", "true"}}, 1, 2, std::nullopt, std::nullopt},
      {"appendOnly false", {{"delta.appendOnly", "false"}}, 1, 2, std::nullopt, std::nullopt},
      {"check constraint",
       {{"delta.constraints.positive", "id > 0"}},
       1,
       3,
       std::nullopt,
       std::nullopt},
      {"change data feed",
       {{"delta.enableChangeDataFeed", "true"}},
       1,
       4,
       std::nullopt,
       std::nullopt},
      {"column mapping name",
       {{"delta.columnMapping.mode", "name"}},
       2,
       5,
       std::nullopt,
       std::nullopt},
      {"column mapping id", {{"delta.columnMapping.mode", "id"}}, 2, 5, std::nullopt, std::nullopt},
      {"column mapping none",
       {{"delta.columnMapping.mode", "none"}},
       1,
       2,
       std::nullopt,
       std::nullopt},
      {"deletion vectors",
       {{"delta.enableDeletionVectors", "true"}},
       3,
       7,
       Features{"deletionVectors"},
       Features{"deletionVectors", "appendOnly", "invariants"}},
      {"in-commit timestamps",
       {{"delta.enableInCommitTimestamps", "true"}},
       1,
       7,
       std::nullopt,
       Features{"inCommitTimestamp", "appendOnly", "invariants"}},
      {"v2 checkpoints",
       {{"delta.checkpointPolicy", "v2"}},
       3,
       7,
       Features{"v2Checkpoint"},
       Features{"v2Checkpoint", "appendOnly", "invariants"}},
      {"classic checkpoints",
       {{"delta.checkpointPolicy", "classic"}},
       1,
       2,
       std::nullopt,
       std::nullopt},
      {"cdf and deletion vectors",
       {{"delta.enableChangeDataFeed", "true"}, {"delta.enableDeletionVectors", "true"}},
       3,
       7,
       Features{"deletionVectors"},
       Features{"changeDataFeed", "deletionVectors", "appendOnly", "invariants"}},
      {"column mapping and deletion vectors",
       {{"delta.columnMapping.mode", "name"}, {"delta.enableDeletionVectors", "true"}},
       3,
       7,
       Features{"columnMapping", "deletionVectors"},
       Features{"columnMapping", "deletionVectors", "appendOnly", "invariants"}},
      {"column mapping and in-commit timestamps",
       {{"delta.columnMapping.mode", "id"}, {"delta.enableInCommitTimestamps", "true"}},
       2,
       7,
       std::nullopt,
       Features{"columnMapping", "inCommitTimestamp", "appendOnly", "invariants"}},
      {"explicit feature",
       {{"delta.feature.vacuumProtocolCheck", "supported"}},
       3,
       7,
       Features{"vacuumProtocolCheck"},
       Features{"vacuumProtocolCheck", "appendOnly", "invariants"}},
      {"explicit legacy feature",
       {{"delta.feature.appendOnly", "supported"}},
       1,
       7,
       std::nullopt,
       Features{"appendOnly", "invariants"}},
      {"type widening",
       {{"delta.enableTypeWidening", "true"}},
       3,
       7,
       Features{"typeWidening"},
       Features{"typeWidening", "appendOnly", "invariants"}},
      {"min writer version", {{"delta.minWriterVersion", "4"}}, 1, 4, std::nullopt, std::nullopt},
      {"min reader and writer version",
       {{"delta.minReaderVersion", "2"}, {"delta.minWriterVersion", "5"}},
       2,
       5,
       std::nullopt,
       std::nullopt},
      {"min writer version 7",
       {{"delta.minWriterVersion", "7"}},
       1,
       7,
       std::nullopt,
       Features{"appendOnly", "invariants"}},
      {"case-insensitive key",
       {{"DELTA.enableChangeDataFeed", "TRUE"}},
       1,
       4,
       std::nullopt,
       std::nullopt},
  };
  for (const ProtocolCase& c : cases) {
    SCOPED_TRACE(c.label);
    NewTableOptions options;
    options.schema = PlainSchema();
    options.properties = c.properties;
    ASSERT_OK_AND_ASSIGN(auto actions, NewTableActions(options, kNow));
    const Protocol& p = actions.first;
    EXPECT_EQ(p.min_reader_version, c.reader);
    EXPECT_EQ(p.min_writer_version, c.writer);
    EXPECT_EQ(p.reader_features, c.reader_features);
    EXPECT_EQ(p.writer_features, c.writer_features);
    EXPECT_OK(ValidateProtocol(p));
    // Pseudo-properties are consumed.
    for (const auto& [key, value] : actions.second.configuration) {
      EXPECT_FALSE(key.starts_with("delta.feature.")) << key;
      EXPECT_NE(key, "delta.minWriterVersion");
      EXPECT_NE(key, "delta.minReaderVersion");
    }
  }
}

TEST(NewTableActionsTest, TimestampNtzColumnNeedsTheFeature) {
  NewTableOptions options;
  options.schema = col::Schema::Make(
      {col::Field("id", col::Int64()),
       col::Field("events", col::List(col::Struct({col::Field("at", col::TimestampNtz())})))});
  ASSERT_OK_AND_ASSIGN(auto actions, NewTableActions(options, kNow));
  EXPECT_EQ(actions.first.min_reader_version, 3);
  EXPECT_EQ(actions.first.min_writer_version, 7);
  EXPECT_EQ(actions.first.reader_features, Features{"timestampNtz"});
  EXPECT_EQ(actions.first.writer_features, (Features{"timestampNtz", "appendOnly", "invariants"}));
}

TEST(NewTableActionsTest, MetadataFields) {
  NewTableOptions options;
  options.schema = PlainSchema();
  options.partition_columns = {"DAY"};  // resolved case-insensitively, stored as in the schema
  options.properties = {{"delta.appendOnly", "true"}, {"user.owner", "team-a"}};
  options.name = "events";
  options.description = "all the events";
  ASSERT_OK_AND_ASSIGN(auto actions, NewTableActions(options, kNow));
  const Metadata& m = actions.second;
  EXPECT_TRUE(IsUuid(m.id)) << m.id;
  EXPECT_EQ(m.created_time, kNow);
  EXPECT_EQ(m.format.provider, "parquet");
  EXPECT_EQ(m.name, "events");
  EXPECT_EQ(m.description, "all the events");
  EXPECT_EQ(m.partition_columns, std::vector<std::string>{"day"});
  EXPECT_EQ(m.configuration, (StringMap{{"delta.appendOnly", "true"}, {"user.owner", "team-a"}}));
  ASSERT_OK_AND_ASSIGN(col::SchemaPtr schema, ParseSchemaString(m.schema_string));
  EXPECT_TRUE(schema->Equals(*PlainSchema()));
  // Two tables never share an id.
  ASSERT_OK_AND_ASSIGN(auto other, NewTableActions(options, kNow));
  EXPECT_NE(other.second.id, m.id);
}

// Every field, nested ones included, in depth-first order.
void CollectFields(const col::DataType& type, std::vector<col::Field>& out);
void CollectFields(const std::vector<col::Field>& fields, std::vector<col::Field>& out) {
  for (const col::Field& f : fields) {
    out.push_back(f);
    CollectFields(*f.type(), out);
  }
}
void CollectFields(const col::DataType& type, std::vector<col::Field>& out) {
  if (type.id() == col::TypeId::kStruct) CollectFields(col::AsStruct(type).fields(), out);
  if (type.id() == col::TypeId::kList) CollectFields(*col::AsList(type).element_type(), out);
  if (type.id() == col::TypeId::kMap) {
    CollectFields(*col::AsMap(type).key_type(), out);
    CollectFields(*col::AsMap(type).value_type(), out);
  }
}

TEST(NewTableActionsTest, ColumnMappingAssignsIdsAndPhysicalNamesToEveryField) {
  for (std::string mode : {"name", "id"}) {
    SCOPED_TRACE(mode);
    NewTableOptions options;
    options.schema = col::Schema::Make({
        col::Field("id", col::Int64()),
        col::Field("user name", col::String()),  // a space is fine under column mapping
        col::Field("address", col::Struct({col::Field("city", col::String()),
                                           col::Field("zip", col::Int32())})),
        col::Field("tags", col::List(col::Struct({col::Field("k", col::String())}))),
        col::Field("attrs",
                   col::Map(col::String(), col::Struct({col::Field("v", col::Float64())}))),
    });
    options.properties = {{"delta.columnMapping.mode", mode}};
    ASSERT_OK_AND_ASSIGN(auto actions, NewTableActions(options, kNow));
    ASSERT_OK_AND_ASSIGN(col::SchemaPtr schema, ParseSchemaString(actions.second.schema_string));
    std::vector<col::Field> fields;
    CollectFields(schema->fields(), fields);
    ASSERT_EQ(fields.size(), 9u);  // id, user name, address, city, zip, tags, k, attrs, v
    std::set<int64_t> ids;
    std::set<std::string> names;
    for (const col::Field& f : fields) {
      ASSERT_OK_AND_ASSIGN(std::optional<int64_t> id,
                           FieldMetadataInt(f, "delta.columnMapping.id"));
      ASSERT_OK_AND_ASSIGN(std::optional<std::string> physical,
                           FieldMetadataString(f, "delta.columnMapping.physicalName"));
      ASSERT_TRUE(id.has_value()) << f.name();
      ASSERT_TRUE(physical.has_value()) << f.name();
      EXPECT_TRUE(physical->starts_with("col-") && IsUuid(physical->substr(4))) << *physical;
      ids.insert(*id);
      names.insert(*physical);
    }
    EXPECT_EQ(ids, (std::set<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
    EXPECT_EQ(names.size(), 9u);
    EXPECT_EQ(actions.second.configuration.at("delta.columnMapping.maxColumnId"), "9");
    EXPECT_EQ(actions.second.configuration.at("delta.columnMapping.mode"), mode);
    ASSERT_OK_AND_ASSIGN(ColumnMappingMode got,
                         GetColumnMappingMode(actions.first, actions.second));
    EXPECT_EQ(got, mode == "name" ? ColumnMappingMode::kName : ColumnMappingMode::kId);
  }
}

TEST(NewTableActionsTest, InvalidSchemasAndPartitionColumns) {
  struct Case {
    std::string label;
    col::SchemaPtr schema;
    std::vector<std::string> partition_columns;
    StringMap properties;
    std::string message;
  };
  col::SchemaPtr nested =
      col::Schema::Make({col::Field("id", col::Int64()),
                         col::Field("s", col::Struct({col::Field("a", col::Int32())}))});
  const std::vector<Case> cases = {
      {"no schema", nullptr, {}, {}, "needs a schema"},
      {"empty schema", col::Schema::Make({}), {}, {}, "at least one column"},
      {"duplicate columns",
       col::Schema::Make({col::Field("a", col::Int32()), col::Field("A", col::Int32())}),
       {},
       {},
       "'A' twice"},
      {"invalid character",
       col::Schema::Make({col::Field("a b", col::Int32())}),
       {},
       {},
       "column name 'a b'"},
      {"missing partition column", PlainSchema(), {"nope"}, {}, "partition column 'nope'"},
      {"nested partition column", nested, {"s.a"}, {}, "partition column 's.a'"},
      {"struct partition column", nested, {"s"}, {}, "partition column 's' has type"},
      {"duplicate partition column", PlainSchema(), {"day", "day"}, {}, "given twice"},
      {"all columns partitioned", PlainSchema(), {"id", "name", "day"}, {}, "every column"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    NewTableOptions options;
    options.schema = c.schema;
    options.partition_columns = c.partition_columns;
    options.properties = c.properties;
    auto result = NewTableActions(options, kNow);
    ASSERT_STATUS_CODE(kInvalidArgument, result);
    EXPECT_NE(result.error().message().find(c.message), std::string::npos)
        << result.error().message();
  }
}

TEST(NewTableActionsTest, MalformedPropertyValues) {
  struct Case {
    StringMap properties;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{{"delta.appendOnly", "yes"}}, "delta.appendOnly='yes'"},
      {{{"delta.enableDeletionVectors", "1"}}, "delta.enableDeletionVectors='1'"},
      {{{"delta.checkpointInterval", "0"}}, "delta.checkpointInterval='0'"},
      {{{"delta.checkpointInterval", "ten"}}, "delta.checkpointInterval='ten'"},
      {{{"delta.logRetentionDuration", "forever"}}, "delta.logRetentionDuration='forever'"},
      {{{"delta.deletedFileRetentionDuration", "interval 1 month"}},
       "delta.deletedFileRetentionDuration"},
      {{{"delta.columnMapping.mode", "position"}}, "delta.columnMapping.mode='position'"},
      {{{"delta.checkpointPolicy", "v3"}}, "delta.checkpointPolicy='v3'"},
      {{{"delta.isolationLevel", "SnapshotIsolation"}}, "delta.isolationLevel"},
      {{{"delta.dataSkippingNumIndexedCols", "-2"}}, "delta.dataSkippingNumIndexedCols"},
      {{{"delta.constraints.broken", "id >"}}, "delta.constraints.broken"},
      {{{"delta.feature.deletionVectors", "on"}}, "delta.feature.deletionVectors='on'"},
      {{{"delta.minWriterVersion", "8"}}, "delta.minWriterVersion='8'"},
      {{{"delta.minReaderVersion", "x"}}, "delta.minReaderVersion='x'"},
      {{{"delta.dataSkippingStatsColumns", "id,nmae"}}, "'nmae' is not a column of the table"},
      {{{"delta.dataSkippingStatsColumns", "id,`name"}}, "delta.dataSkippingStatsColumns"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    NewTableOptions options;
    options.schema = PlainSchema();
    options.properties = c.properties;
    auto result = NewTableActions(options, kNow);
    ASSERT_STATUS_CODE(kInvalidArgument, result);
    EXPECT_NE(result.error().message().find(c.message), std::string::npos)
        << result.error().message();
  }
}

TEST(NewTableActionsTest, StatsColumnsMustNameDataColumns) {
  NewTableOptions options;
  options.schema = PlainSchema();
  options.partition_columns = {"day"};
  options.properties = {{"delta.dataSkippingStatsColumns", "name,day"}};
  auto result = NewTableActions(options, kNow);
  ASSERT_STATUS_CODE(kInvalidArgument, result);
  EXPECT_NE(result.error().message().find("'day' is a partition column"), std::string::npos)
      << result.error().message();

  options.properties = {{"delta.dataSkippingStatsColumns", "NAME, id"}};
  ASSERT_OK_AND_ASSIGN(auto actions, NewTableActions(options, kNow));
  EXPECT_EQ(actions.second.configuration.at("delta.dataSkippingStatsColumns"), "NAME, id");
}

TEST(NewTableActionsTest, FeaturesSiltCannotWriteAreUnsupported) {
  for (StringMap properties :
       std::vector<StringMap>{{{"delta.enableRowTracking", "true"}},
                              {{"delta.enableIcebergCompatV2", "true"}},
                              {{"delta.feature.clustering", "supported"}},
                              {{"delta.feature.noSuchFeature", "supported"}}}) {
    SCOPED_TRACE(properties.begin()->first);
    NewTableOptions options;
    options.schema = PlainSchema();
    options.properties = properties;
    auto result = NewTableActions(options, kNow);
    ASSERT_STATUS_CODE(kUnsupported, result);
  }
  NewTableOptions options;
  options.schema = PlainSchema();
  options.properties = {{"delta.enableRowTracking", "true"}};
  auto result = NewTableActions(options, kNow);
  EXPECT_NE(result.error().message().find("rowTracking"), std::string::npos)
      << result.error().message();
}

TEST(ProtocolSupportTest, ValidateProtocol) {
  EXPECT_OK(ValidateProtocol(Protocol{1, 2, std::nullopt, std::nullopt}));
  EXPECT_OK(
      ValidateProtocol(Protocol{3, 7, Features{"deletionVectors"}, Features{"deletionVectors"}}));
  EXPECT_STATUS_CODE(kInvalidArgument, ValidateProtocol(Protocol{0, 2, {}, {}}));
  EXPECT_STATUS_CODE(kInvalidArgument, ValidateProtocol(Protocol{1, 8, {}, {}}));
  EXPECT_STATUS_CODE(kInvalidArgument, ValidateProtocol(Protocol{3, 5, Features{}, {}}));
  EXPECT_STATUS_CODE(kInvalidArgument, ValidateProtocol(Protocol{3, 7, {}, Features{}}));
  EXPECT_STATUS_CODE(kInvalidArgument, ValidateProtocol(Protocol{1, 7, {}, {}}));
  EXPECT_STATUS_CODE(kInvalidArgument,
                     ValidateProtocol(Protocol{3, 7, Features{"deletionVectors"}, Features{}}));
}

TEST(ProtocolSupportTest, CheckWriteSupportedNamesTheMissingFeatures) {
  EXPECT_OK(CheckWriteSupported(Protocol{1, 2, {}, {}}));
  EXPECT_OK(CheckWriteSupported(Protocol{2, 6, {}, {}}));
  Status s = CheckWriteSupported(
      Protocol{3, 7, Features{"deletionVectors"},
               Features{"deletionVectors", "rowTracking", "domainMetadata", "clustering"}});
  ASSERT_STATUS_CODE(kUnsupported, s);
  EXPECT_NE(s.message().find("rowTracking, clustering"), std::string::npos) << s.message();
  // Unreadable means unwritable.
  EXPECT_STATUS_CODE(kUnsupported, CheckWriteSupported(Protocol{3, 7, Features{"variantType"},
                                                                Features{"variantType"}}));
}

TEST(ProtocolSupportTest, CheckProtocolCoversNamesThePropertyAndFeature) {
  Metadata m;
  m.configuration = {{"delta.enableDeletionVectors", "true"}};
  Status s = CheckProtocolCovers(Protocol{1, 2, {}, {}}, m, *PlainSchema());
  ASSERT_STATUS_CODE(kInvalidArgument, s);
  EXPECT_NE(s.message().find("delta.enableDeletionVectors=true"), std::string::npos);
  EXPECT_NE(s.message().find("deletionVectors"), std::string::npos);
  EXPECT_OK(CheckProtocolCovers(
      Protocol{3, 7, Features{"deletionVectors"}, Features{"deletionVectors"}}, m, *PlainSchema()));
}

}  // namespace
}  // namespace silt::delta
