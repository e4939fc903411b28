#include "silt/delta/maintenance/checkpoint_writer.h"

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "silt/base/time.h"
#include "silt/base/uuid.h"
#include "silt/columnar/builder.h"
#include "silt/columnar/record_batch.h"
#include "silt/delta/actions/action_json.h"
#include "silt/delta/log/last_checkpoint.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/maintenance/checkpoint_stats.h"
#include "silt/delta/table/schema.h"
#include "silt/delta/table/table_features.h"
#include "silt/delta/table/table_properties.h"
#include "silt/json/json_writer.h"
#include "silt/parquet/writer/file_writer.h"

namespace silt::delta {

namespace col = silt::columnar;

namespace {

inline constexpr std::string_view kWriteStatsAsJson = "delta.checkpoint.writeStatsAsJson";
inline constexpr std::string_view kWriteStatsAsStruct = "delta.checkpoint.writeStatsAsStruct";
inline constexpr std::string_view kStatsParsed = "stats_parsed";
inline constexpr std::string_view kPartitionValuesParsed = "partitionValues_parsed";
inline constexpr std::string_view kCheckpointSchemaKey = "checkpointSchema";
inline constexpr std::string_view kV2CheckpointKey = "v2Checkpoint";
inline constexpr std::string_view kNonFileActionsKey = "nonFileActions";
inline constexpr std::string_view kSidecarFilesKey = "sidecarFiles";
// Spark leaves the lists out of _last_checkpoint's v2Checkpoint above this many entries.
inline constexpr size_t kMaxV2ListEntriesInHint = 30;
// Rows per batch handed to the Parquet writer.
inline constexpr int64_t kRowsPerBatch = 4096;

col::Field F(std::string_view name, col::TypePtr type) {
  return col::Field(std::string(name), std::move(type));
}

col::TypePtr StringMapType() { return col::Map(col::String(), col::String(), true); }

col::TypePtr DeletionVectorType() {
  return col::Struct({F(field::kStorageType, col::String()),
                      F(field::kPathOrInlineDv, col::String()), F(field::kOffset, col::Int32()),
                      F(field::kSizeInBytes, col::Int32()), F(field::kCardinality, col::Int64()),
                      F(field::kMaxRowIndex, col::Int64())});
}

col::TypePtr TxnType() {
  return col::Struct({F(field::kAppId, col::String()), F(field::kVersion, col::Int64()),
                      F(field::kLastUpdated, col::Int64())});
}

// What the add struct of a checkpoint carries besides Spark's fixed fields.
struct AddOptionalColumns {
  bool stats_json = true;
  col::TypePtr partition_values_parsed;  // nullptr: none
  col::TypePtr stats_parsed;             // nullptr: none
};

// The add struct of classic checkpoints and sidecars (Spark's field order).
col::TypePtr AddType(const AddOptionalColumns& extras) {
  std::vector<col::Field> fields = {
      F(field::kPath, col::String()),
      F(field::kPartitionValues, StringMapType()),
      F(field::kSize, col::Int64()),
      F(field::kModificationTime, col::Int64()),
      F(field::kDataChange, col::Boolean()),
      F(field::kTags, StringMapType()),
      F(field::kDeletionVector, DeletionVectorType()),
      F(field::kBaseRowId, col::Int64()),
      F(field::kDefaultRowCommitVersion, col::Int64()),
      F(field::kClusteringProvider, col::String()),
  };
  if (extras.stats_json) fields.push_back(F(field::kStats, col::String()));
  if (extras.partition_values_parsed) {
    fields.push_back(F(kPartitionValuesParsed, extras.partition_values_parsed));
  }
  if (extras.stats_parsed) fields.push_back(F(kStatsParsed, extras.stats_parsed));
  return col::Struct(std::move(fields));
}

col::TypePtr RemoveType() {
  return col::Struct(
      {F(field::kPath, col::String()), F(field::kDeletionTimestamp, col::Int64()),
       F(field::kDataChange, col::Boolean()), F(field::kExtendedFileMetadata, col::Boolean()),
       F(field::kPartitionValues, StringMapType()), F(field::kSize, col::Int64()),
       F(field::kDeletionVector, DeletionVectorType()), F(field::kBaseRowId, col::Int64()),
       F(field::kDefaultRowCommitVersion, col::Int64())});
}

// The add and remove structs of a UUID-named V2 top-level file, whose file-action columns stay
// empty (the rows are in sidecars): Spark writes its full action schemas there.
col::TypePtr V2TopLevelAddType() {
  return col::Struct(
      {F(field::kPath, col::String()), F(field::kPartitionValues, StringMapType()),
       F(field::kSize, col::Int64()), F(field::kModificationTime, col::Int64()),
       F(field::kDataChange, col::Boolean()), F(field::kStats, col::String()),
       F(field::kTags, StringMapType()), F(field::kDeletionVector, DeletionVectorType()),
       F(field::kBaseRowId, col::Int64()), F(field::kDefaultRowCommitVersion, col::Int64()),
       F(field::kClusteringProvider, col::String())});
}

col::TypePtr V2TopLevelRemoveType() {
  return col::Struct(
      {F(field::kPath, col::String()), F(field::kDeletionTimestamp, col::Int64()),
       F(field::kDataChange, col::Boolean()), F(field::kExtendedFileMetadata, col::Boolean()),
       F(field::kPartitionValues, StringMapType()), F(field::kSize, col::Int64()),
       F(field::kTags, StringMapType()), F(field::kDeletionVector, DeletionVectorType()),
       F(field::kBaseRowId, col::Int64()), F(field::kDefaultRowCommitVersion, col::Int64()),
       F(field::kStats, col::String())});
}

col::TypePtr MetadataType() {
  return col::Struct(
      {F(field::kId, col::String()), F(field::kName, col::String()),
       F(field::kDescription, col::String()),
       F(field::kFormat,
         col::Struct({F(field::kProvider, col::String()), F(field::kOptions, StringMapType())})),
       F(field::kSchemaString, col::String()),
       F(field::kPartitionColumns, col::List(col::String())),
       F(field::kConfiguration, StringMapType()), F(field::kCreatedTime, col::Int64())});
}

col::TypePtr ProtocolType() {
  return col::Struct({F(field::kMinReaderVersion, col::Int32()),
                      F(field::kMinWriterVersion, col::Int32()),
                      F(field::kReaderFeatures, col::List(col::String())),
                      F(field::kWriterFeatures, col::List(col::String()))});
}

col::TypePtr DomainMetadataType() {
  return col::Struct({F(field::kDomain, col::String()), F(field::kConfiguration, col::String()),
                      F(field::kRemoved, col::Boolean())});
}

col::TypePtr CheckpointMetadataType() {
  return col::Struct({F(field::kVersion, col::Int64()), F(field::kTags, StringMapType())});
}

col::TypePtr SidecarType() {
  return col::Struct({F(field::kPath, col::String()), F(field::kSizeInBytes, col::Int64()),
                      F(field::kModificationTime, col::Int64()), F(field::kTags, StringMapType())});
}

// The columns of a checkpoint file holding every kind of action (Spark's order); V2 checkpoints
// add checkpointMetadata and sidecar.
col::SchemaPtr CheckpointSchema(col::TypePtr add_type, col::TypePtr remove_type, bool v2_columns) {
  std::vector<col::Field> fields = {F(kTxnAction, TxnType()),
                                    F(kAddAction, std::move(add_type)),
                                    F(kRemoveAction, std::move(remove_type)),
                                    F(kMetadataAction, MetadataType()),
                                    F(kProtocolAction, ProtocolType()),
                                    F(kDomainMetadataAction, DomainMetadataType())};
  if (v2_columns) {
    fields.push_back(F(kCheckpointMetadataAction, CheckpointMetadataType()));
    fields.push_back(F(kSidecarAction, SidecarType()));
  }
  return col::Schema::Make(std::move(fields));
}

// --- Appending action fields to builders, found by field name.

Status AppendString(col::ArrayBuilder* b, std::string_view v) {
  return static_cast<col::BinaryBuilder*>(b)->Append(v);
}
Status AppendString(col::ArrayBuilder* b, const std::string& v) {
  return AppendString(b, std::string_view(v));
}
Status AppendString(col::ArrayBuilder* b, const std::optional<std::string>& v) {
  if (!v.has_value()) return b->AppendNull();
  return AppendString(b, std::string_view(*v));
}
Status AppendInt64(col::ArrayBuilder* b, std::optional<int64_t> v) {
  if (!v.has_value()) return b->AppendNull();
  return static_cast<col::Int64Builder*>(b)->Append(*v);
}
Status AppendInt32(col::ArrayBuilder* b, std::optional<int32_t> v) {
  if (!v.has_value()) return b->AppendNull();
  return static_cast<col::Int32Builder*>(b)->Append(*v);
}
Status AppendBool(col::ArrayBuilder* b, std::optional<bool> v) {
  if (!v.has_value()) return b->AppendNull();
  return static_cast<col::BooleanBuilder*>(b)->Append(*v);
}
// A map<string, string> row; values may be std::optional (null).
template <typename Map>
Status AppendMap(col::ArrayBuilder* b, const Map& map) {
  auto* mb = static_cast<col::MapBuilder*>(b);
  SILT_RETURN_NOT_OK(mb->Append(true));
  for (const auto& [k, v] : map) {
    SILT_RETURN_NOT_OK(AppendString(mb->key_builder(), k));
    SILT_RETURN_NOT_OK(AppendString(mb->item_builder(), v));
  }
  return Status::OK();
}
// An empty map is written as null when `empty_is_null` (Spark's tags), else as {}.
Status AppendStringMap(col::ArrayBuilder* b, const StringMap& map, bool empty_is_null) {
  if (map.empty() && empty_is_null) return b->AppendNull();
  return AppendMap(b, map);
}
Status AppendPartitionValues(col::ArrayBuilder* b, const PartitionValues& pv) {
  return AppendMap(b, pv);
}
Status AppendPartitionValues(col::ArrayBuilder* b, const std::optional<PartitionValues>& pv) {
  if (!pv.has_value()) return b->AppendNull();
  return AppendMap(b, *pv);
}
Status AppendStringList(col::ArrayBuilder* b,
                        const std::optional<std::vector<std::string>>& values) {
  if (!values.has_value()) return b->AppendNull();
  auto* lb = static_cast<col::ListBuilder*>(b);
  SILT_RETURN_NOT_OK(lb->Append(true));
  for (const std::string& v : *values) SILT_RETURN_NOT_OK(AppendString(lb->value_builder(), v));
  return Status::OK();
}

// Appends one row to a struct builder: `append_field(name, builder)` appends the value of each
// field, found by name, and returns std::nullopt for a field it has no value for (an internal
// error: the writer built the type).
template <typename AppendField>
Status FillByName(col::StructBuilder* sb, AppendField&& append_field) {
  const auto& st = col::AsStruct(*sb->type());
  for (int i = 0; i < st.num_fields(); ++i) {
    const std::string& n = st.field(i).name();
    std::optional<Status> s = append_field(n, sb->field_builder(i));
    if (!s.has_value()) {
      return Status::Internal("checkpoint writer: no value for field '{}' of {}", n,
                              sb->type()->ToString());
    }
    SILT_RETURN_NOT_OK(*s);
  }
  return sb->Append(true);
}

Status AppendDv(col::ArrayBuilder* b, const std::optional<DeletionVectorDescriptor>& dv) {
  if (!dv.has_value()) return b->AppendNull();
  return FillByName(static_cast<col::StructBuilder*>(b),
                    [&](std::string_view n, col::ArrayBuilder* fb) -> std::optional<Status> {
                      if (n == field::kStorageType) {
                        char c = static_cast<char>(dv->storage_type);
                        return AppendString(fb, std::string_view(&c, 1));
                      }
                      if (n == field::kPathOrInlineDv)
                        return AppendString(fb, dv->path_or_inline_dv);
                      if (n == field::kOffset) return AppendInt32(fb, dv->offset);
                      if (n == field::kSizeInBytes) return AppendInt32(fb, dv->size_in_bytes);
                      if (n == field::kCardinality) return AppendInt64(fb, dv->cardinality);
                      if (n == field::kMaxRowIndex) return AppendInt64(fb, dv->max_row_index);
                      return std::nullopt;
                    });
}

// The fields add and remove rows share. Checkpoint rows carry dataChange=false, as Spark writes
// them: a checkpoint changes no data.
template <typename FileAction>
std::optional<Status> AppendFileActionField(std::string_view n, col::ArrayBuilder* fb,
                                            const FileAction& a) {
  if (n == field::kPath) return AppendString(fb, a.path);
  if (n == field::kPartitionValues) return AppendPartitionValues(fb, a.partition_values);
  if (n == field::kSize) return AppendInt64(fb, a.size);
  if (n == field::kDataChange) return AppendBool(fb, false);
  if (n == field::kTags) return AppendStringMap(fb, a.tags, /*empty_is_null=*/true);
  if (n == field::kDeletionVector) return AppendDv(fb, a.deletion_vector);
  if (n == field::kBaseRowId) return AppendInt64(fb, a.base_row_id);
  if (n == field::kDefaultRowCommitVersion) return AppendInt64(fb, a.default_row_commit_version);
  if (n == field::kStats) return AppendString(fb, a.stats);
  return std::nullopt;
}

Status Fill(col::StructBuilder* sb, const Add& a) {
  return FillByName(sb, [&](std::string_view n, col::ArrayBuilder* fb) -> std::optional<Status> {
    if (n == field::kModificationTime) return AppendInt64(fb, a.modification_time);
    if (n == field::kClusteringProvider) return AppendString(fb, a.clustering_provider);
    if (n == kPartitionValuesParsed) return AppendPartitionValuesParsed(*fb, a.partition_values);
    if (n == kStatsParsed) return AppendStatsParsed(*fb, a.stats);
    return AppendFileActionField(n, fb, a);
  });
}

Status Fill(col::StructBuilder* sb, const Remove& r) {
  return FillByName(sb, [&](std::string_view n, col::ArrayBuilder* fb) -> std::optional<Status> {
    if (n == field::kDeletionTimestamp) return AppendInt64(fb, r.deletion_timestamp);
    if (n == field::kExtendedFileMetadata) return AppendBool(fb, r.extended_file_metadata);
    return AppendFileActionField(n, fb, r);
  });
}

Status Fill(col::StructBuilder* sb, const Metadata& m) {
  return FillByName(sb, [&](std::string_view n, col::ArrayBuilder* fb) -> std::optional<Status> {
    if (n == field::kId) return AppendString(fb, m.id);
    if (n == field::kName) return AppendString(fb, m.name);
    if (n == field::kDescription) return AppendString(fb, m.description);
    if (n == field::kFormat) {
      auto* format = static_cast<col::StructBuilder*>(fb);
      SILT_RETURN_NOT_OK(AppendString(format->field_builder(0), m.format.provider));
      SILT_RETURN_NOT_OK(
          AppendStringMap(format->field_builder(1), m.format.options, /*empty_is_null=*/false));
      return format->Append(true);
    }
    if (n == field::kSchemaString) return AppendString(fb, m.schema_string);
    if (n == field::kPartitionColumns) return AppendStringList(fb, m.partition_columns);
    if (n == field::kConfiguration) {
      return AppendStringMap(fb, m.configuration, /*empty_is_null=*/false);
    }
    if (n == field::kCreatedTime) return AppendInt64(fb, m.created_time);
    return std::nullopt;
  });
}

Status Fill(col::StructBuilder* sb, const Protocol& p) {
  SILT_RETURN_NOT_OK(AppendInt32(sb->field_builder(0), p.min_reader_version));
  SILT_RETURN_NOT_OK(AppendInt32(sb->field_builder(1), p.min_writer_version));
  SILT_RETURN_NOT_OK(AppendStringList(sb->field_builder(2), p.reader_features));
  SILT_RETURN_NOT_OK(AppendStringList(sb->field_builder(3), p.writer_features));
  return sb->Append(true);
}

Status Fill(col::StructBuilder* sb, const SetTransaction& t) {
  SILT_RETURN_NOT_OK(AppendString(sb->field_builder(0), t.app_id));
  SILT_RETURN_NOT_OK(AppendInt64(sb->field_builder(1), t.version));
  SILT_RETURN_NOT_OK(AppendInt64(sb->field_builder(2), t.last_updated));
  return sb->Append(true);
}

Status Fill(col::StructBuilder* sb, const DomainMetadata& d) {
  SILT_RETURN_NOT_OK(AppendString(sb->field_builder(0), d.domain));
  SILT_RETURN_NOT_OK(AppendString(sb->field_builder(1), d.configuration));
  SILT_RETURN_NOT_OK(AppendBool(sb->field_builder(2), d.removed));
  return sb->Append(true);
}

Status Fill(col::StructBuilder* sb, const CheckpointMetadata& c) {
  SILT_RETURN_NOT_OK(AppendInt64(sb->field_builder(0), c.version));
  SILT_RETURN_NOT_OK(AppendStringMap(sb->field_builder(1), c.tags, /*empty_is_null=*/true));
  return sb->Append(true);
}

Status Fill(col::StructBuilder* sb, const Sidecar& c) {
  SILT_RETURN_NOT_OK(AppendString(sb->field_builder(0), c.path));
  SILT_RETURN_NOT_OK(AppendInt64(sb->field_builder(1), c.size_in_bytes));
  SILT_RETURN_NOT_OK(AppendInt64(sb->field_builder(2), c.modification_time));
  SILT_RETURN_NOT_OK(AppendStringMap(sb->field_builder(3), c.tags, /*empty_is_null=*/true));
  return sb->Append(true);
}

template <typename T>
Status FillUnsupported(col::StructBuilder* sb, const T&) {
  return Status::Internal("checkpoint writer: {} rows do not belong in a checkpoint",
                          sb->type()->ToString());
}
Status Fill(col::StructBuilder* sb, const AddCDCFile& c) { return FillUnsupported(sb, c); }
Status Fill(col::StructBuilder* sb, const CommitInfo& c) { return FillUnsupported(sb, c); }

// Rows of one checkpoint (or sidecar) Parquet file, one action per row.
class ParquetActionFile {
 public:
  static Result<std::unique_ptr<ParquetActionFile>> Open(fs::FileSystem& fs, std::string path,
                                                         col::SchemaPtr schema,
                                                         const CheckpointWriteOptions& write) {
    parquet::WriterOptions options;
    options.codec = write.codec;
    options.max_row_group_rows = std::max<int64_t>(1, write.row_group_rows);
    SILT_ASSIGN_OR_RETURN(auto writer,
                          parquet::FileWriter::Open(fs, std::move(path), schema, options));
    SILT_ASSIGN_OR_RETURN(auto rows, col::RecordBatchBuilder::Make(schema));
    return std::unique_ptr<ParquetActionFile>(
        new ParquetActionFile(std::move(writer), std::move(rows)));
  }

