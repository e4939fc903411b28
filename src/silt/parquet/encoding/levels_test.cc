#include "silt/parquet/encoding/levels.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

const uint8_t* U8(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }
int64_t Size(const std::string& s) { return static_cast<int64_t>(s.size()); }
int64_t Size(const std::vector<int16_t>& v) { return static_cast<int64_t>(v.size()); }

TEST(LevelsTest, SparkArrayPage) {
  // array<int> rows [1,2,3], [4,5], [6], null: rep 0,1,1,0,1,0,0 and def 3,3,3,3,3,3,0 (width 2),
  // then six PLAIN int32 values (a real Spark page).
  std::string page("\x02\x00\x00\x00\x03\x16\x03\x00\x00\x00\x03\xff\x0f", 13);
  std::vector<int16_t> rep(7), def(7);
  ASSERT_OK_AND_ASSIGN(int64_t r, DecodeLevelsV1(Encoding::kRle, 1, U8(page), Size(page), 7,
                                                 rep.data()));
  EXPECT_EQ(r, 6);
  ASSERT_OK_AND_ASSIGN(int64_t d, DecodeLevelsV1(Encoding::kRle, 3, U8(page) + r, Size(page) - r,
                                                 7, def.data()));
  EXPECT_EQ(d, 7);
  EXPECT_EQ(rep, (std::vector<int16_t>{0, 1, 1, 0, 1, 0, 0}));
  EXPECT_EQ(def, (std::vector<int16_t>{3, 3, 3, 3, 3, 3, 0}));
}

TEST(LevelsTest, MaxLevelZeroReadsNothing) {
  std::vector<int16_t> out(5, 9);
  ASSERT_OK_AND_ASSIGN(int64_t taken, DecodeLevelsV1(Encoding::kBitPacked, 0, nullptr, 0, 5,
                                                     out.data()));
  EXPECT_EQ(taken, 0);
  EXPECT_EQ(out, std::vector<int16_t>(5, 0));
  std::fill(out.begin(), out.end(), 9);
  ASSERT_OK(DecodeLevelsV2(0, nullptr, 0, 5, out.data()));
  EXPECT_EQ(out, std::vector<int16_t>(5, 0));
}

TEST(LevelsTest, RoundTripsV1AndV2) {
  std::vector<int16_t> levels;
  for (int i = 0; i < 1000; ++i) levels.push_back(static_cast<int16_t>(i % 13 < 9 ? 5 : i % 6));
  std::string v1, v2;
  EncodeLevelsV1(levels.data(), 1000, 5, &v1);
  EncodeLevelsV2(levels.data(), 1000, 5, &v2);
  EXPECT_EQ(v1.size(), v2.size() + 4);
  std::vector<int16_t> out(1000);
  ASSERT_OK_AND_ASSIGN(int64_t taken,
                       DecodeLevelsV1(Encoding::kRle, 5, U8(v1), Size(v1), 1000, out.data()));
  EXPECT_EQ(taken, Size(v1));
  EXPECT_EQ(out, levels);
  ASSERT_OK(DecodeLevelsV2(5, U8(v2), Size(v2), 1000, out.data()));
  EXPECT_EQ(out, levels);
}

