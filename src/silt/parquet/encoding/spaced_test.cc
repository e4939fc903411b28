#include "silt/parquet/encoding/spaced.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace silt::parquet {
namespace {

bool Bit(const std::vector<uint8_t>& bitmap, int64_t i) { return (bitmap[i >> 3] >> (i & 7)) & 1; }

TEST(SpacedTest, BitmapFromLevelsAtEveryOffset) {
  std::mt19937 rng(9);
  for (int64_t offset : {0, 1, 5, 8, 13}) {
    for (int64_t n : {0, 1, 7, 8, 9, 64, 100}) {
      std::vector<int16_t> def(static_cast<size_t>(n));
      int64_t nulls = 0;
      for (auto& d : def) {
        d = static_cast<int16_t>(rng() % 3);
        nulls += d != 2;
      }
      std::vector<uint8_t> bitmap(static_cast<size_t>((offset + n) / 8 + 2), 0xAA);
      std::vector<uint8_t> before = bitmap;
      EXPECT_EQ(DefinitionLevelsToBitmap(def.data(), n, 2, bitmap.data(), offset), nulls);
      for (int64_t i = 0; i < n; ++i) ASSERT_EQ(Bit(bitmap, offset + i), def[i] == 2);
      // Bits outside the range are untouched.
      for (int64_t i = 0; i < offset; ++i) ASSERT_EQ(Bit(bitmap, i), Bit(before, i));
      for (int64_t i = offset + n; i < static_cast<int64_t>(bitmap.size()) * 8; ++i) {
        ASSERT_EQ(Bit(bitmap, i), Bit(before, i));
      }
    }
  }
}

TEST(SpacedTest, ExpandSpacedInPlace) {
  std::vector<int16_t> def = {1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1};
  std::vector<uint8_t> validity(2, 0);
  int64_t nulls = DefinitionLevelsToBitmap(def.data(), 11, 1, validity.data(), 0);
  EXPECT_EQ(nulls, 6);
  std::vector<int64_t> values(11, -1);
  for (int i = 0; i < 5; ++i) values[i] = 100 + i;
  ExpandSpaced(values.data(), 11, 5, validity.data(), 0);
  EXPECT_EQ(values, (std::vector<int64_t>{100, 0, 0, 101, 102, 0, 103, 0, 0, 0, 104}));
}

TEST(SpacedTest, PackBooleans) {
  std::vector<uint8_t> values = {1, 0, 1, 1, 0, 0, 0, 1, 1, 0};
  std::vector<uint8_t> bitmap(3, 0xff);
  PackBooleans(values.data(), 10, bitmap.data(), 3);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(Bit(bitmap, 3 + i), values[i] == 1) << i;
  EXPECT_TRUE(Bit(bitmap, 0));
  EXPECT_TRUE(Bit(bitmap, 13));
}

}  // namespace
}  // namespace silt::parquet
