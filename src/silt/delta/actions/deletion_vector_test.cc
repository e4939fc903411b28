#include "silt/delta/actions/deletion_vector.h"

#include <gtest/gtest.h>

#include "silt/delta/actions/z85.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

TEST(Z85Test, DecodesHashPaddedTail) {
  // "093" is 768 = 0x0300: a two-byte tail written as three digits after "##".
  ASSERT_OK_AND_ASSIGN(std::string decoded, DecodeZ85("HelloWorld##093"));
  EXPECT_EQ(decoded.substr(8), std::string("\x03\x00", 2));
  EXPECT_EQ(decoded.size(), 10u);
  ASSERT_STATUS_CODE(kCorruption, DecodeZ85("#####"));           // nothing after the padding
  ASSERT_STATUS_CODE(kCorruption, DecodeZ85("##093HelloWorld"));  // padding only in the last group
  ASSERT_STATUS_CODE(kCorruption, DecodeZ85("#%%%%"));            // tail wider than its bytes
}

TEST(Z85Test, EncodesAndDecodes) {
  // ZeroMQ RFC 32 test vector.
  const std::string bytes("\x86\x4F\xD2\x6F\xB5\x59\xF7\x5B", 8);
  EXPECT_EQ(EncodeZ85(bytes), "HelloWorld");
  ASSERT_OK_AND_ASSIGN(std::string decoded, DecodeZ85("HelloWorld"));
  EXPECT_EQ(decoded, bytes);
  // Delta pads to a multiple of 4.
  EXPECT_EQ(EncodeZ85(std::string_view("\x01", 1)).size(), 5u);
  ASSERT_OK_AND_ASSIGN(std::string padded, DecodeZ85(EncodeZ85(std::string_view("\x01", 1))));
  EXPECT_EQ(padded, std::string("\x01\0\0\0", 4));
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  ASSERT_OK_AND_ASSIGN(std::string back, DecodeZ85(EncodeZ85(all)));
  EXPECT_EQ(back, all);
  EXPECT_EQ(EncodeZ85(""), "");
}

TEST(Z85Test, RejectsMalformedText) {
  ASSERT_STATUS_CODE(kCorruption, DecodeZ85("abcd"));
  ASSERT_STATUS_CODE(kCorruption, DecodeZ85("abc\"d"));
  ASSERT_STATUS_CODE(kCorruption, DecodeZ85("abc~d"));
  ASSERT_STATUS_CODE(kCorruption, DecodeZ85("#####"));  // 85^5 - 1 > 2^32 - 1
}

TEST(DeletionVectorTest, ParsesStorageTypes) {
  ASSERT_OK_AND_ASSIGN(DvStorageType u, ParseDvStorageType("u"));
  EXPECT_EQ(u, DvStorageType::kUuidRelative);
  ASSERT_OK_AND_ASSIGN(DvStorageType i, ParseDvStorageType("i"));
  EXPECT_EQ(i, DvStorageType::kInline);
  ASSERT_OK_AND_ASSIGN(DvStorageType p, ParseDvStorageType("p"));
  EXPECT_EQ(p, DvStorageType::kAbsolutePath);
  ASSERT_STATUS_CODE(kUnsupported, ParseDvStorageType(""));
  ASSERT_STATUS_CODE(kUnsupported, ParseDvStorageType("uu"));
  ASSERT_STATUS_CODE(kUnsupported, ParseDvStorageType("U"));
}

TEST(DeletionVectorTest, UniqueIdFollowsTheProtocol) {
  DeletionVectorDescriptor dv;
  dv.storage_type = DvStorageType::kUuidRelative;
  dv.path_or_inline_dv = "ab^-aqEH.-t@S}K{vb[*k^";
  dv.offset = 4;
  EXPECT_EQ(dv.UniqueId(), "uab^-aqEH.-t@S}K{vb[*k^@4");
  dv.offset.reset();
  EXPECT_EQ(dv.UniqueId(), "uab^-aqEH.-t@S}K{vb[*k^");
  dv.storage_type = DvStorageType::kInline;
  dv.path_or_inline_dv = "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L";
  EXPECT_EQ(dv.UniqueId(), "iwi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L");
  dv.storage_type = DvStorageType::kAbsolutePath;
  dv.path_or_inline_dv = "s3://b/dv.bin";
  dv.offset = 0;
  EXPECT_EQ(dv.UniqueId(), "ps3://b/dv.bin@0");
}

