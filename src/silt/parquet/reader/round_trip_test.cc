// Round trips through our FileWriter: every columnar type, nested and nulls, several codecs,
// dictionary on and off, page and row-group sizes; values compared with Array::Equals. Also
// projection (by name, by field id, absent columns) and field id metadata.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "silt/fs/memory_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/writer/file_writer.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

namespace col = silt::columnar;

col::SchemaPtr AllTypes() {
  using col::Field;
  return col::Schema::Make({
      Field("b", col::Boolean()),
      Field("i8", col::Int8()),
      Field("i16", col::Int16()),
      Field("i32", col::Int32(), false),
      Field("i64", col::Int64(), true, {{"parquet.field.id", "42"}}),
      Field("f", col::Float32()),
      Field("d", col::Float64()),
      Field("dec9", col::Decimal(9, 2)),
      Field("dec18", col::Decimal(18, 3)),
      Field("dec38", col::Decimal(38, 10)),
      Field("s", col::String()),
      Field("bin", col::Binary()),
      Field("dt", col::Date()),
      Field("ts", col::Timestamp()),
      Field("tsn", col::TimestampNtz()),
      Field("st",
            col::Struct({Field("a", col::Int32(), false), Field("b", col::List(col::String()))})),
      Field("l", col::List(col::Int64(), false)),
      Field("ll", col::List(col::List(col::Int32()))),
      Field("m", col::Map(col::String(), col::Struct({Field("x", col::Float64())}))),
      Field("lm", col::List(col::Map(col::Int32(), col::String()))),
      Field("req_st", col::Struct({Field("q", col::String(), false)}), false),
  });
}

std::string Row(int64_t i) {
  auto maybe = [&](int every, const std::string& v) {
    return i % every == 0 ? std::string("null") : v;
  };
  std::string r = "{";
  r += fmt::format("\"b\":{},", maybe(3, i % 2 ? "true" : "false"));
  r += fmt::format("\"i8\":{},", maybe(5, std::to_string(i % 200 - 100)));
  r += fmt::format("\"i16\":{},", maybe(7, std::to_string(i * 31 % 60000 - 30000)));
  r += fmt::format("\"i32\":{},", i * 7919 - 100000);
  r += fmt::format("\"i64\":{},", maybe(4, std::to_string(i * 1000000007LL - (1LL << 40))));
  r += fmt::format("\"f\":{},", maybe(6, i % 17 == 1 ? "\"NaN\"" : std::to_string(i * 0.25)));
  r += fmt::format("\"d\":{},", maybe(8, std::to_string(i * -1.5)));
  r += fmt::format("\"dec9\":{},", maybe(9, fmt::format("\"{}.{:02}\"", i % 1000 - 500, i % 100)));
  r += fmt::format("\"dec18\":{},", maybe(10, fmt::format("\"-{}.{:03}\"", i * 99991, i % 1000)));
  r += fmt::format("\"dec38\":{},",
                   maybe(11, fmt::format("\"{}123456789012345678.{:010}\"", i, i * 7)));
  r += fmt::format("\"s\":{},", maybe(4, fmt::format("\"str {} é\"", i % 23)));
  r += fmt::format("\"bin\":{},", maybe(5, i % 2 ? "\"AAEC\"" : "\"\""));
  r += fmt::format("\"dt\":{},", maybe(12, std::to_string(i * 3 - 1000)));
  r += fmt::format("\"ts\":{},", maybe(13, std::to_string(i * 1234567891LL - 5)));
  r += fmt::format("\"tsn\":{},", maybe(14, std::to_string(i * 86400000000LL)));
  r += fmt::format("\"st\":{},",
                   maybe(3, fmt::format("{{\"a\":{},\"b\":{}}}", i,
                                        i % 4 == 1   ? "null"
                                        : i % 4 == 2 ? "[]"
                                                     : fmt::format("[\"x{}\",null,\"y\"]", i))));
  r += fmt::format("\"l\":{},", maybe(5, i % 3 == 0 ? "[]" : fmt::format("[{},{}]", i, -i)));
  r += fmt::format("\"ll\":{},",
                   maybe(7, i % 3 == 0 ? "[[],null,[1,null,3]]" : fmt::format("[[{}]]", i)));
  r += fmt::format(
      "\"m\":{},",
      maybe(4, i % 3 == 0 ? "{}" : fmt::format("{{\"k{}\":{{\"x\":{}}},\"z\":null}}", i, i * 0.5)));
  r += fmt::format("\"lm\":{},",
                   maybe(6, fmt::format("[{{\"{}\":\"v\",\"2000000\":null}},null,{{}}]", i)));
  r += fmt::format("\"req_st\":{{\"q\":\"q{}\"}}", i);
  r += "}";
  return r;
}

