#include "silt/delta/checkpoint/checkpoint_actions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "silt/columnar/from_json.h"
#include "silt/delta/log/log_replay.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using ::testing::HasSubstr;
namespace col = ::silt::columnar;

// Rows of a Spark V1 checkpoint, as a decoder would hand them over.
constexpr std::string_view kRows = R"j([
  {"protocol": {"minReaderVersion": 3, "minWriterVersion": 7,
                "readerFeatures": ["deletionVectors"], "writerFeatures": ["deletionVectors"]}},
  {"metaData": {"id": "tbl", "format": {"provider": "parquet", "options": {}},
                "schemaString": "{\"type\":\"struct\",\"fields\":[]}",
                "partitionColumns": ["d"], "configuration": {"delta.enableDeletionVectors": "true"},
                "createdTime": 1700000000000}},
  {"txn": {"appId": "stream", "version": 9, "lastUpdated": 5}},
  {"add": {"path": "d=1/a.parquet", "partitionValues": {"d": "1"}, "size": 10,
           "modificationTime": 20, "dataChange": false, "tags": {"k": "v", "n": null},
           "deletionVector": {"storageType": "u", "pathOrInlineDv": "vBn[lx{q8@P<9BNH/isA",
                              "offset": 1, "sizeInBytes": 36, "cardinality": 2},
           "stats": "{\"numRecords\":3}"}},
  {"add": {"path": "d=__HIVE_DEFAULT_PARTITION__/b.parquet", "partitionValues": {"d": null},
           "size": 11, "modificationTime": 21, "dataChange": false}},
  {"remove": {"path": "d=1/old.parquet", "deletionTimestamp": 30, "dataChange": false,
              "extendedFileMetadata": true, "partitionValues": {"d": "1"}, "size": 12}},
  {"domainMetadata": {"domain": "delta.rowTracking", "configuration": "{}", "removed": false}},
  {}
])j";

TEST(CheckpointActionsTest, ReadsEveryActionOfASparkCheckpoint) {
  ASSERT_OK_AND_ASSIGN(col::RecordBatchPtr batch,
                       col::RecordBatchFromJson(CheckpointReadSchema(), kRows));
  ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ActionsFromCheckpointBatch(*batch));
  ASSERT_EQ(actions.size(), 7u);  // the empty row is skipped

  const auto& p = std::get<Protocol>(actions[0]);
  EXPECT_EQ(p.min_reader_version, 3);
  EXPECT_EQ(p.reader_features, std::optional(std::vector<std::string>{"deletionVectors"}));
  const auto& m = std::get<Metadata>(actions[1]);
  EXPECT_EQ(m.id, "tbl");
  EXPECT_EQ(m.partition_columns, std::vector<std::string>{"d"});
  EXPECT_EQ(m.configuration.at("delta.enableDeletionVectors"), "true");
  EXPECT_EQ(m.created_time, std::optional<int64_t>(1700000000000));
  EXPECT_FALSE(m.name.has_value());
  const auto& t = std::get<SetTransaction>(actions[2]);
  EXPECT_EQ(t.app_id, "stream");
  EXPECT_EQ(t.version, 9);
  const auto& a = std::get<Add>(actions[3]);
  EXPECT_EQ(a.path, "d=1/a.parquet");
  EXPECT_EQ(a.partition_values.at("d"), std::optional<std::string>("1"));
  EXPECT_EQ(a.size, 10);
  EXPECT_FALSE(a.data_change);
  EXPECT_EQ(a.tags, (StringMap{{"k", "v"}}));
  ASSERT_TRUE(a.deletion_vector.has_value());
  EXPECT_EQ(a.deletion_vector->UniqueId(), "uvBn[lx{q8@P<9BNH/isA@1");
  EXPECT_EQ(a.deletion_vector->cardinality, 2);
  EXPECT_EQ(a.stats, std::optional<std::string>(R"({"numRecords":3})"));
  const auto& b = std::get<Add>(actions[4]);
  EXPECT_EQ(b.partition_values.at("d"), std::nullopt);
  EXPECT_FALSE(b.deletion_vector.has_value());
  const auto& r = std::get<Remove>(actions[5]);
  EXPECT_EQ(r.path, "d=1/old.parquet");
  EXPECT_EQ(r.deletion_timestamp, std::optional<int64_t>(30));
  EXPECT_EQ(r.size, std::optional<int64_t>(12));
  const auto& d = std::get<DomainMetadata>(actions[6]);
  EXPECT_EQ(d.domain, "delta.rowTracking");
}