TEST(LevelsTest, LegacyBitPackedIsMsbFirst) {
  // 0..7 at width 3, MSB first: 05 39 77.
  std::string bytes("\x05\x39\x77", 3);
  std::vector<int16_t> out(8);
  ASSERT_OK_AND_ASSIGN(int64_t taken,
                       DecodeLevelsV1(Encoding::kBitPacked, 7, U8(bytes), 3, 8, out.data()));
  EXPECT_EQ(taken, 3);
  EXPECT_EQ(out, (std::vector<int16_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  ASSERT_STATUS_CODE(kCorruption,
                     DecodeLevelsV1(Encoding::kBitPacked, 7, U8(bytes), 2, 8, out.data()));
}

TEST(LevelsTest, LevelAboveMaximumIsCorruption) {
  std::vector<int16_t> levels = {0, 1, 3, 1};
  std::string v2;
  EncodeLevelsV2(levels.data(), 4, 3, &v2);
  std::vector<int16_t> out(4);
  Status st = DecodeLevelsV2(2, U8(v2), Size(v2), 4, out.data());
  ASSERT_STATUS_CODE(kCorruption, st);
  EXPECT_NE(st.message().find("level 3 at position 2 exceeds the maximum level 2"),
            std::string::npos)
      << st.message();
  ASSERT_STATUS_CODE(kUnsupported, DecodeLevelsV1(Encoding::kPlain, 1, U8(v2), Size(v2), 4,
                                                  out.data()));
  // Truncated.
  ASSERT_STATUS_CODE(kCorruption, DecodeLevelsV2(3, U8(v2), 1, 4, out.data()));
}

TEST(LevelsTest, RleRunAboveMaximumIsCorruptionAtItsFirstPosition) {
  // Four 1s, then a run of ten 3s: the run is checked once, and named where it starts.
  std::vector<int16_t> levels = {1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
  std::string v1;
  EncodeLevelsV1(levels.data(), Size(levels), 3, &v1);
  std::vector<int16_t> out(levels.size());
  ASSERT_OK_AND_ASSIGN(int64_t taken, DecodeLevelsV1(Encoding::kRle, 3, U8(v1), Size(v1),
                                                     Size(levels), out.data()));
  EXPECT_EQ(taken, Size(v1));
  EXPECT_EQ(out, levels);
  Status st = DecodeLevelsV1(Encoding::kRle, 2, U8(v1), Size(v1), Size(levels), out.data())
                  .status();
  ASSERT_STATUS_CODE(kCorruption, st);
  EXPECT_NE(st.message().find("level 3 at position 4 exceeds the maximum level 2"),
            std::string::npos)
      << st.message();
}

TEST(LevelsTest, RleRunValueWiderThanTheBitWidthIsCorruption) {
  // Maximum level 1 (bit width 1): an RLE run of 5 whose value byte says 0xFF.
  const std::string v2("\x0a\xff", 2);
  std::vector<int16_t> out(5);
  Status st = DecodeLevelsV2(1, U8(v2), Size(v2), 5, out.data());
  ASSERT_STATUS_CODE(kCorruption, st);
  EXPECT_NE(st.message().find("level 255 at position 0 exceeds the maximum level 1"),
            std::string::npos)
      << st.message();
  // Bit-packed values of a width whose every value is a valid level decode unchecked.
  std::vector<int16_t> levels = {0, 1, 0, 1, 1, 0, 1, 0};
  std::string packed;
  EncodeLevelsV2(levels.data(), Size(levels), 1, &packed);
  std::vector<int16_t> back(levels.size());
  ASSERT_OK(DecodeLevelsV2(1, U8(packed), Size(packed), Size(levels), back.data()));
  EXPECT_EQ(back, levels);
}

// Counts agree with a plain count for every length around the 8-level steps and past a block
// of 4096 steps (where 16-bit lanes are summed), for levels at, below and above the one asked.
TEST(LevelsTest, CountLevelMatchesAPlainCount) {
  std::mt19937 rng(3);
  for (int64_t n : {0, 1, 7, 8, 9, 15, 16, 17, 1000, 4096 * 8 - 1, 4096 * 8, 4096 * 8 + 9,
                    3 * 4096 * 8 + 5}) {
    SCOPED_TRACE(n);
    std::vector<int16_t> levels(static_cast<size_t>(n));
    for (int16_t& l : levels) l = static_cast<int16_t>(rng() % 3);
    for (int16_t level : {0, 1, 2, 3, -1}) {
      EXPECT_EQ(CountLevel(levels.data(), n, level), std::count(levels.begin(), levels.end(), level));
    }
    std::fill(levels.begin(), levels.end(), int16_t{2});  // every lane counts every step
    EXPECT_EQ(CountLevel(levels.data(), n, 2), n);
  }
}

}  // namespace
}  // namespace silt::parquet
