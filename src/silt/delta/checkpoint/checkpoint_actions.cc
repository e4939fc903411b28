#include "silt/delta/checkpoint/checkpoint_actions.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "silt/delta/actions/deletion_vector.h"

namespace silt::delta {

namespace {

namespace col = ::silt::columnar;

// One struct column (or nested struct field) of the batch, with its path for messages. A
// missing column is a view whose array is null: every row reads as null.
class StructView {
 public:
  StructView() = default;
  StructView(col::ArrayPtr array, std::string path) : path_(std::move(path)) {
    if (array != nullptr && array->type_id() == col::TypeId::kStruct) {
      array_ = col::ArrayCast<col::StructArray>(array);
    } else if (array != nullptr) {
      wrong_type_ = array->type()->ToString();
    }
  }

  // kCorruption when the column exists but is not a struct.
  Status CheckType() const {
    if (wrong_type_.empty()) return Status::OK();
    return Status::Corruption("checkpoint column {} has type {}, expected a struct", path_,
                              wrong_type_);
  }
  bool IsValid(int64_t row) const { return array_ != nullptr && array_->IsValid(row); }
  // The child named `name` (nullptr when absent).
  col::ArrayPtr Child(std::string_view name) const {
    return array_ == nullptr ? nullptr : array_->GetFieldByName(name);
  }
  StructView ChildStruct(std::string_view name) const {
    return StructView(Child(name), FieldPath(name));
  }
  std::string FieldPath(std::string_view name) const { return path_ + "." + std::string(name); }
  const std::string& path() const { return path_; }

