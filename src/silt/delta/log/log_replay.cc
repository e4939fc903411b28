#include "silt/delta/log/log_replay.h"

#include <algorithm>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "silt/delta/actions/action_json.h"
#include "silt/delta/actions/path_encoding.h"
#include "silt/delta/checkpoint/checkpoint_reader.h"
#include "silt/json/json_reader.h"

namespace silt::delta {

size_t FileKeyHash::operator()(const FileKey& key) const {
  size_t h = std::hash<std::string>()(key.path);
  return h ^ (std::hash<std::string>()(key.dv_id) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

namespace {

// "file:///a" / "file://localhost/a" / "file:/a" -> "/a"; anything else unchanged.
std::string_view StripLocalFileScheme(std::string_view path) {
  if (!path.starts_with("file:")) return path;
  std::string_view rest = path.substr(5);
  if (rest.starts_with("//localhost/")) return rest.substr(11);
  if (rest.starts_with("///")) return rest.substr(2);
  if (rest.starts_with("/") && !rest.starts_with("//")) return rest;
  return path;  // "file://host/...": another machine, leave it alone
}

}  // namespace

Result<FileKey> FileKeyOf(const std::string& path,
                          const std::optional<DeletionVectorDescriptor>& dv,
                          std::string_view table_root) {
  FileKey key;
  SILT_ASSIGN_OR_RETURN(std::string decoded, DecodePath(path));
  std::string_view canonical = StripLocalFileScheme(decoded);
  if (!table_root.empty()) {
    std::string_view root = StripLocalFileScheme(table_root);
    while (root.size() > 1 && root.back() == '/') root.remove_suffix(1);
    if (canonical.size() > root.size() + 1 && canonical.starts_with(root) &&
        canonical[root.size()] == '/') {
      canonical.remove_prefix(root.size() + 1);
    }
  }
  key.path = std::string(canonical);
  if (dv.has_value()) key.dv_id = dv->UniqueId();
  return key;
}

LogReplayer::LogReplayer(int64_t version, std::string log_dir)
    : log_dir_(std::move(log_dir)), table_root_(fs::ParentPath(log_dir_)) {
  state_.version = version;
}

Status LogReplayer::Apply(Action& action, bool from_commit) {
  return std::visit(
      [&](auto& a) -> Status {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, Add> || std::is_same_v<T, Remove>) {
          SILT_ASSIGN_OR_RETURN(FileKey key, FileKeyOf(a.path, a.deletion_vector, table_root_));
          // The newest action for a logical file decides; older ones are shadowed. Checkpoint
          // actions are already reconciled (one per file) and come last, so they only look up.
          if (from_commit) {
            if (!seen_files_.insert(std::move(key)).second) return Status::OK();
          } else if (seen_files_.contains(key)) {
            return Status::OK();
          }
          if constexpr (std::is_same_v<T, Add>) {
            state_.files.push_back(std::move(a));
          } else {
            state_.tombstones.push_back(std::move(a));
          }
        } else if constexpr (std::is_same_v<T, Protocol>) {
          if (!has_protocol_) {
            state_.protocol = std::move(a);
            has_protocol_ = true;
          }
        } else if constexpr (std::is_same_v<T, Metadata>) {
          if (!has_metadata_) {
            state_.metadata = std::move(a);
            has_metadata_ = true;
          }
        } else if constexpr (std::is_same_v<T, SetTransaction>) {
          state_.app_transactions.try_emplace(a.app_id, std::move(a));
        } else if constexpr (std::is_same_v<T, DomainMetadata>) {
          seen_domains_.try_emplace(a.domain, std::move(a));
        } else if constexpr (std::is_same_v<T, CommitInfo>) {
          // Only the commitInfo of the version being reconstructed is part of its state; the
          // caller (AddCommit) knows which commit this is.
          if (from_commit && last_commit_version_ == state_.version && !state_.commit_info) {
            state_.in_commit_timestamp = a.in_commit_timestamp;
            state_.commit_info = std::move(a);
          }
        }
        // cdc: not part of a snapshot. sidecar / checkpointMetadata: the checkpoint reader's;
        // illegal in commits, and ignored there.
        return Status::OK();
      },
      action);
}

Status LogReplayer::AddCommit(int64_t version, std::vector<Action> actions,
                              int64_t modification_time_ms) {
  if (seen_checkpoint_) {
    return Status::InvalidArgument("commit {} fed to log replay after checkpoint actions",
                                   version);
  }
  if (version > state_.version ||
      (last_commit_version_.has_value() && version >= *last_commit_version_)) {
    return Status::InvalidArgument(
        "commit {} fed to log replay out of order (replay of version {} goes newest first; "
        "previous commit {})",
        version, state_.version, last_commit_version_.value_or(-1));
  }
  last_commit_version_ = version;
  if (version == state_.version) state_.timestamp_ms = modification_time_ms;
  // Last line first: together with newest-commit-first this is exactly the reverse of applying
  // every action in log order, so a (protocol-violating) commit that removes and re-adds the
  // same file ends as Spark's in-order replay ends it.
  for (auto it = actions.rbegin(); it != actions.rend(); ++it) {
    Status status = Apply(*it, /*from_commit=*/true);
    if (!status.ok()) {
      return status.WithContext(fs::JoinPath(log_dir_, CommitFileName(version)));
    }
  }
  return Status::OK();
}

Status LogReplayer::AddCheckpointActions(std::vector<Action> actions) {
  seen_checkpoint_ = true;
  for (Action& action : actions) {
    SILT_RETURN_NOT_OK(Apply(action, /*from_commit=*/false));
  }
  return Status::OK();
}

Result<LogState> LogReplayer::Finish() && {
  if (!has_protocol_) {
    return Status::Corruption(
        "the log in '{}' has no protocol action at or below version {}: not a valid Delta table",
        log_dir_, state_.version);
  }
  if (!has_metadata_) {
    return Status::Corruption(
        "the log in '{}' has no metaData action at or below version {}: not a valid Delta table",
        log_dir_, state_.version);
  }
  for (auto& [domain, action] : seen_domains_) {
    if (!action.removed) state_.domain_metadata.emplace(domain, std::move(action));
  }
  seen_domains_.clear();
  seen_files_.clear();
  auto by_key = [](const auto& a, const auto& b) {
    if (a.path != b.path) return a.path < b.path;
    std::string a_dv = a.deletion_vector ? a.deletion_vector->UniqueId() : std::string();
    std::string b_dv = b.deletion_vector ? b.deletion_vector->UniqueId() : std::string();
    return a_dv < b_dv;
  };
  std::sort(state_.files.begin(), state_.files.end(), by_key);
  std::sort(state_.tombstones.begin(), state_.tombstones.end(), by_key);
  if (state_.in_commit_timestamp.has_value()) state_.timestamp_ms = *state_.in_commit_timestamp;
  return std::move(state_);
}

Result<LogState> ReplayLogSegment(fs::FileSystem& fs, const LogSegment& segment,
                                  CheckpointFileDecoder* checkpoint_decoder) {
  LogReplayer replayer(segment.version, segment.log_dir);
  json::Parser parser;
  for (auto it = segment.commits.rbegin(); it != segment.commits.rend(); ++it) {
    SILT_ASSIGN_OR_RETURN(std::string content, fs.ReadFile(it->path));
    SILT_ASSIGN_OR_RETURN(std::vector<Action> actions,
                          ParseCommitFile(parser, content, it->path));
    SILT_RETURN_NOT_OK(replayer.AddCommit(it->version, std::move(actions),
                                          it->modification_time_ms));
  }
  SILT_RETURN_NOT_OK(FeedCheckpoint(fs, segment, checkpoint_decoder, replayer));
  return std::move(replayer).Finish();
}

}  // namespace silt::delta
