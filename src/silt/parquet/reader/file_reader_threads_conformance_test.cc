// ReadOptions::threads over every .parquet file of the conformance corpus (Spark, delta-rs,
// DuckDB, ... writers: INT96, legacy lists, dictionary and v2 pages, every codec): the batches,
// or the error, with 3 threads are those with 1.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "silt/fs/local_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::parquet {
namespace {

struct Outcome {
  std::vector<columnar::RecordBatchPtr> batches;
  Status error;
};

Outcome ReadAll(fs::FileSystem& fs, const std::string& path, int threads) {
  ReadOptions options;
  options.batch_size = 1000;  // several batches per row group in the larger files
  options.threads = threads;
  Outcome out;
  auto reader = FileReader::Open(fs, path, options);
  if (!reader.ok()) {
    out.error = reader.status();
    return out;
  }
  while (true) {
    auto batch = (*reader)->Next();
    if (!batch.ok()) {
      out.error = batch.status();
      return out;
    }
    if (!batch->has_value()) return out;
    out.batches.push_back(std::move(**batch));
  }
}

TEST(ThreadsConformanceTest, EveryFileReadsTheSameWithThreads) {
  fs::LocalFileSystem fs;
  fs::ListOptions list;
  list.recursive = true;
  auto entries = fs.List(silt::testing::ConformanceDir(), list);
  if (!entries.ok() || entries->empty()) GTEST_SKIP() << "no conformance corpus";
  int files = 0;
  int multi_batch = 0;
  for (const auto& e : *entries) {
    if (e.is_dir || !e.path.ends_with(".parquet")) continue;
    ++files;
    const Outcome want = ReadAll(fs, e.path, 1);
    const Outcome got = ReadAll(fs, e.path, 3);
    EXPECT_EQ(got.error.ToString(), want.error.ToString()) << e.path;
    ASSERT_EQ(got.batches.size(), want.batches.size()) << e.path;
    multi_batch += want.batches.size() > 1;
    for (size_t b = 0; b < want.batches.size(); ++b) {
      EXPECT_TRUE(got.batches[b]->Equals(*want.batches[b])) << e.path << ", batch " << b;
    }
  }
  EXPECT_GT(files, 100);
  EXPECT_GT(multi_batch, 0);
}

}  // namespace
}  // namespace silt::parquet
