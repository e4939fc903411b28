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

}  // namespace
}  // namespace silt::delta
