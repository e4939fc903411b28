// FileReader: Parquet files -> columnar RecordBatches (parquet-format README "File Format";
// nested reassembly per "Nested Encoding"). Projection by top-level column name or by field id
// (Delta column mapping "id" mode), down to fields of nested structs; columns absent from the
// file read as all-null (schema evolution), row-group skipping from column chunk statistics,
// bounded batches.
//
//   ReadOptions options;
//   options.columns = ReadOptions::Names({"id", "tags"});
//   options.predicate = expr::Parse("id > 10").value();
//   SILT_ASSIGN_OR_RETURN(auto reader, FileReader::Open(fs, "t/part-0.parquet", options));
//   while (true) {
//     SILT_ASSIGN_OR_RETURN(auto batch, reader->Next());
//     if (!batch) break;
//     ...
//   }
//
// Errors: kNotFound for a missing file; kCorruption naming the file and column for malformed
// input (never a crash, never a read outside the file); kUnsupported for what silt lacks
// (encrypted files, decimal precision > 38, ...); FileSystem errors as returned.
// After an error, Next() returns that error again: the reader never resumes past a failed batch.
// Thread safety: a FileReader is used by one thread at a time; different readers are independent.
// With ReadOptions::threads > 1 a reader runs worker threads of its own inside Next(); they read
// the column chunks of a row group through one RandomAccessFile at once (which allows it).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/record_batch.h"
#include "silt/columnar/schema.h"
#include "silt/expr/expr.h"
#include "silt/expr/skipping.h"
#include "silt/fs/file_system.h"
#include "silt/parquet/page_reader.h"
#include "silt/parquet/reader/schema_mapping.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet {

// A requested top-level column.
struct ColumnSelection {
  // Matched exactly against the file's top-level column names when field_id is not set; also the
  // name of the output column (the file's name is kept when this is empty).
  std::string name;
  // Matched against the Parquet field ids of the top-level columns instead of the name.
  std::optional<int32_t> field_id;
  // The type of the all-null column returned when the file lacks the column. nullptr: a missing
  // column is kNotFound.
  columnar::TypePtr type_if_missing;
  // Empty: the whole column. Otherwise only these fields below it, by name from the column down
  // ({{"path"}, {"stats"}, {"deletionVector", "offset"}}): a struct keeps the selected children
  // in file order (its nulls are still its own), a path ending at a struct takes it whole, and
  // a list, a map or a leaf is always read whole (paths going below one select all of it). A
  // name the file lacks is kNotFound; an empty path selects the whole column.
  std::vector<std::vector<std::string>> fields;
};

struct ReadOptions {
  // nullopt: every column of the file, in file order. Otherwise these columns in this order.
  std::optional<std::vector<ColumnSelection>> columns;
  // Row groups whose statistics prove that no row satisfies this are skipped (rows of the other
  // row groups are returned unfiltered). Column paths are those of the file's columnar schema
  // ({"a"}, {"s", "x"}); unknown paths skip nothing.
  expr::ExprPtr predicate;
  // nullopt: every row group. Otherwise only these (in this order), e.g. to split a file
  // between workers; kInvalidArgument for an index out of range. Skipping applies on top.
  std::optional<std::vector<int>> row_groups;
  // Batches hold at most this many rows (and never span row groups).
  int64_t batch_size = 64 * 1024;
  // Array::Validate on every decoded column (UTF-8 of strings, map keys not null, ...).
  bool validate = true;
  PageReaderOptions page_options;
  // Threads that decode a batch: 1 decodes on the calling thread only. N > 1: the reader starts
  // up to N - 1 worker threads at its first batch (no more than it has leaf columns to share
  // out; joined when it is destroyed) and spreads each batch's leaf columns, largest column chunk
  // first, then the assembly and validation of its output columns, over them and the calling
  // thread, as well as the reading of each row group's column chunks (in no fixed order then).
  // Batches, errors included, are the same as with 1. kInvalidArgument outside 1..256.
  int threads = 1;

  // Selections by name / by field id (with the types of absent columns, if any).
  static std::vector<ColumnSelection> Names(const std::vector<std::string>& names);
};

class FileReader {
 public:
  ~FileReader();
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  // Reads and maps the footer; decides the projection and the row groups to read.
  static Result<std::unique_ptr<FileReader>> Open(fs::FileSystem& fs, const std::string& path,
                                                  ReadOptions options = {});

  const std::string& path() const { return path_; }
  const FileMetaData& metadata() const { return metadata_; }
  // The whole file as a columnar schema (field ids in `parquet.field.id` metadata).
  const columnar::SchemaPtr& schema() const { return mapped_.schema; }
  // The schema of the batches Next() returns (the projection).
  const columnar::SchemaPtr& output_schema() const { return output_schema_; }
  int64_t num_rows() const { return metadata_.num_rows; }
  int num_row_groups() const { return static_cast<int>(metadata_.row_groups.size()); }
  // The row groups Next() reads, after skipping.
  const std::vector<int>& selected_row_groups() const { return selected_; }
  const parquet::reader::ReaderSchema& reader_schema() const { return mapped_; }

  // The next batch (1..batch_size rows), or nullopt at the end.
  Result<std::optional<columnar::RecordBatchPtr>> Next();

  // The statistics of leaf `leaf` in row group `row_group` in columnar terms (see skipping.h),
  // following parquet-format's rules on which fields to trust; nullopt when nothing usable.
  std::optional<expr::ColumnStats> LeafStatistics(int row_group, int leaf) const;

 private:
  struct Impl;
  FileReader() = default;
  Status OpenRowGroup(int row_group);
  Result<std::optional<columnar::RecordBatchPtr>> ReadBatch();
  Status DecodeLeaves(int64_t rows);
  Status AssembleOutput(size_t output, int64_t rows, columnar::ArrayPtr* out);
  Status AssembleOutputs(int64_t rows, std::vector<columnar::ArrayPtr>* columns);

  std::string path_;
  FileMetaData metadata_;
  parquet::reader::ReaderSchema mapped_;
  columnar::SchemaPtr output_schema_;
  std::vector<int> selected_;
  std::unique_ptr<Impl> impl_;
};

// Every batch of the file (empty when it has no rows).
Result<std::vector<columnar::RecordBatchPtr>> ReadTable(fs::FileSystem& fs, const std::string& path,
                                                        ReadOptions options = {});

}  // namespace silt::parquet
