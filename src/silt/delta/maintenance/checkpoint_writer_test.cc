#include "silt/delta/maintenance/checkpoint_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "delta/maintenance_test_table.h"
#include "silt/delta/log/last_checkpoint.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/table/table_features.h"
#include "silt/json/json_reader.h"
#include "silt/parquet/reader/file_reader.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using namespace maintenance_testing;  // NOLINT

// The parts of two snapshots a checkpoint must preserve. Tombstones are compared after the
// retention filter the checkpoint applies.
void ExpectSameState(const Snapshot& a, const Snapshot& b, int64_t min_deletion_timestamp) {
  EXPECT_EQ(a.version(), b.version());
  EXPECT_EQ(a.protocol(), b.protocol());
  EXPECT_EQ(a.metadata(), b.metadata());
  ASSERT_EQ(a.files().size(), b.files().size());
  for (size_t i = 0; i < a.files().size(); ++i) {
    Add x = a.files()[i].ToAdd();
    Add y = b.files()[i].ToAdd();
    // Checkpoint rows say dataChange=false, as Spark's do.
    x.data_change = y.data_change = false;
    EXPECT_EQ(x, y) << x.path;
  }
  std::vector<Remove> kept;
  for (const Remove& r : a.tombstones()) {
    if (r.deletion_timestamp.value_or(0) > min_deletion_timestamp) kept.push_back(r);
  }
  ASSERT_EQ(kept.size(), b.tombstones().size());
  for (size_t i = 0; i < kept.size(); ++i) {
    Remove x = kept[i];
    Remove y = b.tombstones()[i];
    x.data_change = y.data_change = false;
    EXPECT_EQ(x, y) << x.path;
  }
  EXPECT_EQ(a.app_transactions(), b.app_transactions());
  EXPECT_EQ(a.domain_metadata(), b.domain_metadata());
}

// Versions 0..5 of a partitioned table: files added and removed (one tombstone old enough to
// expire), a txn, domains (one removed), a DV re-add and a metadata change.
void BuildHistory(TestTable& t, const Protocol& protocol, StringMap config = {}) {
  ASSERT_OK(t.Commit(0, {MakeCommitInfo(kStartMs), protocol, MakeMetadata(config)}));
  Add a = MakeAdd("a.parquet", 1, 0, 9);
  Add b = MakeAdd("b.parquet", 2, 10, 19);
  Add c = MakeAdd("c.parquet", 1, 20, 29);
  c.tags["INSERTION_TIME"] = "1767225600000000";
  c.base_row_id = 20;
  c.default_row_commit_version = 1;
  ASSERT_OK(t.Commit(1, {MakeCommitInfo(kStartMs + 1), a, b, c}));
  // An old removal: 30 days ago, beyond the default one-week tombstone retention.
  ASSERT_OK(t.Commit(2, {MakeCommitInfo(kStartMs + 2), MakeRemove(a, kStartMs - 30 * kDayMs),
                         SetTransaction{"app-1", 7, kStartMs}}));
  DomainMetadata d1{"delta.rowTracking", R"({"rowIdHighWaterMark":29})", false};
  DomainMetadata d2{"user.gone", "{}", false};
  ASSERT_OK(t.Commit(3, {MakeCommitInfo(kStartMs + 3), d1, d2}));
  Add b_dv = b;
  DeletionVectorDescriptor dv;
  dv.storage_type = DvStorageType::kInline;
  dv.path_or_inline_dv = "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L";
  dv.size_in_bytes = 40;
  dv.cardinality = 6;
  b_dv.deletion_vector = dv;
  Add d = MakeAdd("d e%20f.parquet", 3, 30, 39);
  d.partition_values["p"] = std::nullopt;
  ASSERT_OK(t.Commit(
      4, {MakeCommitInfo(kStartMs + 4), MakeRemove(b, kStartMs), b_dv, d,
          DomainMetadata{"user.gone", "", true}, SetTransaction{"app-2", 3, std::nullopt}}));
  Metadata m = MakeMetadata(config);
  m.configuration["user.key"] = "v";
  m.description = "a table";
  ASSERT_OK(t.Commit(5, {MakeCommitInfo(kStartMs + 5), m, MakeRemove(c, kStartMs + 5)}));
}

