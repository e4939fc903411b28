// Log replay (PROTOCOL.md "Action Reconciliation"; digest §4): reconciles the actions of a log
// segment into the state of the table at one version.
//
// Replay runs newest to oldest: commits from the segment's version down (within a commit, last
// line first, so the result equals applying the log in order), then the checkpoint.
// The first protocol / metaData seen wins, the first txn per appId, the first domainMetadata
// per domain, and for each logical file, keyed by (path, deletion-vector unique id), the first
// add or remove seen decides whether it is live or a tombstone. Checkpoint actions go through
// the same rules, so checkpoint readers (JSON today, Parquet once available) only have to feed
// their actions in after the commits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "silt/base/result.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/log/file_list.h"
#include "silt/delta/log/log_segment.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

// The identity of a logical file: its canonical path and its DV's unique id ("" when it has
// none). The canonical path is the percent-decoded path with a local "file:" URI reduced to the
// plain path ("file:/a", "file:///a" and "file://localhost/a" are "/a"), and made relative when
// it lies under the table root, so a remove written with an absolute URI matches an add written
// relative to the table (PROTOCOL.md "Path canonicalization"; digest §4).
struct FileKey {
  std::string path;
  std::string dv_id;

  bool operator==(const FileKey&) const = default;
};

// A FileKey whose strings live elsewhere (lookups without copying).
struct FileKeyView {
  std::string_view path;
  std::string_view dv_id;
};

// Hashes a FileKey and a FileKeyView of the same strings alike, so a set of FileKey can be
// probed with a view (heterogeneous lookup, together with FileKeyEqual).
struct FileKeyHash {
  using is_transparent = void;
  size_t operator()(const FileKey& key) const { return (*this)(FileKeyView{key.path, key.dv_id}); }
  size_t operator()(const FileKeyView& key) const;
};

struct FileKeyEqual {
  using is_transparent = void;
  static FileKeyView View(const FileKey& key) { return {key.path, key.dv_id}; }
  static FileKeyView View(const FileKeyView& key) { return key; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    FileKeyView x = View(a), y = View(b);
    return x.path == y.path && x.dv_id == y.dv_id;
  }
};

// Result<FileKey> for an add or remove (kCorruption on a badly encoded path). `table_root`
// (a plain path or a URI, as passed to the FileSystem) makes paths under it relative; empty to
// skip that step.
Result<FileKey> FileKeyOf(std::string_view path,
                          const std::optional<DeletionVectorDescriptor>& dv,
                          std::string_view table_root = {});

// The reconciled state of a table at one version.
struct LogState {
  int64_t version = 0;
  Protocol protocol;
  Metadata metadata;
  // Live logical files, in log order: the checkpoint's in its order (parts and sidecars in
  // theirs), then those added by the commits after it, in the order they were committed (a file
  // re-added sits where its newest add is). A snapshot updated with new commits keeps its files
  // in this order and appends the new ones, so it equals the snapshot replayed afresh.
  FileList files;
  // Removed logical files not re-added since (every tombstone replay saw; expiry by
  // delta.deletedFileRetentionDuration is the checkpoint writer's business), in log order as
  // `files`.
  std::vector<Remove> tombstones;
  // Latest txn per appId.
  std::map<std::string, SetTransaction> app_transactions;
  // Live domains (a domain whose latest action has removed=true is absent).
  std::map<std::string, DomainMetadata> domain_metadata;
  // The commitInfo of commit `version`, when that commit is in the segment and has one.
  std::optional<CommitInfo> commit_info;
  // commitInfo.inCommitTimestamp of commit `version`, when present.
  std::optional<int64_t> in_commit_timestamp;
  // The commit timestamp of `version`: the in-commit timestamp when present, else the commit
  // file's modification time (0 when the segment holds no commit file for `version`).
  int64_t timestamp_ms = 0;
};

// Incremental reconciler. Not thread-safe.
class LogReplayer {
 public:
  // `version` is the version being reconstructed; `log_dir` names it in errors.
  LogReplayer(int64_t version, std::string log_dir);

  // Feeds the actions of commit `version`. Commits must come newest first, each version lower
  // than the previous one (kInvalidArgument otherwise). `modification_time_ms` is the commit
  // file's modification time.
  Status AddCommit(int64_t version, std::vector<Action> actions,
                   int64_t modification_time_ms = 0);

