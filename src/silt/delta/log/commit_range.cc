#include "silt/delta/log/commit_range.h"

#include <utility>

#include "silt/delta/actions/action_json.h"
#include "silt/delta/log/log_segment.h"

namespace silt::delta {

Result<std::unique_ptr<CommitRange>> CommitRange::Open(fs::FileSystem& fs, std::string table_root,
                                                       int64_t start_version,
                                                       const CommitRangeOptions& options) {
  if (start_version < 0) {
    return Status::InvalidArgument("commit range from version {} < 0", start_version);
  }
  if (options.end_version.has_value() && *options.end_version < start_version) {
    return Status::InvalidArgument("commit range from version {} to {}: the end is before the "
                                   "start", start_version, *options.end_version);
  }
  std::unique_ptr<CommitRange> range(new CommitRange(fs, std::move(table_root)));
  SILT_ASSIGN_OR_RETURN(std::vector<LogFile> files,
                        ListLogFiles(fs, LogDirFor(range->table_root_), start_version));
  for (LogFile& f : files) {
    if (f.type != LogFileType::kCommit) continue;
    if (options.end_version.has_value() && f.version > *options.end_version) break;
    range->commits_.push_back(std::move(f));
  }
  range->first_version_ = start_version;
  if (range->commits_.empty()) {
    range->last_version_ = start_version - 1;
    return range;
  }
  int64_t first = range->commits_.front().version;
  if (first > start_version) {
    if (!options.allow_missing_start) {
      return Status::NotFound(
          "versions {}..{} of the table at '{}' are no longer in the log (cleaned up); the "
          "earliest commit still there is version {}",
          start_version, first - 1, range->table_root_, first);
    }
    range->missing_ = std::make_pair(start_version, first);
    range->first_version_ = first;
  }
  range->last_version_ = range->commits_.back().version;
  return range;
}

Result<std::optional<CommitActions>> CommitRange::Next() {
  if (next_ >= commits_.size()) return std::optional<CommitActions>();
  const LogFile& file = commits_[next_];
  int64_t expected = first_version_ + static_cast<int64_t>(next_);
  if (file.version != expected) {
    return Status::Corruption("the log of '{}' has no commit for version {} (the next one is {})",
                              table_root_, expected, file.version);
  }
  ++next_;
  Result<std::string> content = fs_.ReadFile(file.path);
  if (!content.ok()) {
    if (content.error().IsNotFound()) {
      return Status::NotFound("the commit of version {} of '{}' disappeared from the log ('{}')",
                              file.version, table_root_, file.path);
    }
    return content.error();
  }
  CommitActions commit;
  commit.version = file.version;
  SILT_ASSIGN_OR_RETURN(commit.actions, ParseCommitFile(*content, file.path));
  std::optional<int64_t> ict;
  for (const Action& a : commit.actions) {
    if (const auto* info = std::get_if<CommitInfo>(&a)) ict = info->in_commit_timestamp;
  }
  if (ict.has_value()) {
    commit.timestamp_ms = *ict;
  } else {
    commit.timestamp_ms = file.modification_time_ms;
    if (previous_timestamp_ms_ != INT64_MIN && commit.timestamp_ms <= previous_timestamp_ms_) {
      commit.timestamp_ms = previous_timestamp_ms_ + 1;
    }
  }
  previous_timestamp_ms_ = commit.timestamp_ms;
  return std::optional<CommitActions>(std::move(commit));
}

}  // namespace silt::delta