TEST(CheckpointWriterTest, ClassicCheckpointGivesTheSameSnapshot) {
  TestTable t;
  BuildHistory(t, MakeProtocol());
  ASSERT_OK_AND_ASSIGN(auto from_json, t.LoadFromCommits());
  ASSERT_EQ(from_json->version(), 5);
  ASSERT_EQ(from_json->tombstones().size(), 3u);

  CheckpointWriteOptions options;
  options.now_ms = kStartMs + kDayMs;
  ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(t.fs(), *from_json, options));
  EXPECT_EQ(r.version, 5);
  EXPECT_FALSE(r.v2);
  EXPECT_EQ(r.checkpoint_path, fs::JoinPath(t.log_dir(), CheckpointFileName(5)));
  EXPECT_EQ(r.files, std::vector<std::string>{r.checkpoint_path});
  EXPECT_EQ(r.num_add_files, 2);   // b with its DV, d
  EXPECT_EQ(r.num_tombstones, 2);  // the 30-day-old one expired
  // protocol + metaData + 2 txns + 1 domain + 2 adds + 2 removes.
  EXPECT_EQ(r.num_actions, 9);
  ASSERT_OK_AND_ASSIGN(fs::FileInfo info, t.fs().GetFileInfo(r.checkpoint_path));
  EXPECT_EQ(info.size, r.size_in_bytes);
  EXPECT_TRUE(r.last_checkpoint_updated);

  ASSERT_OK_AND_ASSIGN(std::optional<LastCheckpoint> hint, ReadLastCheckpoint(t.fs(), t.log_dir()));
  ASSERT_TRUE(hint.has_value());
  EXPECT_EQ(hint->version, 5);
  EXPECT_EQ(hint->size, 9);
  EXPECT_EQ(hint->size_in_bytes, r.size_in_bytes);
  EXPECT_EQ(hint->num_of_add_files, 2);

  const int64_t min_deletion = *options.now_ms - 7 * kDayMs;
  ASSERT_OK_AND_ASSIGN(auto with_checkpoint, t.Load());
  ASSERT_EQ(with_checkpoint->log_segment().checkpoint_version, std::optional<int64_t>(5));
  EXPECT_TRUE(with_checkpoint->log_segment().commits.empty());
  ExpectSameState(*from_json, *with_checkpoint, min_deletion);

  // Without the commits before the checkpoint.
  for (int64_t v = 0; v < 5; ++v) {
    ASSERT_OK(t.fs().DeleteFile(fs::JoinPath(t.log_dir(), CommitFileName(v))));
  }
  ASSERT_OK_AND_ASSIGN(auto only_checkpoint, t.Load());
  ExpectSameState(*from_json, *only_checkpoint, min_deletion);

  // Commits after the checkpoint replay on top of it.
  Add e = MakeAdd("e.parquet", 4, 40, 49);
  ASSERT_OK(t.Commit(6, {MakeCommitInfo(kStartMs + 6), e}));
  ASSERT_OK_AND_ASSIGN(auto v6, t.Load());
  EXPECT_EQ(v6->version(), 6);
  EXPECT_EQ(v6->files().size(), 3u);
}

