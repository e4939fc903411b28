#include "silt/parquet/encoding/rle.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

const uint8_t* U8(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

TEST(RleTest, DecodesSpecExamples) {
  // Def levels 1,1,1,0 in a v1 page: 02 00 00 00 03 07 (from a Spark file).
  std::string v1("\x02\x00\x00\x00\x03\x07", 6);
  RleBitPackedDecoder d;
  ASSERT_OK_AND_ASSIGN(int64_t taken, d.InitWithLengthPrefix(U8(v1), 6, 1));
  EXPECT_EQ(taken, 6);
  int16_t levels[4];
  ASSERT_OK(d.GetBatch(levels, 4));
  EXPECT_EQ(std::vector<int16_t>(levels, levels + 4), (std::vector<int16_t>{1, 1, 1, 0}));

  // Eight 1s (RLE run) then 0,1 (bit-packed group): 10 01 03 02.
  std::string mixed("\x10\x01\x03\x02", 4);
  ASSERT_OK(d.Init(U8(mixed), 4, 1));
  uint32_t out[10];
  ASSERT_OK(d.GetBatch(out, 10));
  EXPECT_EQ(std::vector<uint32_t>(out, out + 10),
            (std::vector<uint32_t>{1, 1, 1, 1, 1, 1, 1, 1, 0, 1}));

  // Spark array<int> rep levels: 02000000 03 16 -> 0,1,1,0,1,0,0.
  std::string rep("\x02\x00\x00\x00\x03\x16", 6);
  ASSERT_OK(d.InitWithLengthPrefix(U8(rep), 6, 1));
  ASSERT_OK(d.GetBatch(out, 7));
  EXPECT_EQ(std::vector<uint32_t>(out, out + 7), (std::vector<uint32_t>{0, 1, 1, 0, 1, 0, 0}));

  // Dictionary indices 0,1,2 at width 2: 03 24 00.
  std::string idx("\x03\x24\x00", 3);
  ASSERT_OK(d.Init(U8(idx), 3, 2));
  ASSERT_OK(d.GetIndices(out, 3, 3));
  EXPECT_EQ(std::vector<uint32_t>(out, out + 3), (std::vector<uint32_t>{0, 1, 2}));
}

TEST(RleTest, RoundTripsEveryWidthWithOddBatchSizes) {
  std::mt19937 rng(3);
  for (int width = 0; width <= 32; ++width) {
    uint64_t limit = width == 32 ? UINT32_MAX : (uint64_t{1} << width) - 1;
    std::vector<uint32_t> values;
    // Mix of long runs and noise.
    while (values.size() < 5000) {
      uint32_t v = static_cast<uint32_t>(rng() % (limit + 1));
      int repeat = rng() % 3 == 0 ? static_cast<int>(rng() % 40) : 1;
      for (int i = 0; i < repeat; ++i) values.push_back(v);
    }
    RleBitPackedEncoder enc(width);
    enc.Put(values.data(), static_cast<int64_t>(values.size()));
    std::string bytes;
    enc.FinishWithLengthPrefix(&bytes);
    RleBitPackedDecoder dec;
    ASSERT_OK(dec.InitWithLengthPrefix(U8(bytes), static_cast<int64_t>(bytes.size()), width));
    std::vector<uint32_t> out(values.size());
    size_t pos = 0;
    int batch = 1;
    while (pos < values.size()) {
      size_t n = std::min<size_t>(static_cast<size_t>(batch), values.size() - pos);
      ASSERT_OK(dec.GetBatch(out.data() + pos, static_cast<int64_t>(n)));
      pos += n;
      batch = batch * 3 % 37 + 1;
    }
    ASSERT_EQ(out, values) << "width " << width;
    EXPECT_EQ(dec.values_decoded(), static_cast<int64_t>(values.size()));
  }
}

TEST(RleTest, EncoderUsesRleRunsForRepeats) {
  RleBitPackedEncoder enc(3);
  for (int i = 0; i < 100; ++i) enc.Put(5);
  std::string bytes;
  enc.Finish(&bytes);
  // One RLE run: varint(100 << 1) = c8 01, value 05.
  EXPECT_EQ(bytes, std::string("\xc8\x01\x05"));
}

TEST(RleTest, TruncatedRunsAreCorruption) {
  RleBitPackedEncoder enc(5);
  for (uint32_t i = 0; i < 100; ++i) enc.Put(i % 32);
  std::string bytes;
  enc.Finish(&bytes);
  // The last group carries 4 padding values (20 bits): cutting those 2 bytes loses nothing.
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    std::vector<uint8_t> exact(bytes.begin(), bytes.begin() + static_cast<long>(cut));
    RleBitPackedDecoder dec;
    ASSERT_OK(dec.Init(exact.data(), static_cast<int64_t>(cut), 5));
    uint32_t out[100];
    Status st = dec.GetBatch(out, 100);
    if (cut + 2 < bytes.size()) {
      ASSERT_STATUS_CODE(kCorruption, st);
    } else {
      ASSERT_OK(st);
      for (uint32_t i = 0; i < 100; ++i) ASSERT_EQ(out[i], i % 32);
    }
  }
  // Asking for more values than exist names the counts.
  RleBitPackedDecoder dec;
  ASSERT_OK(dec.Init(U8(bytes), static_cast<int64_t>(bytes.size()), 5));
  std::vector<uint32_t> out(300);
  Status st = dec.GetBatch(out.data(), 300);
  ASSERT_STATUS_CODE(kCorruption, st);
  EXPECT_NE(st.message().find("ends after 104 values"), std::string::npos) << st.message();
}

