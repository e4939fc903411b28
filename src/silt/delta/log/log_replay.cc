#include "silt/delta/log/log_replay.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <iterator>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "silt/delta/actions/action_json.h"
#include "silt/delta/actions/path_encoding.h"
#include "silt/delta/checkpoint/checkpoint_reader.h"
#include "silt/json/json_reader.h"

namespace silt::delta {

size_t FileKeyHash::operator()(const FileKeyView& key) const {
  size_t h = std::hash<std::string_view>()(key.path);
  return h ^ (std::hash<std::string_view>()(key.dv_id) + 0x9e3779b97f4a7c15ULL + (h << 6) +
              (h >> 2));
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

// The canonical path of `path` (see FileKey) as a view into `path`, or into `scratch` when it
// had to be percent-decoded.
Result<std::string_view> CanonicalPath(std::string_view path, std::string_view table_root,
                                       std::string& scratch) {
  std::string_view decoded = path;
  if (path.find('%') != std::string_view::npos) {
    SILT_ASSIGN_OR_RETURN(scratch, DecodePath(path));
    decoded = scratch;
  }
  std::string_view canonical = StripLocalFileScheme(decoded);
  if (!table_root.empty()) {
    std::string_view root = fs::StripTrailingSlashes(StripLocalFileScheme(table_root));
    if (canonical.size() > root.size() + 1 && canonical.starts_with(root) &&
        canonical[root.size()] == '/') {
      canonical.remove_prefix(root.size() + 1);
    }
  }
  return canonical;
}

}  // namespace

Result<FileKey> FileKeyOf(std::string_view path,
                          const std::optional<DeletionVectorDescriptor>& dv,
                          std::string_view table_root) {
  FileKey key;
  std::string scratch;
  SILT_ASSIGN_OR_RETURN(std::string_view canonical, CanonicalPath(path, table_root, scratch));
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
          // The newest action for a logical file decides; older ones are shadowed. Checkpoint
          // actions are already reconciled (one per file) and come last, so they only look up,
          // without copying their key (millions of them in a large checkpoint).
          if (from_commit) {
            SILT_ASSIGN_OR_RETURN(FileKey key,
                                  FileKeyOf(a.path, a.deletion_vector, table_root_));
            if (!seen_files_.insert(std::move(key)).second) return Status::OK();
          } else {
            PrepareSeenLookups();
            SILT_ASSIGN_OR_RETURN(
                bool shadowed, ShadowedCheckpointFile(a.path, &a.deletion_vector, path_scratch_));
            if (shadowed) return Status::OK();
          }
          if constexpr (std::is_same_v<T, Add>) {
            if (from_commit) {
              commit_files_.push_back(std::move(a));
            } else {
              SILT_RETURN_NOT_OK(state_.files.Append(a));
            }
          } else {
            (from_commit ? commit_tombstones_ : state_.tombstones).push_back(std::move(a));
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


Result<bool> LogReplayer::ShadowedCheckpointFile(
    std::string_view path, const std::optional<DeletionVectorDescriptor>* dv,
    std::string& scratch) const {
  // Canonicalized even when there is nothing to look up: a badly encoded path is an error
  // either way.
  SILT_ASSIGN_OR_RETURN(std::string_view canonical, CanonicalPath(path, table_root_, scratch));
  if (seen_files_.empty()) return false;
  const std::string dv_id = dv != nullptr && dv->has_value() ? (*dv)->UniqueId() : std::string();
  return SeenInCommits(FileKeyView{canonical, dv_id});
}


LogReplayer::CheckpointPart LogReplayer::NewCheckpointPart() {
  seen_checkpoint_ = true;  // no more commits
  PrepareSeenLookups();
  return CheckpointPart(this);
}

Status LogReplayer::CheckpointPart::AddAddViews(const AddFields& fields) {
  SILT_ASSIGN_OR_RETURN(
      bool shadowed,
      replayer_->ShadowedCheckpointFile(
          fields.path, fields.extras != nullptr ? &fields.extras->deletion_vector : nullptr,
          path_scratch_));
  return shadowed ? Status::OK() : files_.AppendViews(fields);
}

Status LogReplayer::CheckpointPart::AddAction(Action& action) {
  if (Add* add = std::get_if<Add>(&action)) {
    SILT_ASSIGN_OR_RETURN(
        bool shadowed,
        replayer_->ShadowedCheckpointFile(add->path, &add->deletion_vector, path_scratch_));
    return shadowed ? Status::OK() : files_.Append(*add);
  }
  actions_.push_back(std::move(action));
  return Status::OK();
}

Status LogReplayer::AddCheckpointPart(CheckpointPart part) {
  seen_checkpoint_ = true;
  part_files_.push_back(std::move(part.files_));
  for (Action& action : part.actions_) SILT_RETURN_NOT_OK(Apply(action, /*from_commit=*/false));
  return Status::OK();
}

void LogReplayer::PrepareSeenLookups() {
  // Most checkpoint files were not touched by any commit. One probe of a table of hashes tells
  // so, instead of walking the set's nodes (scattered in memory) for each of millions of files.
  // In front of it, a bitmap of 16 bits per seen file (small enough to stay in the L1/L2
  // cache while the checkpoint streams through) answers most probes without touching the table.
  if (!seen_hashes_.empty() || seen_files_.empty()) return;
  size_t slots = 16;
  while (slots < 4 * seen_files_.size()) slots *= 2;
  seen_hashes_.assign(slots, 0);
  size_t filter_bits = 64;
  while (filter_bits < 16 * seen_files_.size()) filter_bits *= 2;
  seen_filter_.assign(filter_bits / 64, 0);
  for (const FileKey& seen : seen_files_) {
    const uint64_t h = FileKeyHash()(seen) | 1;  // 0 marks an empty slot
    size_t i = h & (slots - 1);
    while (seen_hashes_[i] != 0) i = (i + 1) & (slots - 1);
    seen_hashes_[i] = h;
    const uint64_t bit = (h >> 32) & (filter_bits - 1);
    seen_filter_[bit / 64] |= uint64_t{1} << (bit % 64);
  }
}

bool LogReplayer::SeenInCommits(const FileKeyView& key) const {
  const uint64_t h = FileKeyHash()(key) | 1;
  const uint64_t bit = (h >> 32) & (seen_filter_.size() * 64 - 1);
  if ((seen_filter_[bit / 64] & (uint64_t{1} << (bit % 64))) == 0) return false;
  const size_t mask = seen_hashes_.size() - 1;
  for (size_t i = h & mask; seen_hashes_[i] != 0; i = (i + 1) & mask) {
    if (seen_hashes_[i] == h) return seen_files_.contains(key);
  }
  return false;
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
  seen_hashes_ = {};
  seen_filter_ = {};
  // Log order (see LogState): the checkpoint's files as fed (actions, then parts), then the
  // commits', which replay saw newest first and last line first, reversed.
  FileList from_commits;
  from_commits.Reserve(commit_files_.size());
  for (auto it = commit_files_.rbegin(); it != commit_files_.rend(); ++it) {
    SILT_RETURN_NOT_OK(from_commits.Append(*it));
  }
  commit_files_ = {};
  std::vector<FileList> lists;
  lists.reserve(part_files_.size() + 2);
  lists.push_back(std::move(state_.files));
  for (FileList& part : part_files_) lists.push_back(std::move(part));
  part_files_ = {};
  lists.push_back(std::move(from_commits));
  SILT_ASSIGN_OR_RETURN(state_.files, FileList::Concat(std::move(lists)));
  state_.tombstones.insert(state_.tombstones.end(),
                           std::make_move_iterator(commit_tombstones_.rbegin()),
                           std::make_move_iterator(commit_tombstones_.rend()));
  commit_tombstones_ = {};
  if (state_.in_commit_timestamp.has_value()) state_.timestamp_ms = *state_.in_commit_timestamp;
  return std::move(state_);
}

Result<LogState> ReplayLogSegment(fs::FileSystem& fs, const LogSegment& segment,
                                  CheckpointFileDecoder* checkpoint_decoder) {
  LogReplayer replayer(segment.version, segment.log_dir);
  // The commits, newest first, are read and parsed a window at a time on two threads (the
  // caller's among them), then applied in order: the first error in that order is returned,
  // as when they are read one by one, and at most a window of parsed commits is held.
  constexpr size_t kWindow = 128;
  const bool two_threads = std::thread::hardware_concurrency() > 1;
  const size_t n = segment.commits.size();
  std::vector<std::vector<Action>> actions;
  std::vector<Status> status;
  for (size_t start = 0; start < n; start += kWindow) {
    const size_t count = std::min(kWindow, n - start);
    const LogFile* newest = &segment.commits[n - 1 - start];  // commits[] is oldest first
    actions.assign(count, {});
    status.assign(count, Status::OK());
    std::atomic<size_t> next{0};
    auto work = [&] {
      json::Parser parser;
      for (size_t k = next++; k < count; k = next++) {
        const LogFile& file = *(newest - k);
        Result<std::string> content = fs.ReadFile(file.path);
        if (!content.ok()) {
          status[k] = content.status();
          continue;
        }
        Result<std::vector<Action>> parsed = ParseCommitFile(parser, *content, file.path);
        if (parsed.ok()) {
          actions[k] = std::move(*parsed);
        } else {
          status[k] = parsed.status();
        }
      }
    };
    {
      std::optional<std::jthread> helper;
      if (two_threads && count > 1) helper.emplace(work);
      work();
    }  // joined
    for (size_t k = 0; k < count; ++k) {
      SILT_RETURN_NOT_OK(status[k]);
      const LogFile& file = *(newest - k);
      SILT_RETURN_NOT_OK(
          replayer.AddCommit(file.version, std::move(actions[k]), file.modification_time_ms));
    }
  }
  SILT_RETURN_NOT_OK(FeedCheckpoint(fs, segment, checkpoint_decoder, replayer));
  return std::move(replayer).Finish();
}

}  // namespace silt::delta