 private:
  std::shared_ptr<const col::StructArray> array_;
  std::string path_;
  std::string wrong_type_;
};

Status TypeError(std::string_view path, const col::Array& array, std::string_view expected) {
  return Status::Corruption("checkpoint column {} has type {}, expected {}", path,
                            array.type()->ToString(), expected);
}

Status NullError(int64_t row, std::string_view path) {
  return Status::Corruption("checkpoint row {}: required field {} is null", row, path);
}

Result<std::optional<std::string>> GetString(const StructView& s, std::string_view name,
                                             int64_t row) {
  col::ArrayPtr a = s.Child(name);
  if (a == nullptr || a->IsNull(row)) return std::optional<std::string>();
  if (a->type_id() != col::TypeId::kString && a->type_id() != col::TypeId::kBinary) {
    return TypeError(s.FieldPath(name), *a, "string");
  }
  return std::optional<std::string>(
      std::string(static_cast<const col::BinaryArray&>(*a).GetView(row)));
}

Result<std::optional<int64_t>> GetInt(const StructView& s, std::string_view name, int64_t row) {
  col::ArrayPtr a = s.Child(name);
  if (a == nullptr || a->IsNull(row)) return std::optional<int64_t>();
  switch (a->type_id()) {
    case col::TypeId::kInt8:
      return std::optional<int64_t>(static_cast<const col::Int8Array&>(*a).Value(row));
    case col::TypeId::kInt16:
      return std::optional<int64_t>(static_cast<const col::Int16Array&>(*a).Value(row));
    case col::TypeId::kInt32:
      return std::optional<int64_t>(static_cast<const col::Int32Array&>(*a).Value(row));
    case col::TypeId::kInt64:
      return std::optional<int64_t>(static_cast<const col::Int64Array&>(*a).Value(row));
    default:
      return TypeError(s.FieldPath(name), *a, "an integer");
  }
}

Result<std::optional<bool>> GetBool(const StructView& s, std::string_view name, int64_t row) {
  col::ArrayPtr a = s.Child(name);
  if (a == nullptr || a->IsNull(row)) return std::optional<bool>();
  if (a->type_id() != col::TypeId::kBoolean) return TypeError(s.FieldPath(name), *a, "boolean");
  return std::optional<bool>(static_cast<const col::BooleanArray&>(*a).Value(row));
}

// A map<string, string> field; null values are kept as std::nullopt.
Result<std::optional<PartitionValues>> GetMap(const StructView& s, std::string_view name,
                                              int64_t row) {
  col::ArrayPtr a = s.Child(name);
  if (a == nullptr || a->IsNull(row)) return std::optional<PartitionValues>();
  if (a->type_id() != col::TypeId::kMap) return TypeError(s.FieldPath(name), *a, "a map");
  const auto& map = static_cast<const col::MapArray&>(*a);
  // Map offsets index the entries struct; its fields, sliced to it, share those indexes.
  const auto& entries = static_cast<const col::StructArray&>(*map.entries());
  col::ArrayPtr keys = entries.field(0);
  col::ArrayPtr values = entries.field(1);
  auto is_text = [](const col::Array& x) {
    return x.type_id() == col::TypeId::kString || x.type_id() == col::TypeId::kBinary;
  };
  if (!is_text(*keys) || !is_text(*values)) {
    return TypeError(s.FieldPath(name), *a, "map<string,string>");
  }
  const auto& key_strings = static_cast<const col::BinaryArray&>(*keys);
  const auto& value_strings = static_cast<const col::BinaryArray&>(*values);
  PartitionValues out;
  for (int32_t i = map.value_offset(row); i < map.value_offset(row + 1); ++i) {
    if (keys->IsNull(i)) {
      return Status::Corruption("checkpoint row {}: {} has a null key", row, s.FieldPath(name));
    }
    std::optional<std::string> value;
    if (values->IsValid(i)) value = std::string(value_strings.GetView(i));
    out.insert_or_assign(std::string(key_strings.GetView(i)), std::move(value));
  }
  return std::optional<PartitionValues>(std::move(out));
}

Result<StringMap> GetStringMap(const StructView& s, std::string_view name, int64_t row) {
  SILT_ASSIGN_OR_RETURN(std::optional<PartitionValues> map, GetMap(s, name, row));
  StringMap out;
  if (map.has_value()) {
    for (auto& [k, v] : *map) {
      if (v.has_value()) out.emplace(k, std::move(*v));  // a null value reads as unset
    }
  }
  return out;
}

Result<std::optional<std::vector<std::string>>> GetStringList(const StructView& s,
                                                              std::string_view name,
                                                              int64_t row) {
  col::ArrayPtr a = s.Child(name);
  if (a == nullptr || a->IsNull(row)) return std::optional<std::vector<std::string>>();
  if (a->type_id() != col::TypeId::kList) return TypeError(s.FieldPath(name), *a, "a list");
  const auto& list = static_cast<const col::ListArray&>(*a);
  const col::ArrayPtr& items = list.values();
  if (items->type_id() != col::TypeId::kString && items->type_id() != col::TypeId::kBinary) {
    return TypeError(s.FieldPath(name), *a, "array<string>");
  }
  const auto& strings = static_cast<const col::BinaryArray&>(*items);
  std::vector<std::string> out;
  for (int32_t i = list.value_offset(row); i < list.value_offset(row + 1); ++i) {
    if (items->IsNull(i)) {
      return Status::Corruption("checkpoint row {}: {} has a null element", row,
                                s.FieldPath(name));
    }
    out.emplace_back(strings.GetView(i));
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

template <typename T>
Result<T> Required(Result<std::optional<T>> value, int64_t row, const StructView& s,
                   std::string_view name) {
  if (!value.ok()) return value.error();
  if (!value->has_value()) return NullError(row, s.FieldPath(name));
  return std::move(**value);
}

Result<int32_t> ToInt32(int64_t value, int64_t row, const StructView& s, std::string_view name) {
  if (value < INT32_MIN || value > INT32_MAX) {
    return Status::Corruption("checkpoint row {}: {} = {} does not fit in 32 bits", row,
                              s.FieldPath(name), value);
  }
  return static_cast<int32_t>(value);
}

Result<std::optional<DeletionVectorDescriptor>> GetDeletionVector(const StructView& parent,
                                                                  int64_t row) {
  StructView s = parent.ChildStruct(field::kDeletionVector);
  SILT_RETURN_NOT_OK(s.CheckType());
  if (!s.IsValid(row)) return std::optional<DeletionVectorDescriptor>();
  DeletionVectorDescriptor dv;
  SILT_ASSIGN_OR_RETURN(std::string type,
                        Required(GetString(s, field::kStorageType, row), row, s,
                                 field::kStorageType));
  Result<DvStorageType> storage_type = ParseDvStorageType(type);
  if (!storage_type.ok()) {
    return storage_type.error().WithContext(
        fmt::format("checkpoint row {}: {}", row, s.FieldPath(field::kStorageType)));
  }
  dv.storage_type = *storage_type;
  SILT_ASSIGN_OR_RETURN(dv.path_or_inline_dv,
                        Required(GetString(s, field::kPathOrInlineDv, row), row, s,
                                 field::kPathOrInlineDv));
  SILT_ASSIGN_OR_RETURN(std::optional<int64_t> offset, GetInt(s, field::kOffset, row));
  if (offset.has_value()) {
    SILT_ASSIGN_OR_RETURN(dv.offset, ToInt32(*offset, row, s, field::kOffset));
  }
  SILT_ASSIGN_OR_RETURN(int64_t size, Required(GetInt(s, field::kSizeInBytes, row), row, s,
                                               field::kSizeInBytes));
  SILT_ASSIGN_OR_RETURN(dv.size_in_bytes, ToInt32(size, row, s, field::kSizeInBytes));
  SILT_ASSIGN_OR_RETURN(dv.cardinality, Required(GetInt(s, field::kCardinality, row), row, s,
                                                 field::kCardinality));
  SILT_ASSIGN_OR_RETURN(dv.max_row_index, GetInt(s, field::kMaxRowIndex, row));
  return std::optional<DeletionVectorDescriptor>(std::move(dv));
}

Result<Action> ReadAdd(const StructView& s, int64_t row) {
  Add a;
  SILT_ASSIGN_OR_RETURN(a.path, Required(GetString(s, field::kPath, row), row, s, field::kPath));
  SILT_ASSIGN_OR_RETURN(std::optional<PartitionValues> pv,
                        GetMap(s, field::kPartitionValues, row));
  if (pv.has_value()) a.partition_values = std::move(*pv);
  SILT_ASSIGN_OR_RETURN(a.size, Required(GetInt(s, field::kSize, row), row, s, field::kSize));
  SILT_ASSIGN_OR_RETURN(a.modification_time, Required(GetInt(s, field::kModificationTime, row),
                                                      row, s, field::kModificationTime));
  // Checkpoints state dataChange=false; some writers leave it out.
  SILT_ASSIGN_OR_RETURN(std::optional<bool> data_change, GetBool(s, field::kDataChange, row));
  a.data_change = data_change.value_or(false);
  SILT_ASSIGN_OR_RETURN(a.stats, GetString(s, field::kStats, row));
  SILT_ASSIGN_OR_RETURN(a.tags, GetStringMap(s, field::kTags, row));
  SILT_ASSIGN_OR_RETURN(a.deletion_vector, GetDeletionVector(s, row));
  SILT_ASSIGN_OR_RETURN(a.base_row_id, GetInt(s, field::kBaseRowId, row));
  SILT_ASSIGN_OR_RETURN(a.default_row_commit_version,
                        GetInt(s, field::kDefaultRowCommitVersion, row));
  SILT_ASSIGN_OR_RETURN(a.clustering_provider, GetString(s, field::kClusteringProvider, row));
  return Action(std::move(a));
}

Result<Action> ReadRemove(const StructView& s, int64_t row) {
  Remove r;
  SILT_ASSIGN_OR_RETURN(r.path, Required(GetString(s, field::kPath, row), row, s, field::kPath));
  SILT_ASSIGN_OR_RETURN(r.deletion_timestamp, GetInt(s, field::kDeletionTimestamp, row));
  SILT_ASSIGN_OR_RETURN(std::optional<bool> data_change, GetBool(s, field::kDataChange, row));
  r.data_change = data_change.value_or(false);
  SILT_ASSIGN_OR_RETURN(r.extended_file_metadata,
                        GetBool(s, field::kExtendedFileMetadata, row));
  SILT_ASSIGN_OR_RETURN(r.partition_values, GetMap(s, field::kPartitionValues, row));
  SILT_ASSIGN_OR_RETURN(r.size, GetInt(s, field::kSize, row));
  SILT_ASSIGN_OR_RETURN(r.stats, GetString(s, field::kStats, row));
  SILT_ASSIGN_OR_RETURN(r.tags, GetStringMap(s, field::kTags, row));
  SILT_ASSIGN_OR_RETURN(r.deletion_vector, GetDeletionVector(s, row));
  SILT_ASSIGN_OR_RETURN(r.base_row_id, GetInt(s, field::kBaseRowId, row));
  SILT_ASSIGN_OR_RETURN(r.default_row_commit_version,
                        GetInt(s, field::kDefaultRowCommitVersion, row));
  return Action(std::move(r));
}

Result<Action> ReadMetadata(const StructView& s, int64_t row) {
  Metadata m;
  SILT_ASSIGN_OR_RETURN(m.id, Required(GetString(s, field::kId, row), row, s, field::kId));
  SILT_ASSIGN_OR_RETURN(m.name, GetString(s, field::kName, row));
  SILT_ASSIGN_OR_RETURN(m.description, GetString(s, field::kDescription, row));
  StructView format = s.ChildStruct(field::kFormat);
  SILT_RETURN_NOT_OK(format.CheckType());
  if (format.IsValid(row)) {
    SILT_ASSIGN_OR_RETURN(std::optional<std::string> provider,
                          GetString(format, field::kProvider, row));
    if (provider.has_value()) m.format.provider = std::move(*provider);
    SILT_ASSIGN_OR_RETURN(m.format.options, GetStringMap(format, field::kOptions, row));
  }
  SILT_ASSIGN_OR_RETURN(std::optional<std::string> schema,
                        GetString(s, field::kSchemaString, row));
  if (schema.has_value()) m.schema_string = std::move(*schema);
  SILT_ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> partition_columns,
                        GetStringList(s, field::kPartitionColumns, row));
  if (partition_columns.has_value()) m.partition_columns = std::move(*partition_columns);
  SILT_ASSIGN_OR_RETURN(m.configuration, GetStringMap(s, field::kConfiguration, row));
  SILT_ASSIGN_OR_RETURN(m.created_time, GetInt(s, field::kCreatedTime, row));
  return Action(std::move(m));
}

Result<Action> ReadProtocol(const StructView& s, int64_t row) {
  Protocol p;
  SILT_ASSIGN_OR_RETURN(int64_t reader, Required(GetInt(s, field::kMinReaderVersion, row), row,
                                                 s, field::kMinReaderVersion));
  SILT_ASSIGN_OR_RETURN(p.min_reader_version, ToInt32(reader, row, s, field::kMinReaderVersion));
  SILT_ASSIGN_OR_RETURN(int64_t writer, Required(GetInt(s, field::kMinWriterVersion, row), row,
                                                 s, field::kMinWriterVersion));
  SILT_ASSIGN_OR_RETURN(p.min_writer_version, ToInt32(writer, row, s, field::kMinWriterVersion));
  SILT_ASSIGN_OR_RETURN(p.reader_features, GetStringList(s, field::kReaderFeatures, row));
  SILT_ASSIGN_OR_RETURN(p.writer_features, GetStringList(s, field::kWriterFeatures, row));
  return Action(std::move(p));
}

Result<Action> ReadTxn(const StructView& s, int64_t row) {
  SetTransaction t;
  SILT_ASSIGN_OR_RETURN(t.app_id, Required(GetString(s, field::kAppId, row), row, s,
                                           field::kAppId));
  SILT_ASSIGN_OR_RETURN(t.version, Required(GetInt(s, field::kVersion, row), row, s,
                                            field::kVersion));
  SILT_ASSIGN_OR_RETURN(t.last_updated, GetInt(s, field::kLastUpdated, row));
  return Action(std::move(t));
}

Result<Action> ReadDomainMetadata(const StructView& s, int64_t row) {
  DomainMetadata d;
  SILT_ASSIGN_OR_RETURN(d.domain, Required(GetString(s, field::kDomain, row), row, s,
                                           field::kDomain));
  SILT_ASSIGN_OR_RETURN(d.configuration, Required(GetString(s, field::kConfiguration, row),
                                                  row, s, field::kConfiguration));
  SILT_ASSIGN_OR_RETURN(std::optional<bool> removed, GetBool(s, field::kRemoved, row));
  d.removed = removed.value_or(false);
  return Action(std::move(d));
}

Result<Action> ReadCheckpointMetadata(const StructView& s, int64_t row) {
  CheckpointMetadata c;
  SILT_ASSIGN_OR_RETURN(c.version, Required(GetInt(s, field::kVersion, row), row, s,
                                            field::kVersion));
  SILT_ASSIGN_OR_RETURN(c.tags, GetStringMap(s, field::kTags, row));
  return Action(std::move(c));
}

Result<Action> ReadSidecar(const StructView& s, int64_t row) {
  Sidecar c;
  SILT_ASSIGN_OR_RETURN(c.path, Required(GetString(s, field::kPath, row), row, s, field::kPath));
  SILT_ASSIGN_OR_RETURN(c.size_in_bytes, Required(GetInt(s, field::kSizeInBytes, row), row, s,
                                                  field::kSizeInBytes));
  SILT_ASSIGN_OR_RETURN(c.modification_time,
                        Required(GetInt(s, field::kModificationTime, row), row, s,
                                 field::kModificationTime));
  SILT_ASSIGN_OR_RETURN(c.tags, GetStringMap(s, field::kTags, row));
  return Action(std::move(c));
}

using Reader = Result<Action> (*)(const StructView&, int64_t);

struct ActionColumn {
  std::string_view name;
  Reader read;
};

constexpr ActionColumn kActionColumns[] = {
    {kAddAction, ReadAdd},
    {kRemoveAction, ReadRemove},
    {kMetadataAction, ReadMetadata},
    {kProtocolAction, ReadProtocol},
    {kTxnAction, ReadTxn},
    {kDomainMetadataAction, ReadDomainMetadata},
    {kCheckpointMetadataAction, ReadCheckpointMetadata},
    {kSidecarAction, ReadSidecar},
};

}  // namespace

Result<std::vector<Action>> ActionsFromCheckpointBatch(const col::RecordBatch& batch) {
  struct Present {
    StructView view;
    Reader read;
  };
  std::vector<Present> present;
  for (const ActionColumn& c : kActionColumns) {
    col::ArrayPtr column = batch.GetColumnByName(c.name);
    if (column == nullptr) continue;
    StructView view(column, std::string(c.name));
    SILT_RETURN_NOT_OK(view.CheckType());
    present.push_back({std::move(view), c.read});
  }
  std::vector<Action> actions;
  actions.reserve(static_cast<size_t>(batch.num_rows()));
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    const Present* found = nullptr;
    for (const Present& p : present) {
      if (!p.view.IsValid(row)) continue;
      if (found != nullptr) {
        return Status::Corruption("checkpoint row {} holds two actions, {} and {}", row,
                                  found->view.path(), p.view.path());
      }
      found = &p;
    }
    if (found == nullptr) continue;
    SILT_ASSIGN_OR_RETURN(Action action, found->read(found->view, row));
    actions.push_back(std::move(action));
  }
  return actions;
}

col::SchemaPtr CheckpointReadSchema() {
  using col::Field;
  auto string_map = [] { return col::Map(col::String(), col::String(), true); };
  col::TypePtr dv = col::Struct({
      Field(std::string(field::kStorageType), col::String()),
      Field(std::string(field::kPathOrInlineDv), col::String()),
      Field(std::string(field::kOffset), col::Int32()),
      Field(std::string(field::kSizeInBytes), col::Int32()),
      Field(std::string(field::kCardinality), col::Int64()),
  });
  auto f = [](std::string_view name, col::TypePtr type) {
    return Field(std::string(name), std::move(type));
  };
  return col::Schema::Make({
      f(kTxnAction, col::Struct({f(field::kAppId, col::String()),
                                 f(field::kVersion, col::Int64()),
                                 f(field::kLastUpdated, col::Int64())})),
      f(kAddAction,
        col::Struct({f(field::kPath, col::String()), f(field::kPartitionValues, string_map()),
                     f(field::kSize, col::Int64()), f(field::kModificationTime, col::Int64()),
                     f(field::kDataChange, col::Boolean()), f(field::kTags, string_map()),
                     f(field::kDeletionVector, dv), f(field::kBaseRowId, col::Int64()),
                     f(field::kDefaultRowCommitVersion, col::Int64()),
                     f(field::kClusteringProvider, col::String()),
                     f(field::kStats, col::String())})),
      f(kRemoveAction,
        col::Struct({f(field::kPath, col::String()), f(field::kDeletionTimestamp, col::Int64()),
                     f(field::kDataChange, col::Boolean()),
                     f(field::kExtendedFileMetadata, col::Boolean()),
                     f(field::kPartitionValues, string_map()), f(field::kSize, col::Int64()),
                     f(field::kDeletionVector, dv), f(field::kBaseRowId, col::Int64()),
                     f(field::kDefaultRowCommitVersion, col::Int64())})),
      f(kMetadataAction,
        col::Struct({f(field::kId, col::String()), f(field::kName, col::String()),
                     f(field::kDescription, col::String()),
                     f(field::kFormat, col::Struct({f(field::kProvider, col::String()),
                                                    f(field::kOptions, string_map())})),
                     f(field::kSchemaString, col::String()),
                     f(field::kPartitionColumns, col::List(col::String())),
                     f(field::kConfiguration, string_map()),
                     f(field::kCreatedTime, col::Int64())})),
      f(kProtocolAction,
        col::Struct({f(field::kMinReaderVersion, col::Int32()),
                     f(field::kMinWriterVersion, col::Int32()),
                     f(field::kReaderFeatures, col::List(col::String())),
                     f(field::kWriterFeatures, col::List(col::String()))})),
      f(kDomainMetadataAction,
        col::Struct({f(field::kDomain, col::String()), f(field::kConfiguration, col::String()),
                     f(field::kRemoved, col::Boolean())})),
      f(kCheckpointMetadataAction,
        col::Struct({f(field::kVersion, col::Int64()), f(field::kTags, string_map())})),
      f(kSidecarAction,
        col::Struct({f(field::kPath, col::String()), f(field::kSizeInBytes, col::Int64()),
                     f(field::kModificationTime, col::Int64()), f(field::kTags, string_map())})),
  });
}

}  // namespace silt::delta
