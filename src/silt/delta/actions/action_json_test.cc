#include "silt/delta/actions/action_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using ::testing::HasSubstr;

template <typename T>
const T& As(const Action& action) {
  const T* out = std::get_if<T>(&action);
  EXPECT_NE(out, nullptr) << "action is " << ActionName(action);
  static const T kEmpty{};
  return out ? *out : kEmpty;
}

// Lines as real writers produce them (Spark, Databricks, delta-rs), trimmed.
constexpr std::string_view kSparkCommit =
    R"({"commitInfo":{"timestamp":1677811194429,"operation":"DELETE","operationParameters":{"predicate":"[\"(value IN (0, 9))\"]"},"readVersion":0,"isolationLevel":"WriteSerializable","isBlindAppend":false,"operationMetrics":{"numDeletedRows":"2"},"engineInfo":"Databricks-Runtime/<unknown>","txnId":"6d9555a2-0e3b-4c15-80c0-d5c3b0cf1277"}}
{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors","domainMetadata"]}}
{"metaData":{"id":"5fba94ed-9794-4965-ba6e-6ee3c0d22af9","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":["d"],"configuration":{"delta.enableDeletionVectors":"true"},"createdTime":1587968585495}}
{"remove":{"path":"part-00000-fae5310a.snappy.parquet","deletionTimestamp":1677811194426,"dataChange":true,"extendedFileMetadata":true,"partitionValues":{"d":null},"size":635,"tags":{"INSERTION_TIME":"1677811178336000"}}}
{"add":{"path":"d=__HIVE_DEFAULT_PARTITION__/part-00000-fae5310a.snappy.parquet","partitionValues":{"d":null},"size":635,"modificationTime":1677811178336,"dataChange":true,"stats":"{\"numRecords\":10,\"tightBounds\":false}","tags":{"INSERTION_TIME":"1677811178336000"},"deletionVector":{"storageType":"u","pathOrInlineDv":"vBn[lx{q8@P<9BNH/isA","offset":1,"sizeInBytes":36,"cardinality":2},"baseRowId":4,"defaultRowCommitVersion":1,"clusteringProvider":"liquid"}}
{"txn":{"appId":"ingest-job-7","version":42,"lastUpdated":1704067200000}}
{"domainMetadata":{"domain":"delta.rowTracking","configuration":"{\"rowIdHighWaterMark\":9}","removed":false}}
{"cdc":{"path":"_change_data/cdc-00000.snappy.parquet","partitionValues":{},"size":1200,"dataChange":false}}
)";

