// RESTORE (Delta's RestoreTableCommand): makes the latest version of a table equal to an
// earlier version, as one new commit (operation RESTORE). Files live at the target version but
// not now are added back (dataChange=true), files live now but not at the target are removed
// (dataChange=true); the target's metadata is restored when it differs (the protocol is never
// downgraded: it stays as it is). Logical files are compared by (path, deletion vector), so a
// DV written since the target is undone too. The commit reads the whole table: any concurrent
// change conflicts (kConflict).
//
// Before committing, every file to add back and its deletion-vector file must still exist;
// after a VACUUM they may not, and RESTORE fails with kNotFound naming them rather than commit a
// table whose files are missing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "silt/base/result.h"
#include "silt/delta/commit/transaction.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

struct RestoreOptions {
  // Exactly one of the two: the version to restore, or a timestamp (milliseconds since the
  // epoch; the latest version committed at or before it, as time travel resolves it).
  std::optional<int64_t> version;
  std::optional<int64_t> timestamp_ms;
  TransactionOptions transaction;
};

struct RestoreResult {
  CommitResult commit;
  // The version whose state was restored.
  int64_t restored_version = 0;
  int64_t files_added = 0;
  int64_t files_removed = 0;
  int64_t bytes_added = 0;
  int64_t bytes_removed = 0;
};

// Restores the table at `table_root`. Errors: kInvalidArgument unless exactly one of version
// and timestamp is given, or for a version not older than the latest; kNotFound for a version
// or timestamp that can no longer be reconstructed and for missing data or DV files (listing
// them); those of Transaction::Commit (kConflict).
Result<RestoreResult> Restore(fs::FileSystem& fs, const std::string& table_root,
                              const RestoreOptions& options);

}  // namespace silt::delta
