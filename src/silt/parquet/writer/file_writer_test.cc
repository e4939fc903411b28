#include "silt/parquet/writer/file_writer.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "silt/base/version.h"
#include "silt/columnar/builder.h"
#include "silt/columnar/from_json.h"
#include "silt/fs/fault_injection_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "silt/parquet/file_metadata.h"
#include "silt/parquet/page_reader.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/thrift/parquet_types.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

namespace col = silt::columnar;

// id: int64 not null = 0..n-1; name: string, null every 3rd row, 10 distinct values.
Result<col::RecordBatchPtr> MakeBatch(const col::SchemaPtr& schema, int64_t first, int64_t n) {
  SILT_ASSIGN_OR_RETURN(auto builder, col::RecordBatchBuilder::Make(schema));
  auto* ids = builder->GetFieldAs<col::Int64Builder>(0);
  auto* names = builder->GetFieldAs<col::StringBuilder>(1);
  for (int64_t i = first; i < first + n; ++i) {
    SILT_RETURN_NOT_OK(ids->Append(i));
    if (i % 3 == 0) {
      SILT_RETURN_NOT_OK(names->AppendNull());
    } else {
      SILT_RETURN_NOT_OK(names->Append("name-" + std::to_string(i % 10)));
    }
  }
  return builder->Flush();
}

col::SchemaPtr TwoColumns() {
  return col::Schema::Make({col::Field("id", col::Int64(), false),
                            col::Field("name", col::String())});
}

// Walks every page of every chunk with CRC checks; returns {dictionary pages, data pages}.
std::pair<int, int> CountPages(const std::string& bytes, const FileMetaData& md) {
  int dict = 0;
  int data = 0;
  for (const RowGroup& rg : md.row_groups) {
    for (const ColumnChunk& cc : rg.columns) {
      const ColumnMetaData& cm = *cc.meta_data;
      auto range = ColumnChunkRange(cm, static_cast<int64_t>(bytes.size()));
      EXPECT_TRUE(range.ok()) << range.status();
      if (!range.ok()) continue;
      PageReaderOptions options;
      options.verify_crc = true;
      auto reader = PageReader::Make(bytes.substr(range->offset, range->length), cm.codec, "c",
                                     options)
                        .ValueOrDie();
      int64_t values = 0;
      while (true) {
        auto page = reader->Next();
        EXPECT_TRUE(page.ok()) << page.status();
        if (!page.ok() || !page->has_value()) break;
        const PageHeader& h = (*page)->header;
        if (h.type == PageType::kDictionaryPage) {
          ++dict;
        } else {
          ++data;
          values += h.data_page_header->num_values;
        }
      }
      EXPECT_EQ(values, cm.num_values);
    }
  }
  return {dict, data};
}

TEST(FileWriterTest, WritesFooterStatisticsAndSummary) {
  fs::MemoryFileSystem fs;
  auto schema = TwoColumns();
  WriterOptions options;
  options.key_value_metadata.Set("k", "v");
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "/t/f.parquet", schema, options));
  ASSERT_OK_AND_ASSIGN(auto batch, MakeBatch(schema, 0, 1000));
  ASSERT_OK(writer->WriteBatch(*batch));
  // 1000 distinct ids (8 KB of dictionary) and short names, nothing flushed yet.
  EXPECT_GT(writer->EstimatedFileSize(), 8000);
  EXPECT_LT(writer->EstimatedFileSize(), 20000);
  ASSERT_OK_AND_ASSIGN(auto batch2, MakeBatch(schema, 1000, 500));
  ASSERT_OK(writer->WriteBatch(*batch2));
  EXPECT_EQ(writer->num_rows(), 1500);
  ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());

  ASSERT_OK_AND_ASSIGN(std::string bytes, fs.ReadFile("/t/f.parquet"));
  EXPECT_EQ(file.file_size, static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(bytes.substr(0, 4), "PAR1");
  ASSERT_OK_AND_ASSIGN(FileMetaData md, ParseFileMetaData(bytes));
  EXPECT_EQ(md, file.metadata);
  EXPECT_EQ(md.num_rows, 1500);
  EXPECT_EQ(md.created_by, std::string(kCreatedBy));
  ASSERT_EQ(md.key_value_metadata.size(), 1u);
  EXPECT_EQ(md.key_value_metadata[0].key, "k");
  ASSERT_EQ(md.column_orders.size(), 2u);
  ASSERT_EQ(md.row_groups.size(), 1u);
  const RowGroup& rg = md.row_groups[0];
  EXPECT_EQ(rg.num_rows, 1500);
  ASSERT_EQ(rg.columns.size(), 2u);

  const ColumnMetaData& id = *rg.columns[0].meta_data;
  EXPECT_EQ(id.type, PhysicalType::kInt64);
  EXPECT_EQ(id.codec, CompressionCodec::kSnappy);
  EXPECT_EQ(id.num_values, 1500);
  EXPECT_EQ(id.dictionary_page_offset, 4);
  EXPECT_GT(id.data_page_offset, 4);
  EXPECT_EQ(rg.file_offset, 4);
  ASSERT_TRUE(id.statistics.has_value());
  EXPECT_EQ(id.statistics->null_count, 0);
  int64_t lo = 0, hi = 0;
  std::memcpy(&lo, id.statistics->min_value->data(), 8);
  std::memcpy(&hi, id.statistics->max_value->data(), 8);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 1499);
  EXPECT_EQ(id.statistics->min, id.statistics->min_value);

  const ColumnMetaData& name = *rg.columns[1].meta_data;
  EXPECT_EQ(name.path_in_schema, (std::vector<std::string>{"name"}));
  EXPECT_EQ(name.statistics->null_count, 500);
  EXPECT_EQ(name.statistics->min_value, "name-0");
  EXPECT_EQ(name.statistics->max_value, "name-9");
  EXPECT_FALSE(name.statistics->min.has_value());  // no legacy pair for strings
  EXPECT_EQ(name.encodings,
            (std::vector<Encoding>{Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary}));
  ASSERT_EQ(name.encoding_stats.size(), 2u);
  EXPECT_EQ(name.encoding_stats[0].page_type, PageType::kDictionaryPage);
  EXPECT_EQ(rg.columns[1].meta_data->dictionary_page_offset,
            id.dictionary_page_offset.value() + id.total_compressed_size);
  EXPECT_EQ(rg.total_byte_size, id.total_uncompressed_size + name.total_uncompressed_size);

  auto [dict_pages, data_pages] = CountPages(bytes, md);
  EXPECT_EQ(dict_pages, 2);
  EXPECT_EQ(data_pages, 2);

  ASSERT_EQ(file.columns.size(), 2u);
  EXPECT_EQ(file.columns[0].path, (std::vector<std::string>{"id"}));
  EXPECT_EQ(file.columns[0].min, expr::Value::Int(0));
  EXPECT_EQ(file.columns[0].max, expr::Value::Int(1499));
  EXPECT_EQ(file.columns[1].null_count, 500);
  EXPECT_EQ(file.columns[1].num_values, 1500);
  EXPECT_EQ(file.columns[1].min, expr::Value::String("name-0"));
  EXPECT_EQ(file.columns[1].max, expr::Value::String("name-9"));
}

