// Change Data Feed reads (PROTOCOL.md "Change Data Files", "Reader Requirements for Change Data
// Feed"; digest §11): the row-level changes of a range of commits.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "silt/base/result.h"
#include "silt/delta/checkpoint/checkpoint_reader.h"
#include "silt/delta/scan/scan.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

inline constexpr std::string_view kChangeTypeColumnName = "_change_type";
inline constexpr std::string_view kCommitVersionColumnName = "_commit_version";
inline constexpr std::string_view kCommitTimestampColumnName = "_commit_timestamp";

struct TableChangesOptions {
  // Decodes Parquet checkpoints while loading the end snapshot; nullptr: the built-in one.
  CheckpointFileDecoder* checkpoint_decoder = nullptr;
  int64_t batch_size = 64 * 1024;
  // Files (change files, and the add and remove files of commits without change files) whose
  // path as written in the log this returns true for are not read: their rows are left out.
  // A commit with change files is still read from those only, even when all are excluded.
  // Empty: every file is read. Called on the calling thread, inside TableChanges.
  std::function<bool(std::string_view log_path)> exclude_path;
  // When set, the changes are read with this snapshot of the same table (its schema, partition
  // columns, column mapping and in-commit-timestamp setting) instead of loading the snapshot of
  // the end version, and the range ends at end_version, which must then be set (kInvalidArgument
  // otherwise). For callers reading many ranges with one schema, such as a stream; the caller
  // vouches that the range's files are readable with it (columns it lacks read as null, columns
  // it has beyond a file's read as null).
  std::shared_ptr<const Snapshot> snapshot;
};

// The changes of commits `start_version`..`end_version` (the latest when unset), commit by
// commit, in the schema of the end version plus _change_type (string: insert, delete,
// update_preimage, update_postimage), _commit_version (long) and _commit_timestamp (timestamp).
// A commit with cdc actions is read from its change files only; otherwise the files its
// dataChange adds insert and its dataChange removes delete (the removed files must still
// exist); a remove+add of one path with different deletion vectors yields the rows whose
// deletion changed. Errors: kInvalidArgument for an empty or negative range; kNotFound for a
// commit no longer in the log; the errors of Snapshot::Load and of reading data files.
Result<std::unique_ptr<ScanIterator>> TableChanges(fs::FileSystem& fs, std::string_view table_root,
                                                   int64_t start_version,
                                                   std::optional<int64_t> end_version = {},
                                                   const TableChangesOptions& options = {});

}  // namespace silt::delta
