#include "silt/parquet/encoding/decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace silt::parquet {
namespace {

const uint8_t* U8(const char* s) { return reinterpret_cast<const uint8_t*>(s); }

std::string Str(const ByteData& d) {
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

TEST(ByteDataTest, AppendsAndGrowsKeepingTheBytes) {
  ByteData d;
  EXPECT_TRUE(d.empty());
  std::string expected;
  // Past several reallocations, small and large (a large one may move or grow in place).
  for (int i = 0; i < 20000; ++i) {
    const std::string piece = std::to_string(i) + ",";
    d.append(U8(piece.data()), piece.size());
    expected += piece;
  }
  d.append(U8("x"), 0);
  EXPECT_EQ(Str(d), expected);
  d.resize(3);
  EXPECT_EQ(Str(d), "0,1");
  d.resize(5);
  d.data()[3] = ',';
  d.data()[4] = '9';
  EXPECT_EQ(Str(d), "0,1,9");
  d.clear();
  EXPECT_TRUE(d.empty());
}

TEST(ByteDataTest, ReleaseHandsOverTheBytes) {
  ByteData d;
  d.reserve(1 << 20);
  d.append(U8("abcdef"), 6);
  columnar::BufferPtr buffer = d.Release();
  EXPECT_EQ(buffer->view(), "abcdef");
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(d.data(), nullptr);
  // The emptied data is usable again and independent of the released buffer.
  d.append(U8("xy"), 2);
  EXPECT_EQ(Str(d), "xy");
  EXPECT_EQ(buffer->view(), "abcdef");

  ByteData empty;
  columnar::BufferPtr none = empty.Release();
  EXPECT_EQ(none->size(), 0);
  EXPECT_NE(none->data(), nullptr);
}

TEST(ByteDataTest, MovesTransferOwnership) {
  ByteData a;
  a.append(U8("hello"), 5);
  ByteData b(std::move(a));
  EXPECT_EQ(Str(b), "hello");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty, by contract
  ByteData c;
  c.append(U8("old"), 3);
  c = std::move(b);
  EXPECT_EQ(Str(c), "hello");
}

TEST(ByteArrayBufferTest, AppendKeepsOffsetsAndBytesInStep) {
  ByteArrayBuffer b;
  ASSERT_TRUE(b.Append("ab").ok());
  ASSERT_TRUE(b.Append("").ok());
  ASSERT_TRUE(b.Append("cde").ok());
  ASSERT_EQ(b.size(), 3);
  EXPECT_EQ(b.value(0), "ab");
  EXPECT_EQ(b.value(1), "");
  EXPECT_EQ(b.value(2), "cde");
  b.Clear();
  EXPECT_EQ(b.size(), 0);
  EXPECT_TRUE(b.data.empty());
}

}  // namespace
}  // namespace silt::parquet