TEST(FileWriterTest, SmallLimitsMakeManyPagesRowGroupsAndDictionaryFallback) {
  fs::MemoryFileSystem fs;
  auto schema = TwoColumns();
  WriterOptions options;
  options.codec = CompressionCodec::kZstd;
  options.compression_level = 3;
  options.max_row_group_rows = 3000;
  options.data_page_size = 2000;
  options.dictionary_page_size_limit = 128;  // 16 int64 entries, the 10 names fit
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", schema, options));
  ASSERT_OK_AND_ASSIGN(auto batch, MakeBatch(schema, 0, 10000));
  ASSERT_OK(writer->WriteBatch(*batch));
  ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
  ASSERT_OK_AND_ASSIGN(std::string bytes, fs.ReadFile("f.parquet"));
  const FileMetaData& md = file.metadata;
  ASSERT_EQ(md.row_groups.size(), 4u);
  EXPECT_EQ(md.row_groups[3].num_rows, 1000);
  for (const RowGroup& rg : md.row_groups) {
    const ColumnMetaData& id = *rg.columns[0].meta_data;
    // The id dictionary overflows at once: one dictionary page, the rest PLAIN.
    ASSERT_EQ(id.encoding_stats.size(), 3u);
    EXPECT_EQ(id.encoding_stats[1].encoding, Encoding::kRleDictionary);
    EXPECT_EQ(id.encoding_stats[2].encoding, Encoding::kPlain);
    EXPECT_GE(id.encoding_stats[2].count, 3);
    // 10 distinct names fit the dictionary.
    const ColumnMetaData& name = *rg.columns[1].meta_data;
    EXPECT_EQ(name.encoding_stats.back().encoding, Encoding::kRleDictionary);
  }
  auto [dict_pages, data_pages] = CountPages(bytes, md);
  EXPECT_EQ(dict_pages, 8);
  EXPECT_GT(data_pages, 20);
  EXPECT_EQ(file.columns[0].max, expr::Value::Int(9999));
}

// Pages end at data_page_row_limit rows whatever their bytes: a column null in every row, a
// small column and a list column (whose rows span several level entries) each get pages of
// exactly that many rows but the last, and read back whole.
TEST(FileWriterTest, PagesEndAtTheRowLimit) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({col::Field("id", col::Int64(), false),
                                   col::Field("none", col::String()),
                                   col::Field("tags", col::List(col::String()))});
  constexpr int64_t kRows = 5500;
  std::string json = "[";
  for (int64_t i = 0; i < kRows; ++i) {
    if (i > 0) json += ",";
    json += fmt::format(R"({{"id":{},"none":null,"tags":["a","b{}"]}})", i, i % 7);
  }
  json += "]";
  ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatchFromJson(schema, json));
  WriterOptions options;
  options.data_page_row_limit = 1000;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", schema, options));
  ASSERT_OK(writer->WriteBatch(*batch));
  ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
  ASSERT_OK_AND_ASSIGN(std::string bytes, fs.ReadFile("f.parquet"));
  ASSERT_EQ(file.metadata.row_groups.size(), 1u);
  for (const ColumnChunk& chunk : file.metadata.row_groups[0].columns) {
    ASSERT_TRUE(chunk.offset_index_offset.has_value());
    ASSERT_OK_AND_ASSIGN(auto offsets,
                         DeserializeThrift<OffsetIndex>(std::string_view(bytes).substr(
                             *chunk.offset_index_offset, *chunk.offset_index_length)));
    const auto& pages = offsets.value.page_locations;
    ASSERT_EQ(pages.size(), 6u) << chunk.meta_data->path_in_schema.front();
    for (size_t p = 0; p < pages.size(); ++p) {
      EXPECT_EQ(pages[p].first_row_index, static_cast<int64_t>(p) * 1000);
    }
  }
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(fs, "f.parquet"));
  int64_t read = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto next, reader->Next());
    if (!next) break;
    EXPECT_TRUE((*next)->Equals(*batch->Slice(read, (*next)->num_rows())));
    read += (*next)->num_rows();
  }
  EXPECT_EQ(read, kRows);
}

