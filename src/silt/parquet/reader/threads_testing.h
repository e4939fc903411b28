// Test helpers for ReadOptions::threads: read a whole file with a number of threads, and
// compare two readings batch by batch.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "silt/parquet/reader/file_reader.h"

namespace silt::parquet::testing {

// Every batch of the file, or the first error (and then that Next() keeps returning it).
struct Outcome {
  std::vector<columnar::RecordBatchPtr> batches;
  Status error;
};

inline Outcome ReadAll(fs::FileSystem& fs, const std::string& path, ReadOptions options,
                       int threads) {
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
      auto again = (*reader)->Next();
      EXPECT_FALSE(again.ok());
      if (!again.ok()) {
        EXPECT_EQ(again.status().ToString(), out.error.ToString());
      }
      return out;
    }
    if (!batch->has_value()) return out;
    out.batches.push_back(std::move(**batch));
  }
}

// The same error and the same batches; `what` names the reading in failure messages.
inline void ExpectSame(const Outcome& want, const Outcome& got, const std::string& what) {
  EXPECT_EQ(got.error.ToString(), want.error.ToString()) << what;
  ASSERT_EQ(got.batches.size(), want.batches.size()) << what;
  for (size_t b = 0; b < want.batches.size(); ++b) {
    const auto& w = *want.batches[b];
    const auto& g = *got.batches[b];
    ASSERT_TRUE(g.schema()->Equals(*w.schema())) << what << ", batch " << b;
    ASSERT_EQ(g.num_rows(), w.num_rows()) << what << ", batch " << b;
    for (int c = 0; c < w.num_columns(); ++c) {
      ASSERT_TRUE(g.column(c)->Equals(*w.column(c)))
          << what << ", batch " << b << ", column " << w.schema()->field(c).name()
          << ":\n got " << g.column(c)->ToString().substr(0, 300) << "\nwant "
          << w.column(c)->ToString().substr(0, 300);
    }
    ASSERT_TRUE(g.Equals(w)) << what << ", batch " << b;
  }
}

}  // namespace silt::parquet::testing