TEST(ActionJsonTest, ParsesEveryActionOfARealCommit) {
  ASSERT_OK_AND_ASSIGN(std::vector<Action> actions,
                       ParseCommitFile(kSparkCommit, "00000000000000000001.json"));
  ASSERT_EQ(actions.size(), 8u);

  const auto& ci = As<CommitInfo>(actions[0]);
  EXPECT_EQ(ci.timestamp, std::optional<int64_t>(1677811194429));
  EXPECT_EQ(ci.operation, std::optional<std::string>("DELETE"));
  EXPECT_EQ(ci.is_blind_append, std::optional<bool>(false));
  EXPECT_EQ(ci.txn_id, std::optional<std::string>("6d9555a2-0e3b-4c15-80c0-d5c3b0cf1277"));
  EXPECT_FALSE(ci.in_commit_timestamp.has_value());
  EXPECT_THAT(ci.raw_json, HasSubstr(R"("operationMetrics":{"numDeletedRows":"2"})"));

  const auto& p = As<Protocol>(actions[1]);
  EXPECT_EQ(p.min_reader_version, 3);
  EXPECT_EQ(p.min_writer_version, 7);
  EXPECT_EQ(p.reader_features, std::optional(std::vector<std::string>{"deletionVectors"}));
  EXPECT_EQ(p.writer_features,
            std::optional(std::vector<std::string>{"deletionVectors", "domainMetadata"}));

  const auto& m = As<Metadata>(actions[2]);
  EXPECT_EQ(m.id, "5fba94ed-9794-4965-ba6e-6ee3c0d22af9");
  EXPECT_FALSE(m.name.has_value());
  EXPECT_EQ(m.format.provider, "parquet");
  EXPECT_THAT(m.schema_string, HasSubstr(R"("type":"struct")"));
  EXPECT_EQ(m.partition_columns, std::vector<std::string>{"d"});
  EXPECT_EQ(m.configuration.at("delta.enableDeletionVectors"), "true");
  EXPECT_EQ(m.created_time, std::optional<int64_t>(1587968585495));

  const auto& r = As<Remove>(actions[3]);
  EXPECT_EQ(r.path, "part-00000-fae5310a.snappy.parquet");
  EXPECT_EQ(r.deletion_timestamp, std::optional<int64_t>(1677811194426));
  EXPECT_TRUE(r.data_change);
  EXPECT_EQ(r.extended_file_metadata, std::optional<bool>(true));
  ASSERT_TRUE(r.partition_values.has_value());
  EXPECT_EQ(r.partition_values->at("d"), std::nullopt);
  EXPECT_EQ(r.size, std::optional<int64_t>(635));
  EXPECT_EQ(r.tags.at("INSERTION_TIME"), "1677811178336000");
  EXPECT_FALSE(r.deletion_vector.has_value());

  const auto& a = As<Add>(actions[4]);
  EXPECT_EQ(a.path, "d=__HIVE_DEFAULT_PARTITION__/part-00000-fae5310a.snappy.parquet");
  EXPECT_EQ(a.size, 635);
  EXPECT_EQ(a.modification_time, 1677811178336);
  EXPECT_EQ(a.stats, std::optional<std::string>(R"({"numRecords":10,"tightBounds":false})"));
  ASSERT_TRUE(a.deletion_vector.has_value());
  EXPECT_EQ(a.deletion_vector->storage_type, DvStorageType::kUuidRelative);
  EXPECT_EQ(a.deletion_vector->path_or_inline_dv, "vBn[lx{q8@P<9BNH/isA");
  EXPECT_EQ(a.deletion_vector->offset, std::optional<int32_t>(1));
  EXPECT_EQ(a.deletion_vector->size_in_bytes, 36);
  EXPECT_EQ(a.deletion_vector->cardinality, 2);
  EXPECT_EQ(a.deletion_vector->UniqueId(), "uvBn[lx{q8@P<9BNH/isA@1");
  EXPECT_EQ(a.base_row_id, std::optional<int64_t>(4));
  EXPECT_EQ(a.default_row_commit_version, std::optional<int64_t>(1));
  EXPECT_EQ(a.clustering_provider, std::optional<std::string>("liquid"));

  const auto& t = As<SetTransaction>(actions[5]);
  EXPECT_EQ(t.app_id, "ingest-job-7");
  EXPECT_EQ(t.version, 42);
  EXPECT_EQ(t.last_updated, std::optional<int64_t>(1704067200000));

  const auto& d = As<DomainMetadata>(actions[6]);
  EXPECT_EQ(d.domain, "delta.rowTracking");
  EXPECT_EQ(d.configuration, R"({"rowIdHighWaterMark":9})");
  EXPECT_FALSE(d.removed);

  const auto& c = As<AddCDCFile>(actions[7]);
  EXPECT_EQ(c.path, "_change_data/cdc-00000.snappy.parquet");
  EXPECT_EQ(c.size, 1200);
  EXPECT_FALSE(c.data_change);
}

TEST(ActionJsonTest, ToleratesUnknownsNullsAndBlankLines) {
  constexpr std::string_view kCommit =
      "\n"
      R"({"futureAction":{"x":1}})"
      "\n   \n"
      R"({"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":2,"dataChange":true,"tags":null,"deletionVector":null,"stats":null,"newField":[1,{"deep":true}]}})"
      "\r\n"
      R"({"metaData":{"id":"x","name":null,"format":{"provider":"parquet","options":null},"schemaString":"{}","partitionColumns":[],"configuration":{"k":null}}})"
      "\n"
      R"({"txn":null,"remove":{"path":"b","dataChange":false},"add":null})";  // no final newline
  ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ParseCommitFile(kCommit, "v.json"));
  ASSERT_EQ(actions.size(), 3u);
  const auto& a = As<Add>(actions[0]);
  EXPECT_TRUE(a.tags.empty());
  EXPECT_FALSE(a.deletion_vector.has_value());
  EXPECT_FALSE(a.stats.has_value());
  const auto& m = As<Metadata>(actions[1]);
  EXPECT_FALSE(m.name.has_value());
  EXPECT_TRUE(m.configuration.empty());
  const auto& r = As<Remove>(actions[2]);
  EXPECT_EQ(r.path, "b");
  EXPECT_FALSE(r.partition_values.has_value());
  EXPECT_FALSE(r.size.has_value());
}