TEST(FileWriterTest, PageIndexLocatesEveryDataPage) {
  fs::MemoryFileSystem fs;
  auto schema = TwoColumns();
  WriterOptions options;
  options.max_row_group_rows = 3000;
  options.data_page_size = 1000;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", schema, options));
  ASSERT_OK_AND_ASSIGN(auto batch, MakeBatch(schema, 0, 7000));
  ASSERT_OK(writer->WriteBatch(*batch));
  ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
  ASSERT_OK_AND_ASSIGN(std::string bytes, fs.ReadFile("f.parquet"));
  int64_t group_start = 0;
  for (const RowGroup& rg : file.metadata.row_groups) {
    for (size_t c = 0; c < rg.columns.size(); ++c) {
      const ColumnChunk& chunk = rg.columns[c];
      ASSERT_TRUE(chunk.offset_index_offset.has_value());
      ASSERT_OK_AND_ASSIGN(auto offsets,
                           DeserializeThrift<OffsetIndex>(std::string_view(bytes).substr(
                               *chunk.offset_index_offset, *chunk.offset_index_length)));
      EXPECT_EQ(offsets.size, static_cast<size_t>(*chunk.offset_index_length));
      const auto& pages = offsets.value.page_locations;
      ASSERT_GE(pages.size(), 1u);
      if (c == 0) {
        EXPECT_GT(pages.size(), 1u) << "row group of " << rg.num_rows;
      }
      EXPECT_EQ(pages[0].offset, chunk.meta_data->data_page_offset);
      EXPECT_EQ(pages[0].first_row_index, 0);
      int64_t rows = 0;
      for (size_t p = 0; p < pages.size(); ++p) {
        // Each location is exactly one data page, header included.
        ASSERT_OK_AND_ASSIGN(auto header, DeserializeThrift<PageHeader>(
                                              std::string_view(bytes).substr(pages[p].offset)));
        EXPECT_EQ(header.value.type, PageType::kDataPage);
        EXPECT_EQ(static_cast<int64_t>(header.size) + header.value.compressed_page_size,
                  pages[p].compressed_page_size);
        EXPECT_EQ(pages[p].first_row_index, rows);
        if (p + 1 < pages.size()) {
          EXPECT_EQ(pages[p].offset + pages[p].compressed_page_size, pages[p + 1].offset);
        }
        rows += header.value.data_page_header->num_values;  // flat: one value per row
      }
      EXPECT_EQ(rows, rg.num_rows);

      ASSERT_TRUE(chunk.column_index_offset.has_value());
      ASSERT_OK_AND_ASSIGN(auto index,
                           DeserializeThrift<ColumnIndex>(std::string_view(bytes).substr(
                               *chunk.column_index_offset, *chunk.column_index_length)));
      const ColumnIndex& ci = index.value;
      ASSERT_EQ(ci.null_pages.size(), pages.size());
      ASSERT_EQ(ci.min_values.size(), pages.size());
      ASSERT_EQ(ci.null_counts.size(), pages.size());
      // Sorted ids ascend; every page has the same name bounds, which counts as ascending.
      EXPECT_EQ(ci.boundary_order, BoundaryOrder::kAscending) << c;
      int64_t nulls = 0;
      for (size_t p = 0; p < pages.size(); ++p) {
        nulls += ci.null_counts[p];
        EXPECT_FALSE(ci.null_pages[p]);
        if (c == 0) {
          // id = row number: each page spans [first row, next first row).
          const int64_t end = p + 1 < pages.size() ? pages[p + 1].first_row_index : rg.num_rows;
          int64_t lo = 0, hi = 0;
          std::memcpy(&lo, ci.min_values[p].data(), 8);
          std::memcpy(&hi, ci.max_values[p].data(), 8);
          EXPECT_EQ(lo, group_start + pages[p].first_row_index);
          EXPECT_EQ(hi, group_start + end - 1);
        }
      }
      EXPECT_EQ(nulls, chunk.meta_data->statistics->null_count);
    }
    group_start += rg.num_rows;
  }
}

