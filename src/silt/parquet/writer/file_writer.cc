#include "silt/parquet/writer/file_writer.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "silt/base/version.h"
#include "silt/parquet/file_metadata.h"
#include "silt/parquet/writer/column_writer.h"
#include "silt/parquet/writer/level_builder.h"
#include "silt/parquet/writer/writer_schema.h"

namespace silt::parquet {

namespace {
// Rows shredded at a time: bounds the level buffers of one WriteBatch call.
constexpr int64_t kRowsPerStep = 64 * 1024;
constexpr int64_t kMinRowsPerStep = 16;
constexpr int64_t kFirstRowsPerStep = 64;  // before the size of a row is known
}  // namespace

struct FileWriter::Impl {
  fs::FileSystem* fs = nullptr;
  columnar::SchemaPtr schema;
  WriterOptions options;
  writer::WriterSchema wschema;
  std::unique_ptr<fs::WritableFile> file;
  std::vector<std::unique_ptr<writer::ColumnChunkWriter>> columns;
  std::vector<RowGroup> row_groups;
  int64_t group_rows = 0;
  int64_t bytes_per_row = 0;
  // Page index of every chunk written, row group by row group.
  std::vector<std::optional<ColumnIndex>> column_indexes;
  std::vector<OffsetIndex> offset_indexes;  // estimate from the rows written so far (0: unknown)
  writer::ShredScratch scratch;
  writer::LeafLevels levels;
  Status error;
  bool closed = false;
};

FileWriter::FileWriter(std::string path, std::unique_ptr<Impl> impl)
    : path_(std::move(path)), impl_(std::move(impl)) {}

FileWriter::~FileWriter() = default;  // an unclosed WritableFile is abandoned by its destructor

Status FileWriter::Fail(Status status) {
  if (impl_->error.ok()) impl_->error = status;
  impl_->file.reset();  // abandon: nothing is published at the path
  return status;
}

Result<std::unique_ptr<FileWriter>> FileWriter::Open(fs::FileSystem& fs, std::string path,
                                                     columnar::SchemaPtr schema,
                                                     WriterOptions options) {
  if (schema == nullptr) return Status::InvalidArgument("parquet writer: schema is null");
  if (options.data_page_size <= 0 || options.data_page_row_limit <= 0 ||
      options.max_row_group_rows <= 0 || options.max_row_group_bytes <= 0 ||
      options.dictionary_page_size_limit < 0) {
    return Status::InvalidArgument(
        "parquet writer: page size, row group limits must be positive (got data_page_size {}, "
        "data_page_row_limit {}, max_row_group_rows {}, max_row_group_bytes {}, "
        "dictionary_page_size_limit {})",
        options.data_page_size, options.data_page_row_limit, options.max_row_group_rows,
        options.max_row_group_bytes, options.dictionary_page_size_limit);
  }
  if (options.dictionary_unique_prefix < 0) {
    return Status::InvalidArgument("parquet writer: dictionary_unique_prefix must be >= 0, got {}",
                                   options.dictionary_unique_prefix);
  }
  if (options.codec == CompressionCodec::kLz4) {
    return Status::Unsupported(
        "parquet writer: the deprecated LZ4 codec is not written (readers disagree on its "
        "framing); use LZ4_RAW");
  }
  auto impl = std::make_unique<Impl>();
  impl->fs = &fs;
  impl->schema = schema;
  impl->options = std::move(options);
  SILT_ASSIGN_OR_RETURN(impl->wschema, writer::ToParquetSchema(*schema));
  writer::ColumnWriterOptions column_options;
  column_options.codec = impl->options.codec;
  column_options.compression_level = impl->options.compression_level;
  column_options.dictionary_enabled = impl->options.dictionary_enabled;
  column_options.dictionary_page_size_limit = impl->options.dictionary_page_size_limit;
  column_options.dictionary_unique_prefix = impl->options.dictionary_unique_prefix;
  column_options.data_page_size = impl->options.data_page_size;
  column_options.data_page_row_limit = impl->options.data_page_row_limit;
  column_options.page_checksum = impl->options.page_checksum;
  column_options.max_statistics_size = impl->options.max_statistics_size;
  for (const writer::LeafDescriptor& leaf : impl->wschema.leaves) {
    SILT_ASSIGN_OR_RETURN(auto column, writer::ColumnChunkWriter::Make(leaf, column_options));
    impl->columns.push_back(std::move(column));
  }
  SILT_ASSIGN_OR_RETURN(impl->file, fs.OpenWritable(path, impl->options.write_options));
  SILT_RETURN_NOT_OK(impl->file->Append(kParquetMagic));
  return std::unique_ptr<FileWriter>(new FileWriter(std::move(path), std::move(impl)));
}

Status FileWriter::WriteBatch(const columnar::RecordBatch& batch) {
  Impl& s = *impl_;
  if (!s.error.ok()) return s.error;
  if (s.closed) return Status::InvalidArgument("parquet writer '{}': already closed", path_);
  if (!batch.schema()->Equals(*s.schema, /*check_metadata=*/false)) {
    return Status::InvalidArgument("parquet writer '{}': batch schema {} does not match {}",
                                   path_, batch.schema()->ToString(), s.schema->ToString());
  }
  const int64_t n = batch.num_rows();
  int64_t offset = 0;
  while (offset < n) {
    // Rows per step: bounded so that the row group's byte limit is checked often enough, from
    // the bytes a row has cost so far in this row group.
    int64_t bytes = 0;
    for (const auto& c : s.columns) bytes += c->EstimatedChunkBytes();
    int64_t step = kFirstRowsPerStep;
    if (s.bytes_per_row > 0) {
      step = std::clamp<int64_t>((s.options.max_row_group_bytes - bytes) / s.bytes_per_row + 1,
                                 kMinRowsPerStep, kRowsPerStep);
    }
    const int64_t take = std::min({n - offset, step,
                                   s.options.max_row_group_rows - s.group_rows});
    for (size_t i = 0; i < s.columns.size(); ++i) {
      const writer::LeafDescriptor& leaf = s.wschema.leaves[i];
      columnar::ArrayPtr column = batch.column(leaf.top_level_field)->Slice(offset, take);
      Status st = writer::ShredLeaf(leaf, column, &s.scratch, &s.levels);
      if (st.ok()) st = s.columns[i]->Write(s.levels);
      if (!st.ok()) return Fail(st.WithContext("parquet writer '" + path_ + "'"));
    }
    s.levels.leaf = nullptr;
    s.group_rows += take;
    num_rows_ += take;
    offset += take;
    bytes = 0;
    for (const auto& c : s.columns) bytes += c->EstimatedChunkBytes();
    s.bytes_per_row = std::max<int64_t>(1, bytes / s.group_rows);
    if (s.group_rows >= s.options.max_row_group_rows || bytes >= s.options.max_row_group_bytes) {
      SILT_RETURN_NOT_OK(FlushRowGroup());
    }
  }
  return Status::OK();
}

int64_t FileWriter::EstimatedFileSize() const {
  const Impl& s = *impl_;
  int64_t bytes = s.file != nullptr ? s.file->size() : 0;
  for (const auto& c : s.columns) bytes += c->EstimatedChunkBytes();
  return bytes;
}

int64_t FileWriter::BufferedBytes() const {
  int64_t bytes = 0;
  for (const auto& c : impl_->columns) bytes += c->EstimatedChunkBytes();
  return bytes;
}

Status FileWriter::FlushRowGroup() {
  Impl& s = *impl_;
  if (!s.error.ok()) return s.error;
  if (s.closed) return Status::InvalidArgument("parquet writer '{}': already closed", path_);
  if (s.group_rows == 0) return Status::OK();
  RowGroup group;
  group.num_rows = s.group_rows;
  if (s.row_groups.size() <= static_cast<size_t>(std::numeric_limits<int16_t>::max())) {
    group.ordinal = static_cast<int16_t>(s.row_groups.size());
  }
  int64_t compressed = 0;
  for (size_t i = 0; i < s.columns.size(); ++i) {
    auto finished = s.columns[i]->FinishChunk(*s.file);
    if (!finished.ok()) {
      return Fail(finished.status().WithContext("parquet writer '" + path_ + "'"));
    }
    const ColumnMetaData& md = *finished->chunk.meta_data;
    if (i == 0) group.file_offset = md.dictionary_page_offset.value_or(md.data_page_offset);
    group.total_byte_size += md.total_uncompressed_size;
    compressed += md.total_compressed_size;
    group.columns.push_back(std::move(finished->chunk));
    if (s.options.write_page_index) {
      s.column_indexes.push_back(std::move(finished->column_index));
      s.offset_indexes.push_back(std::move(finished->offset_index));
    }
  }
  group.total_compressed_size = compressed;
  s.row_groups.push_back(std::move(group));
  s.group_rows = 0;
  return Status::OK();
}

Result<WrittenFile> FileWriter::Close() {
  Impl& s = *impl_;
  if (!s.error.ok()) return s.error;
  if (s.closed) return Status::InvalidArgument("parquet writer '{}': already closed", path_);
  SILT_RETURN_NOT_OK(FlushRowGroup());

  // Page index: every ColumnIndex, then every OffsetIndex, after the last row group.
  if (s.options.write_page_index && !s.row_groups.empty()) {
    std::string blob;
    const int64_t base = s.file->size();
    size_t k = 0;
    for (RowGroup& group : s.row_groups) {
      for (ColumnChunk& chunk : group.columns) {
        const std::optional<ColumnIndex>& index = s.column_indexes[k++];
        if (!index.has_value()) continue;
        const size_t before = blob.size();
        SerializeThrift(*index, &blob);
        chunk.column_index_offset = base + static_cast<int64_t>(before);
        chunk.column_index_length = static_cast<int32_t>(blob.size() - before);
      }
    }
    k = 0;
    for (RowGroup& group : s.row_groups) {
      for (ColumnChunk& chunk : group.columns) {
        const size_t before = blob.size();
        SerializeThrift(s.offset_indexes[k++], &blob);
        chunk.offset_index_offset = base + static_cast<int64_t>(before);
        chunk.offset_index_length = static_cast<int32_t>(blob.size() - before);
      }
    }
    Status st = s.file->Append(blob);
    if (!st.ok()) return Fail(st.WithContext("parquet writer '" + path_ + "'"));
  }

  FileMetaData md;
  md.version = 1;
  md.schema = s.wschema.elements;
  md.num_rows = num_rows_;
  md.row_groups = std::move(s.row_groups);
  columnar::KeyValueMetadata kv = s.schema->metadata();
  for (const auto& [key, value] : s.options.key_value_metadata) kv.Set(key, value);
  for (const auto& [key, value] : kv) md.key_value_metadata.push_back(KeyValue{key, value});
  md.created_by = std::string(kCreatedBy);
  md.column_orders.assign(s.wschema.leaves.size(), ColumnOrder{ColumnOrder::Kind::kTypeOrder});

  std::string footer;
  AppendFooter(md, &footer);
  Status st = s.file->Append(footer);
  const int64_t file_size = s.file->size();
  if (st.ok() && s.options.sync_on_close) st = s.file->Sync();
  if (st.ok()) st = s.file->Close();
  if (!st.ok()) return Fail(st.WithContext("parquet writer '" + path_ + "'"));
  s.closed = true;
  s.file.reset();

  WrittenFile out;
  out.path = path_;
  out.file_size = file_size;
  out.num_rows = num_rows_;
  for (size_t i = 0; i < s.columns.size(); ++i) {
    writer::LeafSummary leaf = s.columns[i]->Summary();
    ColumnSummary c;
    c.path = s.wschema.leaves[i].columnar_path;
    c.null_count = leaf.null_count;
    c.num_values = leaf.num_values;
    c.min = std::move(leaf.min);
    c.max = std::move(leaf.max);
    out.columns.push_back(std::move(c));
  }
  out.metadata = std::move(md);
  return out;
}

}  // namespace silt::parquet
