#include "silt/delta/write/data_writer.h"

#include <gtest/gtest.h>

#include <set>

#include "silt/base/uuid.h"
#include "silt/columnar/from_json.h"
#include "silt/delta/actions/path_encoding.h"
#include "silt/fs/memory_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

namespace col = silt::columnar;

TableLayout Layout(col::SchemaPtr schema, std::vector<std::string> partitions = {},
                   ColumnMappingMode mode = ColumnMappingMode::kNone) {
  TableLayout layout;
  layout.table_root = "/t";
  layout.schema = std::move(schema);
  layout.partition_columns = std::move(partitions);
  layout.mapping_mode = mode;
  return layout;
}

TEST(DataFileWriterTest, PartitionFoldersAndValues) {
  fs::MemoryFileSystem fs;
  auto schema =
      col::Schema::Make({{"id", col::Int64()}, {"region", col::String()}, {"day", col::Date()}});
  ASSERT_OK_AND_ASSIGN(auto writer, DataFileWriter::Make(fs, Layout(schema, {"region", "day"})));
  ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatchFromJson(schema, R"([
    {"id": 1, "region": "US/East", "day": "2024-01-01"},
    {"id": 2, "region": null, "day": "2024-01-01"},
    {"id": 3, "region": "US/East", "day": "2024-01-01"},
    {"id": 4, "region": "a b", "day": null}
  ])"));
  ASSERT_OK(writer->Write(*batch));
  ASSERT_OK_AND_ASSIGN(std::vector<Add> adds, writer->Finish());
  ASSERT_EQ(adds.size(), 3u);
  std::map<std::string, const Add*> by_dir;
  for (const Add& a : adds) {
    ASSERT_OK_AND_ASSIGN(std::string decoded, DecodePath(a.path));
    by_dir[std::string(fs::ParentPath(decoded))] = &a;
    std::string name(fs::BaseName(decoded));
    EXPECT_EQ(name.size(), std::string("part-00000-").size() + 36 + 20) << name;
    EXPECT_EQ(name.substr(0, 5), "part-") << name;
    EXPECT_TRUE(IsUuid(name.substr(11, 36))) << name;
    EXPECT_EQ(name.substr(47), ".c000.snappy.parquet") << name;
    EXPECT_TRUE(a.data_change);
    ASSERT_OK_AND_ASSIGN(fs::FileInfo info, fs.GetFileInfo(fs::JoinPath("/t", decoded)));
    EXPECT_EQ(info.size, a.size);
  }
  ASSERT_EQ(by_dir.count("region=US%2FEast/day=2024-01-01"), 1u);
  ASSERT_EQ(by_dir.count("region=__HIVE_DEFAULT_PARTITION__/day=2024-01-01"), 1u);
  ASSERT_EQ(by_dir.count("region=a b/day=__HIVE_DEFAULT_PARTITION__"), 1u);
  const Add& us = *by_dir["region=US%2FEast/day=2024-01-01"];
  EXPECT_EQ(us.partition_values, (PartitionValues{{"region", "US/East"}, {"day", "2024-01-01"}}));
  // add.path is percent-encoded once more: the '%' of the escaped '/' becomes %25.
  EXPECT_EQ(us.path.substr(0, 32), "region=US%252FEast/day=2024-01-0");
  EXPECT_EQ(by_dir["region=a b/day=__HIVE_DEFAULT_PARTITION__"]->partition_values,
            (PartitionValues{{"region", "a b"}, {"day", std::nullopt}}));
  // Partition columns are not stored in the files; rows keep their order.
  ASSERT_OK_AND_ASSIGN(auto batches, parquet::ReadTable(fs, "/t/" + *DecodePath(us.path)));
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0]->schema()->ToString(), "struct<id:bigint>");
  EXPECT_EQ(batches[0]->column(0)->ToString(), "[1,3]");
  EXPECT_EQ(*us.stats,
            R"({"numRecords":2,"minValues":{"id":1},"maxValues":{"id":3},"nullCount":{"id":0},)"
            R"("tightBounds":true})");
}