TEST(FileWriterTest, ColumnIndexBoundaryOrder) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({col::Field("up", col::Int64(), false),
                                   col::Field("down", col::Int64()),
                                   col::Field("mixed", col::Int64(), false)});
  ASSERT_OK_AND_ASSIGN(auto builder, col::RecordBatchBuilder::Make(schema));
  for (int64_t i = 0; i < 5000; ++i) {
    ASSERT_OK(builder->GetFieldAs<col::Int64Builder>(0)->Append(i));
    // Whole null pages in the middle do not break the order.
    if (i >= 2000 && i < 3000) {
      ASSERT_OK(builder->GetField(1)->AppendNull());
    } else {
      ASSERT_OK(builder->GetFieldAs<col::Int64Builder>(1)->Append(-i));
    }
    ASSERT_OK(builder->GetFieldAs<col::Int64Builder>(2)->Append((i * 7919) % 1000 + (i / 500) % 2 * 5000));
  }
  ASSERT_OK_AND_ASSIGN(auto batch, builder->Flush());
  WriterOptions options;
  options.dictionary_enabled = false;
  options.data_page_size = 2000;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", schema, options));
  ASSERT_OK(writer->WriteBatch(*batch));
  ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
  ASSERT_OK_AND_ASSIGN(std::string bytes, fs.ReadFile("f.parquet"));
  const BoundaryOrder expected[] = {BoundaryOrder::kAscending, BoundaryOrder::kDescending,
                                    BoundaryOrder::kUnordered};
  for (int c = 0; c < 3; ++c) {
    const ColumnChunk& chunk = file.metadata.row_groups[0].columns[c];
    ASSERT_TRUE(chunk.column_index_offset.has_value());
    ASSERT_OK_AND_ASSIGN(auto index, DeserializeThrift<ColumnIndex>(std::string_view(bytes).substr(
                                         *chunk.column_index_offset, *chunk.column_index_length)));
    EXPECT_GT(index.value.null_pages.size(), 5u);
    EXPECT_EQ(index.value.boundary_order, expected[c]) << c;
  }
}

col::ArrayPtr Doubles(std::vector<double> values) {
  col::Float64Builder b(col::Float64());
  for (double v : values) EXPECT_OK(b.Append(v));
  return b.Finish().ValueOrDie();
}

TEST(FileWriterTest, FloatStatisticsIgnoreNaNAndSignZeros) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    std::vector<double> values;
    std::optional<double> min, max;
  };
  const std::vector<Case> cases = {
      {{nan, 1.5, -2.0, nan}, -2.0, 1.5},
      {{0.0, 1.0}, -0.0, 1.0},
      {{-1.0, -0.0}, -1.0, 0.0},
      {{nan, nan}, std::nullopt, std::nullopt},
      {{-INFINITY, INFINITY}, -INFINITY, INFINITY},
  };
  for (const Case& c : cases) {
    fs::MemoryFileSystem fs;
    auto schema = col::Schema::Make({col::Field("d", col::Float64(), false)});
    ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", schema));
    ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatch::Make(schema, static_cast<int64_t>(
                                                                        c.values.size()),
                                                            {Doubles(c.values)}));
    ASSERT_OK(writer->WriteBatch(*batch));
    ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
    const Statistics& st = *file.metadata.row_groups[0].columns[0].meta_data->statistics;
    ASSERT_EQ(st.min_value.has_value(), c.min.has_value());
    if (!c.min.has_value()) {
      EXPECT_FALSE(file.columns[0].min.has_value());
      continue;
    }
    double lo, hi;
    std::memcpy(&lo, st.min_value->data(), 8);
    std::memcpy(&hi, st.max_value->data(), 8);
    EXPECT_EQ(lo, *c.min);
    EXPECT_EQ(std::signbit(lo), std::signbit(*c.min));
    EXPECT_EQ(hi, *c.max);
    EXPECT_EQ(std::signbit(hi), std::signbit(*c.max));
    EXPECT_EQ(file.columns[0].min->double_value(), *c.min);
    EXPECT_EQ(std::signbit(file.columns[0].min->double_value()), std::signbit(*c.min));
  }
}

