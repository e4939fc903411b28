#include "silt/parquet/writer/memo_table.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace silt::parquet::writer {
namespace {

TEST(MemoTableTest, AssignsIndicesInFirstSeenOrder) {
  FixedMemoTable<double> doubles;
  EXPECT_EQ(doubles.GetOrInsert(1.5), 0u);
  EXPECT_EQ(doubles.GetOrInsert(-0.0), 1u);
  EXPECT_EQ(doubles.GetOrInsert(0.0), 2u);  // bit patterns: -0.0 and +0.0 are distinct entries
  EXPECT_EQ(doubles.GetOrInsert(1.5), 0u);
  for (int i = 0; i < 10000; ++i) EXPECT_EQ(doubles.GetOrInsert(i + 10.0), 3u + i);
  EXPECT_EQ(doubles.GetOrInsert(-0.0), 1u);
  EXPECT_EQ(doubles.size(), 10003);

  BinaryMemoTable strings;
  EXPECT_EQ(strings.GetOrInsert(""), 0u);
  EXPECT_EQ(strings.GetOrInsert("abc"), 1u);
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(strings.GetOrInsert("s" + std::to_string(i)), 2u + i);
  EXPECT_EQ(strings.GetOrInsert("abc"), 1u);
  EXPECT_EQ(strings.GetOrInsert(""), 0u);
  EXPECT_EQ(strings.value(4001), "s3999");
  strings.Reset();
  EXPECT_EQ(strings.size(), 0);
  EXPECT_EQ(strings.GetOrInsert("abc"), 0u);
}

TEST(MemoTableTest, BatchesAndTheEntryCapKeepEveryIndex) {
  FixedMemoTable<int64_t> table;
  table.set_max_entries(3000);  // the table stops doubling here, and fills up to 3/4 beyond
  std::vector<int64_t> values;
  for (int64_t i = 0; i < 5000; ++i) values.push_back((i * 7919) % 4500);
  std::vector<uint32_t> indices(values.size());
  table.GetOrInsertBatch(values.data(), static_cast<int64_t>(values.size()), indices.data());
  for (size_t k = 0; k < values.size(); ++k) {
    EXPECT_EQ(table.values()[indices[k]], values[k]);
    EXPECT_EQ(table.GetOrInsert(values[k]), indices[k]);
  }
  EXPECT_EQ(table.size(), 4500);
  table.Reset();
  EXPECT_EQ(table.GetOrInsert(42), 0u);
}

}  // namespace
}  // namespace silt::parquet::writer
