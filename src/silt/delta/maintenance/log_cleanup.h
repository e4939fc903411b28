// Metadata (log) cleanup (PROTOCOL.md "Metadata Cleanup"; digest §16.4): deletes the log files
// no remaining version needs once they are older than delta.logRetentionDuration.
//
// Commit timestamps are the commit files' modification times, made increasing as Spark does (a
// time not after the previous commit's counts as that time + 1 ms), or the in-commit timestamps
// from the version delta.enableInCommitTimestamps starts at. With cutoff = now -
// delta.logRetentionDuration (default 30 days), the base is the newest complete checkpoint whose
// version's commit is older than the cutoff. Every log file of a version before the base is
// deleted: commits, checksums (.crc), classic, multi-part and V2 checkpoints, compactions that
// start at or before the base (readers starting at the base cannot use them), and the Hadoop
// ".<name>.crc" side files of those. The base checkpoint, its commit and everything after stay,
// so every version from the base on can still be loaded. Without such a checkpoint nothing is
// deleted. Finally, sidecar files under _delta_log/_sidecars/ that no remaining checkpoint
// references and that are themselves older than the cutoff are deleted (the age guard keeps the
// sidecars of a checkpoint being written right now).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

struct LogCleanupResult {
  // Paths deleted, in the order they were deleted (log files by version, then sidecars).
  std::vector<std::string> deleted;
  // The checkpoint version kept as the oldest starting point; nullopt when nothing qualified.
  std::optional<int64_t> base_checkpoint_version;
  // now - delta.logRetentionDuration.
  int64_t cutoff_ms = 0;
  // False when delta.enableExpiredLogCleanup is "false" (nothing was looked at).
  bool enabled = true;
};

// Cleans up the log of `snapshot`'s table (its properties decide; the listing covers every
// version in the log, newer ones included). Errors: kCorruption for malformed retention
// properties or an unreadable in-commit timestamp; the FileSystem's error (files deleted before
// it stay deleted: each deletion leaves a loadable table, oldest first). A file that vanished
// meanwhile (a concurrent cleanup) is not an error. Safe to run concurrently with readers,
// writers and other cleanups.
Result<LogCleanupResult> CleanUpExpiredLogs(fs::FileSystem& fs, const Snapshot& snapshot,
                                            int64_t now_ms);

}  // namespace silt::delta
