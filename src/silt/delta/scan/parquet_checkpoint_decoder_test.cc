#include "silt/delta/scan/parquet_checkpoint_decoder.h"

#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "silt/delta/log/log_segment.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/local_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::delta {
namespace {

std::set<std::string> Paths(const Snapshot& s) {
  std::set<std::string> out;
  for (const Add& add : s.files()) out.insert(add.path);
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
    ASSERT_OK_AND_ASSIGN(LogSegment commits, BuildLogSegment(fs_, root, {.version = std::nullopt,
                                                                         .ignore_checkpoints = true}));
    ASSERT_OK_AND_ASSIGN(LogState state, ReplayLogSegment(fs_, commits));
    ASSERT_OK_AND_ASSIGN(auto from_commits, Snapshot::Make(root, commits, std::move(state)));
    EXPECT_EQ(Paths(*snapshot), Paths(*from_commits));
    EXPECT_EQ(snapshot->metadata().schema_string, from_commits->metadata().schema_string);
    EXPECT_EQ(snapshot->protocol(), from_commits->protocol());
  }
  fs::LocalFileSystem fs_;
};

TEST_F(ParquetCheckpointDecoderTest, ClassicCheckpointWithDeletionVectors) {
  ExpectCheckpointLoads("delta-kernel-rs.golden_data/dv-partitioned-with-checkpoint/delta", 15,
                        15);
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

}  // namespace
}  // namespace silt::delta
