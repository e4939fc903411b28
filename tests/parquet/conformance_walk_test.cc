// Walks every .parquet file of the shared conformance corpus (files written by Spark/parquet-mr,
// delta-rs/arrow-rs, pyarrow, Delta Kernel ...) with the chunk walker: every page of every column
// chunk is decompressed and all its levels and values decoded.
#include <iostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "parquet/chunk_walker.h"
#include "silt/fs/local_file_system.h"
#include "testing/conformance.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::parquet {
namespace {

TEST(ParquetConformanceTest, DecodesEveryPageOfEveryFile) {
  fs::LocalFileSystem fs;
  ASSERT_OK_AND_ASSIGN(auto entries, silt::testing::ListConformanceParquetFiles(fs));
  std::vector<std::string> files;
  for (const auto& e : entries) files.push_back(e.path);
  ASSERT_GT(files.size(), 100u) << "conformance corpus not found at "
                                << silt::testing::ConformanceDir();
  testing::Tally tally;
  std::vector<std::string> failures;
  for (const std::string& path : files) {
    Status st = testing::WalkFile(fs, path, &tally);
    if (!st.ok()) failures.push_back(path + ": " + st.ToString());
  }
  std::cout << "Parquet conformance walk over " << files.size() << " files: "
            << testing::FormatTally(tally);
  for (const auto& f : failures) std::cout << "  FAILED " << f << "\n";
  EXPECT_EQ(tally.files, static_cast<int64_t>(files.size()));
  EXPECT_GT(tally.values, 1000000);
  EXPECT_TRUE(failures.empty()) << failures.size() << " files failed";
}

}  // namespace
}  // namespace silt::parquet