TEST(DataFileWriterTest, RollsAtTargetSize) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({{"id", col::Int64()}, {"s", col::String()}});
  DataWriterOptions options;
  options.target_file_size = 20000;
  options.rows_per_chunk = 500;
  ASSERT_OK_AND_ASSIGN(auto writer, DataFileWriter::Make(fs, Layout(schema), options));
  col::Int64Builder ids(col::Int64());
  col::StringBuilder strings;
  for (int i = 0; i < 10000; ++i) {
    ASSERT_OK(ids.Append(i));
    ASSERT_OK(strings.Append("value-" + std::to_string(i * 7919 % 10007)));
  }
  ASSERT_OK_AND_ASSIGN(auto id_array, ids.Finish());
  ASSERT_OK_AND_ASSIGN(auto s_array, strings.Finish());
  ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatch::Make(schema, 10000, {id_array, s_array}));
  ASSERT_OK(writer->Write(*batch));
  ASSERT_OK_AND_ASSIGN(std::vector<Add> adds, writer->Finish());
  ASSERT_GT(adds.size(), 2u);
  int64_t rows = 0;
  std::set<std::string> paths;
  for (const Add& a : adds) {
    paths.insert(a.path);
    ASSERT_OK_AND_ASSIGN(auto batches, parquet::ReadTable(fs, "/t/" + a.path));
    for (const auto& b : batches) rows += b->num_rows();
  }
  EXPECT_EQ(paths.size(), adds.size());
  EXPECT_EQ(rows, 10000);
  EXPECT_EQ(writer->num_rows(), 10000);
}

TEST(DataFileWriterTest, CapsOpenWriters) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({{"id", col::Int64()}, {"p", col::Int32()}});
  DataWriterOptions options;
  options.max_open_writers = 2;
  ASSERT_OK_AND_ASSIGN(auto writer, DataFileWriter::Make(fs, Layout(schema, {"p"}), options));
  // Four partitions, revisited: with two writers open at most, some partitions get two files.
  for (int round = 0; round < 2; ++round) {
    ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatchFromJson(schema, R"([
      {"id": 1, "p": 1}, {"id": 2, "p": 2}, {"id": 3, "p": 3}, {"id": 4, "p": 4}])"));
    ASSERT_OK(writer->Write(*batch));
  }
  ASSERT_OK_AND_ASSIGN(std::vector<Add> adds, writer->Finish());
  EXPECT_GT(adds.size(), 4u);
  int64_t rows = 0;
  for (const Add& a : adds) {
    ASSERT_OK_AND_ASSIGN(auto batches, parquet::ReadTable(fs, "/t/" + a.path));
    for (const auto& b : batches) rows += b->num_rows();
  }
  EXPECT_EQ(rows, 8);
}

TEST(DataFileWriterTest, ColumnMappingPhysicalNamesAndFieldIds) {
  fs::MemoryFileSystem fs;
  auto meta = [](int id, std::string name) {
    return col::KeyValueMetadata{{"delta.columnMapping.id", std::to_string(id)},
                                 {"delta.columnMapping.physicalName", "\"" + name + "\""},
                                 {"comment", "\"doc\""}};
  };
  auto schema = col::Schema::Make({
      col::Field("id", col::Int64(), true, meta(1, "col-1")),
      col::Field("s", col::Struct({col::Field("x", col::Int32(), true, meta(3, "col-3"))}), true,
                 meta(2, "col-2")),
      col::Field("p", col::String(), true, meta(4, "col-4")),
  });
  ASSERT_OK_AND_ASSIGN(auto writer,
                       DataFileWriter::Make(fs, Layout(schema, {"p"}, ColumnMappingMode::kId)));
  ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatchFromJson(schema, R"([
    {"id": 1, "s": {"x": 2}, "p": "a"}])"));
  ASSERT_OK(writer->Write(*batch));
  ASSERT_OK_AND_ASSIGN(std::vector<Add> adds, writer->Finish());
  ASSERT_EQ(adds.size(), 1u);
  // Partition values are keyed by physical name; the folder uses the logical name.
  EXPECT_EQ(adds[0].partition_values, (PartitionValues{{"col-4", "a"}}));
  EXPECT_EQ(adds[0].path.substr(0, 4), "p=a/");
  ASSERT_OK_AND_ASSIGN(auto reader, parquet::FileReader::Open(fs, "/t/" + adds[0].path));
  const col::Schema& file_schema = *reader->schema();
  ASSERT_EQ(file_schema.num_fields(), 2);
  EXPECT_EQ(file_schema.field(0).name(), "col-1");
  EXPECT_EQ(file_schema.field(0).metadata().Get("parquet.field.id"), "1");
  EXPECT_EQ(file_schema.field(1).name(), "col-2");
  const col::Field& x = col::AsStruct(*file_schema.field(1).type()).field(0);
  EXPECT_EQ(x.name(), "col-3");
  EXPECT_EQ(x.metadata().Get("parquet.field.id"), "3");
}

TEST(DataFileWriterTest, Errors) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({{"id", col::Int64()}, {"p", col::Int32()}});
  ASSERT_STATUS_CODE(kInvalidArgument, DataFileWriter::Make(fs, Layout(schema, {"nope"})));
  ASSERT_STATUS_CODE(kInvalidArgument, DataFileWriter::Make(fs, Layout(schema, {"id", "p"})));
  ASSERT_OK_AND_ASSIGN(auto writer, DataFileWriter::Make(fs, Layout(schema)));
  auto other = col::Schema::Make({{"id", col::String()}, {"p", col::Int32()}});
  ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatchFromJson(other, R"([{"id": "x", "p": 1}])"));
  ASSERT_STATUS_CODE(kInvalidArgument, writer->Write(*batch));
}