TEST(ActionJsonTest, MetadataWithoutSchemaStringReadsAsEmpty) {
  // As in Spark's own "Manual Update" test tables.
  ASSERT_OK_AND_ASSIGN(
      std::vector<Action> actions,
      ParseCommitFile(R"({"metaData":{"id":"5756e7b1","format":{"provider":"parquet","options":{}},"partitionColumns":[],"configuration":{},"createdTime":1603723979876}})",
                      "v.json"));
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(As<Metadata>(actions[0]).schema_string, "");
  EXPECT_THAT(ToJsonLine(actions[0]), HasSubstr(R"("schemaString":"")"));
}

TEST(ActionJsonTest, EmptyFileHasNoActions) {
  ASSERT_OK_AND_ASSIGN(auto none, ParseCommitFile("", "empty.json"));
  EXPECT_TRUE(none.empty());
  ASSERT_OK_AND_ASSIGN(auto blank, ParseCommitFile("\n\n", "blank.json"));
  EXPECT_TRUE(blank.empty());
}

TEST(ActionJsonTest, TruncatedLineNamesFileAndLine) {
  std::string content = std::string(kSparkCommit.substr(0, kSparkCommit.find("{\"add\"") + 40));
  Result<std::vector<Action>> r = ParseCommitFile(content, "00000000000000000003.json");
  ASSERT_STATUS_CODE(kCorruption, r);
  EXPECT_THAT(r.error().message(), HasSubstr("00000000000000000003.json line 5: invalid JSON"));
}

TEST(ActionJsonTest, WrongFieldTypesNameTheField) {
  struct Case {
    std::string_view line;
    std::string_view message;
  };
  const Case kCases[] = {
      {R"({"add":{"path":"a","partitionValues":{},"size":"1","modificationTime":2,"dataChange":true}})",
       "f.json line 1: add.size: expected an integer, got string"},
      {R"({"add":{"partitionValues":{},"size":1,"modificationTime":2,"dataChange":true}})",
       "f.json line 1: add.path: required field is missing"},
      {R"({"add":{"path":"a","partitionValues":{"p":1},"size":1,"modificationTime":2,"dataChange":true}})",
       "f.json line 1: add.partitionValues.p: expected a string, got integer"},
      {R"({"protocol":{"minReaderVersion":1}})",
       "f.json line 1: protocol.minWriterVersion: required field is missing"},
      {R"({"protocol":{"minReaderVersion":99999999999,"minWriterVersion":2}})",
       "f.json line 1: protocol.minReaderVersion: 99999999999 does not fit in 32 bits"},
      {R"({"metaData":{"id":"x","schemaString":"{}","partitionColumns":"a"}})",
       "f.json line 1: metaData.partitionColumns: expected an array of strings, got string"},
      {R"({"remove":{"path":"a","dataChange":true,"deletionVector":{"storageType":"u","pathOrInlineDv":"x","sizeInBytes":1}}})",
       "f.json line 1: remove.deletionVector.cardinality: required field is missing"},
      {R"({"txn":{"appId":"a","version":true}})",
       "f.json line 1: txn.version: expected an integer, got boolean"},
      {R"({"add":[1]})", "f.json line 1: add: expected an object, got array"},
      {R"({"add":{"path":"a"},"remove":{"path":"b"}})",
       "f.json line 1: one line holds two actions, 'add' and 'remove'"},
      {R"([{"add":{}}])", "f.json line 1: invalid JSON: expected an object, got array"},
      {R"({"commitInfo":{"inCommitTimestamp":"soon"}})",
       "f.json line 1: commitInfo.inCommitTimestamp: expected an integer, got string"},
  };
  for (const Case& c : kCases) {
    Result<std::vector<Action>> r = ParseCommitFile(c.line, "f.json");
    ASSERT_STATUS_CODE(kCorruption, r);
    EXPECT_EQ(r.error().message(), c.message);
  }
}

