#include "silt/delta/log/commit_history.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "silt/base/time.h"
#include "silt/delta/actions/action_json.h"
#include "silt/delta/log/log_segment.h"
#include "silt/json/json_reader.h"

namespace silt::delta {

namespace {

// The inCommitTimestamp of a commit: the protocol puts commitInfo on the first line; any line
// is accepted.
Result<int64_t> ReadInCommitTimestamp(fs::FileSystem& fs, const LogFile& commit,
                                      json::Parser& parser) {
  SILT_ASSIGN_OR_RETURN(std::string content, fs.ReadFile(commit.path));
  SILT_ASSIGN_OR_RETURN(std::vector<Action> actions,
                        ParseCommitFile(parser, content, commit.path));
  for (const Action& action : actions) {
    if (const auto* info = std::get_if<CommitInfo>(&action);
        info != nullptr && info->in_commit_timestamp.has_value()) {
      return *info->in_commit_timestamp;
    }
  }
  return Status::Corruption(
      "commit '{}' has no commitInfo.inCommitTimestamp although in-commit timestamps are "
      "enabled from version {} on",
      commit.path, commit.version);
}

}  // namespace

Result<std::optional<int64_t>> InCommitTimestampStartVersion(const Metadata& metadata) {
  auto enabled = metadata.configuration.find(std::string(property::kEnableInCommitTimestamps));
  if (enabled == metadata.configuration.end() || enabled->second != "true") {
    return std::optional<int64_t>();
  }
  auto since =
      metadata.configuration.find(std::string(property::kInCommitTimestampEnablementVersion));
  if (since == metadata.configuration.end()) return std::optional<int64_t>(0);
  const std::string& text = since->second;
  int64_t version = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (error != std::errc() || end != text.data() + text.size() || version < 0) {
    return Status::Corruption("table property {} = '{}' is not a version",
                              property::kInCommitTimestampEnablementVersion, text);
  }
  return std::optional<int64_t>(version);
}

Result<std::vector<Action>> ReadCommit(fs::FileSystem& fs, std::string_view table_root,
                                       int64_t version) {
  if (version < 0) return Status::InvalidArgument("table version {} is negative", version);
  std::string path = fs::JoinPath(LogDirFor(table_root), CommitFileName(version));
  Result<std::string> content = fs.ReadFile(path);
  if (!content.ok()) {
    if (content.error().IsNotFound()) {
      return Status::NotFound("the commit of version {} is not in the log ('{}')", version,
                              path);
    }
    return content.error();
  }
  return ParseCommitFile(*content, path);
}

namespace {

Result<std::vector<CommitTimestamp>> CommitTimestampsOf(fs::FileSystem& fs,
                                                        const std::vector<LogFile>& files,
                                                        std::optional<int64_t> ict_start_version,
                                                        int64_t last) {
  std::vector<CommitTimestamp> out;
  json::Parser parser;
  for (const LogFile& file : files) {
    if (file.type != LogFileType::kCommit) continue;
    if (file.version > last) break;
    CommitTimestamp entry;
    entry.version = file.version;
    if (ict_start_version.has_value() && file.version >= *ict_start_version) {
      SILT_ASSIGN_OR_RETURN(entry.timestamp_ms, ReadInCommitTimestamp(fs, file, parser));
      entry.in_commit = true;
    } else {
      entry.timestamp_ms = file.modification_time_ms;
      if (!out.empty() && entry.timestamp_ms <= out.back().timestamp_ms) {
        entry.timestamp_ms = out.back().timestamp_ms + 1;
      }
    }
    out.push_back(entry);
  }
  return out;
}

}  // namespace

Result<std::vector<CommitTimestamp>> ListCommitTimestamps(
    fs::FileSystem& fs, std::string_view table_root, std::optional<int64_t> ict_start_version) {
  std::string log_dir = LogDirFor(table_root);
  SILT_ASSIGN_OR_RETURN(std::vector<LogFile> files, ListLogFiles(fs, log_dir));
  SILT_ASSIGN_OR_RETURN(
      std::vector<CommitTimestamp> out,
      CommitTimestampsOf(fs, files, ict_start_version, std::numeric_limits<int64_t>::max()));
  if (out.empty()) {
    return Status::NotFound("not a Delta table: no commit files in '{}'", log_dir);
  }
  return out;
}

Result<std::vector<CommitTimestamp>> ListCommitTimestamps(fs::FileSystem& fs,
                                                          std::string_view table_root,
                                                          std::optional<int64_t> ict_start_version,
                                                          int64_t first, int64_t last) {
  SILT_ASSIGN_OR_RETURN(std::vector<LogFile> files,
                        ListLogFiles(fs, LogDirFor(table_root), first));
  return CommitTimestampsOf(fs, files, ict_start_version, last);
}

Result<int64_t> VersionAtTimestamp(const std::vector<CommitTimestamp>& commits,
                                   int64_t timestamp_ms) {
  if (commits.empty() || timestamp_ms < commits.front().timestamp_ms) {
    return Status::NotFound(
        "no version at or before timestamp {} ({}): the earliest available commit is {}",
        timestamp_ms, FormatTimestampMillis(timestamp_ms),
        commits.empty() ? std::string("none")
                        : fmt::format("version {} at {}", commits.front().version,
                                      FormatTimestampMillis(commits.front().timestamp_ms)));
  }
  // Timestamps increase with versions (ICT and the monotonic mtime rule guarantee it).
  auto it = std::upper_bound(
      commits.begin(), commits.end(), timestamp_ms,
      [](int64_t ts, const CommitTimestamp& c) { return ts < c.timestamp_ms; });
  return std::prev(it)->version;
}

}  // namespace silt::delta
