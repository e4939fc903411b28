#include "silt/delta/maintenance/log_cleanup.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "silt/delta/actions/action_json.h"
#include "silt/delta/checkpoint/checkpoint_actions.h"
#include "silt/delta/checkpoint/checkpoint_reader.h"
#include "silt/delta/log/commit_history.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/log/log_segment.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/table/table_features.h"
#include "silt/delta/table/table_properties.h"

namespace silt::delta {

namespace {

inline constexpr std::string_view kEnableExpiredLogCleanup = "delta.enableExpiredLogCleanup";

// The commit timestamp of `file`: its in-commit timestamp from `ict_start` on, else its
// modification time. std::nullopt when an ICT commit lacks one (then it cannot be aged).
Result<int64_t> CommitTime(fs::FileSystem& fs, const Snapshot& snapshot, const LogFile& file,
                           std::optional<int64_t> ict_start) {
  if (!ict_start.has_value() || file.version < *ict_start) return file.modification_time_ms;
  SILT_ASSIGN_OR_RETURN(std::vector<Action> actions,
                        ReadCommit(fs, snapshot.table_root(), file.version));
  for (const Action& a : actions) {
    if (const auto* ci = std::get_if<CommitInfo>(&a)) {
      if (ci->in_commit_timestamp.has_value()) return *ci->in_commit_timestamp;
    }
  }
  return Status::Corruption(
      "commit {} of table {} has no inCommitTimestamp although in-commit "
      "timestamps are enabled from version {}",
      file.version, snapshot.table_root(), *ict_start);
}

Status DeleteIfPresent(fs::FileSystem& fs, const std::string& path,
                       std::vector<std::string>* deleted) {
  Status s = fs.DeleteFile(path);
  if (s.ok()) {
    deleted->push_back(path);
    return Status::OK();
  }
  if (s.IsNotFound()) return Status::OK();
  return s;
}

// The sidecar file names (decoded, relative to _sidecars/) referenced by a checkpoint file.
Status CollectSidecarRefs(fs::FileSystem& fs, const std::string& log_dir, const LogFile& file,
                          std::set<std::string>* refs) {
  auto take = [&](const std::vector<Action>& actions) -> Status {
    for (const Action& a : actions) {
      if (const auto* sc = std::get_if<Sidecar>(&a)) {
        SILT_ASSIGN_OR_RETURN(std::string path, SidecarFilePath(log_dir, *sc));
        refs->insert(path);
      }
    }
    return Status::OK();
  };
  if (file.is_json) {
    SILT_ASSIGN_OR_RETURN(std::string content, fs.ReadFile(file.path));
    SILT_ASSIGN_OR_RETURN(std::vector<Action> actions, ParseCommitFile(content, file.path));
    return take(actions);
  }
  return DefaultParquetCheckpointDecoder()->Decode(
      fs, file.path, [&](const columnar::RecordBatch& batch) -> Status {
        SILT_ASSIGN_OR_RETURN(std::vector<Action> actions, ActionsFromCheckpointBatch(batch));
        return take(actions);
      });
}

// A checkpoint version is complete when it has a classic or UUID-named file, or every part of
// a multi-part one.
std::set<int64_t> CompleteCheckpointVersions(const std::vector<LogFile>& files) {
  std::set<int64_t> out;
  std::map<std::pair<int64_t, int32_t>, std::set<int32_t>> parts;
  for (const LogFile& f : files) {
    switch (f.type) {
      case LogFileType::kClassicCheckpoint:
      case LogFileType::kUuidCheckpoint:
        out.insert(f.version);
        break;
      case LogFileType::kMultiPartCheckpoint: {
        auto& seen = parts[{f.version, f.num_parts}];
        seen.insert(f.part);
        if (static_cast<int32_t>(seen.size()) == f.num_parts) out.insert(f.version);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

}  // namespace

Result<LogCleanupResult> CleanUpExpiredLogs(fs::FileSystem& fs, const Snapshot& snapshot,
                                            int64_t now_ms) {
  LogCleanupResult result;
  SILT_ASSIGN_OR_RETURN(result.enabled,
                        GetBoolProperty(snapshot.metadata(), kEnableExpiredLogCleanup, true));
  if (!result.enabled) return result;
  SILT_ASSIGN_OR_RETURN(int64_t retention, LogRetentionMillis(snapshot.metadata()));
  result.cutoff_ms = now_ms - retention;
  SILT_ASSIGN_OR_RETURN(std::optional<int64_t> ict_start,
                        InCommitTimestampStartVersion(snapshot.metadata()));

  const std::string log_dir = LogDirFor(snapshot.table_root());
  SILT_ASSIGN_OR_RETURN(std::vector<LogFile> files, ListLogFiles(fs, log_dir));

  // The newest version whose commit is older than the cutoff. Commit times only grow with the
  // version, so the walk stops at the first commit that is not expired.
  std::optional<int64_t> newest_expired;
  std::optional<int64_t> previous_time;
  for (const LogFile& f : files) {
    if (f.type != LogFileType::kCommit) continue;
    SILT_ASSIGN_OR_RETURN(int64_t t, CommitTime(fs, snapshot, f, ict_start));
    if (previous_time.has_value() && t <= *previous_time &&
        !(ict_start.has_value() && f.version >= *ict_start)) {
      t = *previous_time + 1;
    }
    previous_time = t;
    if (t >= result.cutoff_ms) break;
    newest_expired = f.version;
  }

  if (newest_expired.has_value()) {
    std::set<int64_t> complete = CompleteCheckpointVersions(files);
    auto it = complete.upper_bound(*newest_expired);
    if (it != complete.begin()) result.base_checkpoint_version = *std::prev(it);
  }

  std::set<std::string> names_in_log;
  SILT_ASSIGN_OR_RETURN(std::vector<fs::FileInfo> raw_listing, fs.List(log_dir));
  for (const fs::FileInfo& info : raw_listing) {
    names_in_log.insert(std::string(fs::BaseName(info.path)));
  }

  if (result.base_checkpoint_version.has_value()) {
    const int64_t base = *result.base_checkpoint_version;
    for (const LogFile& f : files) {
      bool expired = f.type == LogFileType::kCompaction ? f.version <= base : f.version < base;
      if (!expired) continue;
      SILT_RETURN_NOT_OK(DeleteIfPresent(fs, f.path, &result.deleted));
      std::string side = "." + std::string(fs::BaseName(f.path)) + ".crc";
      if (names_in_log.count(side) > 0) {
        SILT_RETURN_NOT_OK(DeleteIfPresent(fs, fs::JoinPath(log_dir, side), &result.deleted));
      }
    }
  }

  // Sidecars no remaining checkpoint references.
  const std::string sidecar_dir = fs::JoinPath(log_dir, kSidecarDirName);
  SILT_ASSIGN_OR_RETURN(std::vector<fs::FileInfo> sidecars, fs.List(sidecar_dir));
  bool any_old = false;
  for (const fs::FileInfo& s : sidecars) {
    if (!s.is_dir && s.modification_time_ms < result.cutoff_ms) any_old = true;
  }
  if (!any_old) return result;
  const bool v2_feature = IsFeatureEnabled(snapshot.protocol(), feature::kV2Checkpoint);
  std::set<std::string> refs;
  for (const LogFile& f : files) {
    if (!f.is_checkpoint()) continue;
    if (result.base_checkpoint_version.has_value() && f.version < *result.base_checkpoint_version) {
      continue;  // deleted above
    }
    // Only V2-spec checkpoints reference sidecars: UUID-named ones, and classic-named ones of a
    // v2Checkpoint table.
    if (f.type == LogFileType::kMultiPartCheckpoint) continue;
    if (f.type == LogFileType::kClassicCheckpoint && !v2_feature) continue;
    Status s = CollectSidecarRefs(fs, log_dir, f, &refs);
    if (s.IsNotFound()) continue;  // removed concurrently
    SILT_RETURN_NOT_OK(s);
  }
  for (const fs::FileInfo& s : sidecars) {
    if (s.is_dir || s.modification_time_ms >= result.cutoff_ms) continue;
    if (refs.count(s.path) > 0) continue;
    SILT_RETURN_NOT_OK(DeleteIfPresent(fs, s.path, &result.deleted));
  }
  return result;
}

}  // namespace silt::delta