  Status Append(const Action& action) {
    const std::string_view name = ActionName(action);
    int target = rows_->schema()->GetFieldIndex(name);
    if (target < 0) {
      return Status::Internal("checkpoint writer: file {} has no column for {} actions",
                              writer_->path(), name);
    }
    for (int i = 0; i < rows_->num_fields(); ++i) {
      if (i == target) continue;
      SILT_RETURN_NOT_OK(rows_->GetField(i)->AppendNull());
    }
    auto* sb = rows_->GetFieldAs<col::StructBuilder>(target);
    SILT_RETURN_NOT_OK(std::visit([&](const auto& a) { return Fill(sb, a); }, action));
    if (++pending_ >= kRowsPerBatch) SILT_RETURN_NOT_OK(Flush());
    ++num_rows_;
    return Status::OK();
  }

  Result<parquet::WrittenFile> Close() {
    SILT_RETURN_NOT_OK(Flush());
    return writer_->Close();
  }

  int64_t num_rows() const { return num_rows_; }

 private:
  ParquetActionFile(std::unique_ptr<parquet::FileWriter> writer,
                    std::unique_ptr<col::RecordBatchBuilder> rows)
      : writer_(std::move(writer)), rows_(std::move(rows)) {}

  Status Flush() {
    if (pending_ == 0) return Status::OK();
    pending_ = 0;
    SILT_ASSIGN_OR_RETURN(col::RecordBatchPtr batch, rows_->Flush());
    return writer_->WriteBatch(*batch);
  }

