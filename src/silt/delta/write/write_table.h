// Write operations on a Delta table: append, overwrite (whole table or replaceWhere) and delete
// (PROTOCOL.md "Writer Requirements", "Deletion Vectors", "Change Data Files"; digest §3-§11,
// §13, §17). Each call is one Transaction: data files are written first (data_writer.h), then
// the adds/removes/cdc files are committed together; a failed write commits nothing and deletes
// the files it wrote (they were never referenced by the log).
//
//   WriteOptions options;
//   options.mode = WriteMode::kAppend;
//   options.partition_by = {"day"};  // used when the table is created
//   SILT_ASSIGN_OR_RETURN(WriteResult r,
//                         WriteToTable(fs, "/data/events", WriteInput::FromBatches(schema,
//                         batches),
//                                      options));
//
// Used by the CLI and by the streaming Delta sink (operation "STREAMING UPDATE" with
// outputMode/queryId/epochId parameters and an app transaction for exactly-once epochs).
// Thread safety: the functions may be called concurrently (on one table too: conflicts are
// resolved by the commit protocol and reported as kConflict).
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
#include "silt/delta/commit/transaction.h"
#include "silt/expr/expr.h"
#include "silt/fs/file_system.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::delta {

// Batches to write, pulled one at a time so that nothing needs to be materialized.
struct WriteInput {
  // The logical schema of the batches (names matched to the table's case-insensitively).
  columnar::SchemaPtr schema;
  // The next batch, or nullopt at the end. Errors abort the write.
  std::function<Result<std::optional<columnar::RecordBatchPtr>>()> next;

  static WriteInput FromBatches(columnar::SchemaPtr schema,
                                std::vector<columnar::RecordBatchPtr> batches);
};

enum class WriteMode : uint8_t {
  kAppend,     // add the rows
  kOverwrite,  // replace every row (or, with replace_where, the rows matching it)
};

// An application transaction (txn action): the write is skipped when `app_id` already
// committed `version` or a later one.
struct AppTransactionId {
  std::string app_id;
  int64_t version = 0;
};

struct WriteOptions {
  WriteMode mode = WriteMode::kAppend;
  // kOverwrite only: a predicate (Spark SQL subset, logical column names) selecting the rows
  // replaced. Every written row must match it (else kInvalidArgument); existing rows matching
  // it are deleted (whole files for partition-only predicates, otherwise rows, rewriting or
  // with deletion vectors as delete does).
  std::optional<std::string> replace_where;
  // Partition columns for a new table; for an existing table, when not empty, they must equal
  // the table's (kInvalidArgument otherwise).
  std::vector<std::string> partition_by;
  // Evolve the table schema to hold new columns/nested fields and allowed type widenings.
  bool merge_schema = false;
  // Bytes per data file; unset: delta.targetFileSize, else 128 MiB.
  std::optional<int64_t> target_file_size;
  // Open data files at most (DataWriterOptions::max_open_writers; its default).
  int max_open_writers = 128;
  parquet::CompressionCodec codec = parquet::CompressionCodec::kSnappy;
  // For a new table only: table properties (delta.* properties, delta.feature.* and
  // delta.minReaderVersion/minWriterVersion pseudo-properties), name and description.
  StringMap table_properties;
  std::optional<std::string> name;
  std::optional<std::string> description;
  // Idempotent write marker (txn action).
  std::optional<AppTransactionId> app_transaction;
  // commitInfo.operation; empty: "WRITE" with Spark's parameters mode, partitionBy and
  // predicate (replaceWhere). When set, only `operation_parameters` are written as parameters.
  std::string operation;
  // operationParameters (values are JSON text: "\"Append\"", "[]"); added to the defaults.
  std::map<std::string, std::string> operation_parameters;
  // Extra commitInfo fields (JSON text per key).
  std::map<std::string, std::string> commit_info_fields;
  // The snapshot to write on (Transaction::BeginAt) instead of loading the latest one: pass the
  // previous WriteResult's commit.snapshot to chain writes without reading the log. It may be
  // stale: the commits made since are checked at commit time by Spark's conflict rules, as for
  // any concurrent writer (a blind append never conflicts; an overwrite, replaceWhere or delete
  // conflicts with the files it should have read or that were removed under it; any metaData
  // change conflicts; an app_transaction another writer committed meanwhile is skipped, deleting
  // the files written). It must belong to `table_root` (kInvalidArgument otherwise). nullptr:
  // load the latest snapshot.
  std::shared_ptr<const Snapshot> read_snapshot;
  TransactionOptions transaction;
};

