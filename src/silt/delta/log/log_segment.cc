#include "silt/delta/log/log_segment.h"

#include <algorithm>
#include <map>
#include <set>

#include "silt/base/logging.h"
#include "silt/delta/log/last_checkpoint.h"

namespace silt::delta {

namespace {

// The complete checkpoints of one version, by kind.
struct CheckpointsAtVersion {
  const LogFile* classic = nullptr;
  const LogFile* uuid_named = nullptr;
  // num_parts -> part -> file
  std::map<int32_t, std::map<int32_t, const LogFile*>> multi_part;

  // The files of one complete checkpoint (preferring a single file), or empty.
  std::vector<LogFile> Complete() const {
    if (classic != nullptr) return {*classic};
    if (uuid_named != nullptr) return {*uuid_named};
    for (const auto& [num_parts, parts] : multi_part) {
      if (static_cast<int32_t>(parts.size()) != num_parts) continue;  // a part is missing
      std::vector<LogFile> files;
      files.reserve(parts.size());
      for (const auto& [part, file] : parts) files.push_back(*file);
      return files;
    }
    return {};
  }
};

}  // namespace

Result<std::vector<LogFile>> ListLogFiles(fs::FileSystem& fs, std::string_view log_dir,
                                          std::optional<int64_t> start_version) {
  fs::ListOptions options;
  if (start_version.has_value()) {
    // "<log>/00000000000000000010" sorts just before every file of version 10.
    options.start_after = fs::JoinPath(log_dir, VersionPrefix(*start_version));
  }
  SILT_ASSIGN_OR_RETURN(std::vector<fs::FileInfo> infos, fs.List(std::string(log_dir), options));
  std::vector<LogFile> files;
  files.reserve(infos.size());
  for (fs::FileInfo& info : infos) {
    if (info.is_dir) continue;
    std::optional<LogFile> file = ParseLogFileName(fs::BaseName(info.path));
    if (!file.has_value()) continue;
    // Filter again: a FileSystem may list more than asked.
    if (start_version.has_value() && file->version < *start_version) continue;
    file->path = std::move(info.path);
    file->size = info.size;
    file->modification_time_ms = info.modification_time_ms;
    files.push_back(std::move(*file));
  }
  // Listings are sorted by path; sort by name anyway so that a FileSystem returning paths in
  // another form cannot reorder versions.
  std::stable_sort(files.begin(), files.end(), [](const LogFile& a, const LogFile& b) {
    return fs::BaseName(a.path) < fs::BaseName(b.path);
  });
  return files;
}

Result<LogSegment> BuildLogSegmentFromFiles(std::string_view log_dir,
                                            const std::vector<LogFile>& files,
                                            const LogSegmentOptions& options) {
  if (options.version.has_value() && *options.version < 0) {
    return Status::InvalidArgument("table version {} is negative", *options.version);
  }
  std::vector<const LogFile*> commits;
  std::map<int64_t, CheckpointsAtVersion> checkpoints;
  for (const LogFile& file : files) {
    switch (file.type) {
      case LogFileType::kCommit:
        commits.push_back(&file);
        break;
      case LogFileType::kClassicCheckpoint:
        if (!options.ignore_checkpoints) checkpoints[file.version].classic = &file;
        break;
      case LogFileType::kUuidCheckpoint:
        if (!options.ignore_checkpoints && checkpoints[file.version].uuid_named == nullptr) {
          checkpoints[file.version].uuid_named = &file;
        }
        break;
      case LogFileType::kMultiPartCheckpoint:
        if (!options.ignore_checkpoints) {
          checkpoints[file.version].multi_part[file.num_parts][file.part] = &file;
        }
        break;
      case LogFileType::kCompaction:
      case LogFileType::kChecksum:
        break;  // optional; not needed to reconstruct a version
    }
  }
  std::sort(commits.begin(), commits.end(),
            [](const LogFile* a, const LogFile* b) { return a->version < b->version; });

  // Complete checkpoints, newest first.
  std::vector<std::pair<int64_t, std::vector<LogFile>>> complete;
  for (auto it = checkpoints.rbegin(); it != checkpoints.rend(); ++it) {
    std::vector<LogFile> parts = it->second.Complete();
    if (!parts.empty()) complete.emplace_back(it->first, std::move(parts));
  }

  std::optional<int64_t> latest;
  if (!commits.empty()) latest = commits.back()->version;
  if (!complete.empty()) latest = std::max(latest.value_or(0), complete.front().first);
  if (!latest.has_value()) {
    return Status::NotFound("not a Delta table: no commit or checkpoint files in '{}'", log_dir);
  }
  int64_t target = options.version.value_or(*latest);
  if (target > *latest) {
    return Status::NotFound("version {} of the table does not exist: the latest version in '{}' is {}",
                            target, log_dir, *latest);
  }

  LogSegment segment;
  segment.log_dir = std::string(log_dir);
  segment.version = target;
  for (auto& [version, parts] : complete) {
    if (version <= target) {
      segment.checkpoint_version = version;
      segment.checkpoint_files = std::move(parts);
      break;
    }
  }

  int64_t expected = segment.checkpoint_version.has_value() ? *segment.checkpoint_version + 1 : 0;
  for (const LogFile* commit : commits) {
    if (commit->version < expected) continue;
    if (commit->version > target) break;
    if (commit->version != expected) break;  // a gap; reported below
    segment.commits.push_back(*commit);
    ++expected;
  }
  if (expected <= target) {
    // Version `expected` is missing.
    bool nothing_before = !segment.checkpoint_version.has_value() && segment.commits.empty();
    if (nothing_before && options.version.has_value()) {
      int64_t first = commits.empty() ? *latest : commits.front()->version;
      return Status::NotFound(
          "version {} can no longer be reconstructed from '{}': the log starts at version {} and "
          "no checkpoint at or below version {} remains",
          target, log_dir, first, target);
    }
    if (segment.checkpoint_version.has_value()) {
      return Status::Corruption(
          "the log in '{}' is missing the commit file of version {} ({}), needed after the "
          "checkpoint at version {} to reach version {}",
          log_dir, expected, CommitFileName(expected), *segment.checkpoint_version, target);
    }
    return Status::Corruption(
        "the log in '{}' is missing the commit file of version {} ({}), needed to reach version "
        "{} (there is no checkpoint at or below it)",
        log_dir, expected, CommitFileName(expected), target);
  }
  if (!segment.commits.empty()) {
    segment.last_commit_modification_time_ms = segment.commits.back().modification_time_ms;
  }
  return segment;
}

Result<LogSegment> BuildLogSegment(fs::FileSystem& fs, std::string_view table_root,
                                   const LogSegmentOptions& options) {
  std::string log_dir = LogDirFor(table_root);
  std::optional<int64_t> start;
  if (!options.ignore_checkpoints) {
    Result<std::optional<LastCheckpoint>> hint = ReadLastCheckpoint(fs, log_dir);
    if (!hint.ok()) {
      SILT_LOG_WARN("ignoring the _last_checkpoint hint of '{}': {}", log_dir,
                    hint.error().ToString());
    } else if (hint->has_value() &&
               (!options.version.has_value() || (*hint)->version <= *options.version)) {
      start = (*hint)->version;
    }
  }
  if (start.has_value()) {
    SILT_ASSIGN_OR_RETURN(std::vector<LogFile> files, ListLogFiles(fs, log_dir, start));
    Result<LogSegment> segment = BuildLogSegmentFromFiles(log_dir, files, options);
    // Usable only when the listing from the hint found a complete checkpoint to start from;
    // otherwise the hint is stale or wrong and the whole log is listed.
    if (segment.ok() && segment->checkpoint_version.has_value() &&
        *segment->checkpoint_version >= *start) {
      return segment;
    }
    SILT_LOG_DEBUG("the _last_checkpoint hint of '{}' (version {}) is not usable; listing the "
                   "whole log", log_dir, *start);
  }
  SILT_ASSIGN_OR_RETURN(std::vector<LogFile> files, ListLogFiles(fs, log_dir));
  return BuildLogSegmentFromFiles(log_dir, files, options);
}

}  // namespace silt::delta
