// The Delta source on the shared conformance tables (Spark, delta-rs, Kernel writers): streaming
// a table from its start (the initial snapshot, 100 files per batch) yields exactly the rows of
// a batch scan of the same version. Tables silt cannot scan are skipped. At most
// SILT_DELTA_SOURCE_CONFORMANCE_LIMIT tables (default 80) keep the test fast.
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/columnar/pretty.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/scan/scan.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/local_file_system.h"
#include "silt/stream/delta/delta_source.h"
#include "testing/conformance.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::stream {
namespace {

Result<std::vector<std::string>> ScanRows(fs::FileSystem& fs, const std::string& root) {
  delta::SnapshotOptions options;
  options.checkpoint_decoder = delta::DefaultParquetCheckpointDecoder();
  SILT_ASSIGN_OR_RETURN(auto snapshot, delta::Snapshot::Load(fs, root, options));
  SILT_ASSIGN_OR_RETURN(auto scan, delta::ScanBuilder(snapshot).Build());
  SILT_ASSIGN_OR_RETURN(auto it, scan->Execute(fs));
  std::vector<std::string> rows;
  while (true) {
    SILT_ASSIGN_OR_RETURN(auto batch, it->Next());
    if (!batch.has_value()) break;
    std::string lines = columnar::RecordBatchToJsonLines(**batch);
    size_t start = 0;
    while (start < lines.size()) {
      size_t end = lines.find('\n', start);
      if (end == std::string::npos) end = lines.size();
      rows.push_back(lines.substr(start, end - start));
      start = end + 1;
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

Result<std::vector<std::string>> StreamRows(std::shared_ptr<fs::FileSystem> fs,
                                            const std::string& root) {
  SILT_ASSIGN_OR_RETURN(auto source,
                        MakeDeltaSource(fs, root, {{"maxFilesPerTrigger", "100"}}));
  SourceContext context;
  SILT_RETURN_NOT_OK(source->Open(context));
  SILT_RETURN_NOT_OK(source->PrepareForAvailableNow());
  std::vector<std::string> rows;
  std::optional<Offset> position;
  for (int i = 0; i < 1000; ++i) {
    SILT_ASSIGN_OR_RETURN(std::optional<Offset> end, source->NextBatchEnd(position));
    if (!end.has_value()) break;
    SILT_ASSIGN_OR_RETURN(auto reader, source->ReadBatch(position, *end));
    SILT_ASSIGN_OR_RETURN(auto batches, ReadAllBatches(*reader));
    for (const auto& b : batches) {
      std::string lines = columnar::RecordBatchToJsonLines(*b);
      size_t start = 0;
      while (start < lines.size()) {
        size_t stop = lines.find('\n', start);
        if (stop == std::string::npos) stop = lines.size();
        rows.push_back(lines.substr(start, stop - start));
        start = stop + 1;
      }
    }
    SILT_RETURN_NOT_OK(source->Commit(*end));
    position = end;
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(DeltaSourceConformanceTest, InitialSnapshotStreamsTheRowsOfABatchScan) {
  auto fs = std::make_shared<fs::LocalFileSystem>();
  auto tables = testing::ListConformanceTables(*fs, testing::ConformanceDir());
  if (!tables.ok() || tables->empty()) GTEST_SKIP() << "conformance corpus absent";
  int64_t limit = 80;
  if (const char* env = std::getenv("SILT_DELTA_SOURCE_CONFORMANCE_LIMIT")) {
    limit = std::atoll(env);
  }
  int64_t checked = 0;
  for (const testing::ConformanceTable& t : *tables) {
    if (checked >= limit) break;
    // The table root is the folder with _delta_log (the table folder or its delta/).
    std::string root = t.dir;
    auto has_log = fs->Exists(root + "/_delta_log");
    if (!has_log.ok() || !*has_log) {
      root = t.dir + "/delta";
      has_log = fs->Exists(root + "/_delta_log");
      if (!has_log.ok() || !*has_log) continue;
    }
    Result<std::vector<std::string>> expected = ScanRows(*fs, root);
    if (!expected.ok()) continue;  // not scannable by silt (negative or unsupported tables)
    Result<std::vector<std::string>> streamed = StreamRows(fs, root);
    ASSERT_TRUE(streamed.ok()) << root << ": " << streamed.error();
    EXPECT_EQ(streamed->size(), expected->size()) << root;
    EXPECT_TRUE(*streamed == *expected) << root;
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace silt::stream
