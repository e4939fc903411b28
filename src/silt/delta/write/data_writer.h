// Data files of a Delta table (PROTOCOL.md "Data Files", "Column Mapping", "Per-file
// Statistics"; digest §5, §6, §8, §9): RecordBatches in the table's logical schema become
// Parquet files under Hive-style partition folders ("day=2024-01-01/part-00000-<uuid>.c000.
// snappy.parquet"), with partition columns left out of the files, physical column names and
// field ids under column mapping, statistics, and one `add` action per file. Nothing is
// committed here: the caller stages the adds in a Transaction.
//
// Memory is bounded: batches stream through; each batch is split by partition (one pass over
// the partition columns, then one pass copying the rows to per-partition batches: a transient
// copy of the batch); there is at most one open Parquet writer per partition and at most
// max_open_writers at a time (the least recently written is closed when the cap is hit); the
// open writers' row groups together hold at most max_buffered_bytes (the largest is flushed to
// its file, which stays open, when they would hold more); a file is closed once it reaches the
// target size and the partition continues in a new file.
//
// Thread safety: a DataFileWriter is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/record_batch.h"
#include "silt/columnar/schema.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/table/snapshot.h"
#include "silt/delta/table/table_features.h"
#include "silt/delta/write/stats.h"
#include "silt/fs/file_system.h"
#include "silt/parquet/writer/file_writer.h"

namespace silt::delta {

// Table property: the size a writer aims for per data file (bytes), Databricks' name.
inline constexpr std::string_view kTargetFileSizeProperty = "delta.targetFileSize";
inline constexpr int64_t kDefaultTargetFileSize = int64_t{128} << 20;
// DataWriterOptions defaults (see there).
inline constexpr int kDefaultMaxOpenWriters = 128;
inline constexpr int64_t kDefaultMaxBufferedBytes = int64_t{256} << 20;

// parquet::WriterOptions::dictionary_unique_prefix of data files: (nearly) unique columns
// (ids, timestamps, random keys) skip most of the dictionary attempt.
inline constexpr int64_t kDataFileDictionaryUniquePrefix = 8192;

// The Parquet options data files start from.
inline parquet::WriterOptions DataFileParquetOptions() {
  parquet::WriterOptions options;
  options.dictionary_unique_prefix = kDataFileDictionaryUniquePrefix;
  return options;
}

// What a data writer needs to know about the table.
struct TableLayout {
  std::string table_root;
  // The logical table schema, with column-mapping metadata on its fields when mapped.
  columnar::SchemaPtr schema;
  // Logical names, in order.
  std::vector<std::string> partition_columns;
  ColumnMappingMode mapping_mode = ColumnMappingMode::kNone;
  // Table properties (stats columns, target file size) come from here.
  Metadata metadata;

  static Result<TableLayout> FromSnapshot(const Snapshot& snapshot);
  // For a table described by its (new) protocol and metadata. kCorruption for a malformed
  // schema string or column mapping mode.
  static Result<TableLayout> FromActions(std::string table_root, const Protocol& protocol,
                                         const Metadata& metadata);
};

struct DataWriterOptions {
  // Bytes per file before rolling to the next one; unset: delta.targetFileSize, else 128 MiB.
  std::optional<int64_t> target_file_size;
  // Open Parquet files at most (one per partition being written). When a partition needs a
  // file and this many are open, the least recently written one is closed (a partition seen
  // again later continues in a new file). Bounds the file handles and the fixed per-file memory.
  int max_open_writers = kDefaultMaxOpenWriters;
  // Bytes the open files' unwritten row groups may hold together, as FileWriter::BufferedBytes
  // estimates them (uncompressed pages, the page being built, the dictionary). After each
  // write step the sum is at most this: when it is exceeded, the file holding the most flushes
  // its row group (ending it early: more, smaller row groups) and stays open. The writer's
  // memory is about this plus max_open_writers times the fixed cost of an open file (column
  // writers and their hash tables). Row groups are also ended at parquet.max_row_group_bytes.
  int64_t max_buffered_bytes = kDefaultMaxBufferedBytes;
  // add.dataChange of the files.
  bool data_change = true;
  // Compute add.stats.
  bool collect_stats = true;
  // A folder below the table root that holds the files (e.g. "_change_data"); empty: the root.
  std::string directory;
  // File names are <prefix>-<5-digit counter>-<uuid>.c000.<codec>.parquet ("cdc" for change
  // data files, as Spark names them).
  std::string file_prefix = "part";
  // Codec, page and row-group sizes. The row group byte limit is capped at the target size.
  // Defaults as parquet::WriterOptions, except that a column chunk whose values are 99%
  // distinct after kDataFileDictionaryUniquePrefix of them is written PLAIN from there.
  parquet::WriterOptions parquet = DataFileParquetOptions();
  // add.modificationTime is the wall clock unless this is set.
  std::function<int64_t()> clock;
  // Rows handed to a Parquet writer between two size checks.
  int64_t rows_per_chunk = 8192;
};

class DataFileWriter {
 public:
  // kInvalidArgument when a partition column is not a top-level column of the schema, when every
  // column is a partition column, or for a bad option; kCorruption for malformed stats
  // properties.
  static Result<std::unique_ptr<DataFileWriter>> Make(fs::FileSystem& fs, TableLayout layout,
                                                      DataWriterOptions options = {});
  ~DataFileWriter();
  DataFileWriter(const DataFileWriter&) = delete;
  DataFileWriter& operator=(const DataFileWriter&) = delete;

