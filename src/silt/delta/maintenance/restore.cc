#include "silt/delta/maintenance/restore.h"

#include <string>
#include <unordered_set>
#include <vector>

#include "silt/delta/log/commit_history.h"
#include "silt/delta/log/log_replay.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/scan/scan.h"
#include "silt/delta/table/snapshot.h"

namespace silt::delta {

namespace {

// At most this many missing files are named in the error.
inline constexpr size_t kMaxNamedMissing = 10;

}  // namespace

Result<RestoreResult> Restore(fs::FileSystem& fs, const std::string& table_root,
                              const RestoreOptions& options) {
  if (options.version.has_value() == options.timestamp_ms.has_value()) {
    return Status::InvalidArgument("RESTORE needs exactly one of a version and a timestamp");
  }
  SILT_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(fs, table_root, options.transaction));
  const std::shared_ptr<const Snapshot>& current = txn->read_snapshot();
  if (current == nullptr) return Status::NotFound("'{}' is not a Delta table", table_root);

  RestoreResult result;
  if (options.version.has_value()) {
    result.restored_version = *options.version;
  } else {
    SILT_ASSIGN_OR_RETURN(std::optional<int64_t> ict_start,
                          InCommitTimestampStartVersion(current->metadata()));
    SILT_ASSIGN_OR_RETURN(std::vector<CommitTimestamp> commits,
                          ListCommitTimestamps(fs, table_root, ict_start));
    SILT_ASSIGN_OR_RETURN(result.restored_version,
                          VersionAtTimestamp(commits, *options.timestamp_ms));
  }
  if (result.restored_version < 0 || result.restored_version >= current->version()) {
    return Status::InvalidArgument(
        "RESTORE of table '{}' needs a version older than its latest version {}, got {}",
        table_root, current->version(), result.restored_version);
  }
  SnapshotOptions load;
  load.version = result.restored_version;
  load.checkpoint_decoder = options.transaction.checkpoint_decoder != nullptr
                                ? options.transaction.checkpoint_decoder
                                : DefaultParquetCheckpointDecoder();
  SILT_ASSIGN_OR_RETURN(auto target, Snapshot::Load(fs, table_root, load));

  auto keys_of = [&](const Snapshot& s) -> Result<std::unordered_set<FileKey, FileKeyHash>> {
    std::unordered_set<FileKey, FileKeyHash> keys;
    for (const FileRef a : s.files()) {
      SILT_ASSIGN_OR_RETURN(FileKey k, FileKeyOf(a.path(), a.deletion_vector(), table_root));
      keys.insert(std::move(k));
    }
    return keys;
  };
  SILT_ASSIGN_OR_RETURN(auto current_keys, keys_of(*current));
  SILT_ASSIGN_OR_RETURN(auto target_keys, keys_of(*target));

  std::vector<Add> to_add;
  std::vector<std::string> missing;
  for (const FileRef ref : target->files()) {
    const Add a = ref.ToAdd();
    SILT_ASSIGN_OR_RETURN(FileKey k, FileKeyOf(a.path, a.deletion_vector, table_root));
    if (current_keys.count(k) > 0) continue;
    std::vector<std::string> needed;
    SILT_ASSIGN_OR_RETURN(std::string data_path, ResolveDataFilePath(table_root, a.path));
    needed.push_back(std::move(data_path));
    if (a.deletion_vector.has_value() &&
        a.deletion_vector->storage_type != DvStorageType::kInline) {
      SILT_ASSIGN_OR_RETURN(std::string dv_path, a.deletion_vector->FilePath(table_root));
      needed.push_back(std::move(dv_path));
    }
    for (const std::string& path : needed) {
      SILT_ASSIGN_OR_RETURN(bool exists, fs.Exists(path));
      if (!exists) missing.push_back(path);
    }
    Add restored = a;
    restored.data_change = true;
    to_add.push_back(std::move(restored));
  }
  if (!missing.empty()) {
    std::string names;
    for (size_t i = 0; i < missing.size() && i < kMaxNamedMissing; ++i) {
      names += (i > 0 ? ", " : "") + missing[i];
    }
    if (missing.size() > kMaxNamedMissing) {
      names += fmt::format(" and {} more", missing.size() - kMaxNamedMissing);
    }
    return Status::NotFound(
        "cannot RESTORE table '{}' to version {}: {} file(s) it needs no longer exist (deleted by "
        "VACUUM?): {}",
        table_root, result.restored_version, missing.size(), names);
  }

  const int64_t now = txn->NowMillis();
  txn->ReadWholeTable();
  for (const FileRef ref : current->files()) {
    const Add a = ref.ToAdd();
    SILT_ASSIGN_OR_RETURN(FileKey k, FileKeyOf(a.path, a.deletion_vector, table_root));
    if (target_keys.count(k) > 0) continue;
    txn->RemoveFile(RemoveFromAdd(a, now, /*data_change=*/true));
    ++result.files_removed;
    result.bytes_removed += a.size;
  }
  for (Add& a : to_add) {
    result.bytes_added += a.size;
    ++result.files_added;
    txn->AddFile(std::move(a));
  }
  int64_t target_size = 0;
  for (const FileRef a : target->files()) target_size += a.size();
  if (!(target->metadata() == current->metadata())) txn->SetMetadata(target->metadata());
  txn->SetOperation(
      "RESTORE",
      {{"version", std::to_string(result.restored_version)},
       {"timestamp", options.timestamp_ms.has_value() ? std::to_string(*options.timestamp_ms)
                                                      : std::string("null")}},
      {{"numRestoredFiles", std::to_string(result.files_added)},
       {"numRemovedFiles", std::to_string(result.files_removed)},
       {"restoredFilesSize", std::to_string(result.bytes_added)},
       {"removedFilesSize", std::to_string(result.bytes_removed)},
       {"tableSizeAfterRestore", std::to_string(target_size)}});
  SILT_ASSIGN_OR_RETURN(result.commit, txn->Commit());
  return result;
}

}  // namespace silt::delta
