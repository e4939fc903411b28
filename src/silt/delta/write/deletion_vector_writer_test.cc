#include "silt/delta/write/deletion_vector_writer.h"

#include <gtest/gtest.h>

#include "silt/delta/scan/deletion_vector_reader.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

TEST(DeletionVectorWriterTest, PayloadMatchesTheDigestExample) {
  // One bucket, key 0, 32-bit bitmap {1}: magic + count + key + cookie + n + descriptor +
  // offset + one value = 34 bytes.
  std::string data = SerializeRoaringBitmapArray({1});
  EXPECT_EQ(data.size(), 34u);
  ASSERT_OK_AND_ASSIGN(auto back, ParseRoaringBitmapArray(data));
  EXPECT_EQ(back, (std::vector<uint64_t>{1}));
}

TEST(DeletionVectorWriterTest, RoundTripsLargeAndSparsePositions) {
  std::vector<uint64_t> positions;
  for (uint64_t i = 0; i < 10000; i += 3) positions.push_back(i);
  for (uint64_t i = 70000; i < 80000; ++i) positions.push_back(i);
  positions.push_back((uint64_t{5} << 32) + 7);
  ASSERT_OK_AND_ASSIGN(auto back, ParseRoaringBitmapArray(SerializeRoaringBitmapArray(positions)));
  EXPECT_EQ(back, positions);
}

TEST(DeletionVectorWriterTest, FileWithSeveralVectors) {
  fs::MemoryFileSystem fs;
  DeletionVectorFileWriter writer(fs, "/t");
  ASSERT_OK_AND_ASSIGN(DeletionVectorDescriptor a, writer.Add({0, 9}));
  ASSERT_OK_AND_ASSIGN(DeletionVectorDescriptor b, writer.Add({3, 4, 5, 100000}));
  ASSERT_OK(writer.Close());
  EXPECT_EQ(a.offset, 1);
  EXPECT_EQ(a.cardinality, 2);
  EXPECT_EQ(b.offset, 1 + 4 + a.size_in_bytes + 4);
  EXPECT_EQ(a.path_or_inline_dv.size(), 20u);
  ASSERT_OK_AND_ASSIGN(std::string path, a.FilePath("/t"));
  EXPECT_EQ("/t/" + writer.relative_path(), path);
  ASSERT_OK_AND_ASSIGN(auto rows_a, ReadDeletedRows(fs, "/t", a));
  ASSERT_OK_AND_ASSIGN(auto rows_b, ReadDeletedRows(fs, "/t", b));
  EXPECT_EQ(rows_a, (std::vector<uint64_t>{0, 9}));
  EXPECT_EQ(rows_b, (std::vector<uint64_t>{3, 4, 5, 100000}));
  ASSERT_OK_AND_ASSIGN(std::string bytes, fs.ReadFile(path));
  EXPECT_EQ(bytes[0], '\x01');
}

TEST(DeletionVectorWriterTest, Errors) {
  fs::MemoryFileSystem fs;
  DeletionVectorFileWriter writer(fs, "/t");
  ASSERT_STATUS_CODE(kInvalidArgument, writer.Add({}));
  ASSERT_STATUS_CODE(kInvalidArgument, writer.Add({3, 3}));
  ASSERT_OK(writer.Close());  // nothing added: no file
  ASSERT_OK_AND_ASSIGN(bool exists, fs.Exists("/t/" + writer.relative_path()));
  EXPECT_FALSE(exists);
}

}  // namespace
}  // namespace silt::delta
