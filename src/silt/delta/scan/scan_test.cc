#include "silt/delta/scan/scan.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/columnar/pretty.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/fs/local_file_system.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::delta {
namespace {

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = silt::testing::ConformanceDir() +
            "/delta-kernel-rs.golden_data/dv-partitioned-with-checkpoint/delta";
    Result<bool> exists = fs_.Exists(root_);
    if (!exists.ok() || !*exists) GTEST_SKIP() << "corpus table absent";
    SnapshotOptions options;
    options.checkpoint_decoder = DefaultParquetCheckpointDecoder();
    ASSERT_OK_AND_ASSIGN(snapshot_, Snapshot::Load(fs_, root_, options));
  }

  // Every output row as a JSON line, sorted.
  std::vector<std::string> Rows(const Scan& scan) {
    std::vector<std::string> rows;
    auto it = scan.Execute(fs_);
    EXPECT_TRUE(it.ok()) << it.error();
    if (!it.ok()) return rows;
    while (true) {
      Result<std::optional<columnar::RecordBatchPtr>> batch = (*it)->Next();
      EXPECT_TRUE(batch.ok()) << batch.error();
      if (!batch.ok() || !batch->has_value()) break;
      EXPECT_TRUE((**batch)->schema()->Equals(*scan.output_schema()));
      std::istringstream lines(columnar::RecordBatchToJsonLines(***batch));
      for (std::string line; std::getline(lines, line);) rows.push_back(line);
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  // DeletionVectorSuite's expectation: x in 0..49 but the even x below 30 were deleted.
  std::vector<std::string> Expected(int min_col1 = 0, int part = -1) {
    std::vector<std::string> rows;
    for (int x = 0; x < 50; ++x) {
      if (x % 2 == 0 && x < 30) continue;
      if (x < min_col1 || (part >= 0 && x % 10 != part)) continue;
      rows.push_back(fmt::format(R"({{"part":{},"col1":{},"col2":"foo{}"}})", x % 10, x, x % 5));
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  fs::LocalFileSystem fs_;
  std::string root_;
  std::shared_ptr<const Snapshot> snapshot_;
};

TEST_F(ScanTest, FullScanAppliesDeletionVectorsAndPartitionValues) {
  ASSERT_OK_AND_ASSIGN(auto scan, ScanBuilder(snapshot_).Build());
  EXPECT_EQ(scan->files().size(), snapshot_->files().size());
  EXPECT_EQ(scan->output_schema()->ToString(), "struct<part:int,col1:int,col2:string>");
  EXPECT_EQ(Rows(*scan), Expected());
}

TEST_F(ScanTest, SmallBatchesGiveTheSameRows) {
  ASSERT_OK_AND_ASSIGN(auto scan, ScanBuilder(snapshot_).WithBatchSize(2).Build());
  EXPECT_EQ(Rows(*scan), Expected());
}

TEST_F(ScanTest, PartitionPredicatePrunesFiles) {
  ASSERT_OK_AND_ASSIGN(auto scan,
                       ScanBuilder(snapshot_).WithPredicate(*expr::Parse("part = 3")).Build());
  EXPECT_GT(scan->files_pruned(), 0);
  EXPECT_LT(scan->files().size(), snapshot_->files().size());
  for (const ScanFile& f : scan->files()) EXPECT_EQ(f.partition_values[0], expr::Value::Int(3));
  EXPECT_EQ(Rows(*scan), Expected(0, 3));
}

TEST_F(ScanTest, DataPredicateFiltersRowsAndSkipsFiles) {
  ASSERT_OK_AND_ASSIGN(auto scan,
                       ScanBuilder(snapshot_).WithPredicate(*expr::Parse("col1 >= 40")).Build());
  EXPECT_GT(scan->files_skipped(), 0);
  EXPECT_EQ(Rows(*scan), Expected(40));
}

TEST_F(ScanTest, ProjectionKeepsOrderAndMayOmitPredicateColumns) {
  ASSERT_OK_AND_ASSIGN(auto scan, ScanBuilder(snapshot_)
                                      .WithColumns({"col2", "PART"})
                                      .WithPredicate(*expr::Parse("col1 = 41"))
                                      .Build());
  EXPECT_EQ(scan->output_schema()->ToString(), "struct<col2:string,part:int>");
  EXPECT_EQ(Rows(*scan), std::vector<std::string>{R"({"col2":"foo1","part":1})"});
}

TEST_F(ScanTest, UnknownColumnsAreInvalidArgument) {
  EXPECT_STATUS_CODE(kInvalidArgument, ScanBuilder(snapshot_).WithColumns({"nope"}).Build());
  EXPECT_STATUS_CODE(kInvalidArgument,
                     ScanBuilder(snapshot_).WithPredicate(*expr::Parse("nope = 1")).Build());
  EXPECT_STATUS_CODE(kInvalidArgument, ScanBuilder(snapshot_).WithBatchSize(0).Build());
}

TEST_F(ScanTest, MissingDataFileIsNotFoundNamingIt) {
  silt::testing::TempDir dir;
  // Copy the log only: the data files are absent.
  fs::ListOptions recursive;
  recursive.recursive = true;
  ASSERT_OK_AND_ASSIGN(auto files, fs_.List(root_ + "/_delta_log", recursive));
  for (const fs::FileInfo& f : files) {
    ASSERT_OK_AND_ASSIGN(std::string content, fs_.ReadFile(f.path));
    ASSERT_OK(fs_.Put(dir.path() + f.path.substr(root_.size()), content));
  }
  SnapshotOptions options;
  options.checkpoint_decoder = DefaultParquetCheckpointDecoder();
  ASSERT_OK_AND_ASSIGN(auto snapshot, Snapshot::Load(fs_, dir.path(), options));
  ASSERT_OK_AND_ASSIGN(auto scan, ScanBuilder(snapshot).Build());
  ASSERT_OK_AND_ASSIGN(auto it, scan->Execute(fs_));
  Result<std::optional<columnar::RecordBatchPtr>> batch = it->Next();
  ASSERT_STATUS_CODE(kNotFound, batch);
  EXPECT_NE(batch.error().ToString().find(".parquet"), std::string::npos) << batch.error();
}

TEST(ResolveDataFilePathTest, RelativeAbsoluteAndFileUris) {
  EXPECT_EQ(*ResolveDataFilePath("/t", "a%20b/c.parquet"), "/t/a b/c.parquet");
  EXPECT_EQ(*ResolveDataFilePath("/t", "file:/x/y%25.parquet"), "/x/y%.parquet");
  EXPECT_EQ(*ResolveDataFilePath("/t", "file:///x/y.parquet"), "/x/y.parquet");
  EXPECT_EQ(*ResolveDataFilePath("/t", "s3://b/k.parquet"), "s3://b/k.parquet");
  EXPECT_STATUS_CODE(kCorruption, ResolveDataFilePath("/t", "bad%zz"));
}

}  // namespace
}  // namespace silt::delta
