#include "silt/delta/write/data_writer.h"

#include <fmt/format.h>

#include <algorithm>

#include "silt/base/time.h"
#include "silt/base/uuid.h"
#include "silt/columnar/take.h"
#include "silt/delta/actions/path_encoding.h"
#include "silt/delta/scan/file_stats.h"
#include "silt/delta/scan/values.h"
#include "silt/delta/table/column_mapping_keys.h"
#include "silt/delta/table/schema.h"
#include "silt/delta/table/table_properties.h"
#include "silt/delta/write/partition_path.h"
#include "silt/delta/write/partitioner.h"

namespace silt::delta {

namespace col = silt::columnar;

namespace {

col::TypePtr PhysicalType(const col::TypePtr& type, ColumnMappingMode mode);

col::Field PhysicalField(const col::Field& field, ColumnMappingMode mode) {
  col::KeyValueMetadata metadata;
  if (mode != ColumnMappingMode::kNone) {
    if (auto id = field.metadata().Get(column_mapping_key::kId)) {
      metadata.Set(std::string(column_mapping_key::kId), std::string(*id));
    }
  }
  return col::Field(PhysicalName(field, mode), PhysicalType(field.type(), mode), field.nullable(),
                    std::move(metadata));
}

col::TypePtr PhysicalType(const col::TypePtr& type, ColumnMappingMode mode) {
  switch (type->id()) {
    case col::TypeId::kStruct: {
      std::vector<col::Field> fields;
      for (const col::Field& f : col::AsStruct(*type).fields()) {
        fields.push_back(PhysicalField(f, mode));
      }
      return col::Struct(std::move(fields));
    }
    case col::TypeId::kList: {
      const auto& l = col::AsList(*type);
      return col::List(PhysicalType(l.element_type(), mode), l.contains_null());
    }
    case col::TypeId::kMap: {
      const auto& m = col::AsMap(*type);
      return col::Map(PhysicalType(m.key_type(), mode), PhysicalType(m.value_type(), mode),
                      m.value_contains_null());
    }
    default:
      return type;
  }
}

std::string CodecSuffix(parquet::CompressionCodec codec) {
  switch (codec) {
    case parquet::CompressionCodec::kSnappy:
      return ".snappy";
    case parquet::CompressionCodec::kZstd:
      return ".zstd";
    case parquet::CompressionCodec::kGzip:
      return ".gz";
    case parquet::CompressionCodec::kLz4Raw:
      return ".lz4raw";
    default:
      return "";
  }
}

}  // namespace

col::SchemaPtr PhysicalDataSchema(const col::Schema& data_schema, ColumnMappingMode mode) {
  std::vector<col::Field> fields;
  for (const col::Field& f : data_schema.fields()) fields.push_back(PhysicalField(f, mode));
  return col::Schema::Make(std::move(fields));
}

Result<TableLayout> TableLayout::FromSnapshot(const Snapshot& snapshot) {
  TableLayout layout;
  layout.table_root = snapshot.table_root();
  layout.schema = snapshot.schema();
  layout.partition_columns = snapshot.partition_columns();
  layout.mapping_mode = snapshot.column_mapping_mode();
  layout.metadata = snapshot.metadata();
  return layout;
}

Result<TableLayout> TableLayout::FromActions(std::string table_root, const Protocol& protocol,
                                             const Metadata& metadata) {
  TableLayout layout;
  layout.table_root = std::move(table_root);
  SILT_ASSIGN_OR_RETURN(layout.schema, ParseSchemaString(metadata.schema_string));
  layout.partition_columns = metadata.partition_columns;
  SILT_ASSIGN_OR_RETURN(layout.mapping_mode, GetColumnMappingMode(protocol, metadata));
  layout.metadata = metadata;
  return layout;
}

struct DataFileWriter::OpenFile {
  std::string relative_path;  // unencoded, relative to the table root
  PartitionValues partition_values;
  std::unique_ptr<parquet::FileWriter> writer;
  std::unique_ptr<StatsCollector> stats;
  int64_t buffered = 0;     // writer->BufferedBytes() when last read
  uint64_t last_write = 0;  // write_clock_ at the last write
};

DataFileWriter::DataFileWriter(fs::FileSystem& fs, TableLayout layout, DataWriterOptions options)
    : fs_(fs), layout_(std::move(layout)), options_(std::move(options)) {}

DataFileWriter::~DataFileWriter() = default;

Result<std::unique_ptr<DataFileWriter>> DataFileWriter::Make(fs::FileSystem& fs, TableLayout layout,
                                                             DataWriterOptions options) {
  std::unique_ptr<DataFileWriter> w(new DataFileWriter(fs, std::move(layout), std::move(options)));
  SILT_RETURN_NOT_OK(w->Init());
  return w;
}

Status DataFileWriter::Init() {
  if (layout_.schema == nullptr) return Status::InvalidArgument("data writer: no table schema");
  if (options_.max_open_writers < 1 || options_.rows_per_chunk < 1 ||
      options_.max_buffered_bytes < 1) {
    return Status::InvalidArgument(
        "data writer: max_open_writers, max_buffered_bytes and rows_per_chunk must be >= 1 (got "
        "{}, {}, {})",
        options_.max_open_writers, options_.max_buffered_bytes, options_.rows_per_chunk);
  }
  if (options_.target_file_size.has_value()) {
    target_size_ = *options_.target_file_size;
  } else {
    SILT_ASSIGN_OR_RETURN(target_size_, GetIntProperty(layout_.metadata, kTargetFileSizeProperty,
                                                       kDefaultTargetFileSize));
  }
  if (target_size_ < 1) {
    return Status::InvalidArgument("target file size must be positive, got {}", target_size_);
  }
  options_.parquet.max_row_group_bytes =
      std::min(options_.parquet.max_row_group_bytes, target_size_);
  const col::Schema& schema = *layout_.schema;
  for (const std::string& p : layout_.partition_columns) {
    int i = schema.GetFieldIndex(p);
    if (i < 0) {
      return Status::InvalidArgument("partition column '{}' is not a column of the schema {}", p,
                                     schema.ToString());
    }
    partition_indexes_.push_back(i);
  }
  std::vector<col::Field> data_fields;
  for (int i = 0; i < schema.num_fields(); ++i) {
    if (std::find(partition_indexes_.begin(), partition_indexes_.end(), i) !=
        partition_indexes_.end()) {
      continue;
    }
    data_indexes_.push_back(i);
    data_fields.push_back(schema.field(i));
  }
  if (data_fields.empty()) {
    return Status::InvalidArgument("every column of {} is a partition column", schema.ToString());
  }
  data_schema_ = col::Schema::Make(std::move(data_fields));
  physical_schema_ = PhysicalDataSchema(*data_schema_, layout_.mapping_mode);
  if (options_.collect_stats) {
    SILT_ASSIGN_OR_RETURN(stats_leaves_,
                          SelectStatsLeaves(*data_schema_, layout_.mapping_mode, layout_.metadata));
  }
  return Status::OK();
}

int64_t DataFileWriter::NowMs() const {
  return options_.clock ? options_.clock() : silt::NowMillis();
}

Status DataFileWriter::Write(const col::RecordBatch& batch) {
  if (!failed_.ok()) return failed_;
  if (finished_) return Status::InvalidArgument("data writer: Write after Finish");
  const col::Schema& schema = *layout_.schema;
  if (batch.num_columns() != schema.num_fields()) {
    return failed_ = Status::InvalidArgument(
               "data writer: batch has {} columns, the table schema {} has {}", batch.num_columns(),
               schema.ToString(), schema.num_fields());
  }
  if (batch.num_rows() == 0) return Status::OK();
  // The data columns under the logical data schema (checks the types).
  std::vector<col::ArrayPtr> data_columns;
  for (int i : data_indexes_) data_columns.push_back(batch.column(i));
  Result<col::RecordBatchPtr> data =
      col::RecordBatch::Make(data_schema_, batch.num_rows(), std::move(data_columns));
  if (!data.ok()) {
    return failed_ = Status::InvalidArgument("data writer: batch does not match the table: {}",
                                             data.status().message());
  }
  if (partition_indexes_.empty()) {
    Status st = WriteToPartition({}, **data);
    if (!st.ok()) failed_ = st;
    num_rows_ += st.ok() ? batch.num_rows() : 0;
    return st;
  }
  std::vector<col::ArrayPtr> partition_columns;
  for (int i : partition_indexes_) partition_columns.push_back(batch.column(i));
  Result<BatchPartitions> partitions = PartitionRows(partition_columns, batch.num_rows());
  if (!partitions.ok()) return failed_ = partitions.status();
  const auto num_partitions = static_cast<uint32_t>(partitions->keys.size());
  // One pass over the rows copies each to its partition's batch (a gather per partition would
  // read the whole batch once per partition).
  std::vector<col::RecordBatchPtr> parts = {*data};
  if (num_partitions > 1) {
    Result<std::vector<col::RecordBatchPtr>> split =
        col::SplitRows(**data, partitions->partition_of_row, num_partitions);
    if (!split.ok()) return failed_ = split.status();
    parts = std::move(*split);
  }
  for (uint32_t p = 0; p < num_partitions; ++p) {
    Status st = WriteToPartition(partitions->keys[p], *parts[p]);
    parts[p].reset();
    if (!st.ok()) return failed_ = st;
  }
  num_rows_ += batch.num_rows();
  return Status::OK();
}

Result<DataFileWriter::OpenFile*> DataFileWriter::OpenFor(
    const std::vector<std::optional<std::string>>& key) {
  auto it = open_.find(key);
  if (it != open_.end()) return it->second.get();
  if (static_cast<int>(open_.size()) >= options_.max_open_writers) {
    // Close the least recently written file to stay under the cap: with input clustered by
    // partition it is one that is done; the largest would often be the one written next.
    auto oldest = open_.begin();
    for (auto i = open_.begin(); i != open_.end(); ++i) {
      if (i->second->last_write < oldest->second->last_write) oldest = i;
    }
    std::vector<std::optional<std::string>> oldest_key = oldest->first;
    SILT_RETURN_NOT_OK(CloseFile(oldest_key));
  }
  auto file = std::make_unique<OpenFile>();
  std::string dir = options_.directory;
  const col::Schema& schema = *layout_.schema;
  for (size_t p = 0; p < partition_indexes_.size(); ++p) {
    const col::Field& field = schema.field(partition_indexes_[p]);
    std::string physical = PhysicalName(field, layout_.mapping_mode);
    file->partition_values[physical] = key[p];
    std::string segment = PartitionPathSegment(field.name(), key[p], *field.type());
    dir = dir.empty() ? segment : dir + "/" + segment;
  }
  std::string name = fmt::format("{}-{:05d}-{}.c000{}.parquet", options_.file_prefix,
                                 file_counter_++, NewUuid(), CodecSuffix(options_.parquet.codec));
  file->relative_path = dir.empty() ? name : dir + "/" + name;
  SILT_ASSIGN_OR_RETURN(
      file->writer,
      parquet::FileWriter::Open(fs_, fs::JoinPath(layout_.table_root, file->relative_path),
                                physical_schema_, options_.parquet));
  if (options_.collect_stats) file->stats = std::make_unique<StatsCollector>(stats_leaves_);
  OpenFile* raw = file.get();
  open_.emplace(key, std::move(file));
  return raw;
}

Status DataFileWriter::WriteToPartition(const std::vector<std::optional<std::string>>& key,
                                        const col::RecordBatch& data) {
  int64_t offset = 0;
  while (offset < data.num_rows()) {
    int64_t n = std::min(options_.rows_per_chunk, data.num_rows() - offset);
    col::RecordBatchPtr chunk = data.Slice(offset, n);
    SILT_ASSIGN_OR_RETURN(OpenFile * file, OpenFor(key));
    SILT_ASSIGN_OR_RETURN(col::RecordBatchPtr physical, chunk->WithSchema(physical_schema_));
    SILT_RETURN_NOT_OK(file->writer->WriteBatch(*physical));
    if (file->stats) file->stats->Observe(*chunk);
    file->last_write = ++write_clock_;
    if (file->writer->EstimatedFileSize() >= target_size_) {
      SILT_RETURN_NOT_OK(CloseFile(key));
    } else {
      UpdateBuffered(*file);
      SILT_RETURN_NOT_OK(EnforceBufferBudget());
    }
    offset += n;
  }
  return Status::OK();
}

void DataFileWriter::UpdateBuffered(OpenFile& file) {
  const int64_t now = file.writer->BufferedBytes();
  buffered_total_ += now - file.buffered;
  file.buffered = now;
}

Status DataFileWriter::EnforceBufferBudget() {
  while (buffered_total_ > options_.max_buffered_bytes) {
    OpenFile* largest = nullptr;
    for (auto& [key, file] : open_) {
      if (largest == nullptr || file->buffered > largest->buffered) largest = file.get();
    }
    if (largest == nullptr) break;
    const int64_t before = largest->buffered;
    SILT_RETURN_NOT_OK(largest->writer->FlushRowGroup());
    UpdateBuffered(*largest);
    if (largest->buffered >= before) break;  // nothing left to free
  }
  return Status::OK();
}

Status DataFileWriter::CloseFile(const std::vector<std::optional<std::string>>& key) {
  auto it = open_.find(key);
  if (it == open_.end()) return Status::OK();
  std::unique_ptr<OpenFile> file = std::move(it->second);
  open_.erase(it);
  buffered_total_ -= file->buffered;
  SILT_ASSIGN_OR_RETURN(parquet::WrittenFile written, file->writer->Close());
  written_paths_.push_back(file->relative_path);
  Add add;
  add.path = EncodePath(file->relative_path);
  add.partition_values = std::move(file->partition_values);
  add.size = written.file_size;
  add.modification_time = NowMs();
  add.data_change = options_.data_change;
  if (file->stats) add.stats = file->stats->ToJson(written);
  adds_.push_back(std::move(add));
  return Status::OK();
}

Result<std::vector<Add>> DataFileWriter::Finish() {
  if (!failed_.ok()) return failed_;
  if (finished_) return Status::InvalidArgument("data writer: Finish called twice");
  while (!open_.empty()) {
    std::vector<std::optional<std::string>> key = open_.begin()->first;
    Status st = CloseFile(key);
    if (!st.ok()) return failed_ = st;
  }
  finished_ = true;
  return std::move(adds_);
}

void DataFileWriter::Abort() {
  open_.clear();  // abandons the unclosed files: nothing is published at their paths
  buffered_total_ = 0;
  for (const std::string& path : written_paths_) {
    fs_.DeleteFile(fs::JoinPath(layout_.table_root, path)).IgnoreError();
  }
  written_paths_.clear();
  adds_.clear();
  finished_ = true;
}

}  // namespace silt::delta