struct WriteResult {
  CommitResult commit;
  // True when this write created the table (version 0).
  bool created_table = false;
  // Data files added, rows and bytes written (also commitInfo.operationMetrics numFiles,
  // numOutputRows, numOutputBytes).
  int64_t num_files = 0;
  int64_t num_output_rows = 0;
  int64_t num_output_bytes = 0;
  // Files removed by an overwrite / replaceWhere.
  int64_t num_removed_files = 0;
  // Rows of existing files deleted by replaceWhere (0 for whole-file removals, whose rows are
  // not counted).
  int64_t num_deleted_rows = 0;
};

// Writes `input` to the table at `table_root`, creating it when there is none. Errors:
//  - kInvalidArgument: schema mismatch (listing the differences) or incompatible type change;
//    NOT NULL / invariant / CHECK constraint violations (naming the constraint, the column or
//    expression and an offending row); rows outside replace_where; replace_where without
//    kOverwrite; partition_by differing from the table's; overwrite on a delta.appendOnly table;
//  - kConflict from the commit (see transaction.h), kUnsupported for tables silt cannot write,
//    FileSystem and Parquet errors as returned.
// Nothing is committed on error. When the commit finds that another writer already committed
// `app_transaction`, the result is skipped_idempotent with zero counts and the data files written
// are deleted.
Result<WriteResult> WriteToTable(fs::FileSystem& fs, const std::string& table_root,
                                 WriteInput input, const WriteOptions& options = {});

struct DeleteOptions {
  // Bytes per rewritten data file; unset: delta.targetFileSize, else 128 MiB.
  std::optional<int64_t> target_file_size;
  std::optional<AppTransactionId> app_transaction;
  std::map<std::string, std::string> commit_info_fields;
  // As WriteOptions::read_snapshot.
  std::shared_ptr<const Snapshot> read_snapshot;
  TransactionOptions transaction;
};

struct DeleteResult {
  CommitResult commit;
  // Rows deleted (for whole-file removals counted from the files' numRecords stats minus their
  // deletion vectors; files without stats count 0 there).
  int64_t num_deleted_rows = 0;
  int64_t num_removed_files = 0;
  int64_t num_added_files = 0;
  int64_t num_added_change_files = 0;
  int64_t num_deletion_vectors_added = 0;
  // Surviving rows copied into new files.
  int64_t num_copied_rows = 0;
};

// Deletes the rows for which `predicate` (logical columns) is true; nullptr deletes every row.
// A predicate on partition columns only removes whole files without reading them. Otherwise
// each file that may hold a matching row is read: when every live row matches, the file is
// removed; else, with delta.enableDeletionVectors=true (and the feature in the protocol), a
// deletion vector marks the rows (remove + add of the same path with the new DV), and without
// it the surviving rows are rewritten to new files. With delta.enableChangeDataFeed=true the
// deleted rows of files that were read are written as change data (`_change_type` =
// "delete") under _change_data/. The read set is the predicate and the files read, so a
// concurrent delete of the same file conflicts. Errors: kInvalidArgument for a
// delta.appendOnly table or a predicate naming an unknown column; kNotFound when there is no
// table; as WriteToTable otherwise. A delete that matches nothing commits an empty DELETE.
Result<DeleteResult> DeleteFromTable(fs::FileSystem& fs, const std::string& table_root,
                                     expr::ExprPtr predicate, const DeleteOptions& options = {});

}  // namespace silt::delta