DeletionVectorDescriptor Dv(DvStorageType type, std::string path, int32_t size = 36) {
  DeletionVectorDescriptor dv;
  dv.storage_type = type;
  dv.path_or_inline_dv = std::move(path);
  dv.offset = 1;
  dv.size_in_bytes = size;
  dv.cardinality = 2;
  return dv;
}

TEST(DeletionVectorTest, UuidFilePaths) {
  // Vectors checked by decoding real Spark tables (digest §10.2).
  ASSERT_OK_AND_ASSIGN(std::string plain,
                       Dv(DvStorageType::kUuidRelative, "vBn[lx{q8@P<9BNH/isA").FilePath("/t"));
  EXPECT_EQ(plain, "/t/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin");
  ASSERT_OK_AND_ASSIGN(std::string prefixed,
                       Dv(DvStorageType::kUuidRelative, "ab^-aqEH.-t@S}K{vb[*k^").FilePath("/t/"));
  EXPECT_EQ(prefixed, "/t/ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin");
  ASSERT_OK_AND_ASSIGN(std::string digest,
                       Dv(DvStorageType::kUuidRelative, "01*zhl@^&yH)+oP+?.Z!").FilePath("s3://b/t"));
  EXPECT_EQ(digest, "s3://b/t/deletion_vector_00112233-4455-6677-8899-aabbccddeeff.bin");

  ASSERT_STATUS_CODE(kCorruption, Dv(DvStorageType::kUuidRelative, "short").FilePath("/t"));
  ASSERT_STATUS_CODE(kCorruption,
                     Dv(DvStorageType::kUuidRelative, "vBn[lx{q8@P<9BNH/is\"").FilePath("/t"));
  ASSERT_STATUS_CODE(kInvalidArgument, Dv(DvStorageType::kInline, "00000").FilePath("/t"));
}

TEST(DeletionVectorTest, AbsolutePathsAreDecoded) {
  ASSERT_OK_AND_ASSIGN(std::string path,
                       Dv(DvStorageType::kAbsolutePath, "s3://b/t/dv%20file.bin").FilePath("/t"));
  EXPECT_EQ(path, "s3://b/t/dv file.bin");
}

TEST(DeletionVectorTest, OffsetDefaultsToOne) {
  DeletionVectorDescriptor dv = Dv(DvStorageType::kUuidRelative, "vBn[lx{q8@P<9BNH/isA");
  EXPECT_EQ(dv.OffsetOrDefault(), 1);
  dv.offset = 77;
  EXPECT_EQ(dv.OffsetOrDefault(), 77);
}

TEST(DeletionVectorTest, InlineData) {
  // PROTOCOL.md's inline example: 43 bytes of a native-format bitmap.
  DeletionVectorDescriptor dv =
      Dv(DvStorageType::kInline, "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", 40);
  dv.offset.reset();
  ASSERT_OK_AND_ASSIGN(std::string data, dv.InlineData());
  ASSERT_EQ(data.size(), 40u);
  // Magic 1681511376 (0x6439D3D0), stored big-endian in this legacy example.
  EXPECT_EQ(static_cast<unsigned char>(data[0]), 0x64);
  EXPECT_EQ(static_cast<unsigned char>(data[1]), 0x39);
  EXPECT_EQ(static_cast<unsigned char>(data[2]), 0xD3);
  EXPECT_EQ(static_cast<unsigned char>(data[3]), 0xD0);
  dv.size_in_bytes = 41;
  ASSERT_STATUS_CODE(kCorruption, dv.InlineData());
  ASSERT_STATUS_CODE(kInvalidArgument,
                     Dv(DvStorageType::kUuidRelative, "vBn[lx{q8@P<9BNH/isA").InlineData());
}

}  // namespace
}  // namespace silt::delta
