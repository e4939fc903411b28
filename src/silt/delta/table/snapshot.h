// Snapshot: the state of a Delta table at one version, loaded through fs::FileSystem
// (digest §2): log segment, replay, protocol check, schema. Immutable; shared as
// std::shared_ptr<const Snapshot> and safe to use from many threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/schema.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/log/log_replay.h"
#include "silt/delta/log/log_segment.h"
#include "silt/delta/table/table_features.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

class CheckpointFileDecoder;  // checkpoint/checkpoint_reader.h

struct SnapshotOptions {
  // The version to load; the latest when unset.
  std::optional<int64_t> version;
  // Decodes Parquet checkpoints and sidecars; without one, see Load.
  CheckpointFileDecoder* checkpoint_decoder = nullptr;
};

class Snapshot {
 public:
  // Loads the table at `table_root`. Errors:
  //  - those of BuildLogSegment (kNotFound "not a Delta table", kNotFound for a version that
  //    does not exist, kCorruption for gaps) and ReplayLogSegment (kCorruption naming the file
  //    and line, or a missing protocol / metaData);
  //  - kUnsupported when the protocol needs a reader version or feature silt lacks (checked
  //    before the schema), or the schema holds a type silt cannot represent yet;
  //  - kCorruption for a malformed schema or a partition column missing from it.
  // Without a checkpoint decoder, a segment starting from a Parquet checkpoint is replayed from
  // its commits instead when every commit since version 0 is still in the log; otherwise it is
  // kUnsupported. A checkpoint that cannot be decoded (kCorruption: a truncated or damaged
  // file) gets the same fallback; without all commits its error is returned.
  static Result<std::shared_ptr<const Snapshot>> Load(fs::FileSystem& fs,
                                                      std::string_view table_root,
                                                      const SnapshotOptions& options = {});

  // A snapshot from a segment already replayed (runs the same checks as Load).
  static Result<std::shared_ptr<const Snapshot>> Make(std::string table_root, LogSegment segment,
                                                      LogState state);

  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  const std::string& table_root() const { return table_root_; }
  int64_t version() const { return state_.version; }
  const Protocol& protocol() const { return state_.protocol; }
  const Metadata& metadata() const { return state_.metadata; }
  const columnar::SchemaPtr& schema() const { return schema_; }
  const std::vector<std::string>& partition_columns() const {
    return state_.metadata.partition_columns;
  }
  ColumnMappingMode column_mapping_mode() const { return column_mapping_mode_; }
  // Live files, in log order (see LogState::files).
  const FileList& files() const { return state_.files; }
  const std::vector<Remove>& tombstones() const { return state_.tombstones; }
  // The latest txn version of an application; std::nullopt when it never committed.
  std::optional<int64_t> AppTransactionVersion(std::string_view app_id) const;
  // As above, honouring delta.setTransactionRetentionDuration: an entry whose lastUpdated is
  // before now_ms - retention has expired (std::nullopt); entries without lastUpdated never
  // expire. kCorruption for a malformed retention property.
  Result<std::optional<int64_t>> AppTransactionVersion(std::string_view app_id,
                                                       int64_t now_ms) const;
  const std::map<std::string, SetTransaction>& app_transactions() const {
    return state_.app_transactions;
  }
  // Live domains.
  const std::map<std::string, DomainMetadata>& domain_metadata() const {
    return state_.domain_metadata;
  }
  // Commit time of this version: its in-commit timestamp, else its commit file's time.
  int64_t timestamp_ms() const { return state_.timestamp_ms; }
  const std::optional<CommitInfo>& commit_info() const { return state_.commit_info; }
  const LogSegment& log_segment() const { return segment_; }
  // Table property `key` (metaData.configuration), if set.
  std::optional<std::string_view> Property(std::string_view key) const;

 private:
  Snapshot() = default;

  std::string table_root_;
  LogSegment segment_;
  LogState state_;
  columnar::SchemaPtr schema_;
  ColumnMappingMode column_mapping_mode_ = ColumnMappingMode::kNone;
};

}  // namespace silt::delta