TEST(DataFileWriterTest, AbortDeletesClosedFiles) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({{"id", col::Int64()}, {"p", col::Int32()}});
  DataWriterOptions options;
  options.max_open_writers = 1;
  ASSERT_OK_AND_ASSIGN(auto writer, DataFileWriter::Make(fs, Layout(schema, {"p"}), options));
  ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatchFromJson(schema, R"([
    {"id": 1, "p": 1}, {"id": 2, "p": 2}, {"id": 3, "p": 3}])"));
  ASSERT_OK(writer->Write(*batch));
  ASSERT_EQ(writer->written_paths().size(), 2u);
  writer->Abort();
  ASSERT_OK_AND_ASSIGN(auto files, fs.List("/t", fs::ListOptions{"", "", true}));
  EXPECT_TRUE(files.empty());
}

// Rows per file and per partition ("p" values) of the adds, reading the files back.
struct FileRows {
  std::string partition;
  std::vector<int64_t> ids;
  int row_groups = 0;
};
std::vector<FileRows> ReadFiles(fs::FileSystem& fs, const std::vector<Add>& adds) {
  std::vector<FileRows> files;
  for (const Add& a : adds) {
    FileRows f;
    f.partition = a.partition_values.at("p").value_or("null");
    const std::string path = "/t/" + DecodePath(a.path).ValueOrDie();
    auto reader = parquet::FileReader::Open(fs, path).ValueOrDie();
    f.row_groups = reader->num_row_groups();
    for (const auto& b : parquet::ReadTable(fs, path).ValueOrDie()) {
      const auto& ids = static_cast<const col::Int64Array&>(*b->column(0));
      for (int64_t i = 0; i < ids.length(); ++i) f.ids.push_back(ids.Value(i));
    }
    files.push_back(std::move(f));
  }
  return files;
}

// `rounds` batches of 20 partitions interleaved row by row: row r of round k has id
// k * 100 + r and partition r % 20.
std::vector<col::RecordBatchPtr> InterleavedBatches(const col::SchemaPtr& schema, int rounds,
                                                    int rows_per_round) {
  std::vector<col::RecordBatchPtr> batches;
  for (int k = 0; k < rounds; ++k) {
    col::Int64Builder ids(col::Int64());
    col::Int32Builder parts(col::Int32());
    for (int r = 0; r < rows_per_round; ++r) {
      EXPECT_OK(ids.Append(k * 100 + r));
      EXPECT_OK(parts.Append(r % 20));
    }
    batches.push_back(
        col::RecordBatch::Make(schema, rows_per_round,
                               {ids.Finish().ValueOrDie(), parts.Finish().ValueOrDie()})
            .ValueOrDie());
  }
  return batches;
}

TEST(DataFileWriterTest, InterleavedPartitionsUnderTheCapGetOneFileEach) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({{"id", col::Int64()}, {"p", col::Int32()}});
  DataWriterOptions options;
  options.max_open_writers = 20;
  ASSERT_OK_AND_ASSIGN(auto writer, DataFileWriter::Make(fs, Layout(schema, {"p"}), options));
  for (const auto& b : InterleavedBatches(schema, 3, 60)) ASSERT_OK(writer->Write(*b));
  ASSERT_OK_AND_ASSIGN(std::vector<Add> adds, writer->Finish());
  ASSERT_EQ(adds.size(), 20u);
  std::set<std::string> partitions;
  for (const FileRows& f : ReadFiles(fs, adds)) {
    partitions.insert(f.partition);
    const int p = std::stoi(f.partition);
    // Three rows per round, in input order.
    std::vector<int64_t> expected;
    for (int k = 0; k < 3; ++k) {
      for (int r = p; r < 60; r += 20) expected.push_back(k * 100 + r);
    }
    EXPECT_EQ(f.ids, expected) << f.partition;
    EXPECT_EQ(f.row_groups, 1);
  }
  EXPECT_EQ(partitions.size(), 20u);
}

TEST(DataFileWriterTest, InterleavedPartitionsOverTheCapCloseTheLeastRecentlyWritten) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({{"id", col::Int64()}, {"p", col::Int32()}});
  DataWriterOptions options;
  options.max_open_writers = 19;
  ASSERT_OK_AND_ASSIGN(auto writer, DataFileWriter::Make(fs, Layout(schema, {"p"}), options));
  for (const auto& b : InterleavedBatches(schema, 3, 40)) ASSERT_OK(writer->Write(*b));
  ASSERT_OK_AND_ASSIGN(std::vector<Add> adds, writer->Finish());
  // Each batch writes the partitions in the order 0..19 and each one evicts the partition
  // written longest ago, which is the next one needed: one file per partition per batch.
  ASSERT_EQ(adds.size(), 60u);
  int64_t rows = 0;
  for (const FileRows& f : ReadFiles(fs, adds)) {
    EXPECT_EQ(f.ids.size(), 2u) << f.partition;
    rows += static_cast<int64_t>(f.ids.size());
  }
  EXPECT_EQ(rows, 120);
}

