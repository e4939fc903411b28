#include "silt/parquet/bloom_filter.h"

#include <string>

#include <gtest/gtest.h>

#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

TEST(BloomFilterTest, XxHash64KnownValues) {
  EXPECT_EQ(XxHash64(""), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(XxHash64("abc"), 0x44BC2CF5AD770999ULL);
  // Long inputs take the 32-byte stripe path; different lengths and seeds differ.
  std::string long_input(100, 'x');
  EXPECT_NE(XxHash64(long_input), XxHash64(long_input.substr(0, 99)));
  EXPECT_NE(XxHash64("abc", 1), XxHash64("abc"));
}

TEST(BloomFilterTest, InsertedValuesAreFoundAndFewOthersAre) {
  BloomFilter filter = BloomFilter::Make(4096);
  for (int i = 0; i < 1000; ++i) filter.Insert("value-" + std::to_string(i));
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(filter.MightContain("value-" + std::to_string(i)));
  int false_positives = 0;
  for (int i = 1000; i < 11000; ++i) false_positives += filter.MightContain("value-" + std::to_string(i));
  EXPECT_LT(false_positives, 500);  // ~32 bits per value: well under 5 %
}

TEST(BloomFilterTest, SerializeParseAndRead) {
  BloomFilter filter = BloomFilter::Make(100);
  EXPECT_EQ(filter.num_bytes(), 128);
  filter.Insert("x");
  std::string bytes = "PAR1";
  const int64_t offset = static_cast<int64_t>(bytes.size());
  filter.Serialize(&bytes);
  const auto length = static_cast<int32_t>(bytes.size() - 4);
  bytes += "tail";
  ASSERT_OK_AND_ASSIGN(BloomFilter parsed, BloomFilter::Parse(bytes.substr(4)));
  EXPECT_TRUE(parsed.MightContain("x"));

  fs::MemoryFileSystem memory;
  ASSERT_OK(memory.Put("/f", bytes));
  ASSERT_OK_AND_ASSIGN(auto file, memory.OpenRandomAccess("/f"));
  ColumnMetaData column;
  ASSERT_OK_AND_ASSIGN(auto none, BloomFilter::Read(*file, column));
  EXPECT_FALSE(none.has_value());
  column.bloom_filter_offset = offset;
  ASSERT_OK_AND_ASSIGN(auto without_length, BloomFilter::Read(*file, column));
  ASSERT_TRUE(without_length.has_value());
  EXPECT_TRUE(without_length->MightContain("x"));
  column.bloom_filter_length = length;
  ASSERT_OK_AND_ASSIGN(auto with_length, BloomFilter::Read(*file, column));
  EXPECT_TRUE(with_length->MightContain("x"));
  column.bloom_filter_length = 100000;
  ASSERT_STATUS_CODE(kCorruption, BloomFilter::Read(*file, column));
  column.bloom_filter_offset = 1 << 20;
  ASSERT_STATUS_CODE(kCorruption, BloomFilter::Read(*file, column));
}

TEST(BloomFilterTest, MalformedFilters) {
  BloomFilterHeader header;
  header.num_bytes = 33;
  std::string bytes = SerializeThrift(header) + std::string(64, '\0');
  ASSERT_STATUS_CODE(kCorruption, BloomFilter::Parse(bytes));
  header.num_bytes = 64;
  bytes = SerializeThrift(header) + std::string(10, '\0');
  ASSERT_STATUS_CODE(kCorruption, BloomFilter::Parse(bytes));
  header.hash = 2;
  bytes = SerializeThrift(header) + std::string(64, '\0');
  ASSERT_STATUS_CODE(kUnsupported, BloomFilter::Parse(bytes));
  ASSERT_STATUS_CODE(kCorruption, BloomFilter::Parse("garbage"));
}

}  // namespace
}  // namespace silt::parquet