TEST(FileWriterTest, BinaryStatisticsAreUnsignedAndDecimalsByValue) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({col::Field("b", col::Binary(), false),
                                   col::Field("d", col::Decimal(38, 2), false),
                                   col::Field("s", col::Decimal(5, 1), false)});
  ASSERT_OK_AND_ASSIGN(auto builder, col::RecordBatchBuilder::Make(schema));
  auto* b = builder->GetFieldAs<col::BinaryBuilder>(0);
  auto* d = builder->GetFieldAs<col::DecimalBuilder>(1);
  auto* s = builder->GetFieldAs<col::DecimalBuilder>(2);
  ASSERT_OK(b->Append(std::string("\xff\x01", 2)));
  ASSERT_OK(b->Append(std::string("a")));
  ASSERT_OK(b->Append(std::string("")));
  ASSERT_OK(d->Append(col::Decimal128(-5)));
  ASSERT_OK(d->Append(col::Decimal128(3)));
  ASSERT_OK(d->Append(col::Decimal128(-700)));
  ASSERT_OK(s->Append(col::Decimal128(-1)));
  ASSERT_OK(s->Append(col::Decimal128(99999)));
  ASSERT_OK(s->Append(col::Decimal128(-99999)));
  ASSERT_OK_AND_ASSIGN(auto batch, builder->Flush());
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", schema));
  ASSERT_OK(writer->WriteBatch(*batch));
  ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
  const auto& cols = file.metadata.row_groups[0].columns;
  EXPECT_EQ(cols[0].meta_data->statistics->min_value, "");
  EXPECT_EQ(cols[0].meta_data->statistics->max_value, std::string("\xff\x01", 2));
  EXPECT_EQ(file.columns[0].max, expr::Value::Binary(std::string("\xff\x01", 2)));
  // FLBA(16) big-endian two's complement.
  std::string minus700(16, '\xff');
  minus700[14] = '\xfd';
  minus700[15] = '\x44';
  EXPECT_EQ(cols[1].meta_data->statistics->min_value, minus700);
  EXPECT_EQ(cols[1].meta_data->statistics->max_value, std::string(15, '\0') + "\x03");
  EXPECT_FALSE(cols[1].meta_data->statistics->min.has_value());
  EXPECT_EQ(file.columns[1].min, expr::Value::MakeDecimal(-700, 2));
  EXPECT_EQ(file.columns[1].max, expr::Value::MakeDecimal(3, 2));
  EXPECT_EQ(file.columns[2].min, expr::Value::MakeDecimal(-99999, 1));
  EXPECT_EQ(file.columns[2].max, expr::Value::MakeDecimal(99999, 1));
}

// Byte strings ordered only by what follows their first 8 bytes, and strings shorter than 8
// bytes that are prefixes of others: the bounds come out in unsigned lexicographic order.
TEST(FileWriterTest, BinaryStatisticsBeyondTheFirstEightBytes) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({col::Field("b", col::Binary(), false)});
  const std::vector<std::string> values = {
      "prefix--m",         "prefix--\x80",    "prefix--",  "prefix--a\xff",
      std::string("prefix-\0", 8), "prefix--zz", "prefix-",   "prefix--z\x01",
      "prefix--zz\x7f",    "prefix--0"};
  ASSERT_OK_AND_ASSIGN(auto builder, col::RecordBatchBuilder::Make(schema));
  auto* b = builder->GetFieldAs<col::BinaryBuilder>(0);
  for (const std::string& v : values) ASSERT_OK(b->Append(v));
  ASSERT_OK_AND_ASSIGN(auto batch, builder->Flush());
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", schema));
  ASSERT_OK(writer->WriteBatch(*batch));
  ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
  const auto& stats = *file.metadata.row_groups[0].columns[0].meta_data->statistics;
  EXPECT_EQ(stats.min_value, "prefix-");
  EXPECT_EQ(stats.max_value, "prefix--\x80");
  EXPECT_EQ(file.columns[0].min, expr::Value::Binary("prefix-"));
}

// A page that starts without nulls and then gets some (and the reverse) keeps every
// definition level: the values read back are the ones written.
TEST(FileWriterTest, NullsArrivingInAPageThatHadNone) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({col::Field("v", col::Int64())});
  std::vector<std::optional<int64_t>> expected;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", schema));
  for (const auto& [rows, null_every] :
       std::vector<std::pair<int64_t, int64_t>>{{100, 0}, {50, 7}, {3, 0}, {20, 2}, {9, 0}}) {
    ASSERT_OK_AND_ASSIGN(auto builder, col::RecordBatchBuilder::Make(schema));
    auto* v = builder->GetFieldAs<col::Int64Builder>(0);
    for (int64_t i = 0; i < rows; ++i) {
      const auto value = static_cast<int64_t>(expected.size()) * 3;
      if (null_every > 0 && i % null_every == 0) {
        ASSERT_OK(v->AppendNull());
        expected.push_back(std::nullopt);
      } else {
        ASSERT_OK(v->Append(value));
        expected.push_back(value);
      }
    }
    ASSERT_OK_AND_ASSIGN(auto batch, builder->Flush());
    ASSERT_OK(writer->WriteBatch(*batch));
  }
  ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
  EXPECT_EQ(file.metadata.row_groups[0].columns[0].meta_data->statistics->null_count, 8 + 10);

  // A file of one page without nulls (a run of 3 definition levels is bit-packed, not RLE).
  for (int64_t rows : {int64_t{3}, int64_t{8}, int64_t{1000}}) {
    ASSERT_OK_AND_ASSIGN(auto builder, col::RecordBatchBuilder::Make(schema));
    auto* v = builder->GetFieldAs<col::Int64Builder>(0);
    for (int64_t i = 0; i < rows; ++i) ASSERT_OK(v->Append(i));
    ASSERT_OK_AND_ASSIGN(auto batch, builder->Flush());
    ASSERT_OK_AND_ASSIGN(auto w, FileWriter::Open(fs, "dense.parquet", schema));
    ASSERT_OK(w->WriteBatch(*batch));
    ASSERT_OK(w->Close().status());
    ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(fs, "dense.parquet"));
    int64_t seen = 0;
    while (true) {
      ASSERT_OK_AND_ASSIGN(auto next, reader->Next());
      if (!next) break;
      const auto& a = static_cast<const col::Int64Array&>(*(*next)->column(0));
      for (int64_t i = 0; i < a.length(); ++i, ++seen) {
        ASSERT_FALSE(a.IsNull(i));
        EXPECT_EQ(a.Value(i), seen);
      }
    }
    EXPECT_EQ(seen, rows);
  }

  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(fs, "f.parquet"));
  size_t k = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto next, reader->Next());
    if (!next) break;
    const auto& a = static_cast<const col::Int64Array&>(*(*next)->column(0));
    for (int64_t i = 0; i < a.length(); ++i, ++k) {
      ASSERT_LT(k, expected.size());
      if (expected[k].has_value()) {
        ASSERT_FALSE(a.IsNull(i)) << k;
        EXPECT_EQ(a.Value(i), *expected[k]) << k;
      } else {
        EXPECT_TRUE(a.IsNull(i)) << k;
      }
    }
  }
  EXPECT_EQ(k, expected.size());
}

