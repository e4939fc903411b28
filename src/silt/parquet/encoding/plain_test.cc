#include "silt/parquet/encoding/plain.h"

#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/parquet/encoding/rle_boolean.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

const uint8_t* U8(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }
int64_t Size(const std::string& s) { return static_cast<int64_t>(s.size()); }

TEST(PlainTest, FixedWidthRoundTrips) {
  std::vector<int32_t> i32 = {0, -1, std::numeric_limits<int32_t>::min(), 42};
  std::vector<int64_t> i64 = {std::numeric_limits<int64_t>::max(), -7};
  std::vector<float> f = {1.5f, -0.0f, std::numeric_limits<float>::infinity()};
  std::vector<double> d = {3.25, -1e300};
  std::string a, b, c, e;
  PlainEncodeInt32(i32.data(), 4, &a);
  PlainEncodeInt64(i64.data(), 2, &b);
  PlainEncodeFloat(f.data(), 3, &c);
  PlainEncodeDouble(d.data(), 2, &e);
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(a.substr(4, 4), std::string("\xff\xff\xff\xff"));

  PlainDecoder p32(PhysicalType::kInt32, 0);
  ASSERT_OK(p32.SetData(U8(a), Size(a), 4));
  std::vector<int32_t> o32(4);
  ASSERT_OK(p32.DecodeInt32(o32.data(), 1));
  ASSERT_OK(p32.DecodeInt32(o32.data() + 1, 3));
  EXPECT_EQ(o32, i32);
  EXPECT_EQ(p32.values_left(), 0);
  ASSERT_STATUS_CODE(kCorruption, p32.DecodeInt32(o32.data(), 1));

  PlainDecoder p64(PhysicalType::kInt64, 0);
  ASSERT_OK(p64.SetData(U8(b), Size(b), 2));
  std::vector<int64_t> o64(2);
  ASSERT_OK(p64.DecodeInt64(o64.data(), 2));
  EXPECT_EQ(o64, i64);

  PlainDecoder pf(PhysicalType::kFloat, 0);
  ASSERT_OK(pf.SetData(U8(c), Size(c), 3));
  std::vector<float> of(3);
  ASSERT_OK(pf.DecodeFloat(of.data(), 3));
  EXPECT_EQ(std::memcmp(of.data(), f.data(), 12), 0);

  PlainDecoder pd(PhysicalType::kDouble, 0);
  ASSERT_OK(pd.SetData(U8(e), Size(e), 2));
  std::vector<double> od(2);
  ASSERT_OK(pd.DecodeDouble(od.data(), 2));
  EXPECT_EQ(od, d);
  // Wrong type for the column.
  ASSERT_STATUS_CODE(kUnsupported, pd.DecodeInt32(o32.data(), 1));
}

TEST(PlainTest, Int96AndFixedLenByteArray) {
  Int96 v[2];
  for (int i = 0; i < 12; ++i) {
    v[0].bytes[i] = static_cast<uint8_t>(i);
    v[1].bytes[i] = static_cast<uint8_t>(100 + i);
  }
  std::string bytes;
  PlainEncodeInt96(v, 2, &bytes);
  ASSERT_EQ(bytes.size(), 24u);
  PlainDecoder p(PhysicalType::kInt96, 0);
  ASSERT_OK(p.SetData(U8(bytes), 24, 2));
  Int96 out[2];
  ASSERT_OK(p.DecodeInt96(out, 2));
  EXPECT_EQ(std::memcmp(out, v, 24), 0);

  std::string flba;
  PlainEncodeFixedLenByteArrays(reinterpret_cast<const uint8_t*>("abcdefghi"), 3, 3, &flba);
  PlainDecoder pf(PhysicalType::kFixedLenByteArray, 3);
  ASSERT_OK(pf.SetData(U8(flba), Size(flba), 3));
  uint8_t o[9];
  ASSERT_OK(pf.DecodeFixedLenByteArrays(o, 2));
  ASSERT_OK(pf.DecodeFixedLenByteArrays(o + 6, 1));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(o), 9), "abcdefghi");
}

TEST(PlainTest, BooleansBitPackedAcrossBatches) {
  std::vector<uint8_t> values;
  for (int i = 0; i < 77; ++i) values.push_back((i * 7 % 3) == 0);
  std::string bytes;
  PlainEncodeBooleans(values.data(), 77, &bytes);
  EXPECT_EQ(bytes.size(), 10u);
  EXPECT_EQ(static_cast<uint8_t>(bytes[0]) & 1, 1);  // LSB first
  PlainDecoder p(PhysicalType::kBoolean, 0);
  ASSERT_OK(p.SetData(U8(bytes), Size(bytes), 77));
  std::vector<uint8_t> out(77);
  ASSERT_OK(p.DecodeBooleans(out.data(), 3));
  ASSERT_OK(p.DecodeBooleans(out.data() + 3, 50));
  ASSERT_OK(p.DecodeBooleans(out.data() + 53, 24));
  EXPECT_EQ(out, values);
  // Page too short for the claimed count.
  PlainDecoder s(PhysicalType::kBoolean, 0);
  ASSERT_OK(s.SetData(U8(bytes), 2, 77));
  ASSERT_STATUS_CODE(kCorruption, s.DecodeBooleans(out.data(), 17));
}

