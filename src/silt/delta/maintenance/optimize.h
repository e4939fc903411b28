// OPTIMIZE (bin-packing compaction; digest §17.2-17.3, Delta's OptimizeTableCommand): small
// files of each partition are rewritten into fewer files of about the target size. The rows
// are unchanged; the commit holds dataChange=false removes and adds, operation OPTIMIZE, and
// its read set is only the files it compacted, so concurrent appends never conflict with it
// (a concurrent delete or rewrite of one of those files does: kConflict).
//
// Candidates are the live files smaller than min_file_size and files with deletion vectors
// (compaction drops their deleted rows). Per partition they are packed, smallest first, into
// bins of at most target_file_size bytes; a bin holding a single file without a DV is left
// alone (rewriting it would gain nothing). Files are rewritten with the table's data writer
// (write/data_writer.h), so statistics, column mapping and partition folders are as for any
// write.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "silt/base/result.h"
#include "silt/delta/commit/transaction.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

struct OptimizeOptions {
  // Only partitions matching this predicate (Spark SQL subset over partition columns only;
  // kInvalidArgument for another column). Empty: every partition.
  std::string partition_predicate;
  // Files smaller than this are compacted; unset: the target file size.
  std::optional<int64_t> min_file_size;
  // Size of the files written; unset: delta.targetFileSize, else 128 MiB.
  std::optional<int64_t> target_file_size;
  TransactionOptions transaction;
  // Called after the new files are written and before the commit (tests use it to commit a
  // concurrent change in between). An error aborts: nothing is committed, new files deleted.
  std::function<Status()> before_commit;
};

struct OptimizeResult {
  // The commit; version -1 when there was nothing to compact (no commit written).
  CommitResult commit;
  int64_t files_removed = 0;
  int64_t files_added = 0;
  int64_t bytes_removed = 0;
  int64_t bytes_added = 0;
  int64_t partitions_optimized = 0;
};

// Compacts the table at `table_root`. Errors: those of Transaction::Begin and Commit
// (kConflict when a compacted file was removed concurrently), kInvalidArgument for a bad
// predicate or sizes, read and write errors naming the file. Nothing is committed on error and
// the files written are deleted (best effort).
Result<OptimizeResult> Optimize(fs::FileSystem& fs, const std::string& table_root,
                                const OptimizeOptions& options = {});

}  // namespace silt::delta
