#include "silt/delta/scan/parquet_checkpoint_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>

#include "silt/delta/checkpoint/checkpoint_actions.h"
#include "silt/delta/log/log_segment.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/local_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::delta {
namespace {

std::set<std::string> Paths(const Snapshot& s) {
  std::set<std::string> out;
  for (const Add& add : s.files().ToVector()) out.insert(add.path);
  return out;
}

class ParquetCheckpointDecoderTest : public ::testing::Test {
 protected:
  std::string Table(const std::string& name) {
    return silt::testing::ConformanceDir() + "/" + name;
  }
  // Loads through the checkpoint and checks against a replay of the commits alone.
  void ExpectCheckpointLoads(const std::string& name, int64_t version, size_t files) {
    SCOPED_TRACE(name);
    std::string root = Table(name);
    Result<bool> exists = fs_.Exists(root);
    if (!exists.ok() || !*exists) GTEST_SKIP() << "corpus table absent: " << root;
    auto decoder = MakeParquetCheckpointDecoder();
    SnapshotOptions options;
    options.checkpoint_decoder = decoder.get();
    ASSERT_OK_AND_ASSIGN(auto snapshot, Snapshot::Load(fs_, root, options));
    EXPECT_TRUE(snapshot->log_segment().checkpoint_version.has_value());
    EXPECT_EQ(snapshot->version(), version);
    EXPECT_EQ(snapshot->files().size(), files);
    // The commits alone (every table here keeps all of them) give the same live files.
    ASSERT_OK_AND_ASSIGN(
        LogSegment commits,
        BuildLogSegment(fs_, root, {.version = std::nullopt, .ignore_checkpoints = true}));
    ASSERT_OK_AND_ASSIGN(LogState state, ReplayLogSegment(fs_, commits));
    ASSERT_OK_AND_ASSIGN(auto from_commits, Snapshot::Make(root, commits, std::move(state)));
    EXPECT_EQ(Paths(*snapshot), Paths(*from_commits));
    EXPECT_EQ(snapshot->metadata().schema_string, from_commits->metadata().schema_string);
    EXPECT_EQ(snapshot->protocol(), from_commits->protocol());
  }
  fs::LocalFileSystem fs_;
};

TEST_F(ParquetCheckpointDecoderTest, ClassicCheckpointWithDeletionVectors) {
  ExpectCheckpointLoads("delta-kernel-rs.golden_data/dv-partitioned-with-checkpoint/delta", 15, 15);
}

TEST_F(ParquetCheckpointDecoderTest, MultiPartCheckpoint) {
  ExpectCheckpointLoads("delta-kernel-rs.golden_data/multi-part-checkpoint/delta", 1, 10);
}

TEST_F(ParquetCheckpointDecoderTest, V2ParquetCheckpointWithSidecar) {
  ExpectCheckpointLoads("delta-kernel-rs.data/v2-parquet-sidecars-struct-stats-only", 5, 5);
  ExpectCheckpointLoads("delta-kernel-rs.data/v2-checkpoints-parquet-with-last-checkpoint", 0, 2);
}

TEST_F(ParquetCheckpointDecoderTest, GarbageIsCorruptionNamingTheFile) {
  fs::MemoryFileSystem fs;
  ASSERT_OK(fs.Put("/t/cp.parquet", "this is not a parquet file at all"));
  auto decoder = MakeParquetCheckpointDecoder();
  int batches = 0;
  Status status = decoder->Decode(fs, "/t/cp.parquet", [&](const columnar::RecordBatch&) {
    ++batches;
    return Status::OK();
  });
  EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
  EXPECT_EQ(batches, 0);
  EXPECT_STATUS_CODE(kNotFound,
                     decoder->Decode(fs, "/t/missing.parquet",
                                     [](const columnar::RecordBatch&) { return Status::OK(); }));
}

TEST_F(ParquetCheckpointDecoderTest, CallbackErrorsStopDecoding) {
  std::string root = Table("delta-kernel-rs.golden_data/multi-part-checkpoint/delta");
  Result<bool> exists = fs_.Exists(root);
  if (!exists.ok() || !*exists) GTEST_SKIP() << "corpus table absent";
  ASSERT_OK_AND_ASSIGN(LogSegment segment, BuildLogSegment(fs_, root));
  ASSERT_FALSE(segment.checkpoint_files.empty());
  int calls = 0;
  Status status = DefaultParquetCheckpointDecoder()->Decode(
      fs_, segment.checkpoint_files[0].path, [&](const columnar::RecordBatch& batch) {
        ++calls;
        EXPECT_GT(batch.num_rows(), 0);
        EXPECT_NE(batch.GetColumnByName("add"), nullptr);
        return Status::Cancelled("enough");
      });
  EXPECT_EQ(status.code(), StatusCode::kCancelled);
  EXPECT_EQ(calls, 1);
}

// Reads every action column whole (no field projection), as a reference for the decoder.
class WholeColumnDecoder final : public CheckpointFileDecoder {
 public:
  Status Decode(fs::FileSystem& fs, const std::string& path,
                const std::function<Status(const columnar::RecordBatch&)>& on_batch) override {
    parquet::ReadOptions footer_only;
    footer_only.columns = std::vector<parquet::ColumnSelection>{};
    SILT_ASSIGN_OR_RETURN(auto probe, parquet::FileReader::Open(fs, path, footer_only));
    std::vector<std::string> names;
    const columnar::SchemaPtr wanted = CheckpointReadSchema();
    for (const columnar::Field& f : wanted->fields()) {
      if (probe->schema()->GetFieldIndex(f.name()) >= 0) names.push_back(f.name());
    }
    parquet::ReadOptions options;
    options.columns = parquet::ReadOptions::Names(names);
    SILT_ASSIGN_OR_RETURN(auto batches, parquet::ReadTable(fs, path, options));
    for (const auto& b : batches) SILT_RETURN_NOT_OK(on_batch(*b));
    return Status::OK();
  }
};

// A Spark checkpoint with add.stats_parsed: the projected decode skips it and still gives the
// same live files, stats included, as whole columns and as the commits alone.
TEST_F(ParquetCheckpointDecoderTest, StatsParsedCheckpointGivesTheSameFiles) {
  const std::string root = Table("delta-kernel-rs.data/parsed-stats");
  Result<bool> exists = fs_.Exists(root);
  if (!exists.ok() || !*exists) GTEST_SKIP() << "corpus table absent: " << root;
  // The checkpoint does carry the columns the projection leaves out.
  parquet::ReadOptions footer_only;
  footer_only.columns = std::vector<parquet::ColumnSelection>{};
  ASSERT_OK_AND_ASSIGN(
      auto probe,
      parquet::FileReader::Open(fs_, root + "/_delta_log/00000000000000000003.checkpoint.parquet",
                                footer_only));
  const columnar::Field& add = probe->schema()->field(probe->schema()->GetFieldIndex("add"));
  EXPECT_GE(columnar::AsStruct(*add.type()).GetFieldIndex("stats_parsed"), 0);

  auto decoder = MakeParquetCheckpointDecoder();
  WholeColumnDecoder whole;
  SnapshotOptions options;
  options.checkpoint_decoder = decoder.get();
  ASSERT_OK_AND_ASSIGN(auto projected, Snapshot::Load(fs_, root, options));
  options.checkpoint_decoder = &whole;
  ASSERT_OK_AND_ASSIGN(auto reference, Snapshot::Load(fs_, root, options));
  ASSERT_EQ(projected->log_segment().checkpoint_version, std::optional<int64_t>(3));
  ASSERT_FALSE(projected->files().empty());
  EXPECT_EQ(projected->files(), reference->files());
  EXPECT_EQ(projected->metadata(), reference->metadata());
  EXPECT_EQ(projected->protocol(), reference->protocol());

  ASSERT_OK_AND_ASSIGN(
      LogSegment commits,
      BuildLogSegment(fs_, root, {.version = std::nullopt, .ignore_checkpoints = true}));
  ASSERT_OK_AND_ASSIGN(LogState state, ReplayLogSegment(fs_, commits));
  ASSERT_OK_AND_ASSIGN(auto from_commits, Snapshot::Make(root, commits, std::move(state)));
  // The same live files as the commits (whose stats text differs only in spacing here: the
  // checkpoint writer re-serialized it), each with its stats.
  EXPECT_EQ(Paths(*projected), Paths(*from_commits));
  std::map<std::string, std::optional<std::string>> stats;
  for (const Add& a : projected->files().ToVector()) stats[a.path] = a.stats;
  for (const auto& [path, s] : stats) EXPECT_TRUE(s.has_value() && !s->empty()) << path;
}

}  // namespace
}  // namespace silt::delta