TEST(PlainTest, RleBooleans) {
  std::vector<uint8_t> values(1000, 1);
  values[500] = 0;
  std::string bytes;
  RleEncodeBooleans(values.data(), 1000, &bytes);
  RleBooleanDecoder d;
  ASSERT_OK(d.SetData(U8(bytes), Size(bytes), 1000));
  std::vector<uint8_t> out(1000);
  ASSERT_OK(d.DecodeBooleans(out.data(), 1000));
  EXPECT_EQ(out, values);
}

TEST(PlainTest, ByteArrays) {
  std::vector<std::string_view> values = {"", "a", "hello world", std::string_view("\0\1", 2)};
  std::string bytes;
  PlainEncodeByteArrays(values.data(), 4, &bytes);
  EXPECT_EQ(bytes.substr(0, 4), std::string(4, '\0'));
  PlainDecoder p(PhysicalType::kByteArray, 0);
  ASSERT_OK(p.SetData(U8(bytes), Size(bytes), 4));
  ByteArrayBuffer out;
  ASSERT_OK(p.DecodeByteArrays(2, &out));
  ASSERT_OK(p.DecodeByteArrays(2, &out));
  ASSERT_EQ(out.size(), 4);
  EXPECT_EQ(out.offsets, (std::vector<int32_t>{0, 0, 1, 12, 14}));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out.value(i), values[i]);
  std::string again;
  PlainEncodeByteArrays(out, &again);
  EXPECT_EQ(again, bytes);
}

TEST(PlainTest, ByteArrayLengthPastThePageIsCorruption) {
  std::string bytes("\x05\x00\x00\x00" "abc", 7);
  PlainDecoder p(PhysicalType::kByteArray, 0);
  ASSERT_OK(p.SetData(U8(bytes), Size(bytes), 1));
  ByteArrayBuffer out;
  Status st = p.DecodeByteArrays(1, &out);
  ASSERT_STATUS_CODE(kCorruption, st);
  EXPECT_NE(st.message().find("5 bytes"), std::string::npos) << st.message();
  // Huge length.
  std::string huge("\xff\xff\xff\xff" "abc", 7);
  ASSERT_OK(p.SetData(U8(huge), Size(huge), 1));
  ASSERT_STATUS_CODE(kCorruption, p.DecodeByteArrays(1, &out));
  // Truncated length.
  ASSERT_OK(p.SetData(U8(huge), 2, 1));
  ASSERT_STATUS_CODE(kCorruption, p.DecodeByteArrays(1, &out));
}

TEST(PlainTest, FixedWidthPastThePageIsCorruption) {
  std::string bytes(10, 'x');
  PlainDecoder p(PhysicalType::kInt64, 0);
  ASSERT_OK(p.SetData(U8(bytes), 10, 2));
  int64_t out[2];
  ASSERT_STATUS_CODE(kCorruption, p.DecodeInt64(out, 2));
}

TEST(DecoderFactoryTest, EncodingTypeCombinations) {
  ASSERT_OK(MakeValueDecoder(Encoding::kPlain, PhysicalType::kInt96));
  ASSERT_OK(MakeValueDecoder(Encoding::kRle, PhysicalType::kBoolean));
  ASSERT_STATUS_CODE(kUnsupported, MakeValueDecoder(Encoding::kRle, PhysicalType::kInt32));
  ASSERT_STATUS_CODE(kUnsupported,
                     MakeValueDecoder(Encoding::kDeltaBinaryPacked, PhysicalType::kDouble));
  ASSERT_STATUS_CODE(kUnsupported,
                     MakeValueDecoder(Encoding::kDeltaLengthByteArray, PhysicalType::kInt32));
  ASSERT_OK(MakeValueDecoder(Encoding::kDeltaByteArray, PhysicalType::kFixedLenByteArray, 4));
  ASSERT_OK(MakeValueDecoder(Encoding::kByteStreamSplit, PhysicalType::kFixedLenByteArray, 2));
  ASSERT_STATUS_CODE(kUnsupported,
                     MakeValueDecoder(Encoding::kByteStreamSplit, PhysicalType::kByteArray));
  ASSERT_STATUS_CODE(kUnsupported, MakeValueDecoder(Encoding::kAlp, PhysicalType::kDouble));
  ASSERT_STATUS_CODE(kUnsupported,
                     MakeValueDecoder(static_cast<Encoding>(77), PhysicalType::kInt32));
  ASSERT_STATUS_CODE(kCorruption,
                     MakeValueDecoder(Encoding::kPlain, PhysicalType::kFixedLenByteArray, 0));
  ASSERT_STATUS_CODE(kInvalidArgument,
                     MakeValueDecoder(Encoding::kRleDictionary, PhysicalType::kInt32));
}

}  // namespace
}  // namespace silt::parquet