  // Feeds actions of the checkpoint (any number of batches: parts, sidecars), after all
  // commits. Checkpoints are reconciled: at most one action per logical file across all
  // batches (a duplicate would be kept twice). commitInfo and cdc actions are ignored;
  // sidecar and checkpointMetadata actions are the checkpoint reader's business and ignored
  // here.
  Status AddCheckpointActions(std::vector<Action> actions);
  // Checkpoint actions collected apart from the replayer, so that several parts of a
  // checkpoint (row groups, parts, sidecars) can be read on several threads: each thread fills
  // its own part, then the parts are fed in order with AddCheckpointPart. The result equals
  // feeding their actions with AddCheckpointActions in the same order.
  class CheckpointPart {
   public:
    // Keeps `owner` (a decoded checkpoint column) alive with the part's files.
    void HoldBytes(std::shared_ptr<const void> owner) { files_.HoldBytes(std::move(owner)); }
    // A checkpoint add as views (checkpoint_actions.h ForEachCheckpointRow) into memory given to
    // HoldBytes: kept in the part's file list without becoming an Add and without copying its
    // strings (FileList::AppendViews); fields.extras may be moved from.
    Status AddAddViews(const AddFields& fields);
    // Any other checkpoint action (an add is filtered as AddAddViews filters it, and copied).
    Status AddAction(Action& action);
    // Room for about `files` adds.
    void Reserve(size_t files) { files_.Reserve(files); }

   private:
    friend class LogReplayer;
    explicit CheckpointPart(const LogReplayer* replayer) : replayer_(replayer) {}

    const LogReplayer* replayer_;
    std::string path_scratch_;
    FileList files_;
    std::vector<Action> actions_;
  };
  // A new, empty part; after the last commit (commits decide which checkpoint files are
  // shadowed; later AddCommit calls fail, as after any checkpoint action). Parts may be filled
  // concurrently with each other, not with calls on the replayer, which they read.
  CheckpointPart NewCheckpointPart();
  Status AddCheckpointPart(CheckpointPart part);

  // The state. kCorruption when no protocol or no metaData action was seen.
  Result<LogState> Finish() &&;

 private:
  Status Apply(Action& action, bool from_commit);
  // Builds the lookup tables of SeenInCommits; once every commit is in.
  void PrepareSeenLookups();
  // Whether a commit decided the file `key` (after PrepareSeenLookups).
  bool SeenInCommits(const FileKeyView& key) const;
  // Whether a commit decided the checkpoint file at `path` with deletion vector `dv`;
  // kCorruption for a badly encoded path. `scratch` holds a decoded path.
  Result<bool> ShadowedCheckpointFile(std::string_view path,
                                      const std::optional<DeletionVectorDescriptor>* dv,
                                      std::string& scratch) const;

  std::string log_dir_;
  std::string table_root_;
  LogState state_;
  std::optional<int64_t> last_commit_version_;
  bool seen_checkpoint_ = false;
  bool has_protocol_ = false;
  bool has_metadata_ = false;
  // Logical files some commit decided (checkpoint actions for them are shadowed).
  std::unordered_set<FileKey, FileKeyHash, FileKeyEqual> seen_files_;
  // Hashes of seen_files_ (open addressing, 0 = empty), built at the first checkpoint lookup.
  std::vector<uint64_t> seen_hashes_;
  // One bit per hash value of seen_hashes_ (bits 32 and up), a filter in front of it.
  std::vector<uint64_t> seen_filter_;
  std::map<std::string, DomainMetadata> seen_domains_;
  std::string path_scratch_;  // a percent-decoded checkpoint path being looked up
  // Live files and tombstones from commits (the newest action for each), newest first as
  // replayed; Finish puts them in log order after the checkpoint's.
  std::vector<Add> commit_files_;
  std::vector<Remove> commit_tombstones_;
  // The files of the checkpoint parts, each in its own list: Finish concatenates them.
  std::vector<FileList> part_files_;
};

class CheckpointFileDecoder;  // checkpoint/checkpoint_reader.h

// Reads and replays every file of `segment` through `fs`: the commits, then the checkpoint and
// its sidecars (see FeedCheckpoint). JSON checkpoints are always readable; Parquet ones need
// `checkpoint_decoder` and are kUnsupported without it (build the segment with
// ignore_checkpoints to replay commits only). Errors name the file (and line) at fault.
Result<LogState> ReplayLogSegment(fs::FileSystem& fs, const LogSegment& segment,
                                  CheckpointFileDecoder* checkpoint_decoder = nullptr);

}  // namespace silt::delta
