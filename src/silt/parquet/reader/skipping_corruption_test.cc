// Row-group skipping from column statistics (which statistics are trusted), and corrupt input:
// truncated files and garbled bytes give kCorruption (or kUnsupported), never a crash.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "silt/columnar/from_json.h"
#include "silt/expr/expr.h"
#include "silt/fs/memory_file_system.h"
#include "silt/parquet/file_metadata.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/writer/file_writer.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

namespace col = silt::columnar;

col::SchemaPtr Schema() {
  return col::Schema::Make({col::Field("id", col::Int64(), false), col::Field("s", col::String()),
                            col::Field("dec", col::Decimal(10, 2)),
                            col::Field("ts", col::Timestamp()),
                            col::Field("st", col::Struct({col::Field("x", col::Int32())})),
                            col::Field("tags", col::List(col::String()))});
}

// 1000 rows, 10 row groups of 100; every column increases with id.
std::string WriteSorted(fs::MemoryFileSystem& fs, const std::string& path,
                        CompressionCodec codec = CompressionCodec::kSnappy) {
  std::string json = "[";
  for (int i = 0; i < 1000; ++i) {
    if (i > 0) json += ",";
    json += fmt::format(
        R"({{"id":{},"s":"key-{:04}","dec":"{}.{:02}","ts":{},"st":{{"x":{}}},"tags":["t{}"]}})", i,
        i, i, i % 100, int64_t{i} * 1000000, i % 500 == 7 ? "null" : std::to_string(i), i);
  }
  json += "]";
  auto batch = col::RecordBatchFromJson(Schema(), json).ValueOrDie();
  WriterOptions wo;
  wo.max_row_group_rows = 100;
  wo.codec = codec;
  wo.data_page_size = 256;
  auto w = FileWriter::Open(fs, path, Schema(), wo).ValueOrDie();
  EXPECT_OK(w->WriteBatch(*batch));
  EXPECT_OK(w->Close());
  return fs.ReadFile(path).ValueOrDie();
}

std::vector<int> Selected(fs::FileSystem& fs, const std::string& path, const std::string& pred) {
  ReadOptions options;
  options.predicate = expr::Parse(pred).ValueOrDie();
  auto reader = FileReader::Open(fs, path, options);
  EXPECT_OK(reader.status());
  if (!reader.ok()) return {};
  return (*reader)->selected_row_groups();
}

TEST(RowGroupSkippingTest, SkipsByStatistics) {
  fs::MemoryFileSystem fs;
  WriteSorted(fs, "f.parquet");
  using V = std::vector<int>;
  EXPECT_EQ(Selected(fs, "f.parquet", "id >= 950"), V({9}));
  EXPECT_EQ(Selected(fs, "f.parquet", "id < 0"), V({}));
  EXPECT_EQ(Selected(fs, "f.parquet", "id = 150 OR id = 420"), V({1, 4}));
  EXPECT_EQ(Selected(fs, "f.parquet", "s = 'key-0150'"), V({1}));
  EXPECT_EQ(Selected(fs, "f.parquet", "s > 'key-08'"), V({8, 9}));
  EXPECT_EQ(Selected(fs, "f.parquet", "dec BETWEEN 300.00 AND 399.50"), V({3}));
  EXPECT_EQ(Selected(fs, "f.parquet", "ts < TIMESTAMP '1970-01-01 00:01:40Z'"), V({0}));
  EXPECT_EQ(Selected(fs, "f.parquet", "id IS NULL"), V({}));
  EXPECT_EQ(Selected(fs, "f.parquet", "st.x IS NULL"), V({0, 5}));
  EXPECT_EQ(Selected(fs, "f.parquet", "st.x > 880"), V({8, 9}));
  // Unknown columns and repeated leaves skip nothing.
  EXPECT_EQ(Selected(fs, "f.parquet", "nope = 1").size(), 10u);
  EXPECT_EQ(Selected(fs, "f.parquet", "tags = 'x'").size(), 10u);

  // Only the selected row groups are read.
  ReadOptions options;
  options.predicate = expr::Parse("id >= 950").ValueOrDie();
  ASSERT_OK_AND_ASSIGN(auto batches, ReadTable(fs, "f.parquet", options));
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0]->num_rows(), 100);
  EXPECT_EQ(batches[0]->column(0)->ToString().substr(0, 8), "[900,901");
}

TEST(RowGroupSkippingTest, ChosenRowGroups) {
  fs::MemoryFileSystem fs;
  WriteSorted(fs, "f.parquet");
  ReadOptions options;
  options.row_groups = std::vector<int>{7, 2, 9};
  options.predicate = expr::Parse("id < 800").ValueOrDie();
  ASSERT_OK_AND_ASSIGN(auto batches, ReadTable(fs, "f.parquet", options));
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0]->column(0)->ToString().substr(0, 8), "[700,701");
  EXPECT_EQ(batches[1]->column(0)->ToString().substr(0, 8), "[200,201");
  options.row_groups = std::vector<int>{10};
  EXPECT_STATUS_CODE(kInvalidArgument, FileReader::Open(fs, "f.parquet", options));
}