TEST(FileWriterTest, RowGroupByteLimitAndLongStatistics) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({col::Field("s", col::String(), false)});
  WriterOptions options;
  options.max_row_group_bytes = 100 * 1024;
  options.max_statistics_size = 1000;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", schema, options));
  col::StringBuilder b;
  for (int i = 0; i < 400; ++i) {
    std::string v(2000, static_cast<char>('a' + i % 26));
    v.replace(1, 4, fmt::format("{:04}", i));  // distinct values: no dictionary savings
    ASSERT_OK(b.Append(v));
  }
  ASSERT_OK_AND_ASSIGN(auto array, b.Finish());
  ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatch::Make(schema, 400, {array}));
  for (int k = 0; k < 3; ++k) ASSERT_OK(writer->WriteBatch(*batch));
  ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
  // 2.4 MB of distinct-per-group strings: many row groups of about 100 KB.
  EXPECT_GT(file.metadata.row_groups.size(), 10u);
  int64_t rows = 0;
  for (const RowGroup& rg : file.metadata.row_groups) {
    rows += rg.num_rows;
    EXPECT_LE(rg.total_byte_size, 2 * options.max_row_group_bytes);
    const Statistics& st = *rg.columns[0].meta_data->statistics;
    EXPECT_EQ(st.null_count, 0);
    EXPECT_FALSE(st.min_value.has_value());  // 2000-byte values exceed max_statistics_size
  }
  EXPECT_EQ(rows, 1200);
  EXPECT_EQ(file.columns[0].min->string_value().substr(0, 6), "a0000a");
  EXPECT_EQ(file.columns[0].max->string_value().substr(0, 6), "z0389z");
}

bool HasPlainDataPage(const ColumnMetaData& md) {
  for (const PageEncodingStats& p : md.encoding_stats) {
    if (p.page_type == PageType::kDataPage && p.encoding == Encoding::kPlain) return true;
  }
  return false;
}

// Writes `batch` 100 rows at a time.
Status WriteInSlices(FileWriter& writer, const col::RecordBatch& batch) {
  for (int64_t first = 0; first < batch.num_rows(); first += 100) {
    SILT_RETURN_NOT_OK(writer.WriteBatch(*batch.Slice(first, 100)));
  }
  return Status::OK();
}

TEST(FileWriterTest, DictionaryUniquePrefixEndsTheDictionaryOfUniqueColumns) {
  auto schema = TwoColumns();
  ASSERT_OK_AND_ASSIGN(auto batch, MakeBatch(schema, 0, 10000));
  for (const int64_t prefix : {int64_t{0}, int64_t{1000}}) {
    SCOPED_TRACE(prefix);
    fs::MemoryFileSystem fs;
    WriterOptions options;
    options.max_row_group_rows = 5000;
    options.dictionary_unique_prefix = prefix;
    ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", schema, options));
    ASSERT_OK(WriteInSlices(*writer, *batch->Slice(0, 3000)));
    EXPECT_GT(writer->BufferedBytes(), 3000 / 8);
    EXPECT_GE(writer->EstimatedFileSize(), writer->BufferedBytes());
    ASSERT_OK(writer->FlushRowGroup());
    EXPECT_LT(writer->BufferedBytes(), 8);  // an empty page's constant estimate
    ASSERT_OK(WriteInSlices(*writer, *batch->Slice(3000)));
    ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
    ASSERT_EQ(file.metadata.row_groups.size(), 3u);  // 3000, 5000, 2000 rows
    for (const RowGroup& rg : file.metadata.row_groups) {
      const ColumnMetaData& id = *rg.columns[0].meta_data;
      // Unique ids: the whole chunk in the dictionary, or PLAIN once 1000 values are in.
      EXPECT_EQ(HasPlainDataPage(id), prefix != 0);
      // 10 distinct names repeat at once: always a dictionary.
      EXPECT_FALSE(HasPlainDataPage(*rg.columns[1].meta_data));
    }
    ASSERT_OK_AND_ASSIGN(auto read, ReadTable(fs, "f.parquet"));
    int64_t rows = 0;
    for (const auto& b : read) {
      for (int c = 0; c < 2; ++c) {
        EXPECT_TRUE(b->column(c)->Equals(*batch->column(c)->Slice(rows, b->num_rows()))) << rows;
      }
      rows += b->num_rows();
    }
    EXPECT_EQ(rows, 10000);
  }
  fs::MemoryFileSystem fs;
  WriterOptions bad;
  bad.dictionary_unique_prefix = -1;
  ASSERT_STATUS_CODE(kInvalidArgument, FileWriter::Open(fs, "f.parquet", schema, bad));
}

