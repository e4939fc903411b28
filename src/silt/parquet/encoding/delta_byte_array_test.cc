#include "silt/parquet/encoding/delta_byte_array.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/parquet/encoding/delta_length_byte_array.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

const uint8_t* U8(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }
int64_t Size(const std::string& s) { return static_cast<int64_t>(s.size()); }

TEST(DeltaLengthByteArrayTest, SpecExample) {
  std::vector<std::string_view> values = {"Hello", "World", "Foobar", "ABCDEF"};
  std::string bytes;
  DeltaLengthByteArrayEncode(values.data(), 4, &bytes);
  std::string expected("\x80\x01\x04\x04\x0a\x00\x01\x00\x00\x00\x02\x00\x00\x00", 14);
  expected += "HelloWorldFoobarABCDEF";
  EXPECT_EQ(bytes, expected);
  DeltaLengthByteArrayDecoder d;
  ASSERT_OK(d.SetData(U8(bytes), Size(bytes), 4));
  EXPECT_EQ(d.bytes_total(), Size(bytes));
  ByteArrayBuffer out;
  ASSERT_OK(d.DecodeByteArrays(1, &out));
  ASSERT_OK(d.DecodeByteArrays(3, &out));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out.value(i), values[i]);
}

TEST(DeltaLengthByteArrayTest, ManyEmptyStringsAreCompactAndFine) {
  std::vector<std::string_view> values(10000, "");
  std::string bytes;
  DeltaLengthByteArrayEncode(values.data(), 10000, &bytes);
  EXPECT_LT(bytes.size(), 500u);
  DeltaLengthByteArrayDecoder d;
  ASSERT_OK(d.SetData(U8(bytes), Size(bytes), 10000));
  ByteArrayBuffer out;
  ASSERT_OK(d.DecodeByteArrays(10000, &out));
  EXPECT_EQ(out.size(), 10000);
  EXPECT_TRUE(out.data.empty());
}

TEST(DeltaLengthByteArrayTest, LengthsPastThePageAreCorruption) {
  std::vector<std::string_view> values = {"abc", "defgh"};
  std::string bytes;
  DeltaLengthByteArrayEncode(values.data(), 2, &bytes);
  DeltaLengthByteArrayDecoder d;
  Status st = d.SetData(U8(bytes), Size(bytes) - 1, 2);
  ASSERT_STATUS_CODE(kCorruption, st);
  EXPECT_NE(st.message().find("need 8 bytes"), std::string::npos) << st.message();
  // Value count disagreeing with the page.
  ASSERT_STATUS_CODE(kCorruption, d.SetData(U8(bytes), Size(bytes), 3));
  // Negative length: DBP of {-1}.
  std::string negative("\x80\x01\x04\x01\x01", 5);
  ASSERT_STATUS_CODE(kCorruption, d.SetData(U8(negative), 5, 1));
}

TEST(DeltaByteArrayTest, SpecExample) {
  std::vector<std::string_view> values = {"axis", "axle", "babble", "babyhood"};
  std::string bytes;
  DeltaByteArrayEncode(values.data(), 4, &bytes);
  EXPECT_NE(bytes.find("axislebabbleyhood"), std::string::npos);
  DeltaByteArrayDecoder d(0);
  ASSERT_OK(d.SetData(U8(bytes), Size(bytes), 4));
  ByteArrayBuffer out;
  ASSERT_OK(d.DecodeByteArrays(2, &out));
  ASSERT_OK(d.DecodeByteArrays(2, &out));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out.value(i), values[i]);
  ASSERT_STATUS_CODE(kCorruption, d.DecodeByteArrays(1, &out));
}

TEST(DeltaByteArrayTest, FixedLenByteArrays) {
  std::vector<std::string_view> values = {"aaaa", "aaab", "abbb", "bbbb"};
  std::string bytes;
  DeltaByteArrayEncode(values.data(), 4, &bytes);
  DeltaByteArrayDecoder d(4);
  ASSERT_OK(d.SetData(U8(bytes), Size(bytes), 4));
  uint8_t out[16];
  ASSERT_OK(d.DecodeFixedLenByteArrays(out, 4));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), 16), "aaaaaaababbbbbbb");
  // Wrong width.
  DeltaByteArrayDecoder wrong(3);
  ASSERT_OK(wrong.SetData(U8(bytes), Size(bytes), 4));
  ASSERT_STATUS_CODE(kCorruption, wrong.DecodeFixedLenByteArrays(out, 1));
}

TEST(DeltaByteArrayTest, PrefixLongerThanPreviousIsCorruption) {
  // Prefix lengths {3} with no previous value, suffix lengths {0}.
  std::string bytes("\x80\x01\x04\x01\x06", 5);
  bytes += std::string("\x80\x01\x04\x01\x00", 5);
  DeltaByteArrayDecoder d(0);
  ASSERT_OK(d.SetData(U8(bytes), Size(bytes), 1));
  ByteArrayBuffer out;
  ASSERT_STATUS_CODE(kCorruption, d.DecodeByteArrays(1, &out));
}

}  // namespace
}  // namespace silt::parquet