TEST(CheckpointActionsTest, FeedsTheReplayer) {
  ASSERT_OK_AND_ASSIGN(col::RecordBatchPtr batch,
                       col::RecordBatchFromJson(CheckpointReadSchema(), kRows));
  ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ActionsFromCheckpointBatch(*batch));
  LogReplayer replayer(10, "/t/_delta_log");
  Remove gone;
  gone.path = "d=__HIVE_DEFAULT_PARTITION__/b.parquet";
  ASSERT_OK(replayer.AddCommit(10, {gone}));
  // Sliced batches (as a reader yields them) work as well.
  ASSERT_OK_AND_ASSIGN(std::vector<Action> first, ActionsFromCheckpointBatch(*batch->Slice(0, 4)));
  ASSERT_OK_AND_ASSIGN(std::vector<Action> rest, ActionsFromCheckpointBatch(*batch->Slice(4)));
  EXPECT_EQ(first.size() + rest.size(), actions.size());
  ASSERT_OK(replayer.AddCheckpointActions(std::move(first)));
  ASSERT_OK(replayer.AddCheckpointActions(std::move(rest)));
  ASSERT_OK_AND_ASSIGN(LogState state, std::move(replayer).Finish());
  ASSERT_EQ(state.files.size(), 1u);
  EXPECT_EQ(state.files[0].path(), "d=1/a.parquet");
  EXPECT_EQ(state.tombstones.size(), 2u);
  EXPECT_EQ(state.app_transactions.at("stream").version, 9);
}

TEST(CheckpointActionsTest, ForEachReadsEachRowIntoAFreshAction) {
  ASSERT_OK_AND_ASSIGN(col::RecordBatchPtr batch,
                       col::RecordBatchFromJson(CheckpointReadSchema(), kRows));
  ASSERT_OK_AND_ASSIGN(std::vector<Action> expected, ActionsFromCheckpointBatch(*batch));
  // A caller that keeps copies sees exactly the actions of ActionsFromCheckpointBatch: the
  // second add (no tags, DV or stats) inherits nothing from the first one read into the same
  // object, whether the callback moved the first one out or not.
  for (bool move_out : {false, true}) {
    std::vector<Action> seen;
    ASSERT_OK(ForEachCheckpointAction(*batch, [&](Action& action) {
      if (move_out) {
        seen.push_back(std::move(action));
      } else {
        seen.push_back(action);
      }
      return Status::OK();
    }));
    EXPECT_EQ(seen, expected) << "move_out=" << move_out;
  }
  const auto& second = std::get<Add>(expected[4]);
  EXPECT_TRUE(second.tags.empty());
  EXPECT_FALSE(second.deletion_vector.has_value());
  EXPECT_FALSE(second.stats.has_value());

  // The callback's error stops the walk and is returned as is.
  int calls = 0;
  Status st = ForEachCheckpointAction(*batch, [&](Action&) {
    return ++calls == 2 ? Status::Cancelled("enough") : Status::OK();
  });
  ASSERT_STATUS_CODE(kCancelled, st);
  EXPECT_EQ(st.message(), "enough");
  EXPECT_EQ(calls, 2);
}