TEST(FileWriterTest, DictionaryUniquePrefixKeepsTheDictionaryOfRepeatingColumns) {
  auto schema = col::Schema::Make({col::Field("v", col::Int64(), false)});
  // 4000 values, every `period`-th one repeating its predecessor: 95% and 99.5% distinct.
  for (const int period : {20, 200}) {
    SCOPED_TRACE(period);
    col::Int64Builder values(col::Int64());
    for (int64_t i = 0; i < 4000; ++i) ASSERT_OK(values.Append(i % period == 1 ? i - 1 : i));
    ASSERT_OK_AND_ASSIGN(auto array, values.Finish());
    ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatch::Make(schema, 4000, {array}));
    fs::MemoryFileSystem fs;
    WriterOptions options;
    options.dictionary_unique_prefix = 1000;
    ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", schema, options));
    ASSERT_OK(WriteInSlices(*writer, *batch));
    ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
    ASSERT_EQ(file.metadata.row_groups.size(), 1u);
    EXPECT_EQ(HasPlainDataPage(*file.metadata.row_groups[0].columns[0].meta_data), period == 200);
    ASSERT_OK_AND_ASSIGN(auto read, ReadTable(fs, "f.parquet"));
    ASSERT_EQ(read.size(), 1u);
    EXPECT_TRUE(read[0]->column(0)->Equals(*array));
  }
}

TEST(FileWriterTest, RejectsBadOptions) {
  fs::MemoryFileSystem fs;
  WriterOptions lz4;
  lz4.codec = CompressionCodec::kLz4;
  ASSERT_STATUS_CODE(kUnsupported, FileWriter::Open(fs, "f.parquet", TwoColumns(), lz4));
  WriterOptions level;
  level.codec = CompressionCodec::kZstd;
  level.compression_level = 99;
  ASSERT_STATUS_CODE(kInvalidArgument, FileWriter::Open(fs, "f.parquet", TwoColumns(), level));
  WriterOptions pages;
  pages.data_page_size = 0;
  ASSERT_STATUS_CODE(kInvalidArgument, FileWriter::Open(fs, "f.parquet", TwoColumns(), pages));
  WriterOptions page_rows;
  page_rows.data_page_row_limit = 0;
  ASSERT_STATUS_CODE(kInvalidArgument,
                     FileWriter::Open(fs, "f.parquet", TwoColumns(), page_rows));
  ASSERT_OK_AND_ASSIGN(bool exists, fs.Exists("f.parquet"));
  EXPECT_FALSE(exists);
}

TEST(FileWriterTest, AllNullAndAllNaNColumns) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({col::Field("n", col::String()),
                                   col::Field("d", col::Float64(), false),
                                   col::Field("l", col::List(col::Int32()))});
  ASSERT_OK_AND_ASSIGN(auto builder, col::RecordBatchBuilder::Make(schema));
  auto* lists = builder->GetFieldAs<col::ListBuilder>(2);
  for (int i = 0; i < 50; ++i) {
    ASSERT_OK(builder->GetField(0)->AppendNull());
    ASSERT_OK(builder->GetFieldAs<col::Float64Builder>(1)->Append(std::nan("")));
    if (i % 2 == 0) {
      ASSERT_OK(lists->AppendNull());
    } else {
      ASSERT_OK(lists->Append());
      ASSERT_OK(lists->value_builder_as<col::Int32Builder>()->Append(i));
      ASSERT_OK(lists->value_builder_as<col::Int32Builder>()->AppendNull());
    }
  }
  ASSERT_OK_AND_ASSIGN(auto batch, builder->Flush());
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", schema));
  ASSERT_OK(writer->WriteBatch(*batch));
  ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
  const RowGroup& rg = file.metadata.row_groups[0];

  const ColumnChunk& n = rg.columns[0];
  EXPECT_FALSE(n.meta_data->dictionary_page_offset.has_value());  // nothing to put in one
  EXPECT_EQ(n.meta_data->statistics->null_count, 50);
  EXPECT_FALSE(n.meta_data->statistics->min_value.has_value());
  ASSERT_TRUE(n.column_index_offset.has_value());
  ASSERT_OK_AND_ASSIGN(std::string bytes, fs.ReadFile("f.parquet"));
  ASSERT_OK_AND_ASSIGN(auto index, DeserializeThrift<ColumnIndex>(std::string_view(bytes).substr(
                                       *n.column_index_offset, *n.column_index_length)));
  EXPECT_EQ(index.value.null_pages, std::vector<bool>{true});
  EXPECT_EQ(index.value.min_values, std::vector<std::string>{""});
  EXPECT_FALSE(file.columns[0].min.has_value());
  EXPECT_EQ(file.columns[0].null_count, 50);

  // Only NaN: no bounds, and no ColumnIndex (TYPE_ORDER cannot describe the page).
  const ColumnChunk& d = rg.columns[1];
  EXPECT_EQ(d.meta_data->statistics->null_count, 0);
  EXPECT_FALSE(d.meta_data->statistics->min_value.has_value());
  EXPECT_FALSE(d.column_index_offset.has_value());
  EXPECT_TRUE(d.offset_index_offset.has_value());
  EXPECT_FALSE(file.columns[1].max.has_value());

  // List element: 25 null lists + 25 null elements, values 1, 3, ..., 49.
  EXPECT_EQ(file.columns[2].path, (std::vector<std::string>{"l", "element"}));
  EXPECT_EQ(file.columns[2].num_values, 75);
  EXPECT_EQ(file.columns[2].null_count, 50);
  EXPECT_EQ(file.columns[2].min, expr::Value::Int(1));
  EXPECT_EQ(file.columns[2].max, expr::Value::Int(49));
  CountPages(bytes, file.metadata);
}

