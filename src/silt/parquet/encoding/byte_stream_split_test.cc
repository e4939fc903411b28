#include "silt/parquet/encoding/byte_stream_split.h"

#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

const uint8_t* U8(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }
int64_t Size(const std::string& s) { return static_cast<int64_t>(s.size()); }

TEST(ByteStreamSplitTest, SpecExample) {
  std::string values("\xAA\xBB\xCC\xDD\x00\x11\x22\x33\xA3\xB4\xC5\xD6", 12);
  std::string bytes;
  ByteStreamSplitEncode(U8(values), 3, 4, &bytes);
  EXPECT_EQ(bytes, std::string("\xAA\x00\xA3\xBB\x11\xB4\xCC\x22\xC5\xDD\x33\xD6", 12));
  ByteStreamSplitDecoder d(PhysicalType::kFloat, 4);
  ASSERT_OK(d.SetData(U8(bytes), 12, 3));
  float out[3];
  ASSERT_OK(d.DecodeFloat(out, 1));
  ASSERT_OK(d.DecodeFloat(out + 1, 2));
  EXPECT_EQ(std::memcmp(out, values.data(), 12), 0);
}

TEST(ByteStreamSplitTest, AllTypesRoundTrip) {
  std::vector<double> d(101);
  std::vector<int64_t> l(101);
  std::vector<int32_t> i(101);
  for (int k = 0; k < 101; ++k) {
    d[k] = k * 1.25 - 40;
    l[k] = (int64_t{k} << 40) - k;
    i[k] = -k * 1000;
  }
  std::string bd, bl, bi;
  ByteStreamSplitEncode(reinterpret_cast<const uint8_t*>(d.data()), 101, 8, &bd);
  ByteStreamSplitEncode(reinterpret_cast<const uint8_t*>(l.data()), 101, 8, &bl);
  ByteStreamSplitEncode(reinterpret_cast<const uint8_t*>(i.data()), 101, 4, &bi);
  ByteStreamSplitDecoder dd(PhysicalType::kDouble, 8), dl(PhysicalType::kInt64, 8),
      di(PhysicalType::kInt32, 4);
  ASSERT_OK(dd.SetData(U8(bd), Size(bd), 101));
  ASSERT_OK(dl.SetData(U8(bl), Size(bl), 101));
  ASSERT_OK(di.SetData(U8(bi), Size(bi), 101));
  std::vector<double> od(101);
  std::vector<int64_t> ol(101);
  std::vector<int32_t> oi(101);
  ASSERT_OK(dd.DecodeDouble(od.data(), 101));
  ASSERT_OK(dl.DecodeInt64(ol.data(), 101));
  ASSERT_OK(di.DecodeInt32(oi.data(), 50));
  ASSERT_OK(di.DecodeInt32(oi.data() + 50, 51));
  EXPECT_EQ(od, d);
  EXPECT_EQ(ol, l);
  EXPECT_EQ(oi, i);

  std::string flba = "abcdefghijklmno";  // 5 values of 3 bytes
  std::string bf;
  ByteStreamSplitEncode(U8(flba), 5, 3, &bf);
  ByteStreamSplitDecoder df(PhysicalType::kFixedLenByteArray, 3);
  ASSERT_OK(df.SetData(U8(bf), Size(bf), 5));
  uint8_t of[15];
  ASSERT_OK(df.DecodeFixedLenByteArrays(of, 5));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(of), 15), flba);
}

TEST(ByteStreamSplitTest, BadSizesAreCorruption) {
  std::string bytes(10, 'x');
  ByteStreamSplitDecoder d(PhysicalType::kDouble, 8);
  ASSERT_STATUS_CODE(kCorruption, d.SetData(U8(bytes), 10, 1));
  std::string eight(8, 'x');
  ASSERT_STATUS_CODE(kCorruption, d.SetData(U8(eight), 8, 2));
  ASSERT_OK(d.SetData(U8(eight), 8, 1));
  double out[2];
  ASSERT_STATUS_CODE(kCorruption, d.DecodeDouble(out, 2));
  ASSERT_STATUS_CODE(kUnsupported, d.DecodeFloat(nullptr, 1));
}

}  // namespace
}  // namespace silt::parquet