  // Writes the rows of `batch`, whose columns are the table's logical columns in schema order
  // (partition columns included) with the schema's types; field names, nullability flags and
  // metadata of the batch do not matter. kInvalidArgument when the layout does not match;
  // FileSystem and Parquet errors as returned. After an error the writer is failed.
  Status Write(const columnar::RecordBatch& batch);

  // Closes every open file; returns one add per file written (in the order they were closed).
  // The writer cannot be used afterwards.
  Result<std::vector<Add>> Finish();

  // Abandons open files and deletes the files already closed (best effort): for a write that
  // failed before its commit.
  void Abort();

  // Rows accepted so far.
  int64_t num_rows() const { return num_rows_; }
  // Relative (unencoded) paths of the files closed so far.
  const std::vector<std::string>& written_paths() const { return written_paths_; }

 private:
  struct OpenFile;
  DataFileWriter(fs::FileSystem& fs, TableLayout layout, DataWriterOptions options);
  Status Init();
  Status WriteToPartition(const std::vector<std::optional<std::string>>& key,
                          const columnar::RecordBatch& data);
  Result<OpenFile*> OpenFor(const std::vector<std::optional<std::string>>& key);
  Status CloseFile(const std::vector<std::optional<std::string>>& key);
  // Re-reads the buffered bytes of `file` into buffered_total_.
  void UpdateBuffered(OpenFile& file);
  // Flushes the row groups of the files holding the most until buffered_total_ fits the budget.
  Status EnforceBufferBudget();
  int64_t NowMs() const;

  fs::FileSystem& fs_;
  TableLayout layout_;
  DataWriterOptions options_;
  int64_t target_size_ = kDefaultTargetFileSize;
  std::vector<int> partition_indexes_;  // into the logical schema
  std::vector<int> data_indexes_;       // into the logical schema
  columnar::SchemaPtr data_schema_;     // logical, data columns only
  columnar::SchemaPtr physical_schema_;
  std::vector<StatsLeaf> stats_leaves_;
  std::map<std::vector<std::optional<std::string>>, std::unique_ptr<OpenFile>> open_;
  std::vector<Add> adds_;
  std::vector<std::string> written_paths_;
  int file_counter_ = 0;
  int64_t buffered_total_ = 0;  // sum of the open files' OpenFile::buffered
  uint64_t write_clock_ = 0;    // counts writes to files, for least-recently-written
  int64_t num_rows_ = 0;
  Status failed_;
  bool finished_ = false;
};

// The Parquet schema of the data columns: physical names and only the column-mapping id as
// field metadata (the Parquet field id) under column mapping; no metadata otherwise.
columnar::SchemaPtr PhysicalDataSchema(const columnar::Schema& data_schema, ColumnMappingMode mode);


}  // namespace silt::delta
