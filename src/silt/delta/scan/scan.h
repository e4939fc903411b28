// Scans of a Delta snapshot (PROTOCOL.md "Reader Requirements"; digest §6, §8-10): which data
// files a query needs (partition pruning, statistics-based skipping) and their rows in the
// table's logical schema (partition columns appended, column mapping undone, columns missing
// from older files as nulls, deletion vectors applied, the predicate applied per row).
//
//   SILT_ASSIGN_OR_RETURN(auto scan, ScanBuilder(snapshot)
//                                        .WithColumns({"id", "part"})
//                                        .WithPredicate(expr::Parse("part = 3").value())
//                                        .Build());
//   SILT_ASSIGN_OR_RETURN(auto it, scan->Execute(fs));
//   while (true) {
//     SILT_ASSIGN_OR_RETURN(auto batch, it->Next());
//     if (!batch) break;
//     ...
//   }
//
// Memory is bounded by one data file's batch at a time plus its deletion vector.
// Thread safety: a Scan is immutable and may be executed from several threads; an iterator is
// used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/record_batch.h"
#include "silt/columnar/schema.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/table/snapshot.h"
#include "silt/expr/expr.h"
#include "silt/expr/value.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

// A data file selected by a scan.
struct ScanFile {
  Add add;
  // Where to read it: the decoded path joined to the table root, or the decoded absolute URI.
  std::string path;
  // The value of each partition column (snapshot order), parsed by its type.
  std::vector<expr::Value> partition_values;
  // numRecords from the stats, when present (physical rows, deleted ones included).
  std::optional<int64_t> num_records;
};

class ScanIterator {
 public:
  virtual ~ScanIterator() = default;
  // The next non-empty batch in the scan's output schema, or nullopt at the end. Errors name
  // the data file.
  virtual Result<std::optional<columnar::RecordBatchPtr>> Next() = 0;
};

class Scan {
 public:
  // The logical schema of the output: the projected columns, in projection order.
  const columnar::SchemaPtr& output_schema() const { return output_schema_; }
  // The files left after pruning and skipping, in snapshot order (log order, see LogState).
  const std::vector<ScanFile>& files() const { return files_; }
  // How many live files pruning (partition values) and skipping (stats) removed.
  int64_t files_pruned() const { return files_pruned_; }
  int64_t files_skipped() const { return files_skipped_; }
  const std::shared_ptr<const Snapshot>& snapshot() const { return snapshot_; }
  const expr::ExprPtr& predicate() const { return predicate_; }

  // Reads the files one after the other through `fs`, which must outlive the iterator.
  Result<std::unique_ptr<ScanIterator>> Execute(fs::FileSystem& fs) const;

  // The rows of one file (as Execute would produce them), batch by batch.
  Result<std::unique_ptr<ScanIterator>> ReadFile(fs::FileSystem& fs, const ScanFile& file) const;

 private:
  friend class ScanBuilder;
  Scan() = default;
  std::shared_ptr<const Snapshot> snapshot_;
  columnar::SchemaPtr output_schema_;
  std::vector<int> output_fields_;  // indexes into the table schema
  std::vector<int> read_fields_;    // output fields + those only the predicate needs
  expr::ExprPtr predicate_;
  std::vector<ScanFile> files_;
  int64_t files_pruned_ = 0;
  int64_t files_skipped_ = 0;
  int64_t batch_size_ = 64 * 1024;
};

class ScanBuilder {
 public:
  explicit ScanBuilder(std::shared_ptr<const Snapshot> snapshot);

  // Logical column names (top-level), in output order; every column when never called.
  ScanBuilder& WithColumns(std::vector<std::string> columns);
  // Rows for which the predicate is not true are dropped; files that cannot hold such a row
  // are not read. Columns are logical paths.
  ScanBuilder& WithPredicate(expr::ExprPtr predicate);
  // Rows per batch read from a file (before filtering).
  ScanBuilder& WithBatchSize(int64_t rows);

  // Selects the files. kInvalidArgument for an unknown column (projection or predicate) or a
  // batch size < 1; kCorruption for a partition value that does not parse as its column's
  // type (naming the file).
  Result<std::unique_ptr<Scan>> Build() const;

 private:
  std::shared_ptr<const Snapshot> snapshot_;
  std::optional<std::vector<std::string>> columns_;
  expr::ExprPtr predicate_;
  int64_t batch_size_ = 64 * 1024;
};

// Where the data file of `path` (as written in the log) is: decoded, joined to the table root
// when relative; "file:" URIs become plain paths.
Result<std::string> ResolveDataFilePath(std::string_view table_root, std::string_view path);

}  // namespace silt::delta
