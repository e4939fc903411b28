#include "silt/delta/scan/deletion_vector_reader.h"

#include <gtest/gtest.h>

#include "silt/delta/actions/z85.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

std::string Hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// The Spark-written DV of the protocol digest: rows {0, 9}.
const std::string kData =
    Hex("d1d33964" "0100000000000000" "00000000" "3a300000" "01000000" "00000100" "10000000"
        "0000" "0900");
const std::string kCrc = Hex("2a671846");

DeletionVectorDescriptor FileDv(int32_t offset = 1) {
  DeletionVectorDescriptor dv;
  dv.storage_type = DvStorageType::kUuidRelative;
  dv.path_or_inline_dv = "vBn[lx{q8@P<9BNH/isA";
  dv.offset = offset;
  dv.size_in_bytes = 36;
  dv.cardinality = 2;
  return dv;
}

constexpr char kDvFile[] = "/t/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin";

TEST(DeletionVectorReaderTest, ReadsASparkDvFile) {
  fs::MemoryFileSystem fs;
  ASSERT_OK(fs.Put(kDvFile, "\x01" + Hex("00000024") + kData + kCrc));
  ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> rows, ReadDeletedRows(fs, "/t", FileDv()));
  EXPECT_EQ(rows, (std::vector<uint64_t>{0, 9}));
}

TEST(DeletionVectorReaderTest, ChecksumSizeAndCardinalityAreChecked) {
  fs::MemoryFileSystem fs;
  std::string bad_crc = kCrc;
  bad_crc[0] ^= 1;
  ASSERT_OK(fs.Put(kDvFile, "\x01" + Hex("00000024") + kData + bad_crc));
  Result<std::vector<uint64_t>> r = ReadDeletedRows(fs, "/t", FileDv());
  ASSERT_STATUS_CODE(kCorruption, r);
  EXPECT_NE(r.error().message().find("checksum"), std::string::npos);
  EXPECT_NE(r.error().message().find("deletion_vector_61d16c75"), std::string::npos);

  ASSERT_OK(fs.Put(kDvFile, "\x01" + Hex("00000023") + kData + kCrc));
  EXPECT_STATUS_CODE(kCorruption, ReadDeletedRows(fs, "/t", FileDv()));
  ASSERT_OK(fs.Put(kDvFile, "\x01" + Hex("00000024") + kData));  // truncated
  EXPECT_STATUS_CODE(kCorruption, ReadDeletedRows(fs, "/t", FileDv()));
  EXPECT_STATUS_CODE(kCorruption, ReadDeletedRows(fs, "/t", FileDv(1000)));

  ASSERT_OK(fs.Put(kDvFile, "\x01" + Hex("00000024") + kData + kCrc));
  DeletionVectorDescriptor wrong = FileDv();
  wrong.cardinality = 3;
  EXPECT_STATUS_CODE(kCorruption, ReadDeletedRows(fs, "/t", wrong));
  EXPECT_STATUS_CODE(kNotFound, ReadDeletedRows(fs, "/elsewhere", FileDv()));
}

TEST(DeletionVectorReaderTest, InlinePortableAndNative) {
  fs::MemoryFileSystem fs;
  DeletionVectorDescriptor dv;
  dv.storage_type = DvStorageType::kInline;
  dv.path_or_inline_dv = EncodeZ85(kData);
  dv.size_in_bytes = 36;
  dv.cardinality = 2;
  ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> rows, ReadDeletedRows(fs, "/t", dv));
  EXPECT_EQ(rows, (std::vector<uint64_t>{0, 9}));

  // PROTOCOL.md's inline example, in the native (big-endian framed) layout.
  dv.path_or_inline_dv = "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L";
  dv.size_in_bytes = 40;
  dv.cardinality = 6;
  ASSERT_OK_AND_ASSIGN(rows, ReadDeletedRows(fs, "/t", dv));
  EXPECT_EQ(rows, (std::vector<uint64_t>{3, 4, 7, 11, 18, 29}));
}

TEST(DeletionVectorReaderTest, HighBucketsAndMalformedData) {
  // Two buckets: key 0 empty (Spark writes every key), key 1 = {5}.
  std::string data = Hex("d1d33964" "0200000000000000" "00000000" "3a30000000000000" "01000000"
                         "3a300000" "01000000" "00000000" "10000000" "0500");
  ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> rows, ParseRoaringBitmapArray(data));
  EXPECT_EQ(rows, (std::vector<uint64_t>{(uint64_t{1} << 32) | 5}));
  EXPECT_STATUS_CODE(kCorruption, ParseRoaringBitmapArray(data.substr(0, data.size() - 3)));
  EXPECT_STATUS_CODE(kCorruption, ParseRoaringBitmapArray("xyz"));
  EXPECT_STATUS_CODE(kCorruption, ParseRoaringBitmapArray(Hex("0102030400000000")));
  // Keys must ascend.
  std::string twice = Hex("d1d33964" "0200000000000000" "01000000" "3a30000000000000" "01000000"
                          "3a30000000000000");
  EXPECT_STATUS_CODE(kCorruption, ParseRoaringBitmapArray(twice));
}

}  // namespace
}  // namespace silt::delta
