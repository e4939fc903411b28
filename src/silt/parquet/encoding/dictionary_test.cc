#include "silt/parquet/encoding/dictionary.h"

#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/parquet/encoding/plain.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

const uint8_t* U8(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }
int64_t Size(const std::string& s) { return static_cast<int64_t>(s.size()); }

TEST(DictionaryTest, Int64Dictionary) {
  std::vector<int64_t> dict = {100, -5, 1LL << 40};
  std::string page;
  PlainEncodeInt64(dict.data(), 3, &page);
  ASSERT_OK_AND_ASSIGN(auto decoder,
                       MakeDictionaryDecoder(PhysicalType::kInt64, 0, U8(page), Size(page), 3));
  EXPECT_EQ(decoder->dictionary_size(), 3);
  std::vector<uint32_t> indices;
  for (int i = 0; i < 3000; ++i) indices.push_back(i % 7 == 0 ? 2 : static_cast<uint32_t>(i % 2));
  std::string data;
  EncodeDictionaryIndices(indices.data(), 3000, 3, &data);
  EXPECT_EQ(data[0], 2);  // bit width of index 2
  ASSERT_OK(decoder->SetData(U8(data), Size(data), 3000));
  std::vector<int64_t> out(3000);
  ASSERT_OK(decoder->DecodeInt64(out.data(), 1234));
  ASSERT_OK(decoder->DecodeInt64(out.data() + 1234, 3000 - 1234));
  for (int i = 0; i < 3000; ++i) ASSERT_EQ(out[i], dict[indices[i]]) << i;
  ASSERT_STATUS_CODE(kUnsupported, decoder->DecodeInt32(nullptr, 0));
}

TEST(DictionaryTest, ByteArrayDictionaryAndIndexOutOfRange) {
  std::vector<std::string_view> dict = {"apple", "", "cherry"};
  std::string page;
  PlainEncodeByteArrays(dict.data(), 3, &page);
  ASSERT_OK_AND_ASSIGN(auto decoder, MakeDictionaryDecoder(PhysicalType::kByteArray, 0, U8(page),
                                                           Size(page), 3));
  std::vector<uint32_t> indices = {2, 0, 1, 2, 2};
  std::string data;
  EncodeDictionaryIndices(indices.data(), 5, 3, &data);
  ASSERT_OK(decoder->SetData(U8(data), Size(data), 5));
  ByteArrayBuffer out;
  ASSERT_OK(decoder->DecodeByteArrays(5, &out));
  ASSERT_EQ(out.size(), 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(out.value(i), dict[indices[i]]);

  // Index 17 into a 12-entry dictionary.
  std::vector<std::string_view> twelve(12, "x");
  std::string page12;
  PlainEncodeByteArrays(twelve.data(), 12, &page12);
  ASSERT_OK_AND_ASSIGN(auto d12, MakeDictionaryDecoder(PhysicalType::kByteArray, 0, U8(page12),
                                                       Size(page12), 12));
  std::vector<uint32_t> bad = {1, 17, 3};
  std::string bad_data;
  EncodeDictionaryIndices(bad.data(), 3, 32, &bad_data);
  ASSERT_OK(d12->SetData(U8(bad_data), Size(bad_data), 3));
  Status st = d12->DecodeByteArrays(3, &out);
  ASSERT_STATUS_CODE(kCorruption, st);
  EXPECT_NE(st.message().find("dictionary index 17 out of range [0, 12)"), std::string::npos)
      << st.message();
}

TEST(DictionaryTest, SingleEntryDictionaryWithZeroBitWidth) {
  std::vector<double> dict = {2.5};
  std::string page;
  PlainEncodeDouble(dict.data(), 1, &page);
  ASSERT_OK_AND_ASSIGN(auto decoder,
                       MakeDictionaryDecoder(PhysicalType::kDouble, 0, U8(page), Size(page), 1));
  std::vector<uint32_t> indices(100, 0);
  std::string data;
  EncodeDictionaryIndices(indices.data(), 100, 1, &data);
  EXPECT_EQ(data[0], 0);
  ASSERT_OK(decoder->SetData(U8(data), Size(data), 100));
  std::vector<double> out(100);
  ASSERT_OK(decoder->DecodeDouble(out.data(), 100));
  for (double v : out) EXPECT_EQ(v, 2.5);
}

TEST(DictionaryTest, FixedLenAndInt96AndBooleanDictionaries) {
  std::string flba = "aaaabbbbcccc";
  ASSERT_OK_AND_ASSIGN(auto d, MakeDictionaryDecoder(PhysicalType::kFixedLenByteArray, 4,
                                                     U8(flba), 12, 3));
  std::vector<uint32_t> indices = {2, 1, 0};
  std::string data;
  EncodeDictionaryIndices(indices.data(), 3, 3, &data);
  ASSERT_OK(d->SetData(U8(data), Size(data), 3));
  uint8_t out[12];
  ASSERT_OK(d->DecodeFixedLenByteArrays(out, 3));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), 12), "ccccbbbbaaaa");

  std::string i96(24, '\0');
  i96[12] = 9;
  ASSERT_OK_AND_ASSIGN(auto d96,
                       MakeDictionaryDecoder(PhysicalType::kInt96, 0, U8(i96), 24, 2));
  std::vector<uint32_t> one = {1};
  std::string d1;
  EncodeDictionaryIndices(one.data(), 1, 2, &d1);
  ASSERT_OK(d96->SetData(U8(d1), Size(d1), 1));
  Int96 v;
  ASSERT_OK(d96->DecodeInt96(&v, 1));
  EXPECT_EQ(v.bytes[0], 9);

  std::string bools("\x02", 1);  // false, true
  ASSERT_OK_AND_ASSIGN(auto db, MakeDictionaryDecoder(PhysicalType::kBoolean, 0, U8(bools), 1, 2));
  ASSERT_OK(db->SetData(U8(d1), Size(d1), 1));
  uint8_t b;
  ASSERT_OK(db->DecodeBooleans(&b, 1));
  EXPECT_EQ(b, 1);
}

TEST(DictionaryTest, CorruptDictionaryPages) {
  std::string page(10, '\0');
  // More entries than the page can hold.
  ASSERT_STATUS_CODE(kCorruption, MakeDictionaryDecoder(PhysicalType::kInt64, 0, U8(page), 10, 2));
  ASSERT_STATUS_CODE(kCorruption,
                     MakeDictionaryDecoder(PhysicalType::kByteArray, 0, U8(page), 10, 1000000));
  ASSERT_STATUS_CODE(kCorruption, MakeDictionaryDecoder(PhysicalType::kFixedLenByteArray,
                                                        1 << 30, U8(page), 10, 1000));
  ASSERT_STATUS_CODE(kCorruption,
                     MakeDictionaryDecoder(PhysicalType::kFixedLenByteArray, 0, U8(page), 10, 1));
  // Bit width byte above 32.
  std::string ints(8, '\0');
  ASSERT_OK_AND_ASSIGN(auto d, MakeDictionaryDecoder(PhysicalType::kInt32, 0, U8(ints), 8, 2));
  std::string data("\x21\x02\x00", 3);
  ASSERT_STATUS_CODE(kCorruption, d->SetData(U8(data), 3, 1));
  // Indices missing entirely.
  ASSERT_OK(d->SetData(U8(data), 0, 1));
  int32_t out;
  ASSERT_STATUS_CODE(kCorruption, d->DecodeInt32(&out, 1));
}

}  // namespace
}  // namespace silt::parquet
