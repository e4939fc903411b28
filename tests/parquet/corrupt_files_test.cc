// Real files from the conformance corpus with bytes overwritten or cut off: decoding must fail
// with kCorruption (or kUnsupported for a value that turned into an unknown codec or encoding),
// never crash, hang or read out of bounds (this runs under AddressSanitizer and UBSan).
#include <algorithm>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "parquet/chunk_walker.h"
#include "silt/fs/local_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "testing/conformance.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

std::vector<std::string> SampleFiles(size_t count) {
  fs::LocalFileSystem local;
  auto entries = silt::testing::ListConformanceParquetFiles(local);
  std::vector<std::string> files;
  if (!entries.ok()) return files;
  for (const auto& e : *entries) {
    if (e.size < 200000) files.push_back(e.path);
  }
  // A spread over the corpus (it is sorted by path, so by writer and table).
  std::vector<std::string> picked;
  for (size_t i = 0; i < count && !files.empty(); ++i) {
    picked.push_back(files[i * files.size() / count]);
  }
  return picked;
}

TEST(CorruptParquetFilesTest, MutatedRealFilesFailCleanly) {
  std::vector<std::string> files = SampleFiles(40);
  ASSERT_GE(files.size(), 20u) << "conformance corpus not found";
  fs::LocalFileSystem local;
  fs::MemoryFileSystem memory;
  std::mt19937_64 rng(20261128);
  std::map<std::string, int> outcomes;
  for (const std::string& path : files) {
    ASSERT_OK_AND_ASSIGN(std::string original, local.ReadFile(path));
    // The original decodes.
    ASSERT_OK(memory.Put("/f.parquet", original));
    testing::Tally tally;
    SCOPED_TRACE(path);
    ASSERT_OK(testing::WalkFile(memory, "/f.parquet", &tally));
    for (int round = 0; round < 250; ++round) {
      std::string bytes = original;
      if (round % 10 == 9) {
        bytes.resize(rng() % bytes.size());
      } else {
        int flips = 1 + static_cast<int>(rng() % 4);
        // Half of the rounds hit the footer, where a flip changes structure, not just values.
        size_t footer = std::min<size_t>(bytes.size(), 2000);
        for (int f = 0; f < flips; ++f) {
          size_t pos = round % 2 ? bytes.size() - 1 - rng() % footer : rng() % bytes.size();
          bytes[pos] = static_cast<char>(rng());
        }
      }
      ASSERT_OK(memory.Put("/f.parquet", bytes));
      Status st = testing::WalkFile(memory, "/f.parquet", &tally);
      outcomes[std::string(StatusCodeName(st.code()))]++;
      if (!st.ok()) {
        EXPECT_TRUE(st.code() == StatusCode::kCorruption || st.code() == StatusCode::kUnsupported)
            << path << " round " << round << ": " << st;
      }
    }
  }
  std::cout << "Mutated files:";
  for (const auto& [code, n] : outcomes) std::cout << " " << code << "=" << n;
  std::cout << "\n";
  EXPECT_GT(outcomes["Corruption"], 1000);
}

}  // namespace
}  // namespace silt::parquet