// A checkpoint of many row groups is read a row group per thread; the parts, fed in order,
// give the snapshot the commits give, and a damaged row group fails the replay naming the file.
TEST(CheckpointWriterTest, ManyRowGroupsAreReadInParts) {
  TestTable t;
  ASSERT_OK(t.Commit(0, {MakeCommitInfo(kStartMs), MakeProtocol(), MakeMetadata()}));
  std::vector<Action> adds = {MakeCommitInfo(kStartMs + 1)};
  for (int i = 0; i < 600; ++i) {
    Add a = MakeAdd("f" + std::to_string(i) + ".parquet", i % 7, i, i + 10);
    if (i % 50 == 0) a.tags["k"] = std::to_string(i);
    adds.push_back(a);
  }
  ASSERT_OK(t.Commit(1, adds));
  std::vector<Action> removes = {MakeCommitInfo(kStartMs + 2)};
  for (int i = 0; i < 600; i += 40) {
    removes.push_back(MakeRemove(std::get<Add>(adds[static_cast<size_t>(i) + 1]), kStartMs + 2));
  }
  ASSERT_OK(t.Commit(2, removes));
  ASSERT_OK_AND_ASSIGN(auto v2, t.LoadFromCommits());
  CheckpointWriteOptions options;
  options.now_ms = kStartMs + 3;
  options.row_group_rows = 37;
  ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(t.fs(), *v2, options));
  ASSERT_OK_AND_ASSIGN(auto layout,
                       parquet::FileReader::Open(t.fs(), r.checkpoint_path, parquet::ReadOptions{}));
  EXPECT_GT(layout->num_row_groups(), 10);
  // After the checkpoint: files of several row groups removed, one re-added with new stats.
  Add readd = MakeAdd("f301.parquet", 301 % 7, 0, 1);
  ASSERT_OK(t.Commit(3, {MakeCommitInfo(kStartMs + 3),
                         MakeRemove(std::get<Add>(adds[6]), kStartMs + 3),
                         MakeRemove(std::get<Add>(adds[302]), kStartMs + 3), readd,
                         MakeRemove(std::get<Add>(adds[599]), kStartMs + 3)}));

  ASSERT_OK_AND_ASSIGN(auto from_commits, t.LoadFromCommits());
  ASSERT_OK_AND_ASSIGN(auto with_checkpoint, t.Load());
  ASSERT_EQ(with_checkpoint->log_segment().checkpoint_version, std::optional<int64_t>(2));
  EXPECT_EQ(with_checkpoint->files().size(), 600u - 15 - 3 + 1);
  ExpectSameState(*from_commits, *with_checkpoint, *options.now_ms - 7 * kDayMs);

  // Damage the middle of the file (data pages of later row groups; the footer is intact).
  ASSERT_OK_AND_ASSIGN(std::string bytes, t.fs().ReadFile(r.checkpoint_path));
  for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) bytes[i] = '\x5a';
  ASSERT_OK(t.fs().DeleteFile(r.checkpoint_path));
  ASSERT_OK(t.fs().PutIfAbsent(r.checkpoint_path, bytes));
  ASSERT_OK_AND_ASSIGN(LogSegment segment,
                       BuildLogSegment(t.fs(), t.root(), {.version = std::nullopt}));
  Result<LogState> damaged =
      ReplayLogSegment(t.fs(), segment, DefaultParquetCheckpointDecoder());
  ASSERT_FALSE(damaged.ok());
  EXPECT_TRUE(damaged.error().IsCorruption()) << damaged.error();
  EXPECT_NE(damaged.error().message().find(r.checkpoint_path), std::string::npos)
      << damaged.error();
}

TEST(CheckpointWriterTest, ExpiredTransactionsAreLeftOut) {
  TestTable t;
  ASSERT_OK(t.Commit(
      0,
      {MakeProtocol(), MakeMetadata({{"delta.setTransactionRetentionDuration", "interval 1 day"}}),
       SetTransaction{"old", 1, kStartMs - 3 * kDayMs}, SetTransaction{"new", 2, kStartMs},
       SetTransaction{"forever", 3, {}}}));
  ASSERT_OK_AND_ASSIGN(auto s, t.Load());
  CheckpointWriteOptions options;
  options.now_ms = kStartMs + 1000;
  ASSERT_OK(WriteCheckpoint(t.fs(), *s, options).status());
  ASSERT_OK_AND_ASSIGN(auto loaded, t.Load());
  ASSERT_EQ(loaded->log_segment().checkpoint_version, std::optional<int64_t>(0));
  EXPECT_EQ(loaded->AppTransactionVersion("old"), std::nullopt);
  EXPECT_EQ(loaded->AppTransactionVersion("new"), std::optional<int64_t>(2));
  EXPECT_EQ(loaded->AppTransactionVersion("forever"), std::optional<int64_t>(3));
}

TEST(CheckpointWriterTest, StatsColumnsFollowTheTableProperties) {
  for (const auto& [json, as_struct, expect_stats, expect_parsed, expect_pv_parsed] :
       std::vector<std::tuple<const char*, const char*, bool, bool, bool>>{
           {nullptr, nullptr, true, false, true},
           {"false", "true", false, true, true},
           {"true", "false", true, false, false},
       }) {
    SCOPED_TRACE(std::string(json ? json : "unset") + "/" + (as_struct ? as_struct : "unset"));
    TestTable t;
    StringMap config;
    if (json) config["delta.checkpoint.writeStatsAsJson"] = json;
    if (as_struct) config["delta.checkpoint.writeStatsAsStruct"] = as_struct;
    BuildHistory(t, MakeProtocol(), config);
    ASSERT_OK_AND_ASSIGN(auto s, t.Load());
    CheckpointWriteOptions options;
    options.now_ms = kStartMs + kDayMs;
    ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(t.fs(), *s, options));
    ASSERT_OK_AND_ASSIGN(auto reader, parquet::FileReader::Open(t.fs(), r.checkpoint_path));
    const columnar::Field* add = reader->schema()->GetFieldByName("add");
    ASSERT_NE(add, nullptr);
    const auto& st = columnar::AsStruct(*add->type());
    EXPECT_EQ(st.GetFieldIndex("stats") >= 0, expect_stats);
    EXPECT_EQ(st.GetFieldIndex("stats_parsed") >= 0, expect_parsed);
    EXPECT_EQ(st.GetFieldIndex("partitionValues_parsed") >= 0, expect_pv_parsed);
    if (expect_parsed) {
      const auto& sp = st.field(st.GetFieldIndex("stats_parsed"));
      EXPECT_EQ(sp.type()->ToString(),
                "struct<numRecords:bigint,minValues:struct<id:bigint,name:string>,"
                "maxValues:struct<id:bigint,name:string>,nullCount:struct<id:bigint,name:bigint>>");
    }
    if (expect_pv_parsed) {
      EXPECT_EQ(st.field(st.GetFieldIndex("partitionValues_parsed")).type()->ToString(),
                "struct<p:int>");
    }
    // Whatever the columns, the snapshot reads back the same (stats come back from JSON only
    // when they were written as JSON).
    ASSERT_OK_AND_ASSIGN(auto loaded, t.Load());
    ASSERT_EQ(loaded->files().size(), s->files().size());
    for (size_t i = 0; i < s->files().size(); ++i) {
      EXPECT_EQ(loaded->files()[i].path(), s->files()[i].path());
      EXPECT_EQ(loaded->files()[i].ToAdd().partition_values, s->files()[i].ToAdd().partition_values);
      EXPECT_EQ(loaded->files()[i].stats().has_value(), expect_stats);
    }
  }
}

