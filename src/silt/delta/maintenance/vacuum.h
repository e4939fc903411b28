// VACUUM (PROTOCOL.md "Vacuum"; digest §19): deletes the files under a table's root that no
// version within the retention window needs.
//
// A file is kept when the latest snapshot references it (live adds and their deletion-vector
// files), when a tombstone whose deletionTimestamp is within the retention references it (and
// its DV file), when a cdc action of a commit within the retention names it, or when its
// modification time is not older than now - retention (a write in progress). Everything else
// under the root is deleted, except _delta_log/ and hidden paths: a directory or file whose name
// starts with '_' or '.' is skipped unless it is the top-level _change_data/ folder or a
// partition folder "<partition column>=<value>".
//
// Empty directories are left in place: deleting one could race with a writer putting a new file
// there. No VACUUM START/END commits are written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

class CheckpointFileDecoder;

struct VacuumOptions {
  // Retention in hours; the table's delta.deletedFileRetentionDuration (default 168) when
  // unset.
  std::optional<double> retention_hours;
  // List what would be deleted without deleting anything.
  bool dry_run = false;
  // Refuse a retention shorter than the table's delta.deletedFileRetentionDuration.
  bool enforce_retention_check = true;
  // Milliseconds since the epoch; the wall clock when unset.
  std::optional<int64_t> now_ms;
  // Decodes Parquet checkpoints; nullptr: the built-in one.
  CheckpointFileDecoder* checkpoint_decoder = nullptr;
};

struct VacuumResult {
  // The version whose snapshot decided what is referenced.
  int64_t version = 0;
  int64_t retention_ms = 0;
  // Files modified before this may be deleted.
  int64_t cutoff_ms = 0;
  bool dry_run = false;
  // Files deleted (in a dry run: that would be deleted), full paths, sorted.
  std::vector<std::string> files;
  int64_t bytes = 0;
  // Files under the root that were looked at (hidden paths and _delta_log excluded).
  int64_t files_scanned = 0;
};

// Vacuums the table at `table_root`. Errors: those of Snapshot::Load; kInvalidArgument for a
// negative retention, or one shorter than the table's delta.deletedFileRetentionDuration while
// enforce_retention_check is on (deleting files younger than that can break readers of older
// versions and concurrent writers); kUnsupported when the table has vacuumProtocolCheck and
// silt cannot write its protocol; the FileSystem's error (files deleted before it stay deleted).
// A file that vanished meanwhile is not an error.
Result<VacuumResult> Vacuum(fs::FileSystem& fs, std::string_view table_root,
                            const VacuumOptions& options = {});

}  // namespace silt::delta
