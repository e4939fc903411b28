#include "silt/delta/maintenance/vacuum.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

#include "silt/base/strings.h"
#include "silt/base/time.h"
#include "silt/delta/commit/protocol_support.h"
#include "silt/delta/log/commit_history.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/log/log_replay.h"
#include "silt/delta/log/log_segment.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/table/snapshot.h"
#include "silt/delta/table/table_features.h"
#include "silt/delta/table/table_properties.h"

namespace silt::delta {

namespace {

inline constexpr std::string_view kChangeDataDir = "_change_data";
inline constexpr double kMillisPerHour = 3600.0 * 1000.0;

// The path relative to the table root of a file referenced by the log.
Status Reference(const std::string& path, std::string_view root,
                 std::unordered_set<std::string>* out) {
  SILT_ASSIGN_OR_RETURN(FileKey key, FileKeyOf(path, std::nullopt, root));
  out->insert(std::move(key.path));
  return Status::OK();
}

Status ReferenceDv(const std::optional<DeletionVectorDescriptor>& dv, std::string_view root,
                   std::unordered_set<std::string>* out) {
  if (!dv.has_value() || dv->storage_type == DvStorageType::kInline) return Status::OK();
  if (dv->storage_type == DvStorageType::kAbsolutePath) {
    return Reference(dv->path_or_inline_dv, root, out);
  }
  SILT_ASSIGN_OR_RETURN(std::string file, dv->FilePath(root));
  std::string prefix = std::string(root) + "/";
  if (file.compare(0, prefix.size(), prefix) == 0) file = file.substr(prefix.size());
  out->insert(std::move(file));
  return Status::OK();
}

// Whether a listed file (path relative to the root) is one VACUUM may consider: not in
// _delta_log, and no hidden segment other than _change_data/ at the top and partition folders.
bool Considered(std::string_view rel, const std::vector<std::string>& partition_columns) {
  size_t start = 0;
  bool first = true;
  while (true) {
    size_t slash = rel.find('/', start);
    std::string_view segment =
        rel.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    const bool is_dir = slash != std::string_view::npos;
    if (!segment.empty() && (segment[0] == '_' || segment[0] == '.')) {
      bool allowed = false;
      if (is_dir && first && segment == kChangeDataDir) allowed = true;
      if (is_dir) {
        size_t eq = segment.find('=');
        if (eq != std::string_view::npos) {
          for (const std::string& p : partition_columns) {
            if (EqualsIgnoreAsciiCase(segment.substr(0, eq), p)) allowed = true;
          }
        }
      }
      if (!allowed) return false;
    }
    if (!is_dir) return true;
    start = slash + 1;
    first = false;
  }
}

}  // namespace

Result<VacuumResult> Vacuum(fs::FileSystem& fs, std::string_view table_root,
                            const VacuumOptions& options) {
  SnapshotOptions load;
  load.checkpoint_decoder = options.checkpoint_decoder != nullptr
                                ? options.checkpoint_decoder
                                : DefaultParquetCheckpointDecoder();
  SILT_ASSIGN_OR_RETURN(auto snapshot, Snapshot::Load(fs, table_root, load));
  if (IsFeatureEnabled(snapshot->protocol(), feature::kVacuumProtocolCheck)) {
    SILT_RETURN_NOT_OK(CheckWriteSupported(snapshot->protocol()));
  }
  SILT_ASSIGN_OR_RETURN(int64_t table_retention, DeletedFileRetentionMillis(snapshot->metadata()));

  VacuumResult result;
  result.version = snapshot->version();
  result.dry_run = options.dry_run;
  result.retention_ms = table_retention;
  if (options.retention_hours.has_value()) {
    const double hours = *options.retention_hours;
    if (!(hours >= 0) || !std::isfinite(hours)) {
      return Status::InvalidArgument(
          "VACUUM retention must be a non-negative number of hours, "
          "got {}",
          hours);
    }
    result.retention_ms = static_cast<int64_t>(std::llround(hours * kMillisPerHour));
  }
  if (options.enforce_retention_check && result.retention_ms < table_retention) {
    return Status::InvalidArgument(
        "VACUUM retention of {} hours is shorter than the table's {} ({} hours): files that "
        "readers of older versions or concurrent writers still need could be deleted, corrupting "
        "them. Use a longer retention, or turn off the retention check if no operation on the "
        "table is running or reading versions older than the retention",
        static_cast<double>(result.retention_ms) / kMillisPerHour,
        property::kDeletedFileRetentionDuration,
        static_cast<double>(table_retention) / kMillisPerHour);
  }
  const int64_t now = options.now_ms.value_or(NowMillis());
  result.cutoff_ms = now - result.retention_ms;

  const std::string root(table_root);
  std::unordered_set<std::string> referenced;
  for (const FileRef a : snapshot->files()) {
    SILT_RETURN_NOT_OK(Reference(std::string(a.path()), root, &referenced));
    SILT_RETURN_NOT_OK(ReferenceDv(a.deletion_vector(), root, &referenced));
  }
  for (const Remove& r : snapshot->tombstones()) {
    if (r.deletion_timestamp.value_or(0) < result.cutoff_ms) continue;
    SILT_RETURN_NOT_OK(Reference(r.path, root, &referenced));
    SILT_RETURN_NOT_OK(ReferenceDv(r.deletion_vector, root, &referenced));
  }
  // cdc files of the commits within the retention (newest first, until one is older).
  const std::string log_dir = LogDirFor(root);
  SILT_ASSIGN_OR_RETURN(std::vector<LogFile> log_files, ListLogFiles(fs, log_dir));
  for (auto it = log_files.rbegin(); it != log_files.rend(); ++it) {
    if (it->type != LogFileType::kCommit) continue;
    if (it->modification_time_ms < result.cutoff_ms) break;
    Result<std::vector<Action>> actions = ReadCommit(fs, root, it->version);
    if (!actions.ok()) {
      if (actions.error().IsNotFound()) continue;  // cleaned up meanwhile
      return actions.error();
    }
    for (const Action& a : *actions) {
      if (const auto* cdc = std::get_if<AddCDCFile>(&a)) {
        SILT_RETURN_NOT_OK(Reference(cdc->path, root, &referenced));
      }
    }
  }

  fs::ListOptions list;
  list.recursive = true;
  SILT_ASSIGN_OR_RETURN(std::vector<fs::FileInfo> listed, fs.List(root, list));
  const std::string prefix = root + "/";
  std::vector<fs::FileInfo> candidates;
  for (const fs::FileInfo& f : listed) {
    if (f.is_dir) continue;
    std::string_view rel = f.path;
    if (rel.compare(0, prefix.size(), prefix) == 0) rel.remove_prefix(prefix.size());
    if (!Considered(rel, snapshot->partition_columns())) continue;
    ++result.files_scanned;
    if (referenced.count(std::string(rel)) > 0) continue;
    if (f.modification_time_ms >= result.cutoff_ms) continue;
    candidates.push_back(f);
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const fs::FileInfo& a, const fs::FileInfo& b) { return a.path < b.path; });
  for (const fs::FileInfo& f : candidates) {
    if (!options.dry_run) {
      Status s = fs.DeleteFile(f.path);
      if (s.IsNotFound()) continue;
      SILT_RETURN_NOT_OK(s);
    }
    result.files.push_back(f.path);
    result.bytes += f.size;
  }
  return result;
}

}  // namespace silt::delta