  std::unique_ptr<parquet::FileWriter> writer_;
  std::unique_ptr<col::RecordBatchBuilder> rows_;
  int64_t pending_ = 0;
  int64_t num_rows_ = 0;
};

// The actions of the checkpoint, split into non-file and file actions.
struct CheckpointContent {
  std::vector<Action> non_file;  // protocol, metaData, txns, domains
  std::vector<Action> files;     // adds, then removes
  int64_t num_adds = 0;
  int64_t num_removes = 0;
};

Result<CheckpointContent> CollectContent(const Snapshot& snapshot, int64_t now_ms) {
  CheckpointContent c;
  c.non_file.emplace_back(snapshot.protocol());
  c.non_file.emplace_back(snapshot.metadata());
  SILT_ASSIGN_OR_RETURN(std::optional<int64_t> txn_retention,
                        SetTransactionRetentionMillis(snapshot.metadata()));
  for (const auto& [app_id, txn] : snapshot.app_transactions()) {
    if (txn_retention.has_value() && txn.last_updated.has_value() &&
        *txn.last_updated < now_ms - *txn_retention) {
      continue;
    }
    c.non_file.emplace_back(txn);
  }
  for (const auto& [domain, dm] : snapshot.domain_metadata()) {
    if (!dm.removed) c.non_file.emplace_back(dm);
  }
  SILT_ASSIGN_OR_RETURN(int64_t tombstone_retention,
                        DeletedFileRetentionMillis(snapshot.metadata()));
  const int64_t min_deletion_timestamp = now_ms - tombstone_retention;
  c.files.reserve(snapshot.files().size() + snapshot.tombstones().size());
  for (const FileRef a : snapshot.files()) c.files.emplace_back(a.ToAdd());
  c.num_adds = static_cast<int64_t>(snapshot.files().size());
  for (const Remove& r : snapshot.tombstones()) {
    if (r.deletion_timestamp.value_or(0) <= min_deletion_timestamp) continue;
    c.files.emplace_back(r);
    ++c.num_removes;
  }
  return c;
}

// Writes `actions` as one Parquet file; returns its summary.
Result<parquet::WrittenFile> WriteParquetFile(fs::FileSystem& fs, const std::string& path,
                                              const col::SchemaPtr& schema,
                                              const std::vector<const Action*>& actions,
                                              const CheckpointWriteOptions& options) {
  SILT_ASSIGN_OR_RETURN(auto file, ParquetActionFile::Open(fs, path, schema, options));
  for (const Action* a : actions) SILT_RETURN_NOT_OK(file->Append(*a));
  return file->Close();
}

std::string ActionJsonArray(const std::vector<Action>& actions) {
  std::string out = "[";
  for (size_t i = 0; i < actions.size(); ++i) {
    if (i > 0) out += ',';
    out += ToJsonLine(actions[i]);
  }
  out += ']';
  return out;
}

struct HintV2 {
  std::string path;  // file name in _delta_log
  int64_t size_in_bytes = 0;
  int64_t modification_time = 0;
  std::vector<Action> non_file_actions;
  std::vector<Action> sidecars;
};

std::string LastCheckpointJson(const CheckpointWriteResult& r, const col::Schema& schema,
                               const std::optional<HintV2>& v2) {
  json::Writer w;
  w.BeginObject();
  w.Field(field::kVersion, r.version);
  w.Field(field::kSize, r.num_actions);
  w.Field(field::kSizeInBytes, r.size_in_bytes);
  w.Field(field::kNumOfAddFiles, r.num_add_files);
  w.Key(kCheckpointSchemaKey).RawJson(SchemaToJson(schema));
  if (v2.has_value()) {
    w.Key(kV2CheckpointKey).BeginObject();
    w.Field(field::kPath, v2->path);
    w.Field(field::kSizeInBytes, v2->size_in_bytes);
    w.Field(field::kModificationTime, v2->modification_time);
    if (v2->non_file_actions.size() <= kMaxV2ListEntriesInHint) {
      w.Key(kNonFileActionsKey).RawJson(ActionJsonArray(v2->non_file_actions));
    }
    if (v2->sidecars.size() <= kMaxV2ListEntriesInHint) {
      // Sidecar entries are the bodies of sidecar actions.
      w.Key(kSidecarFilesKey).BeginArray();
      for (const Action& a : v2->sidecars) {
        std::string line = ToJsonLine(a);  // {"sidecar":{...}}
        const std::string prefix = "{\"" + std::string(kSidecarAction) + "\":";
        w.RawJson(std::string_view(line).substr(prefix.size(), line.size() - prefix.size() - 1));
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndObject();
  return w.Release();
}

// Replaces _last_checkpoint unless it already names a newer checkpoint.
Result<bool> UpdateLastCheckpoint(fs::FileSystem& fs, const std::string& log_dir, int64_t version,
                                  const std::string& content) {
  Result<std::optional<LastCheckpoint>> existing = ReadLastCheckpoint(fs, log_dir);
  if (existing.ok() && existing->has_value() && (*existing)->version > version) return false;
  SILT_RETURN_NOT_OK(fs.Put(fs::JoinPath(log_dir, kLastCheckpointFileName), content));
  return true;
}

}  // namespace

Result<CheckpointWriteResult> WriteCheckpoint(fs::FileSystem& fs, const Snapshot& snapshot,
                                              const CheckpointWriteOptions& options) {
  if (options.max_actions_per_sidecar < 1) {
    return Status::InvalidArgument("max_actions_per_sidecar must be at least 1, got {}",
                                   options.max_actions_per_sidecar);
  }
  const bool has_v2_feature = IsFeatureEnabled(snapshot.protocol(), feature::kV2Checkpoint);
  bool uuid_named = false;
  switch (options.policy) {
    case CheckpointPolicy::kTable: {
      auto policy = snapshot.Property(property::kCheckpointPolicy);
      uuid_named = has_v2_feature && policy.has_value() && *policy == "v2";
      break;
    }
    case CheckpointPolicy::kClassic:
      break;
    case CheckpointPolicy::kV2:
      if (!has_v2_feature) {
        return Status::InvalidArgument(
            "cannot write a V2 checkpoint of table {}: its protocol lacks the {} feature",
            snapshot.table_root(), feature::kV2Checkpoint);
      }
      uuid_named = true;
      break;
  }
  const int64_t now_ms = options.now_ms.value_or(NowMillis());
  const int64_t version = snapshot.version();
  const std::string log_dir = LogDirFor(snapshot.table_root());

  SILT_ASSIGN_OR_RETURN(CheckpointContent content, CollectContent(snapshot, now_ms));

  AddOptionalColumns extras;
  SILT_ASSIGN_OR_RETURN(extras.stats_json,
                        GetBoolProperty(snapshot.metadata(), kWriteStatsAsJson, true));
  auto as_struct = snapshot.Property(kWriteStatsAsStruct);
  SILT_ASSIGN_OR_RETURN(bool write_struct,
                        GetBoolProperty(snapshot.metadata(), kWriteStatsAsStruct, true));
  if (write_struct) {
    SILT_ASSIGN_OR_RETURN(extras.partition_values_parsed, PartitionValuesParsedType(snapshot));
    if (as_struct.has_value()) {
      SILT_ASSIGN_OR_RETURN(extras.stats_parsed, StatsParsedType(snapshot));
    }
  }
  const col::TypePtr add_type = AddType(extras);

  CheckpointWriteResult result;
  result.version = version;
  result.v2 = has_v2_feature;
  result.num_add_files = content.num_adds;
  result.num_tombstones = content.num_removes;

  std::vector<const Action*> top_rows;
  CheckpointMetadata header;
  header.version = version;
  Action header_action = header;
  if (has_v2_feature) top_rows.push_back(&header_action);
  for (const Action& a : content.non_file) top_rows.push_back(&a);

  if (!uuid_named) {
    // One classic-named file with everything inline.
    col::SchemaPtr schema = CheckpointSchema(add_type, RemoveType(), has_v2_feature);
    for (const Action& a : content.files) top_rows.push_back(&a);
    std::string path = fs::JoinPath(log_dir, CheckpointFileName(version));
    SILT_ASSIGN_OR_RETURN(parquet::WrittenFile written,
                          WriteParquetFile(fs, path, schema, top_rows, options));
    result.num_actions = static_cast<int64_t>(top_rows.size());
    result.size_in_bytes = written.file_size;
    result.checkpoint_path = path;
    result.files.push_back(path);
    if (options.update_last_checkpoint) {
      SILT_ASSIGN_OR_RETURN(
          result.last_checkpoint_updated,
          UpdateLastCheckpoint(fs, log_dir, version, LastCheckpointJson(result, *schema, {})));
    }
    return result;
  }

  // V2: sidecars first, then the top-level file naming them.
  const std::string sidecar_dir = fs::JoinPath(log_dir, kSidecarDirName);
  const int64_t num_file_actions = static_cast<int64_t>(content.files.size());
  const int64_t num_parts =
      (num_file_actions + options.max_actions_per_sidecar - 1) / options.max_actions_per_sidecar;
  col::SchemaPtr sidecar_schema =
      col::Schema::Make({F(kAddAction, add_type), F(kRemoveAction, RemoveType())});
  std::vector<Action> sidecar_actions;
  for (int64_t part = 0; part < num_parts; ++part) {
    const int64_t begin = part * options.max_actions_per_sidecar;
    const int64_t end = std::min(num_file_actions, begin + options.max_actions_per_sidecar);
    std::vector<const Action*> rows;
    for (int64_t i = begin; i < end; ++i) rows.push_back(&content.files[i]);
    std::string name = VersionPrefix(version) + ".checkpoint." +
                       fmt::format("{:010d}.{:010d}.", part + 1, num_parts) + NewUuid() +
                       ".parquet";
    std::string path = fs::JoinPath(sidecar_dir, name);
    SILT_ASSIGN_OR_RETURN(parquet::WrittenFile written,
                          WriteParquetFile(fs, path, sidecar_schema, rows, options));
    SILT_ASSIGN_OR_RETURN(fs::FileInfo info, fs.GetFileInfo(path));
    Sidecar sidecar;
    sidecar.path = name;
    sidecar.size_in_bytes = written.file_size;
    sidecar.modification_time = info.modification_time_ms;
    sidecar_actions.emplace_back(std::move(sidecar));
    result.files.push_back(path);
    result.sidecar_files.push_back(path);
    result.size_in_bytes += written.file_size;
  }
  for (const Action& a : sidecar_actions) top_rows.push_back(&a);

  const std::string uuid = NewUuid();
  const bool json_top = options.v2_format == V2CheckpointFormat::kJson;
  const std::string name = UuidCheckpointFileName(version, uuid, json_top ? "json" : "parquet");
  const std::string path = fs::JoinPath(log_dir, name);
  col::SchemaPtr top_schema =
      CheckpointSchema(V2TopLevelAddType(), V2TopLevelRemoveType(), /*v2_columns=*/true);
  int64_t top_size = 0;
  if (json_top) {
    std::string body;
    for (const Action* a : top_rows) {
      body += ToJsonLine(*a);
      body += '\n';
    }
    // Written like the Parquet files: published only once complete.
    SILT_ASSIGN_OR_RETURN(auto out, fs.OpenWritable(path));
    SILT_RETURN_NOT_OK(out->Append(body));
    SILT_RETURN_NOT_OK(out->Sync());
    SILT_RETURN_NOT_OK(out->Close());
    top_size = static_cast<int64_t>(body.size());
  } else {
    SILT_ASSIGN_OR_RETURN(parquet::WrittenFile written,
                          WriteParquetFile(fs, path, top_schema, top_rows, options));
    top_size = written.file_size;
  }
  result.num_actions = static_cast<int64_t>(top_rows.size()) + num_file_actions;
  result.size_in_bytes += top_size;
  result.checkpoint_path = path;
  result.files.push_back(path);

  if (options.update_last_checkpoint) {
    SILT_ASSIGN_OR_RETURN(fs::FileInfo info, fs.GetFileInfo(path));
    HintV2 hint;
    hint.path = name;
    hint.size_in_bytes = top_size;
    hint.modification_time = info.modification_time_ms;
    hint.non_file_actions.push_back(header_action);
    for (const Action& a : content.non_file) hint.non_file_actions.push_back(a);
    hint.sidecars = sidecar_actions;
    SILT_ASSIGN_OR_RETURN(
        result.last_checkpoint_updated,
        UpdateLastCheckpoint(fs, log_dir, version, LastCheckpointJson(result, *top_schema, hint)));
  }
  return result;
}

}  // namespace silt::delta