TEST(FileWriterTest, RejectsABatchOfAnotherSchema) {
  fs::MemoryFileSystem fs;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", TwoColumns()));
  auto other = col::Schema::Make({col::Field("d", col::Float64(), false)});
  ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatch::Make(other, 1, {Doubles({1.0})}));
  ASSERT_STATUS_CODE(kInvalidArgument, writer->WriteBatch(*batch));
}

TEST(FileWriterTest, EmptyFileHasNoRowGroups) {
  fs::MemoryFileSystem fs;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, "f.parquet", TwoColumns()));
  ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
  EXPECT_EQ(file.num_rows, 0);
  EXPECT_TRUE(file.metadata.row_groups.empty());
  EXPECT_FALSE(file.columns[0].min.has_value());
  ASSERT_OK_AND_ASSIGN(std::string bytes, fs.ReadFile("f.parquet"));
  ASSERT_OK(ParseFileMetaData(bytes));
}

TEST(FileWriterTest, FileSystemErrorsAreReturnedAndLeaveNoFile) {
  auto schema = TwoColumns();
  for (fs::FsOp op :
       {fs::FsOp::kOpenWritable, fs::FsOp::kAppend, fs::FsOp::kSync, fs::FsOp::kClose}) {
    // Count the calls of a clean run, then fail each one in turn.
    int64_t calls = 0;
    {
      fs::MemoryFileSystem base;
      fs::FaultInjectionFileSystem probe(base);
      WriterOptions options;
      options.max_row_group_rows = 100;
      auto writer = FileWriter::Open(probe, "d/f.parquet", schema, options).ValueOrDie();
      auto batch = MakeBatch(schema, 0, 250).ValueOrDie();
      ASSERT_OK(writer->WriteBatch(*batch));
      ASSERT_OK(writer->Close());
      calls = probe.call_count(op);
    }
    ASSERT_GT(calls, 0);
    for (int64_t n = 1; n <= calls; ++n) {
      SCOPED_TRACE(std::string(fs::FsOpName(op)) + " #" + std::to_string(n));
      fs::MemoryFileSystem base;
      fs::FaultInjectionFileSystem faulty(base);
      faulty.FailNthCall(op, n);
      WriterOptions options;
      options.max_row_group_rows = 100;
      Status st = [&]() -> Status {
        SILT_ASSIGN_OR_RETURN(auto writer,
                              FileWriter::Open(faulty, "d/f.parquet", schema, options));
        SILT_ASSIGN_OR_RETURN(auto batch, MakeBatch(schema, 0, 250));
        Status write = writer->WriteBatch(*batch);
        if (!write.ok()) {
          // The writer stays failed.
          EXPECT_EQ(writer->Close().status().code(), write.code());
          return write;
        }
        return writer->Close().status();
      }();
      EXPECT_EQ(st.code(), StatusCode::kIOError) << st;
      EXPECT_NE(st.message().find("injected fault"), std::string::npos) << st;
      ASSERT_OK_AND_ASSIGN(bool exists, base.Exists("d/f.parquet"));
      EXPECT_FALSE(exists);
    }
  }
}

TEST(FileWriterTest, ClosedFileSurvivesACrash) {
  fs::MemoryFileSystem base;
  fs::FaultInjectionFileSystem faulty(base);
  auto schema = TwoColumns();
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(faulty, "d/f.parquet", schema));
  ASSERT_OK_AND_ASSIGN(auto batch, MakeBatch(schema, 0, 100));
  ASSERT_OK(writer->WriteBatch(*batch));
  ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
  ASSERT_OK(faulty.SimulateCrash());
  ASSERT_OK_AND_ASSIGN(std::string bytes, base.ReadFile("d/f.parquet"));
  EXPECT_EQ(static_cast<int64_t>(bytes.size()), file.file_size);
  ASSERT_OK(ParseFileMetaData(bytes));

  // An unclosed writer publishes nothing.
  ASSERT_OK_AND_ASSIGN(auto abandoned, FileWriter::Open(faulty, "d/g.parquet", schema));
  ASSERT_OK(abandoned->WriteBatch(*batch));
  abandoned.reset();
  ASSERT_OK_AND_ASSIGN(bool exists, base.Exists("d/g.parquet"));
  EXPECT_FALSE(exists);
}

}  // namespace
}  // namespace silt::parquet
