#include "silt/delta/table/snapshot.h"

#include <utility>

#include "silt/base/logging.h"
#include "silt/delta/table/schema.h"
#include "silt/delta/table/table_properties.h"

namespace silt::delta {

Result<std::shared_ptr<const Snapshot>> Snapshot::Load(fs::FileSystem& fs,
                                                       std::string_view table_root,
                                                       const SnapshotOptions& options) {
  LogSegmentOptions segment_options;
  segment_options.version = options.version;
  SILT_ASSIGN_OR_RETURN(LogSegment segment, BuildLogSegment(fs, table_root, segment_options));
  Result<LogState> state = ReplayLogSegment(fs, segment, options.checkpoint_decoder);
  if (!state.ok() && segment.checkpoint_version.has_value() &&
      ((state.error().IsUnsupported() && options.checkpoint_decoder == nullptr) ||
       state.error().IsCorruption())) {
    // The checkpoint cannot be read (no decoder yet, or a damaged file, e.g. a partial write
    // exposed by a store without atomic publication); the commits alone do, if none was
    // cleaned up.
    segment_options.ignore_checkpoints = true;
    Result<LogSegment> commits_only = BuildLogSegment(fs, table_root, segment_options);
    if (!commits_only.ok()) return state.error();
    SILT_LOG_DEBUG("replaying '{}' from its commits: {}", table_root, state.error().ToString());
    segment = std::move(*commits_only);
    state = ReplayLogSegment(fs, segment);
  }
  if (!state.ok()) return state.error();
  return Make(std::string(table_root), std::move(segment), std::move(*state));
}

Result<std::shared_ptr<const Snapshot>> Snapshot::Make(std::string table_root, LogSegment segment,
                                                       LogState state) {
  Status readable = CheckReadSupported(state.protocol);
  if (!readable.ok()) {
    return readable.WithContext(fmt::format("table '{}' (version {})", table_root, state.version));
  }
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  Result<columnar::SchemaPtr> schema = ParseSchemaString(state.metadata.schema_string);
  if (!schema.ok()) {
    return schema.error().WithContext(
        fmt::format("table '{}' (version {})", table_root, state.version));
  }
  for (const std::string& column : state.metadata.partition_columns) {
    if ((*schema)->GetFieldIndex(column) < 0) {
      return Status::Corruption(
          "table '{}' (version {}): partition column '{}' is not in the schema", table_root,
          state.version, column);
    }
  }
  SILT_ASSIGN_OR_RETURN(snapshot->column_mapping_mode_,
                        GetColumnMappingMode(state.protocol, state.metadata));
  snapshot->schema_ = std::move(*schema);
  snapshot->table_root_ = std::move(table_root);
  snapshot->segment_ = std::move(segment);
  snapshot->state_ = std::move(state);
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

std::optional<int64_t> Snapshot::AppTransactionVersion(std::string_view app_id) const {
  auto it = state_.app_transactions.find(std::string(app_id));
  if (it == state_.app_transactions.end()) return std::nullopt;
  return it->second.version;
}

Result<std::optional<int64_t>> Snapshot::AppTransactionVersion(std::string_view app_id,
                                                               int64_t now_ms) const {
  auto it = state_.app_transactions.find(std::string(app_id));
  if (it == state_.app_transactions.end()) return std::optional<int64_t>();
  SILT_ASSIGN_OR_RETURN(std::optional<int64_t> retention,
                        SetTransactionRetentionMillis(state_.metadata));
  const SetTransaction& txn = it->second;
  if (retention.has_value() && txn.last_updated.has_value() &&
      *txn.last_updated < now_ms - *retention) {
    return std::optional<int64_t>();
  }
  return std::optional<int64_t>(txn.version);
}

std::optional<std::string_view> Snapshot::Property(std::string_view key) const {
  auto it = state_.metadata.configuration.find(std::string(key));
  if (it == state_.metadata.configuration.end()) return std::nullopt;
  return std::string_view(it->second);
}

}  // namespace silt::delta
