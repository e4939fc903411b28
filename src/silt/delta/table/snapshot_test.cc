#include "silt/delta/table/snapshot.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "silt/delta/actions/action_json.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using ::testing::HasSubstr;

constexpr char kSchema[] =
    R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},)"
    R"({"name":"day","type":"date","nullable":true,"metadata":{}}]})";

Metadata M(std::vector<std::string> partition_columns = {"day"}) {
  Metadata m;
  m.id = "id-1";
  m.schema_string = kSchema;
  m.partition_columns = std::move(partition_columns);
  m.configuration["delta.appendOnly"] = "false";
  return m;
}

Add A(std::string path) {
  Add a;
  a.path = std::move(path);
  a.partition_values = {{"day", "2024-01-01"}};
  a.size = 10;
  return a;
}

class SnapshotTest : public ::testing::Test {
 protected:
  void Commit(int64_t version, const std::vector<Action>& actions) {
    ASSERT_OK(fs_.Put("/t/_delta_log/" + CommitFileName(version), ToCommitFile(actions)));
  }
  fs::MemoryFileSystem fs_{[] { return int64_t{42}; }};
};

TEST_F(SnapshotTest, LoadsTheLatestAndOlderVersions) {
  Commit(0, {Protocol{1, 2, {}, {}}, M(), A("day=2024-01-01/a.parquet")});
  Commit(1, {A("day=2024-01-01/b.parquet"), SetTransaction{"stream-1", 7, {}},
             DomainMetadata{"d", "{}", false}});
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const Snapshot> s, Snapshot::Load(fs_, "/t"));
  EXPECT_EQ(s->version(), 1);
  EXPECT_EQ(s->table_root(), "/t");
  EXPECT_EQ(s->files().size(), 2u);
  EXPECT_EQ(s->schema()->ToString(), "struct<id:bigint,day:date>");
  EXPECT_EQ(s->partition_columns(), std::vector<std::string>{"day"});
  EXPECT_EQ(s->AppTransactionVersion("stream-1"), std::optional<int64_t>(7));
  EXPECT_EQ(s->AppTransactionVersion("other"), std::nullopt);
  EXPECT_TRUE(s->domain_metadata().contains("d"));
  EXPECT_EQ(s->Property("delta.appendOnly"), std::optional<std::string_view>("false"));
  EXPECT_EQ(s->Property("nope"), std::nullopt);
  EXPECT_EQ(s->timestamp_ms(), 42);
  EXPECT_EQ(s->column_mapping_mode(), ColumnMappingMode::kNone);
  EXPECT_EQ(s->log_segment().commits.size(), 2u);

  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const Snapshot> v0,
                       Snapshot::Load(fs_, "/t", {.version = 0}));
  EXPECT_EQ(v0->version(), 0);
  EXPECT_EQ(v0->files().size(), 1u);
  ASSERT_STATUS_CODE(kNotFound, Snapshot::Load(fs_, "/t", {.version = 2}));
}

TEST_F(SnapshotTest, AppTransactionsExpireWithTheRetentionProperty) {
  Metadata m = M();
  m.configuration["delta.setTransactionRetentionDuration"] = "interval 1 hours";
  Commit(0, {Protocol{1, 2, {}, {}}, m, SetTransaction{"old", 1, 1000},
             SetTransaction{"fresh", 2, 3600 * 1000 + 500}, SetTransaction{"timeless", 3, {}}});
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const Snapshot> s, Snapshot::Load(fs_, "/t"));
  const int64_t now = 3600 * 1000 + 1001;
  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> old_version, s->AppTransactionVersion("old", now));
  EXPECT_FALSE(old_version.has_value());
  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> fresh, s->AppTransactionVersion("fresh", now));
  EXPECT_EQ(fresh, std::optional<int64_t>(2));
  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> timeless, s->AppTransactionVersion("timeless", now));
  EXPECT_EQ(timeless, std::optional<int64_t>(3));
  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> unknown, s->AppTransactionVersion("nope", now));
  EXPECT_FALSE(unknown.has_value());
  // Without a clock, nothing expires.
  EXPECT_EQ(s->AppTransactionVersion("old"), std::optional<int64_t>(1));
}

TEST_F(SnapshotTest, RefusesUnsupportedProtocols) {
  Commit(0, {Protocol{3, 7, std::vector<std::string>{"catalogOwned-preview"},
                      std::vector<std::string>{"catalogOwned-preview"}},
             M()});
  Result<std::shared_ptr<const Snapshot>> r = Snapshot::Load(fs_, "/t");
  ASSERT_STATUS_CODE(kUnsupported, r);
  EXPECT_THAT(r.error().message(), HasSubstr("catalogOwned-preview"));
  EXPECT_THAT(r.error().message(), HasSubstr("table '/t' (version 0)"));
}

TEST_F(SnapshotTest, PartitionColumnsMustBeInTheSchema) {
  Commit(0, {Protocol{1, 2, {}, {}}, M({"region"})});
  Result<std::shared_ptr<const Snapshot>> r = Snapshot::Load(fs_, "/t");
  ASSERT_STATUS_CODE(kCorruption, r);
  EXPECT_THAT(r.error().message(), HasSubstr("partition column 'region' is not in the schema"));
}

TEST_F(SnapshotTest, MalformedSchemaIsCorruption) {
  Metadata m = M({});
  m.schema_string = R"({"type":"struct","fields":[{"name":"a"}]})";
  Commit(0, {Protocol{1, 2, {}, {}}, m});
  ASSERT_STATUS_CODE(kCorruption, Snapshot::Load(fs_, "/t"));
}

TEST_F(SnapshotTest, ParquetCheckpointFallsBackToCompleteCommits) {
  Commit(0, {Protocol{1, 2, {}, {}}, M(), A("day=2024-01-01/a.parquet")});
  Commit(1, {A("day=2024-01-01/b.parquet")});
  Commit(2, {A("day=2024-01-01/c.parquet")});
  ASSERT_OK(fs_.Put("/t/_delta_log/" + CheckpointFileName(1), "PAR1 not readable yet"));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const Snapshot> s, Snapshot::Load(fs_, "/t"));
  EXPECT_EQ(s->version(), 2);
  EXPECT_EQ(s->files().size(), 3u);
  EXPECT_FALSE(s->log_segment().checkpoint_version.has_value());
  // Once commit 0 is cleaned up, the checkpoint is needed.
  ASSERT_OK(fs_.DeleteFile("/t/_delta_log/" + CommitFileName(0)));
  ASSERT_STATUS_CODE(kUnsupported, Snapshot::Load(fs_, "/t"));
}

TEST_F(SnapshotTest, NotADeltaTable) {
  ASSERT_OK(fs_.Put("/t/part-0.parquet", "x"));
  Result<std::shared_ptr<const Snapshot>> r = Snapshot::Load(fs_, "/t");
  ASSERT_STATUS_CODE(kNotFound, r);
  EXPECT_THAT(r.error().message(), HasSubstr("not a Delta table"));
}

}  // namespace
}  // namespace silt::delta
