#include "silt/parquet/encoding/delta_binary_packed.h"

#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

const uint8_t* U8(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }
int64_t Size(const std::string& s) { return static_cast<int64_t>(s.size()); }

TEST(DeltaBinaryPackedTest, SpecExample) {
  // 7,5,3,1,2,3,4,5 (Encodings.md), 18 bytes.
  std::vector<int32_t> values = {7, 5, 3, 1, 2, 3, 4, 5};
  std::string bytes;
  DeltaBinaryPackedEncode(values.data(), 8, &bytes);
  std::string expected("\x80\x01\x04\x08\x0e\x03\x02\x00\x00\x00\xc0\x3f\x00\x00\x00\x00\x00\x00",
                       18);
  EXPECT_EQ(bytes, expected);
  DeltaBinaryPackedDecoder d;
  ASSERT_OK(d.SetData(U8(bytes), Size(bytes), 8));
  std::vector<int32_t> out(8);
  ASSERT_OK(d.DecodeInt32(out.data(), 8));
  EXPECT_EQ(out, values);
  EXPECT_EQ(d.bytes_consumed(), 18);

  // A single value: 80 01 04 01 02.
  std::vector<int64_t> one = {1};
  std::string single;
  DeltaBinaryPackedEncode(one.data(), 1, &single);
  EXPECT_EQ(single, std::string("\x80\x01\x04\x01\x02", 5));
}

template <typename T>
void RoundTrip(const std::vector<T>& values) {
  std::string bytes;
  DeltaBinaryPackedEncode(values.data(), static_cast<int64_t>(values.size()), &bytes);
  bytes += "TRAILER";
  DeltaBinaryPackedDecoder d;
  ASSERT_OK(d.SetData(U8(bytes), Size(bytes), static_cast<int64_t>(values.size())));
  std::vector<T> out(values.size());
  size_t pos = 0;
  int batch = 1;
  while (pos < values.size()) {
    size_t n = std::min<size_t>(static_cast<size_t>(batch), values.size() - pos);
    if constexpr (sizeof(T) == 4) {
      ASSERT_OK(d.DecodeInt32(out.data() + pos, static_cast<int64_t>(n)));
    } else {
      ASSERT_OK(d.DecodeInt64(out.data() + pos, static_cast<int64_t>(n)));
    }
    pos += n;
    batch = batch * 5 % 211 + 1;
  }
  ASSERT_EQ(out, values);
  EXPECT_EQ(d.bytes_consumed(), Size(bytes) - 7);
}

TEST(DeltaBinaryPackedTest, RoundTripsInt32AndInt64IncludingOverflow) {
  std::mt19937_64 rng(5);
  for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{32}, size_t{33}, size_t{128},
                   size_t{129}, size_t{1000}, size_t{5000}}) {
    std::vector<int32_t> a(n), b(n);
    std::vector<int64_t> c(n), e(n);
    for (size_t i = 0; i < n; ++i) {
      a[i] = static_cast<int32_t>(i * 3 + 100);
      b[i] = static_cast<int32_t>(rng());  // extreme deltas, wrapping
      c[i] = static_cast<int64_t>(rng());
      e[i] = i % 2 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
    }
    RoundTrip(a);
    RoundTrip(b);
    RoundTrip(c);
    RoundTrip(e);
  }
}

TEST(DeltaBinaryPackedTest, MalformedHeadersAreCorruption) {
  DeltaBinaryPackedDecoder d;
  auto set = [&](std::string bytes, int64_t n) { return d.SetData(U8(bytes), Size(bytes), n); };
  ASSERT_STATUS_CODE(kCorruption, set(std::string("\x80", 1), 0));                  // truncated
  ASSERT_STATUS_CODE(kCorruption, set(std::string("\x7f\x04\x01\x02", 4), 1));      // block 127
  ASSERT_STATUS_CODE(kCorruption, set(std::string("\x80\x01\x00\x01\x02", 5), 1));  // 0 miniblocks
  ASSERT_STATUS_CODE(kCorruption, set(std::string("\x80\x01\x08\x01\x02", 5), 1));  // 16 per mb
  ASSERT_STATUS_CODE(kCorruption, set(std::string("\x80\x01\x04\x01\x02", 5), 2));  // count
}

TEST(DeltaBinaryPackedTest, TruncatedBlocksAreCorruption) {
  std::vector<int64_t> values(300);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<int64_t>(i * i);
  std::string bytes;
  DeltaBinaryPackedEncode(values.data(), 300, &bytes);
  // Cutting into the padding of the last miniblock loses nothing; any other cut must fail.
  int failures = 0;
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    std::vector<uint8_t> exact(bytes.begin(), bytes.begin() + static_cast<long>(cut));
    DeltaBinaryPackedDecoder d;
    Status st = d.SetData(exact.data(), static_cast<int64_t>(cut), 300);
    std::vector<int64_t> out(300);
    if (st.ok()) st = d.DecodeInt64(out.data(), 300);
    if (st.ok()) {
      ASSERT_EQ(out, values) << "cut " << cut;
      ASSERT_GT(cut, bytes.size() - 32) << "cut " << cut;
    } else {
      ASSERT_STATUS_CODE(kCorruption, st);
      ++failures;
    }
  }
  EXPECT_GT(failures, static_cast<int>(bytes.size()) - 32);
}

TEST(DeltaBinaryPackedTest, BitWidthAbove64IsCorruption) {
  // Header (128, 4, 3 values, first 0), min delta 0, widths 65,0,0,0.
  std::string bytes("\x80\x01\x04\x03\x00\x00\x41\x00\x00\x00", 10);
  bytes += std::string(300, '\0');
  DeltaBinaryPackedDecoder d;
  ASSERT_OK(d.SetData(U8(bytes), Size(bytes), 3));
  int64_t out[3];
  ASSERT_STATUS_CODE(kCorruption, d.DecodeInt64(out, 3));
}

}  // namespace
}  // namespace silt::parquet
