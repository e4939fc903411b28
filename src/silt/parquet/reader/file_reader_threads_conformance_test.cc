// ReadOptions::threads over every .parquet file of the conformance corpus (Spark, delta-rs,
// DuckDB, ... writers: INT96, legacy lists, dictionary and v2 pages, every codec): the batches,
// or the error, with 3 threads are those with 1.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "silt/fs/local_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/reader/threads_testing.h"
#include "testing/conformance.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

TEST(ThreadsConformanceTest, EveryFileReadsTheSameWithThreads) {
  fs::LocalFileSystem fs;
  auto entries = silt::testing::ListConformanceParquetFiles(fs);
  if (!entries.ok() || entries->empty()) GTEST_SKIP() << "no conformance corpus";
  int files = 0;
  int multi_batch = 0;
  for (const auto& e : *entries) {
    ++files;
    ReadOptions options;
    options.batch_size = 1000;  // several batches per row group in the larger files
    const testing::Outcome want = testing::ReadAll(fs, e.path, options, 1);
    const testing::Outcome got = testing::ReadAll(fs, e.path, options, 3);
    testing::ExpectSame(want, got, e.path);
    multi_batch += want.batches.size() > 1;
  }
  EXPECT_GT(files, 100);
  EXPECT_GT(multi_batch, 0);
}

}  // namespace
}  // namespace silt::parquet