TEST(CheckpointActionsTest, ToleratesMissingColumnsAndNarrowIntegers) {
  // A delta-rs style checkpoint: no txn/domainMetadata columns, int32 sizes, no dataChange.
  col::SchemaPtr schema = col::Schema::Make({
      col::Field("add", col::Struct({col::Field("path", col::String()),
                                     col::Field("size", col::Int32()),
                                     col::Field("modificationTime", col::Int64())})),
      col::Field("protocol", col::Struct({col::Field("minReaderVersion", col::Int8()),
                                          col::Field("minWriterVersion", col::Int16())})),
      col::Field("extra", col::Int64()),
  });
  ASSERT_OK_AND_ASSIGN(col::RecordBatchPtr batch, col::RecordBatchFromJson(schema, R"j([
      {"add": {"path": "a", "size": 5, "modificationTime": 6}, "extra": 1},
      {"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}}])j"));
  ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ActionsFromCheckpointBatch(*batch));
  ASSERT_EQ(actions.size(), 2u);
  const auto& a = std::get<Add>(actions[0]);
  EXPECT_EQ(a.size, 5);
  EXPECT_TRUE(a.partition_values.empty());
  EXPECT_FALSE(a.data_change);
  EXPECT_EQ(std::get<Protocol>(actions[1]).min_writer_version, 2);
}

TEST(CheckpointActionsTest, ErrorsNameRowAndField) {
  {
    ASSERT_OK_AND_ASSIGN(col::RecordBatchPtr batch,
                         col::RecordBatchFromJson(CheckpointReadSchema(), R"j([
        {"txn": {"appId": "a", "version": 1}},
        {"add": {"path": "a", "partitionValues": {}, "modificationTime": 1}}])j"));
    Result<std::vector<Action>> r = ActionsFromCheckpointBatch(*batch);
    ASSERT_STATUS_CODE(kCorruption, r);
    EXPECT_EQ(r.error().message(), "checkpoint row 1: required field add.size is null");
  }
  {
    ASSERT_OK_AND_ASSIGN(col::RecordBatchPtr batch,
                         col::RecordBatchFromJson(CheckpointReadSchema(), R"j([
        {"txn": {"appId": "a", "version": 1}, "add": {"path": "a", "size": 1, "modificationTime": 1}}])j"));
    Result<std::vector<Action>> r = ActionsFromCheckpointBatch(*batch);
    ASSERT_STATUS_CODE(kCorruption, r);
    EXPECT_THAT(r.error().message(), HasSubstr("row 0 holds two actions"));
  }
  {
    col::SchemaPtr schema = col::Schema::Make(
        {col::Field("add", col::Struct({col::Field("path", col::Int64())}))});
    ASSERT_OK_AND_ASSIGN(col::RecordBatchPtr batch,
                         col::RecordBatchFromJson(schema, R"j([{"add": {"path": 3}}])j"));
    Result<std::vector<Action>> r = ActionsFromCheckpointBatch(*batch);
    ASSERT_STATUS_CODE(kCorruption, r);
    EXPECT_EQ(r.error().message(), "checkpoint column add.path has type bigint, expected string");
  }
  {
    col::SchemaPtr schema = col::Schema::Make({col::Field("add", col::String())});
    ASSERT_OK_AND_ASSIGN(col::RecordBatchPtr batch,
                         col::RecordBatchFromJson(schema, R"j([{"add": "x"}])j"));
    ASSERT_STATUS_CODE(kCorruption, ActionsFromCheckpointBatch(*batch));
  }
  {
    ASSERT_OK_AND_ASSIGN(col::RecordBatchPtr batch,
                         col::RecordBatchFromJson(CheckpointReadSchema(), R"j([
        {"add": {"path": "a", "size": 1, "modificationTime": 1,
                 "deletionVector": {"storageType": "q", "pathOrInlineDv": "x", "sizeInBytes": 1,
                                    "cardinality": 1}}}])j"));
    Result<std::vector<Action>> r = ActionsFromCheckpointBatch(*batch);
    ASSERT_STATUS_CODE(kUnsupported, r);
    EXPECT_THAT(r.error().message(), HasSubstr("add.deletionVector.storageType"));
  }
}

}  // namespace
}  // namespace silt::delta
