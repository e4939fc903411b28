// Reads every .parquet file of the conformance corpus (Spark, delta-rs, DuckDB, ... writers:
// INT96, legacy lists, dictionary and v2 pages, every codec) into record batches and checks the
// row count against the footer. Files listed in kSkip are ones silt knowingly cannot read yet.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/fs/local_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::parquet {
namespace {

// Path suffix -> why it is skipped.
const std::map<std::string, std::string>& SkipList() {
  static const auto* skips = new std::map<std::string, std::string>{
  };
  return *skips;
}

TEST(ConformanceTest, ReadsEveryParquetFile) {
  fs::LocalFileSystem fs;
  fs::ListOptions list;
  list.recursive = true;
  auto entries = fs.List(silt::testing::ConformanceDir(), list);
  if (!entries.ok() || entries->empty()) GTEST_SKIP() << "no conformance corpus";
  int files = 0, failed = 0, skipped = 0;
  int64_t rows = 0;
  std::string failures;
  for (const auto& e : *entries) {
    if (e.is_dir || !e.path.ends_with(".parquet")) continue;
    bool skip = false;
    for (const auto& [suffix, why] : SkipList()) skip |= e.path.ends_with(suffix);
    if (skip) {
      ++skipped;
      continue;
    }
    ++files;
    ReadOptions options;
    options.batch_size = 4096;
    auto reader = FileReader::Open(fs, e.path, options);
    Status status = reader.status();
    int64_t n = 0;
    if (status.ok()) {
      while (true) {
        auto batch = (*reader)->Next();
        if (!batch.ok()) {
          status = batch.status();
          break;
        }
        if (!batch->has_value()) break;
        n += (**batch)->num_rows();
      }
      if (status.ok() && n != (*reader)->num_rows()) {
        status = Status::Internal("read {} rows, the footer says {}", n, (*reader)->num_rows());
      }
    }
    rows += n;
    if (!status.ok()) {
      ++failed;
      failures += e.path + ": " + status.ToString() + "\n";
    }
  }
  std::cout << files << " files, " << rows << " rows, " << failed << " failed, " << skipped
            << " skipped\n";
  EXPECT_GT(files, 100);
  EXPECT_EQ(failed, 0) << failures;
}

}  // namespace
}  // namespace silt::parquet
