#include "silt/parquet/encoding/bit_unpack.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/parquet/encoding/bit_util.h"

namespace silt::parquet {
namespace {

TEST(BitUtilTest, BitWidth) {
  EXPECT_EQ(BitWidth(0), 0);
  EXPECT_EQ(BitWidth(1), 1);
  EXPECT_EQ(BitWidth(2), 2);
  EXPECT_EQ(BitWidth(3), 2);
  EXPECT_EQ(BitWidth(4), 3);
  EXPECT_EQ(BitWidth(UINT32_MAX), 32);
  EXPECT_EQ(BitWidth(UINT64_MAX), 64);
  EXPECT_EQ(BitPackedBytes(8, 3), 3);
  EXPECT_EQ(BitPackedBytes(9, 3), 4);
}

TEST(BitUnpackTest, SpecExampleWidth3) {
  // Values 0..7 at width 3 pack to 88 C6 FA (Encodings.md).
  uint64_t values[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  std::string packed;
  PackBits(values, 8, 3, &packed);
  EXPECT_EQ(packed, std::string("\x88\xc6\xfa"));
  uint32_t out[8];
  UnpackBits32(reinterpret_cast<const uint8_t*>(packed.data()), 3, 3, out, 8);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(out[i], static_cast<uint32_t>(i));
}

// Every width, counts that do and do not fill whole groups, buffers sized exactly (so ASan
// catches any read past the packed bytes).
TEST(BitUnpackTest, RoundTripsEveryWidthAndCount) {
  std::mt19937_64 rng(1);
  for (int width = 0; width <= 64; ++width) {
    uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
    for (int64_t count : {1, 7, 8, 9, 31, 32, 33, 100, 1000}) {
      std::vector<uint64_t> values(static_cast<size_t>(count));
      for (auto& v : values) v = rng() & mask;
      std::string packed;
      PackBits(values.data(), count, width, &packed);
      ASSERT_EQ(static_cast<int64_t>(packed.size()), BitPackedBytes(count, width));
      std::vector<uint8_t> exact(packed.begin(), packed.end());
      std::vector<uint64_t> out64(static_cast<size_t>(count), 12345);
      UnpackBits64(exact.data(), static_cast<int64_t>(exact.size()), width, out64.data(), count);
      ASSERT_EQ(out64, values) << "width " << width << " count " << count;
      if (width <= 32) {
        std::vector<uint32_t> out32(static_cast<size_t>(count), 12345);
        UnpackBits32(exact.data(), static_cast<int64_t>(exact.size()), width, out32.data(),
                     count);
        for (int64_t i = 0; i < count; ++i) {
          ASSERT_EQ(out32[i], values[i]) << "width " << width << " index " << i;
        }
      }
    }
  }
}

TEST(BitUnpackTest, PackBits32MatchesPackBits) {
  std::vector<uint32_t> v32(1000);
  std::vector<uint64_t> v64(1000);
  for (int i = 0; i < 1000; ++i) v64[i] = v32[i] = static_cast<uint32_t>(i * 7919) & 0x7ff;
  std::string a, b;
  PackBits32(v32.data(), 1000, 11, &a);
  PackBits(v64.data(), 1000, 11, &b);
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace silt::parquet
