// The hybrid encoder against the byte examples of parquet-format Encodings.md (digest §8.3) and
// a round trip through the RLE decoder.
#include "silt/parquet/writer/rle_encoder.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "silt/parquet/encoding/rle.h"
#include "silt/parquet/writer/memo_table.h"
#include "testing/status_matchers.h"

namespace silt::parquet::writer {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TEST(RleEncoderTest, MatchesTheSpecExamples) {
  std::string out;
  const int16_t levels[] = {1, 1, 1, 0};
  AppendLevelsV1(levels, 4, 1, &out);
  EXPECT_EQ(out, Bytes({0x02, 0, 0, 0, 0x03, 0x07}));

  out.clear();
  const int16_t run[] = {1, 1, 1, 1, 1, 1, 1, 1, 0, 1};
  AppendRleRuns(run, 10, 1, &out);
  EXPECT_EQ(out, Bytes({0x10, 0x01, 0x03, 0x02}));

  out.clear();
  const uint32_t indices[] = {0, 1, 2};
  AppendRleRuns(indices, 3, 2, &out);
  EXPECT_EQ(out, Bytes({0x03, 0x24, 0x00}));

  // Width 3, values 0..7 bit-packed: 88 C6 FA.
  out.clear();
  const uint32_t seq[] = {0, 1, 2, 3, 4, 5, 6, 7};
  AppendRleRuns(seq, 8, 3, &out);
  EXPECT_EQ(out, Bytes({0x03, 0x88, 0xC6, 0xFA}));

  // Nothing at all for max level 0.
  out.clear();
  AppendLevelsV1(levels, 4, 0, &out);
  EXPECT_TRUE(out.empty());
}

TEST(RleEncoderTest, RepeatedLevelIsTheSameAsItsCopies) {
  for (int16_t max_level : {int16_t{0}, int16_t{1}, int16_t{3}, int16_t{300}}) {
    for (int64_t n : {0, 1, 7, 8, 9, 15, 16, 100, 4096, 100000}) {
      const int16_t level = max_level;
      const std::vector<int16_t> copies(static_cast<size_t>(n), level);
      std::string expected = "x";
      AppendLevelsV1(copies.data(), n, max_level, &expected);
      std::string out = "x";
      AppendRepeatedLevelV1(level, n, max_level, &out);
      EXPECT_EQ(out, expected) << "max level " << max_level << ", n " << n;
    }
  }
}

TEST(RleEncoderTest, RoundTripsThroughTheDecoder) {
  std::mt19937_64 rng(7);
  for (int width : {0, 1, 2, 5, 8, 13, 17, 31, 32}) {
    std::vector<uint32_t> values;
    const uint64_t mask = width == 32 ? 0xffffffffULL : (1ULL << width) - 1;
    while (values.size() < 5000) {
      const uint32_t v = static_cast<uint32_t>(rng() & mask);
      const size_t repeat = rng() % 3 == 0 ? 1 + rng() % 40 : 1;
      for (size_t k = 0; k < repeat; ++k) values.push_back(v);
    }
    std::string out;
    AppendRleRuns(values.data(), static_cast<int64_t>(values.size()), width, &out);
    RleBitPackedDecoder decoder;
    ASSERT_OK(decoder.Init(reinterpret_cast<const uint8_t*>(out.data()),
                           static_cast<int64_t>(out.size()), width));
    std::vector<uint32_t> decoded(values.size());
    ASSERT_OK(decoder.GetBatch(decoded.data(), static_cast<int64_t>(decoded.size())));
    EXPECT_EQ(decoded, values) << "width " << width;
  }
}

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

}  // namespace
}  // namespace silt::parquet::writer