col::RecordBatchPtr MakeRows(const col::SchemaPtr& schema, int64_t first, int64_t n) {
  std::string json = "[";
  for (int64_t i = first; i < first + n; ++i) {
    if (i > first) json += ",";
    json += Row(i);
  }
  json += "]";
  return col::RecordBatchFromJson(schema, json).ValueOrDie();
}

struct Config {
  CompressionCodec codec;
  bool dictionary;
  int64_t page_size;
  int64_t row_group_rows;
  int64_t batch_size;
};

class RoundTripTest : public ::testing::TestWithParam<Config> {};

TEST_P(RoundTripTest, AllTypes) {
  const Config& c = GetParam();
  auto schema = AllTypes();
  const int64_t rows = 1000;
  auto expected = MakeRows(schema, 0, rows);
  ASSERT_OK(expected->Validate());
  fs::MemoryFileSystem fs;
  WriterOptions wo;
  wo.codec = c.codec;
  wo.dictionary_enabled = c.dictionary;
  wo.data_page_size = c.page_size;
  wo.max_row_group_rows = c.row_group_rows;
  ASSERT_OK_AND_ASSIGN(auto w, FileWriter::Open(fs, "t/f.parquet", schema, wo));
  // Several batches of different sizes.
  ASSERT_OK(w->WriteBatch(*expected->Slice(0, 1)));
  ASSERT_OK(w->WriteBatch(*expected->Slice(1, 600)));
  ASSERT_OK(w->WriteBatch(*expected->Slice(601)));
  ASSERT_OK(w->Close());

  ReadOptions options;
  options.batch_size = c.batch_size;
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(fs, "t/f.parquet", options));
  EXPECT_EQ(reader->num_rows(), rows);
  EXPECT_TRUE(reader->schema()->Equals(*schema, /*check_metadata=*/false))
      << reader->schema()->ToString();
  EXPECT_EQ(reader->schema()->field(4).metadata().Get("parquet.field.id"), "42");
  int64_t offset = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto batch, reader->Next());
    if (!batch) break;
    ASSERT_LE((*batch)->num_rows(), c.batch_size);
    ASSERT_LE((*batch)->num_rows(), c.row_group_rows);  // batches never span row groups
    auto want = expected->Slice(offset, (*batch)->num_rows());
    for (int i = 0; i < want->num_columns(); ++i) {
      ASSERT_TRUE((*batch)->column(i)->Equals(*want->column(i)))
          << schema->field(i).name() << " at row " << offset << ":\n got "
          << (*batch)->column(i)->ToString().substr(0, 500) << "\nwant "
          << want->column(i)->ToString().substr(0, 500);
    }
    offset += (*batch)->num_rows();
  }
  EXPECT_EQ(offset, rows);
}

INSTANTIATE_TEST_SUITE_P(
    Configs, RoundTripTest,
    ::testing::Values(Config{CompressionCodec::kSnappy, true, 1 << 20, 1 << 20, 1 << 20},
                      Config{CompressionCodec::kZstd, false, 200, 300, 128},
                      Config{CompressionCodec::kGzip, true, 64, 1000, 1000},
                      Config{CompressionCodec::kUncompressed, false, 1 << 20, 7, 5},
                      Config{CompressionCodec::kLz4Raw, true, 1000, 999, 333}));

// Groups null in every row of a batch are built as nulls without assembling their leaves;
// batches of 10 here are all-null, all-null below a set struct, or mixed.
TEST(FileReaderTest, GroupsNullInEveryRowOfABatch) {
  using col::Field;
  auto schema = col::Schema::Make({
      Field("st", col::Struct({Field("a", col::Int32()),
                               Field("m", col::Map(col::String(), col::String())),
                               Field("l", col::List(col::Int64())),
                               Field("req", col::Struct({Field("q", col::Int32())}), false)})),
      Field("ls", col::List(col::Struct({Field("x", col::Int32())}))),
      Field("n", col::Int64(), false),
  });
  std::string json = "[";
  for (int i = 0; i < 60; ++i) {
    if (i > 0) json += ",";
    std::string st = "null";
    if (i >= 20 && i < 40) {
      st = fmt::format(R"({{"a":{},"m":null,"l":null,"req":{{"q":null}}}})", i);
    } else if (i >= 40) {
      st = fmt::format(R"({{"a":null,"m":{{"k":"v{}"}},"l":[{},null],"req":{{"q":{}}}}})", i, i,
                       i);
    }
    const std::string ls = i < 30 ? "null" : i % 2 ? "[null,{\"x\":null}]" : "[]";
    json += fmt::format(R"({{"st":{},"ls":{},"n":{}}})", st, ls, i);
  }
  json += "]";
  ASSERT_OK_AND_ASSIGN(auto expected, col::RecordBatchFromJson(schema, json));
  fs::MemoryFileSystem fs;
  ASSERT_OK_AND_ASSIGN(auto w, FileWriter::Open(fs, "g.parquet", schema));
  ASSERT_OK(w->WriteBatch(*expected));
  ASSERT_OK(w->Close());
  ReadOptions options;
  options.batch_size = 10;
  ASSERT_OK_AND_ASSIGN(auto batches, ReadTable(fs, "g.parquet", options));
  ASSERT_EQ(batches.size(), 6u);
  for (size_t b = 0; b < batches.size(); ++b) {
    ASSERT_OK(batches[b]->Validate());
    auto want = expected->Slice(static_cast<int64_t>(b) * 10, 10);
    for (int c = 0; c < want->num_columns(); ++c) {
      EXPECT_TRUE(batches[b]->column(c)->Equals(*want->column(c)))
          << "batch " << b << " column " << schema->field(c).name() << "\n got "
          << batches[b]->column(c)->ToString() << "\nwant " << want->column(c)->ToString();
    }
  }
  EXPECT_EQ(batches[0]->column(0)->null_count(), 10);
  EXPECT_EQ(batches[2]->column(0)->null_count(), 0);
}

class ProjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = AllTypes();
    batch_ = MakeRows(schema_, 0, 50);
    ASSERT_OK_AND_ASSIGN(auto w, FileWriter::Open(fs_, "p.parquet", schema_));
    ASSERT_OK(w->WriteBatch(*batch_));
    ASSERT_OK(w->Close());
  }
  fs::MemoryFileSystem fs_;
  col::SchemaPtr schema_;
  col::RecordBatchPtr batch_;
};

TEST_F(ProjectionTest, ByNameInRequestedOrder) {
  ReadOptions options;
  options.columns = ReadOptions::Names({"m", "i32"});
  ASSERT_OK_AND_ASSIGN(auto batches, ReadTable(fs_, "p.parquet", options));
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0]->schema()->ToString(), "struct<m:map<string,struct<x:double>>,i32:int>");
  EXPECT_TRUE(batches[0]->column(0)->Equals(*batch_->GetColumnByName("m")));
  EXPECT_TRUE(batches[0]->column(1)->Equals(*batch_->GetColumnByName("i32")));
}

TEST_F(ProjectionTest, ByFieldIdRenamesAndMissingColumnsAreNull) {
  ReadOptions options;
  options.columns = std::vector<ColumnSelection>{
      {"logical_name", 42, nullptr, {}},
      {"absent_by_id", 7, col::Int32(), {}},
      {"absent_by_name", std::nullopt, col::List(col::String()), {}},
  };
  ASSERT_OK_AND_ASSIGN(auto batches, ReadTable(fs_, "p.parquet", options));
  ASSERT_EQ(batches.size(), 1u);
  const auto& b = batches[0];
  EXPECT_EQ(b->schema()->ToString(),
            "struct<logical_name:bigint,absent_by_id:int,absent_by_name:array<string>>");
  EXPECT_TRUE(b->column(0)->Equals(*batch_->GetColumnByName("i64")));
  EXPECT_EQ(b->column(1)->null_count(), 50);
  EXPECT_EQ(b->column(2)->null_count(), 50);
  EXPECT_EQ(b->schema()->field(1).metadata().Get("parquet.field.id"), "7");
}

TEST_F(ProjectionTest, MissingColumnWithoutTypeIsNotFound) {
  ReadOptions options;
  options.columns = ReadOptions::Names({"nope"});
  EXPECT_STATUS_CODE(kNotFound, FileReader::Open(fs_, "p.parquet", options));
  options.columns = std::vector<ColumnSelection>{{"", 99, nullptr, {}}};
  EXPECT_STATUS_CODE(kNotFound, FileReader::Open(fs_, "p.parquet", options));
}

TEST_F(ProjectionTest, EmptyProjectionStillCountsRows) {
  ReadOptions options;
  options.columns = std::vector<ColumnSelection>{};
  ASSERT_OK_AND_ASSIGN(auto batches, ReadTable(fs_, "p.parquet", options));
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0]->num_rows(), 50);
  EXPECT_EQ(batches[0]->num_columns(), 0);
}

TEST(FileReaderTest, EmptyFileHasNoBatches) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({col::Field("a", col::Int32())});
  ASSERT_OK_AND_ASSIGN(auto w, FileWriter::Open(fs, "e.parquet", schema));
  ASSERT_OK(w->Close());
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(fs, "e.parquet"));
  EXPECT_EQ(reader->num_rows(), 0);
  ASSERT_OK_AND_ASSIGN(auto next, reader->Next());
  EXPECT_FALSE(next.has_value());
}

TEST(FileReaderTest, BadOptionsAndMissingFile) {
  fs::MemoryFileSystem fs;
  EXPECT_STATUS_CODE(kNotFound, FileReader::Open(fs, "missing.parquet"));
  ReadOptions options;
  options.batch_size = 0;
  EXPECT_STATUS_CODE(kInvalidArgument, FileReader::Open(fs, "missing.parquet", options));
}

}  // namespace
}  // namespace silt::parquet