TEST(CheckpointWriterTest, V2CheckpointWithSidecars) {
  for (V2CheckpointFormat format : {V2CheckpointFormat::kParquet, V2CheckpointFormat::kJson}) {
    SCOPED_TRACE(format == V2CheckpointFormat::kJson ? "json" : "parquet");
    TestTable t;
    BuildHistory(t,
                 MakeProtocol(3, 7, std::vector<std::string>{"v2Checkpoint"},
                              std::vector<std::string>{"v2Checkpoint", "domainMetadata"}),
                 {{"delta.checkpointPolicy", "v2"}});
    ASSERT_OK_AND_ASSIGN(auto from_json, t.LoadFromCommits());
    CheckpointWriteOptions options;
    options.now_ms = kStartMs + kDayMs;
    options.v2_format = format;
    options.max_actions_per_sidecar = 2;
    ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(t.fs(), *from_json, options));
    EXPECT_TRUE(r.v2);
    // 2 adds + 2 removes in sidecars of at most 2 actions.
    ASSERT_EQ(r.sidecar_files.size(), 2u);
    ASSERT_EQ(r.files.size(), 3u);
    EXPECT_EQ(r.files.back(), r.checkpoint_path);
    std::string name(fs::BaseName(r.checkpoint_path));
    auto parsed = ParseLogFileName(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(parsed->type, LogFileType::kUuidCheckpoint);
    EXPECT_EQ(parsed->is_json, format == V2CheckpointFormat::kJson);
    for (const std::string& s : r.sidecar_files) {
      EXPECT_EQ(fs::ParentPath(s), fs::JoinPath(t.log_dir(), "_sidecars"));
      EXPECT_EQ(fs::BaseName(s).substr(0, 32), "00000000000000000005.checkpoint.");
    }
    // checkpointMetadata + protocol + metaData + 2 txns + 1 domain + 2 sidecars + 4 file actions
    EXPECT_EQ(r.num_actions, 12);
    int64_t total = 0;
    for (const std::string& f : r.files) {
      ASSERT_OK_AND_ASSIGN(fs::FileInfo info, t.fs().GetFileInfo(f));
      total += info.size;
    }
    EXPECT_EQ(total, r.size_in_bytes);

    // _last_checkpoint carries the v2Checkpoint block.
    ASSERT_OK_AND_ASSIGN(std::string hint_text,
                         t.fs().ReadFile(fs::JoinPath(t.log_dir(), "_last_checkpoint")));
    json::Parser parser;
    ASSERT_OK_AND_ASSIGN(json::Object hint, parser.ParseObject(hint_text));
    ASSERT_OK_AND_ASSIGN(int64_t size, hint.GetInt64("size"));
    EXPECT_EQ(size, 12);
    ASSERT_OK_AND_ASSIGN(json::Object v2, hint.GetObject("v2Checkpoint"));
    ASSERT_OK_AND_ASSIGN(std::string_view path, v2.GetString("path"));
    EXPECT_EQ(path, name);
    ASSERT_TRUE(v2.Has("sidecarFiles"));
    ASSERT_TRUE(v2.Has("nonFileActions"));
    ASSERT_OK_AND_ASSIGN(size_t n, v2.Find("sidecarFiles")->ArraySize());
    EXPECT_EQ(n, 2u);

    ASSERT_OK_AND_ASSIGN(auto loaded, t.Load());
    ASSERT_EQ(loaded->log_segment().checkpoint_version, std::optional<int64_t>(5));
    ExpectSameState(*from_json, *loaded, *options.now_ms - 7 * kDayMs);
    for (int64_t v = 0; v < 5; ++v) {
      ASSERT_OK(t.fs().DeleteFile(fs::JoinPath(t.log_dir(), CommitFileName(v))));
    }
    ASSERT_OK_AND_ASSIGN(auto only_checkpoint, t.Load());
    ExpectSameState(*from_json, *only_checkpoint, *options.now_ms - 7 * kDayMs);
  }
}

