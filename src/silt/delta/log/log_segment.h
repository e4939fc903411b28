// Listing a table's _delta_log and choosing the files that reconstruct one version (digest §2,
// PROTOCOL.md "Checkpoints"): the newest complete checkpoint at or below the version, plus the
// contiguous commits after it up to the version. All I/O goes through fs::FileSystem.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/delta/log/log_path.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

// Lists "<log_dir>", keeping only recognized log files (log_path.h), sorted by name (so by
// version). With `start_version`, only files of that version or later are listed (a
// start_after listing, cheap on object stores). A missing directory lists as empty.
Result<std::vector<LogFile>> ListLogFiles(fs::FileSystem& fs, std::string_view log_dir,
                                          std::optional<int64_t> start_version = std::nullopt);

struct LogSegmentOptions {
  // The version to reconstruct; the latest when unset.
  std::optional<int64_t> version;
  // Build the segment from commits alone (from version 0), as if there were no checkpoints.
  // Only possible while every commit is still in the log; for verification and tests.
  bool ignore_checkpoints = false;
};

// The files that reconstruct one version of a table.
struct LogSegment {
  std::string log_dir;
  // The version this segment reconstructs.
  int64_t version = 0;
  // The checkpoint replay starts from, when there is one: all its parts (one file unless
  // multi-part), sorted by part number.
  std::optional<int64_t> checkpoint_version;
  std::vector<LogFile> checkpoint_files;
  // Commits after the checkpoint (or from version 0), in ascending version order, ending at
  // `version`; contiguous.
  std::vector<LogFile> commits;
  // The last modification time of commit `version` (0 when the segment is only a checkpoint).
  int64_t last_commit_modification_time_ms = 0;
};

// Builds the segment for `options.version` (the latest by default) of the table at
// `table_root`.
//
// _last_checkpoint is read first and, when it names a checkpoint at or below the wanted
// version, listing starts there; a missing, stale, empty or corrupt hint (or one naming a
// checkpoint that is absent or incomplete) only means listing from the start. A multi-part
// checkpoint counts only when all of its parts are present.
//
// Errors:
//  - kNotFound "not a Delta table" when the log is missing or holds no commit or checkpoint;
//  - kNotFound when `options.version` is beyond the latest version, or when it can no longer be
//    reconstructed (its commits were cleaned up and no checkpoint at or below it remains);
//  - kInvalidArgument for a negative version;
//  - kCorruption naming the missing version when the commits after the checkpoint have a gap;
//  - the FileSystem's error when listing fails.
Result<LogSegment> BuildLogSegment(fs::FileSystem& fs, std::string_view table_root,
                                   const LogSegmentOptions& options = {});

// As BuildLogSegment, from files already listed (the pure part, for tests and for callers that
// listed themselves). `files` must be sorted as ListLogFiles returns them.
Result<LogSegment> BuildLogSegmentFromFiles(std::string_view log_dir,
                                            const std::vector<LogFile>& files,
                                            const LogSegmentOptions& options = {});

}  // namespace silt::delta
