// FileWriter: writes RecordBatches of any columnar schema (nested included) as one Parquet file
// (parquet-format README "File Format"): "PAR1", row groups of column chunks (data page v1,
// dictionary or PLAIN values, RLE levels, SNAPPY/ZSTD/GZIP/LZ4_RAW/none), then the footer with
// statistics, column orders, field ids, key-value metadata and created_by = silt::kCreatedBy.
// All bytes go through the given fs::FileSystem.
//
//   SILT_ASSIGN_OR_RETURN(auto w, FileWriter::Open(fs, "t/part-0.parquet", schema, options));
//   SILT_RETURN_NOT_OK(w->WriteBatch(*batch));            // any number of times
//   SILT_ASSIGN_OR_RETURN(WrittenFile file, w->Close());  // the file is visible from here
//
// Failure: any error (from the FileSystem, a codec, a batch that does not match the schema)
// leaves the writer failed: later calls return that error and the file is abandoned, so nothing
// is published at the path (see fs::WritableFile). Destroying an unclosed writer also abandons
// the file. Not thread-safe: one writer is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/record_batch.h"
#include "silt/columnar/schema.h"
#include "silt/expr/value.h"
#include "silt/fs/file_system.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet {

struct WriterOptions {
  CompressionCodec codec = CompressionCodec::kSnappy;
  // Codec specific (ZSTD -7..22, GZIP 1..9); nullopt: the codec's default.
  std::optional<int> compression_level;
  // Dictionary encoding (all types but boolean), per column chunk; when the dictionary exceeds
  // dictionary_page_size_limit bytes the rest of the chunk is written PLAIN.
  bool dictionary_enabled = true;
  int64_t dictionary_page_size_limit = 1 << 20;
  // When > 0: a column chunk that holds at least this many non-null values, at least 99% of
  // them distinct, stops dictionary encoding there (the pages so far keep the dictionary, the
  // rest of the chunk is PLAIN): a dictionary of (nearly) unique values (ids, timestamps,
  // random keys) costs hashing and takes more space than PLAIN until the size limit ends it
  // anyway. A column that repeats its values only after this many loses its dictionary.
  // 0: only dictionary_page_size_limit ends a dictionary.
  int64_t dictionary_unique_prefix = 0;
  // A data page is closed once its encoded levels and values reach this many bytes, or once it
  // holds data_page_row_limit rows, as parquet-mr and Arrow close theirs (pages always end at a
  // row boundary). Without the row limit a column of nulls or of repeated values would be one
  // page per row group, which a reader decodes (and a page index locates) only whole.
  int64_t data_page_size = 1 << 20;
  int64_t data_page_row_limit = 20000;
  // A row group is closed when it reaches either limit (bytes: uncompressed pages).
  int64_t max_row_group_rows = 1 << 20;
  int64_t max_row_group_bytes = int64_t{128} << 20;
  // CRC-32 of every page body in its header.
  bool page_checksum = true;
  // Column chunk min/max values longer than this many bytes (long strings) are left out of the
  // footer statistics, as Arrow does; null_count is always written. ColumnSummary keeps them.
  int64_t max_statistics_size = 4096;
  // Footer key-value metadata, after the schema's own metadata (same key: this one wins).
  columnar::KeyValueMetadata key_value_metadata;
  fs::WriteOptions write_options;
  // Write the page index (ColumnIndex + OffsetIndex per column chunk, parquet-format
  // PageIndex.md) after the last row group. Pages always start at a row boundary.
  bool write_page_index = true;
  // Sync() the file before closing it, so that it (and its name) is durable once Close()
  // returns: a Delta commit may only name data files that survive a crash.
  bool sync_on_close = true;
};

// What a leaf column holds over the whole file, in logical terms (for Delta's add.stats).
struct ColumnSummary {
  // The leaf's path in the columnar schema (Schema::FindPath form): {"a", "b"} for a struct
  // field, {"tags", "element"} for list elements, {"m", "key"} / {"m", "value"} for maps.
  std::vector<std::string> path;
  // Slots that hold no value (null here or in an ancestor, empty lists).
  int64_t null_count = 0;
  // Slots written (values + null_count), as ColumnMetaData.num_values summed over row groups.
  int64_t num_values = 0;
  // Smallest and largest value by the type's order: Boolean, Int (byte/short/int/long), Double
  // (NaN ignored, a zero min is -0.0 and a zero max +0.0), Decimal, String, Binary, Date,
  // Timestamp/TimestampNtz (micros). nullopt when there is no non-null (non-NaN) value.
  std::optional<expr::Value> min;
  std::optional<expr::Value> max;
};

struct WrittenFile {
  std::string path;
  int64_t file_size = 0;
  int64_t num_rows = 0;
  std::vector<ColumnSummary> columns;  // one per leaf, in Parquet column order
  FileMetaData metadata;               // the footer as written
};

class FileWriter {
 public:
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  // Opens `path` for writing (OpenWritable with options.write_options) and writes the header.
  // kUnsupported for schemas Parquet cannot hold (a struct without fields), kInvalidArgument
  // for bad options or field ids, FileSystem errors as returned.
  static Result<std::unique_ptr<FileWriter>> Open(fs::FileSystem& fs, std::string path,
                                                  columnar::SchemaPtr schema,
                                                  WriterOptions options = {});

  // Appends the rows of `batch`. kInvalidArgument when its schema does not match (field names,
  // types and nullability; metadata ignored).
  Status WriteBatch(const columnar::RecordBatch& batch);

  // Ends the current row group now (no-op when it is empty).
  Status FlushRowGroup();

  // Writes the last row group and the footer, closes the file and returns its summary. After an
  // error nothing is published at the path.
  Result<WrittenFile> Close();

  const std::string& path() const { return path_; }
  // Rows written so far (including the open row group).
  int64_t num_rows() const { return num_rows_; }
  // Bytes in the file so far plus the open row group's buffered (uncompressed) estimate: what a
  // caller rolling files at a target size checks after each batch.
  int64_t EstimatedFileSize() const;
  // The open row group's bytes held in memory, estimated as EstimatedFileSize does
  // (uncompressed pages, the page being built, the dictionary): what FlushRowGroup() frees.
  int64_t BufferedBytes() const;

 private:
  struct Impl;
  FileWriter(std::string path, std::unique_ptr<Impl> impl);
  Status Fail(Status status);

  std::string path_;
  int64_t num_rows_ = 0;
  std::unique_ptr<Impl> impl_;
};

}  // namespace silt::parquet