TEST(CheckpointWriterTest, ClassicNamedCheckpointOfAV2TableFollowsTheV2Spec) {
  TestTable t;
  BuildHistory(t, MakeProtocol(3, 7, std::vector<std::string>{"v2Checkpoint"},
                               std::vector<std::string>{"v2Checkpoint", "domainMetadata"}));
  ASSERT_OK_AND_ASSIGN(auto from_json, t.LoadFromCommits());
  CheckpointWriteOptions options;
  options.now_ms = kStartMs + kDayMs;
  options.policy = CheckpointPolicy::kClassic;
  ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(t.fs(), *from_json, options));
  EXPECT_TRUE(r.v2);
  EXPECT_TRUE(r.sidecar_files.empty());
  EXPECT_EQ(r.checkpoint_path, fs::JoinPath(t.log_dir(), CheckpointFileName(5)));
  EXPECT_EQ(r.num_actions, 10);  // with the checkpointMetadata row
  ASSERT_OK_AND_ASSIGN(auto reader, parquet::FileReader::Open(t.fs(), r.checkpoint_path));
  EXPECT_NE(reader->schema()->GetFieldByName("checkpointMetadata"), nullptr);
  ASSERT_OK_AND_ASSIGN(auto loaded, t.Load());
  ExpectSameState(*from_json, *loaded, *options.now_ms - 7 * kDayMs);
}

TEST(CheckpointWriterTest, V2PolicyNeedsTheFeature) {
  TestTable t;
  BuildHistory(t, MakeProtocol(), {{"delta.checkpointPolicy", "v2"}});
  ASSERT_OK_AND_ASSIGN(auto s, t.Load());
  CheckpointWriteOptions options;
  options.policy = CheckpointPolicy::kV2;
  ASSERT_STATUS_CODE(kInvalidArgument, WriteCheckpoint(t.fs(), *s, options));
  // From the table: the policy alone does not make a V2 checkpoint readers may not know.
  options.policy = CheckpointPolicy::kTable;
  ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(t.fs(), *s, options));
  EXPECT_FALSE(r.v2);
  options.max_actions_per_sidecar = 0;
  ASSERT_STATUS_CODE(kInvalidArgument, WriteCheckpoint(t.fs(), *s, options));
}

TEST(CheckpointWriterTest, OlderCheckpointDoesNotMoveTheHintBack) {
  TestTable t;
  BuildHistory(t, MakeProtocol());
  ASSERT_OK_AND_ASSIGN(auto v5, t.Load());
  ASSERT_OK_AND_ASSIGN(auto v3, t.Load(3));
  ASSERT_OK(WriteCheckpoint(t.fs(), *v5).status());
  ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(t.fs(), *v3));
  EXPECT_FALSE(r.last_checkpoint_updated);
  ASSERT_OK_AND_ASSIGN(auto hint, ReadLastCheckpoint(t.fs(), t.log_dir()));
  EXPECT_EQ(hint->version, 5);
  // Writing the same checkpoint again is fine.
  ASSERT_OK(WriteCheckpoint(t.fs(), *v5).status());
  ASSERT_OK_AND_ASSIGN(auto loaded, t.Load());
  EXPECT_EQ(loaded->files().size(), v5->files().size());
}

TEST(CheckpointWriterTest, EmptyTable) {
  TestTable t;
  ASSERT_OK(t.Commit(0, {MakeProtocol(), MakeMetadata({}, {})}));
  ASSERT_OK_AND_ASSIGN(auto s, t.Load());
  ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(t.fs(), *s));
  EXPECT_EQ(r.num_actions, 2);
  EXPECT_EQ(r.num_add_files, 0);
  ASSERT_OK_AND_ASSIGN(auto loaded, t.Load());
  EXPECT_EQ(loaded->metadata(), s->metadata());
  EXPECT_TRUE(loaded->files().empty());
}

}  // namespace
}  // namespace silt::delta