TEST(RleTest, BadLengthPrefixAndWidth) {
  std::string bytes("\xff\x00\x00\x00\x01", 5);
  RleBitPackedDecoder dec;
  ASSERT_STATUS_CODE(kCorruption, dec.InitWithLengthPrefix(U8(bytes), 5, 1));
  ASSERT_STATUS_CODE(kCorruption, dec.InitWithLengthPrefix(U8(bytes), 3, 1));
  ASSERT_STATUS_CODE(kCorruption, dec.Init(U8(bytes), 5, 33));
}

TEST(RleTest, IndexOutOfRangeIsReported) {
  RleBitPackedEncoder enc(5);
  std::vector<uint32_t> values = {0, 1, 2, 17, 3, 4, 5, 6, 7, 8};
  enc.Put(values.data(), 10);
  std::string bytes;
  enc.Finish(&bytes);
  RleBitPackedDecoder dec;
  ASSERT_OK(dec.Init(U8(bytes), static_cast<int64_t>(bytes.size()), 5));
  uint32_t out[10];
  Status st = dec.GetIndices(out, 10, 12);
  ASSERT_STATUS_CODE(kCorruption, st);
  EXPECT_NE(st.message().find("dictionary index 17 out of range [0, 12)"), std::string::npos)
      << st.message();
  // RLE run with a bad value.
  std::string run("\x10\x09", 2);  // 8 x 9
  ASSERT_OK(dec.Init(U8(run), 2, 4));
  ASSERT_STATUS_CODE(kCorruption, dec.GetIndices(out, 8, 9));
}

TEST(RleTest, HugeRunHeadersDoNotAllocate) {
  // Bit-packed run claiming 2^40 groups with 2 bytes of data, width 8.
  std::string bytes;
  uint64_t header = (uint64_t{1} << 41) | 1;
  while (header >= 0x80) {
    bytes.push_back(static_cast<char>((header & 0x7f) | 0x80));
    header >>= 7;
  }
  bytes.push_back(static_cast<char>(header));
  bytes += "ab";
  RleBitPackedDecoder dec;
  ASSERT_OK(dec.Init(U8(bytes), static_cast<int64_t>(bytes.size()), 8));
  uint32_t out[3];
  ASSERT_OK(dec.GetBatch(out, 2));
  EXPECT_EQ(out[0], static_cast<uint32_t>('a'));
  EXPECT_EQ(out[1], static_cast<uint32_t>('b'));
  ASSERT_STATUS_CODE(kCorruption, dec.GetBatch(out, 1));
}

}  // namespace
}  // namespace silt::parquet