TEST(ActionJsonTest, UnknownDvStorageTypeIsUnsupported) {
  Result<std::vector<Action>> r = ParseCommitFile(
      R"({"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":2,"dataChange":true,"deletionVector":{"storageType":"z","pathOrInlineDv":"x","sizeInBytes":1,"cardinality":1}}})",
      "f.json");
  ASSERT_STATUS_CODE(kUnsupported, r);
  EXPECT_THAT(r.error().message(),
              HasSubstr("f.json line 1: add.deletionVector.storageType: deletion vector storage "
                        "type 'z' is not supported"));
}

TEST(ActionJsonTest, LaterLineErrorsReportTheirLineNumber) {
  std::string content = std::string(kSparkCommit) + "\n" +
                        R"({"txn":{"appId":"a"}})" + "\n";
  Result<std::vector<Action>> r = ParseCommitFile(content, "x.json");
  ASSERT_STATUS_CODE(kCorruption, r);
  // kSparkCommit has 8 lines, then one blank line.
  EXPECT_EQ(r.error().message(), "x.json line 10: txn.version: required field is missing");
}

TEST(ActionJsonTest, RoundTripsEveryActionType) {
  ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ParseCommitFile(kSparkCommit, "v.json"));
  Sidecar sidecar{"3f1c2d7e.parquet", 52344, 1704067300000, {{"k", "v"}}};
  CheckpointMetadata checkpoint_metadata{20, {}};
  Remove bare_remove;
  bare_remove.path = "x y%.parquet";
  Add inline_dv;
  inline_dv.path = "f";
  inline_dv.deletion_vector = DeletionVectorDescriptor{DvStorageType::kInline, "wi5b=000010000",
                                                       std::nullopt, 10, 3, 7};
  actions.push_back(sidecar);
  actions.push_back(checkpoint_metadata);
  actions.push_back(bare_remove);
  actions.push_back(inline_dv);

  std::string serialized = ToCommitFile(actions);
  ASSERT_OK_AND_ASSIGN(std::vector<Action> back, ParseCommitFile(serialized, "round.json"));
  ASSERT_EQ(back.size(), actions.size());
  for (size_t i = 0; i < actions.size(); ++i) {
    EXPECT_EQ(back[i], actions[i]) << "action " << i << ": " << ToJsonLine(actions[i]);
  }
  // Serializing again is byte-identical.
  EXPECT_EQ(ToCommitFile(back), serialized);
}

TEST(ActionJsonTest, WritesTheShapesDeltaExpects) {
  Add add;
  add.path = "p=a%20b/part-0.parquet";
  add.partition_values = {{"p", "a b"}, {"q", std::nullopt}};
  add.size = 10;
  add.modification_time = 20;
  add.stats = R"({"numRecords":1})";
  EXPECT_EQ(ToJsonLine(add),
            R"({"add":{"path":"p=a%20b/part-0.parquet","partitionValues":{"p":"a b","q":null},)"
            R"("size":10,"modificationTime":20,"dataChange":true,"stats":"{\"numRecords\":1}"}})");

  Metadata metadata;
  metadata.id = "id";
  metadata.schema_string = R"({"type":"struct","fields":[]})";
  EXPECT_EQ(ToJsonLine(metadata),
            R"({"metaData":{"id":"id","format":{"provider":"parquet","options":{}},)"
            R"("schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":[],)"
            R"("configuration":{}}})");

  EXPECT_EQ(ToJsonLine(Protocol{1, 2, std::nullopt, std::nullopt}),
            R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})");

  CommitInfo typed;
  typed.timestamp = 5;
  typed.in_commit_timestamp = 6;
  typed.operation.emplace("WRITE");
  EXPECT_EQ(ToJsonLine(typed),
            R"({"commitInfo":{"timestamp":5,"inCommitTimestamp":6,"operation":"WRITE"}})");
  CommitInfo raw;
  raw.raw_json = R"({"anything":[1,2]})";
  EXPECT_EQ(ToJsonLine(raw), R"({"commitInfo":{"anything":[1,2]}})");

  EXPECT_EQ(ToJsonLine(DomainMetadata{"d", "{}", true}),
            R"({"domainMetadata":{"domain":"d","configuration":"{}","removed":true}})");
}

}  // namespace
}  // namespace silt::delta
