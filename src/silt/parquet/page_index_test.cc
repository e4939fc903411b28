#include "silt/parquet/page_index.h"

#include <string>

#include <gtest/gtest.h>

#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

class PageIndexTest : public ::testing::Test {
 protected:
  // A "file" of 100 filler bytes, then the offset index, then the column index.
  void SetUp() override {
    OffsetIndex offsets;
    offsets.page_locations = {{4, 50, 0}, {54, 40, 1000}};
    ColumnIndex index;
    index.null_pages = {false, true};
    index.min_values = {"a", ""};
    index.max_values = {"m", ""};
    index.boundary_order = BoundaryOrder::kAscending;
    index.null_counts = {0, 1000};
    std::string bytes(100, 'x');
    chunk_.offset_index_offset = static_cast<int64_t>(bytes.size());
    SerializeThrift(offsets, &bytes);
    chunk_.offset_index_length = static_cast<int32_t>(bytes.size() - 100);
    chunk_.column_index_offset = static_cast<int64_t>(bytes.size());
    size_t before = bytes.size();
    SerializeThrift(index, &bytes);
    chunk_.column_index_length = static_cast<int32_t>(bytes.size() - before);
    offsets_ = offsets;
    index_ = index;
    ASSERT_OK(fs_.Put("/f", bytes));
    file_ = fs_.OpenRandomAccess("/f").ValueOrDie();
  }

  fs::MemoryFileSystem fs_;
  std::unique_ptr<fs::RandomAccessFile> file_;
  ColumnChunk chunk_;
  OffsetIndex offsets_;
  ColumnIndex index_;
};

TEST_F(PageIndexTest, ReadsBothIndexes) {
  ASSERT_OK_AND_ASSIGN(auto offsets, ReadOffsetIndex(*file_, chunk_));
  ASSERT_TRUE(offsets.has_value());
  EXPECT_EQ(*offsets, offsets_);
  ASSERT_OK_AND_ASSIGN(auto index, ReadColumnIndex(*file_, chunk_));
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(*index, index_);
}

TEST_F(PageIndexTest, AbsentIndexesAreNullopt) {
  ColumnChunk none;
  ASSERT_OK_AND_ASSIGN(auto offsets, ReadOffsetIndex(*file_, none));
  EXPECT_FALSE(offsets.has_value());
  ASSERT_OK_AND_ASSIGN(auto index, ReadColumnIndex(*file_, none));
  EXPECT_FALSE(index.has_value());
}

TEST_F(PageIndexTest, BadLocationsAndContentsAreCorruption) {
  ColumnChunk bad = chunk_;
  bad.offset_index_length = 100000;
  ASSERT_STATUS_CODE(kCorruption, ReadOffsetIndex(*file_, bad));
  bad = chunk_;
  bad.column_index_offset = -5;
  ASSERT_STATUS_CODE(kCorruption, ReadColumnIndex(*file_, bad));
  bad = chunk_;
  bad.offset_index_length.reset();
  ASSERT_STATUS_CODE(kCorruption, ReadOffsetIndex(*file_, bad));
  // Pointing the offset index at filler bytes.
  bad = chunk_;
  bad.offset_index_offset = 0;
  ASSERT_STATUS_CODE(kCorruption, ReadOffsetIndex(*file_, bad));

  // Locations out of order, and column index lists of different lengths.
  OffsetIndex unordered;
  unordered.page_locations = {{54, 40, 0}, {4, 50, 1000}};
  ColumnIndex ragged = index_;
  ragged.max_values.pop_back();
  std::string bytes;
  ColumnChunk c;
  c.offset_index_offset = 0;
  SerializeThrift(unordered, &bytes);
  c.offset_index_length = static_cast<int32_t>(bytes.size());
  c.column_index_offset = static_cast<int64_t>(bytes.size());
  SerializeThrift(ragged, &bytes);
  c.column_index_length = static_cast<int32_t>(bytes.size() - *c.column_index_offset);
  ASSERT_OK(fs_.Put("/g", bytes));
  ASSERT_OK_AND_ASSIGN(auto g, fs_.OpenRandomAccess("/g"));
  ASSERT_STATUS_CODE(kCorruption, ReadOffsetIndex(*g, c));
  ASSERT_STATUS_CODE(kCorruption, ReadColumnIndex(*g, c));
}

}  // namespace
}  // namespace silt::parquet