TEST(DataFileWriterTest, CapKeepsTheRecentlyWrittenPartitionOpen) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({{"id", col::Int64()}, {"p", col::Int32()}});
  DataWriterOptions options;
  options.max_open_writers = 2;
  ASSERT_OK_AND_ASSIGN(auto writer, DataFileWriter::Make(fs, Layout(schema, {"p"}), options));
  // Partition 1 is big and written again just before partition 3 needs a writer: partition 2
  // (written least recently) is the one closed, so partition 1 stays in one file.
  for (const char* json :
       {R"([{"id": 1, "p": 1}, {"id": 2, "p": 1}, {"id": 3, "p": 1}])", R"([{"id": 4, "p": 2}])",
        R"([{"id": 5, "p": 1}])", R"([{"id": 6, "p": 3}])", R"([{"id": 7, "p": 1}])"}) {
    ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatchFromJson(schema, json));
    ASSERT_OK(writer->Write(*batch));
  }
  ASSERT_OK_AND_ASSIGN(std::vector<Add> adds, writer->Finish());
  ASSERT_EQ(adds.size(), 3u);
  std::map<std::string, std::vector<int64_t>> by_partition;
  for (const FileRows& f : ReadFiles(fs, adds)) by_partition[f.partition] = f.ids;
  EXPECT_EQ(by_partition["1"], (std::vector<int64_t>{1, 2, 3, 5, 7}));
  EXPECT_EQ(by_partition["2"], (std::vector<int64_t>{4}));
  EXPECT_EQ(by_partition["3"], (std::vector<int64_t>{6}));
}

TEST(DataFileWriterTest, BufferBudgetFlushesRowGroupsAndKeepsFilesOpen) {
  auto schema = col::Schema::Make({{"id", col::Int64()}, {"p", col::Int32()}});
  auto write = [&](int64_t budget, fs::MemoryFileSystem& fs) {
    DataWriterOptions options;
    options.max_buffered_bytes = budget;
    options.rows_per_chunk = 100;
    auto writer = DataFileWriter::Make(fs, Layout(schema, {"p"}), options).ValueOrDie();
    for (const auto& b : InterleavedBatches(schema, 10, 2000)) EXPECT_OK(writer->Write(*b));
    return writer->Finish().ValueOrDie();
  };
  // 20,000 rows in 20 partitions, 1,000 per file.
  fs::MemoryFileSystem roomy_fs;
  std::vector<Add> roomy = write(int64_t{1} << 30, roomy_fs);
  ASSERT_EQ(roomy.size(), 20u);
  for (const FileRows& f : ReadFiles(roomy_fs, roomy)) {
    EXPECT_EQ(f.row_groups, 1) << f.partition;
    EXPECT_EQ(f.ids.size(), 1000u);
  }
  // A 4 KB budget for all 20 files: row groups are flushed early, every file stays open.
  fs::MemoryFileSystem tight_fs;
  std::vector<Add> tight = write(4 << 10, tight_fs);
  ASSERT_EQ(tight.size(), 20u);
  int total_row_groups = 0;
  for (const FileRows& f : ReadFiles(tight_fs, tight)) {
    EXPECT_GT(f.row_groups, 1) << f.partition;
    total_row_groups += f.row_groups;
    std::vector<int64_t> expected;
    const int p = std::stoi(f.partition);
    for (int k = 0; k < 10; ++k) {
      for (int r = p; r < 2000; r += 20) expected.push_back(k * 100 + r);
    }
    EXPECT_EQ(f.ids, expected) << f.partition;
  }
  EXPECT_GE(total_row_groups, 60);
}

TEST(DataFileWriterTest, BadOptions) {
  fs::MemoryFileSystem fs;
  auto schema = col::Schema::Make({{"id", col::Int64()}, {"p", col::Int32()}});
  DataWriterOptions options;
  options.max_buffered_bytes = 0;
  ASSERT_STATUS_CODE(kInvalidArgument, DataFileWriter::Make(fs, Layout(schema, {"p"}), options));
  options = {};
  options.max_open_writers = 0;
  ASSERT_STATUS_CODE(kInvalidArgument, DataFileWriter::Make(fs, Layout(schema, {"p"}), options));
}

}  // namespace
}  // namespace silt::delta
