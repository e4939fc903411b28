// Commit timestamps and timestamp-based time travel (PROTOCOL.md "In-Commit Timestamps";
// digest §2 and §12.2), and reading single commits, as history, time travel by timestamp and
// streaming sources need them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/table/table_properties.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

struct CommitTimestamp {
  int64_t version = 0;
  // Milliseconds since the epoch.
  int64_t timestamp_ms = 0;
  // True when it is the commit's in-commit timestamp; false for the file's modification time.
  bool in_commit = false;
};

// The version from which commits carry in-commit timestamps, per the table's (latest) metadata:
// std::nullopt when delta.enableInCommitTimestamps is not "true"; the enablement version
// property, or 0 when it is absent. kCorruption for a non-integer enablement version.
Result<std::optional<int64_t>> InCommitTimestampStartVersion(const Metadata& metadata);

// The actions of the commit of `version` of the table at `table_root`. kNotFound when that
// commit file does not exist (never written, or cleaned up).
Result<std::vector<Action>> ReadCommit(fs::FileSystem& fs, std::string_view table_root,
                                       int64_t version);

// The commit timestamps of every commit still in the log, in version order. Versions at or
// after `ict_start_version` use commitInfo.inCommitTimestamp (read from the commit; kCorruption
// when it is missing there); the others use the commit file's modification time, forced to
// increase as Spark does (a time not after the previous commit's reads as that time + 1 ms).
// kNotFound "not a Delta table" when there are no commits.
Result<std::vector<CommitTimestamp>> ListCommitTimestamps(
    fs::FileSystem& fs, std::string_view table_root, std::optional<int64_t> ict_start_version);

// The commit timestamps of the commits `first`..`last` (inclusive) still in the log, as above
// but listing from `first` and reading no commit after `last`; the monotonic rule starts at
// `first` (as Spark's change feed does for the commits of its range). Empty when none is left.
Result<std::vector<CommitTimestamp>> ListCommitTimestamps(fs::FileSystem& fs,
                                                          std::string_view table_root,
                                                          std::optional<int64_t> ict_start_version,
                                                          int64_t first, int64_t last);

// Time travel "as of timestamp": the latest version whose commit timestamp is at or before
// `timestamp_ms`. kNotFound when the timestamp is before the earliest commit still in the log.
Result<int64_t> VersionAtTimestamp(const std::vector<CommitTimestamp>& commits,
                                   int64_t timestamp_ms);

}  // namespace silt::delta
