// Reading the commits of a version range one at a time (PROTOCOL.md "Delta Log Entries"): the
// incremental log API that streaming sources and change feeds build on. The range's commit
// files are listed once when it is opened; their contents are read and parsed one commit per
// Next() call, so memory holds one commit's actions at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/log/log_path.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

// One commit of a range.
struct CommitActions {
  int64_t version = 0;
  // Milliseconds since the epoch: the commit's commitInfo.inCommitTimestamp when it has one,
  // else its file's modification time (forced to increase within the range, as Spark does).
  int64_t timestamp_ms = 0;
  // Every action of the commit, in file order (callers pick the file actions they need).
  std::vector<Action> actions;
};

struct CommitRangeOptions {
  // The last version of the range (inclusive); the latest commit in the log when unset. A
  // version beyond the latest only means the range ends at the latest.
  std::optional<int64_t> end_version;
  // What to do when the first versions of the range are no longer in the log (log cleanup):
  // fail with kNotFound (the default), or start at the earliest commit still there and report
  // the skipped versions through missing_versions().
  bool allow_missing_start = false;
};

// The commits start_version..end_version of one table, in version order.
//
// Errors of Open:
//  - kInvalidArgument for a negative start or an end before the start;
//  - kNotFound naming the missing versions ("versions 3..5 of <table> are no longer in the log;
//    the earliest commit is 6") when the range starts before the earliest commit still in the
//    log and allow_missing_start is false;
//  - the FileSystem's error when listing fails.
// A range that starts after the latest commit is empty (Next() returns nullopt at once).
// Errors of Next: kCorruption naming the missing version when the listed commits have a gap,
// kNotFound when a listed commit disappeared before it was read, kCorruption for a malformed
// commit (file and line).
// Thread safety: one thread at a time.
class CommitRange {
 public:
  static Result<std::unique_ptr<CommitRange>> Open(fs::FileSystem& fs, std::string table_root,
                                                   int64_t start_version,
                                                   const CommitRangeOptions& options = {});

  CommitRange(const CommitRange&) = delete;
  CommitRange& operator=(const CommitRange&) = delete;

  // The next commit, or nullopt after the last one.
  Result<std::optional<CommitActions>> Next();

  // The versions the range will return: [first_version, last_version]; empty when
  // last_version < first_version.
  int64_t first_version() const { return first_version_; }
  int64_t last_version() const { return last_version_; }
  // With allow_missing_start: the versions [start, first) that were cleaned up; nullopt when
  // none were.
  std::optional<std::pair<int64_t, int64_t>> missing_versions() const { return missing_; }

 private:
  CommitRange(fs::FileSystem& fs, std::string table_root)
      : fs_(fs), table_root_(std::move(table_root)) {}

  fs::FileSystem& fs_;
  std::string table_root_;
  std::vector<LogFile> commits_;
  size_t next_ = 0;
  int64_t first_version_ = 0;
  int64_t last_version_ = -1;
  int64_t previous_timestamp_ms_ = INT64_MIN;
  std::optional<std::pair<int64_t, int64_t>> missing_;
};

}  // namespace silt::delta