// Rewrites the footer of `bytes` after `edit`.
std::string EditFooter(const std::string& bytes, const std::function<void(FileMetaData*)>& edit) {
  FileMetaData md = ParseFileMetaData(bytes).ValueOrDie();
  uint32_t footer_len = 0;
  std::memcpy(&footer_len, bytes.data() + bytes.size() - 8, 4);
  std::string out = bytes.substr(0, bytes.size() - 8 - footer_len);
  edit(&md);
  AppendFooter(md, &out);
  return out;
}

TEST(RowGroupSkippingTest, TrustsOnlyTheRightStatistics) {
  fs::MemoryFileSystem fs;
  std::string bytes = WriteSorted(fs, "f.parquet");
  // Deprecated min/max only: trusted for a signed INT64, not for a string column.
  std::string old_style = EditFooter(bytes, [](FileMetaData* md) {
    for (auto& rg : md->row_groups) {
      for (auto& cc : rg.columns) {
        auto& st = *cc.meta_data->statistics;
        st.min = st.min_value;
        st.max = st.max_value;
        st.min_value.reset();
        st.max_value.reset();
      }
    }
  });
  ASSERT_OK(fs.Put("old.parquet", old_style));
  EXPECT_EQ(Selected(fs, "old.parquet", "id >= 950"), std::vector<int>({9}));
  EXPECT_EQ(Selected(fs, "old.parquet", "s = 'key-0150'").size(), 10u);
  // DECIMAL on INT64 orders as signed integers: the deprecated pair is fine.
  EXPECT_EQ(Selected(fs, "old.parquet", "dec > 990.00"), std::vector<int>({9}));
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(fs, "old.parquet"));
  auto stats = reader->LeafStatistics(0, 1);
  ASSERT_TRUE(stats.has_value());
  EXPECT_FALSE(stats->min.has_value());
  EXPECT_EQ(stats->null_count, 0);

  // Another column order than TYPE_ORDER (IEEE 754 total order on a string column): this
  // reader does not interpret min_value/max_value then (a deprecated signed min/max pair of an
  // integer column would still be used).
  std::string unknown_order = EditFooter(bytes, [](FileMetaData* md) {
    md->column_orders.assign(6, ColumnOrder{ColumnOrder::Kind::kIeee754TotalOrder});
  });
  ASSERT_OK(fs.Put("order.parquet", unknown_order));
  EXPECT_EQ(Selected(fs, "order.parquet", "s = 'key-0150'").size(), 10u);
  EXPECT_EQ(Selected(fs, "order.parquet", "id IS NULL").size(), 0u);  // null counts still hold
}

// Reads the whole file; returns the first error.
Status ReadAll(fs::FileSystem& fs, const std::string& path) {
  ReadOptions options;
  options.batch_size = 64;
  SILT_ASSIGN_OR_RETURN(auto reader, FileReader::Open(fs, path, options));
  while (true) {
    SILT_ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) return Status::OK();
  }
}

TEST(CorruptInputTest, TruncatedFiles) {
  fs::MemoryFileSystem fs;
  std::string bytes = WriteSorted(fs, "f.parquet");
  for (size_t len = 0; len < bytes.size(); len += 1 + len / 8) {
    ASSERT_OK(fs.Put("t.parquet", bytes.substr(0, len)));
    Status st = ReadAll(fs, "t.parquet");
    EXPECT_EQ(st.code(), StatusCode::kCorruption) << len << ": " << st.ToString();
  }
}

TEST(CorruptInputTest, GarbledBytesNeverCrash) {
  fs::MemoryFileSystem fs;
  for (CompressionCodec codec : {CompressionCodec::kUncompressed, CompressionCodec::kSnappy}) {
    std::string bytes = WriteSorted(fs, "f.parquet", codec);
    int corrupt = 0;
    const size_t stride = bytes.size() / 400 + 1;
    for (size_t pos = 4; pos < bytes.size(); pos += stride) {
      std::string bad = bytes;
      bad[pos] = static_cast<char>(bad[pos] ^ (0x5a + pos % 7));
      ASSERT_OK(fs.Put("g.parquet", bad));
      Status st = ReadAll(fs, "g.parquet");
      if (st.ok()) continue;
      ++corrupt;
      EXPECT_TRUE(st.code() == StatusCode::kCorruption || st.code() == StatusCode::kUnsupported)
          << pos << ": " << st.ToString();
    }
    EXPECT_GT(corrupt, 50);
  }
}

TEST(CorruptInputTest, ChecksumsCatchGarbledValues) {
  fs::MemoryFileSystem fs;
  std::string bytes = WriteSorted(fs, "f.parquet", CompressionCodec::kUncompressed);
  // Flip a byte in the middle of the first data page of "id" (plain values after the header).
  FileMetaData md = ParseFileMetaData(bytes).ValueOrDie();
  const int64_t at = md.row_groups[0].columns[0].meta_data->data_page_offset + 40;
  bytes[static_cast<size_t>(at)] ^= 0x01;
  ASSERT_OK(fs.Put("c.parquet", bytes));
  ReadOptions options;
  options.page_options.verify_crc = true;
  auto reader = FileReader::Open(fs, "c.parquet", options);
  ASSERT_OK(reader.status());
  auto batch = (*reader)->Next();
  EXPECT_STATUS_CODE(kCorruption, batch);
  EXPECT_NE(batch.status().message().find("c.parquet"), std::string::npos) << batch.status();
  EXPECT_NE(batch.status().message().find("id"), std::string::npos) << batch.status();
}

}  // namespace
}  // namespace silt::parquet
