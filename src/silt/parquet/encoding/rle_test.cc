#include "silt/parquet/encoding/rle.h"

#include <algorithm>
#include <initializer_list>
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
    std::string bytes;
    AppendRleBitPackedRunsWithLength(values.data(), static_cast<int64_t>(values.size()), width,
                                     &bytes);
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
  const std::vector<uint32_t> fives(100, 5);
  std::string bytes;
  AppendRleBitPackedRuns(fives.data(), 100, 3, &bytes);
  // One RLE run: varint(100 << 1) = c8 01, value 05.
  EXPECT_EQ(bytes, std::string("\xc8\x01\x05"));
}

TEST(RleTest, TruncatedRunsAreCorruption) {
  std::vector<uint32_t> values;
  for (uint32_t i = 0; i < 100; ++i) values.push_back(i % 32);
  std::string bytes;
  AppendRleBitPackedRuns(values.data(), 100, 5, &bytes);
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
  std::vector<uint32_t> values = {0, 1, 2, 17, 3, 4, 5, 6, 7, 8};
  std::string bytes;
  AppendRleBitPackedRuns(values.data(), 10, 5, &bytes);
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

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

// The encoder against the byte examples of parquet-format Encodings.md (digest §8.3).
TEST(RleTest, EncoderMatchesTheSpecExamples) {
  std::string out;
  const int16_t levels[] = {1, 1, 1, 0};
  AppendRleBitPackedRunsWithLength(levels, 4, 1, &out);
  EXPECT_EQ(out, Bytes({0x02, 0, 0, 0, 0x03, 0x07}));

  out.clear();
  const int16_t run[] = {1, 1, 1, 1, 1, 1, 1, 1, 0, 1};
  AppendRleBitPackedRuns(run, 10, 1, &out);
  EXPECT_EQ(out, Bytes({0x10, 0x01, 0x03, 0x02}));

  out.clear();
  const uint32_t indices[] = {0, 1, 2};
  AppendRleBitPackedRuns(indices, 3, 2, &out);
  EXPECT_EQ(out, Bytes({0x03, 0x24, 0x00}));

  // Width 3, values 0..7 bit-packed: 88 C6 FA.
  out.clear();
  const uint32_t seq[] = {0, 1, 2, 3, 4, 5, 6, 7};
  AppendRleBitPackedRuns(seq, 8, 3, &out);
  EXPECT_EQ(out, Bytes({0x03, 0x88, 0xC6, 0xFA}));

  // Booleans (bytes 0/1) as RLE booleans are written.
  out.clear();
  const uint8_t bools[] = {1, 0, 1, 1};
  AppendRleBitPackedRunsWithLength(bools, 4, 1, &out);
  EXPECT_EQ(out, Bytes({0x02, 0, 0, 0, 0x03, 0x0D}));
}

TEST(RleTest, RepeatedValueIsTheSameAsItsCopies) {
  for (int width : {0, 1, 2, 9, 17, 32}) {
    const uint32_t value = width == 0 ? 0 : static_cast<uint32_t>((uint64_t{1} << width) - 1);
    for (int64_t n : {0, 1, 7, 8, 9, 15, 16, 100, 4096, 100000}) {
      const std::vector<uint32_t> copies(static_cast<size_t>(n), value);
      std::string expected = "x";
      AppendRleBitPackedRunsWithLength(copies.data(), n, width, &expected);
      std::string out = "x";
      AppendRepeatedValueWithLength(value, n, width, &out);
      EXPECT_EQ(out, expected) << "width " << width << ", n " << n;
    }
  }
}

// Every width, and runs that start at every position of a bit-packed group.
TEST(RleTest, NarrowOutputsEqualTheWideOne) {
  // Levels decode into int16 / uint8 with RLE runs filled directly: long runs (a page of nulls),
  // short runs and bit-packed stretches, read in odd batch sizes that split runs and groups.
  std::mt19937_64 rng(5);
  for (int width : {1, 2, 3, 8}) {
    const uint32_t mask = (uint32_t{1} << width) - 1;
    std::vector<uint32_t> values;
    while (values.size() < 5000) {
      const auto v = static_cast<uint32_t>(rng() & mask);
      const size_t kind = rng() % 3;
      const size_t repeat = kind == 0 ? 1 : kind == 1 ? 1 + rng() % 20 : 100 + rng() % 2000;
      for (size_t k = 0; k < repeat; ++k) values.push_back(v);
    }
    values.insert(values.end(), 300, 1);  // ends in an RLE run: nothing past the last value
    std::string bytes;
    AppendRleBitPackedRuns(values.data(), static_cast<int64_t>(values.size()), width, &bytes);
    std::vector<int16_t> levels(values.size());
    std::vector<uint8_t> narrow(values.size());
    RleBitPackedDecoder d16, d8;
    ASSERT_OK(d16.Init(U8(bytes), static_cast<int64_t>(bytes.size()), width));
    ASSERT_OK(d8.Init(U8(bytes), static_cast<int64_t>(bytes.size()), width));
    size_t pos = 0;
    for (size_t step = 1; pos < values.size(); step = step * 7 % 1013 + 1) {
      const size_t n = std::min(step, values.size() - pos);
      ASSERT_OK(d16.GetBatch(levels.data() + pos, static_cast<int64_t>(n)));
      ASSERT_OK(d8.GetBatch(narrow.data() + pos, static_cast<int64_t>(n)));
      pos += n;
    }
    EXPECT_EQ(d16.values_decoded(), static_cast<int64_t>(values.size()));
    for (size_t i = 0; i < values.size(); ++i) {
      ASSERT_EQ(levels[i], static_cast<int16_t>(values[i])) << "width " << width << " at " << i;
      ASSERT_EQ(narrow[i], static_cast<uint8_t>(values[i])) << "width " << width << " at " << i;
    }
    // Past the end: corruption naming how many values were decoded.
    int16_t extra = 0;
    Status st = d16.GetBatch(&extra, 1);
    ASSERT_STATUS_CODE(kCorruption, st);
    EXPECT_NE(st.message().find(std::to_string(values.size())), std::string::npos)
        << st.ToString();
  }
}

TEST(RleTest, EncoderRoundTripsEveryWidth) {
  std::mt19937_64 rng(11);
  for (int width = 0; width <= 32; ++width) {
    const uint64_t mask = width == 32 ? 0xffffffffULL : (uint64_t{1} << width) - 1;
    std::vector<uint32_t> values;
    while (values.size() < 3000) {
      const auto v = static_cast<uint32_t>(rng() & mask);
      const size_t repeat = rng() % 4 == 0 ? 1 + rng() % 20 : 1;
      for (size_t k = 0; k < repeat; ++k) values.push_back(v);
    }
    for (size_t n : {size_t{0}, size_t{1}, size_t{13}, values.size()}) {
      std::string bytes;
      AppendRleBitPackedRuns(values.data(), static_cast<int64_t>(n), width, &bytes);
      RleBitPackedDecoder dec;
      ASSERT_OK(dec.Init(U8(bytes), static_cast<int64_t>(bytes.size()), width));
      std::vector<uint32_t> out(n);
      ASSERT_OK(dec.GetBatch(out.data(), static_cast<int64_t>(n)));
      EXPECT_EQ(out, std::vector<uint32_t>(values.begin(), values.begin() + static_cast<long>(n)))
          << "width " << width << ", n " << n;
    }
  }
}

}  // namespace
}  // namespace silt::parquet
