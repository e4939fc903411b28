#include "silt/delta/scan/scan.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/actions/z85.h"
#include "silt/fs/local_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/writer/file_writer.h"
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

std::string Hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// A file of three row groups (ids 0..29) with an inline DV deleting rows 1 and 25: row-group
// skipping must not shift the DV's row positions.
TEST(ScanRowGroupsTest, DeletionVectorPositionsSurviveRowGroupSkipping) {
  fs::MemoryFileSystem fs;
  auto schema = columnar::Schema::Make({columnar::Field("id", columnar::Int64())});
  parquet::WriterOptions options;
  options.max_row_group_rows = 10;
  ASSERT_OK_AND_ASSIGN(auto writer, parquet::FileWriter::Open(fs, "/t/part-0.parquet", schema,
                                                              options));
  std::string ids = "[";
  for (int i = 0; i < 30; ++i) ids += fmt::format("{}{{\"id\":{}}}", i ? "," : "", i);
  ids += "]";
  ASSERT_OK_AND_ASSIGN(auto batch, columnar::RecordBatchFromJson(schema, ids));
  ASSERT_OK(writer->WriteBatch(*batch));
  ASSERT_OK_AND_ASSIGN(auto written, writer->Close());
  (void)written;
  std::string dv = EncodeZ85(Hex("d1d33964" "0100000000000000" "00000000" "3a300000" "01000000"
                                 "00000100" "10000000" "0100" "1900"));
  std::string commit =
      R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors"]}})"
      "\n"
      R"({"metaData":{"id":"x","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":[],"configuration":{}}})"
      "\n" +
      fmt::format(R"({{"add":{{"path":"part-0.parquet","partitionValues":{{}},"size":1,"modificationTime":1,"dataChange":true,"deletionVector":{{"storageType":"i","pathOrInlineDv":"{}","sizeInBytes":36,"cardinality":2}}}}}})",
                  dv) +
      "\n";
  ASSERT_OK(fs.Put("/t/_delta_log/00000000000000000000.json", commit));
  ASSERT_OK_AND_ASSIGN(auto snapshot, Snapshot::Load(fs, "/t"));
  auto count = [&](const char* predicate, std::vector<int64_t>& out) -> Status {
    ScanBuilder builder(snapshot);
    if (predicate != nullptr) builder.WithPredicate(*expr::Parse(predicate));
    SILT_ASSIGN_OR_RETURN(auto scan, builder.WithBatchSize(4).Build());
    SILT_ASSIGN_OR_RETURN(auto it, scan->Execute(fs));
    while (true) {
      SILT_ASSIGN_OR_RETURN(auto b, it->Next());
      if (!b.has_value()) return Status::OK();
      const auto& col = static_cast<const columnar::Int64Array&>(*(*b)->column(0));
      for (int64_t r = 0; r < col.length(); ++r) out.push_back(col.Value(r));
    }
  };
  std::vector<int64_t> all, high;
  ASSERT_OK(count(nullptr, all));
  EXPECT_EQ(all.size(), 28u);
  EXPECT_EQ(std::count(all.begin(), all.end(), 1), 0);
  EXPECT_EQ(std::count(all.begin(), all.end(), 25), 0);
  // The file's statistics let the reader skip the first two row groups for this predicate.
  parquet::ReadOptions skip;
  skip.predicate = *expr::Parse("id >= 20");
  ASSERT_OK_AND_ASSIGN(auto reader, parquet::FileReader::Open(fs, "/t/part-0.parquet", skip));
  EXPECT_EQ(reader->num_row_groups(), 3);
  EXPECT_EQ(reader->selected_row_groups(), std::vector<int>{2});
  ASSERT_OK(count("id >= 20", high));
  EXPECT_EQ(high, (std::vector<int64_t>{20, 21, 22, 23, 24, 26, 27, 28, 29}));
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
