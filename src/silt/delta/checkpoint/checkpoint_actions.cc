#include "silt/delta/checkpoint/checkpoint_actions.h"

#include <functional>
#include <memory>
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

bool IsText(const col::Array& a) {
  return a.type_id() == col::TypeId::kString || a.type_id() == col::TypeId::kBinary;
}

// A field of a struct column, looked up once per batch (a checkpoint has millions of rows, and
// finding children by name for each of them dominated decoding). Absent fields read as null.
// A present field of the wrong type is an error only for rows where it holds a value.
class Column {
 public:
  Column(const StructView& parent, std::string_view name)
      : array_(parent.Child(name)), path_(parent.FieldPath(name)) {}

  bool IsNull(int64_t row) const { return array_ == nullptr || array_->IsNull(row); }
  const std::string& path() const { return path_; }

  Result<std::optional<std::string>> GetString(int64_t row) const {
    if (IsNull(row)) return std::optional<std::string>();
    if (!IsText(*array_)) return TypeError(path_, *array_, "string");
    return std::optional<std::string>(
        std::string(static_cast<const col::BinaryArray&>(*array_).GetView(row)));
  }

  // As GetString, a view into the batch.
  Result<std::optional<std::string_view>> GetView(int64_t row) const {
    if (IsNull(row)) return std::optional<std::string_view>();
    if (!IsText(*array_)) return TypeError(path_, *array_, "string");
    return std::optional<std::string_view>(
        static_cast<const col::BinaryArray&>(*array_).GetView(row));
  }

  Result<std::optional<int64_t>> GetInt(int64_t row) const {
    if (IsNull(row)) return std::optional<int64_t>();
    switch (array_->type_id()) {
      case col::TypeId::kInt8:
        return std::optional<int64_t>(static_cast<const col::Int8Array&>(*array_).Value(row));
      case col::TypeId::kInt16:
        return std::optional<int64_t>(static_cast<const col::Int16Array&>(*array_).Value(row));
      case col::TypeId::kInt32:
        return std::optional<int64_t>(static_cast<const col::Int32Array&>(*array_).Value(row));
      case col::TypeId::kInt64:
        return std::optional<int64_t>(static_cast<const col::Int64Array&>(*array_).Value(row));
      default:
        return TypeError(path_, *array_, "an integer");
    }
  }

  Result<std::optional<bool>> GetBool(int64_t row) const {
    if (IsNull(row)) return std::optional<bool>();
    if (array_->type_id() != col::TypeId::kBoolean) return TypeError(path_, *array_, "boolean");
    return std::optional<bool>(static_cast<const col::BooleanArray&>(*array_).Value(row));
  }

  // A map<string, string> field as views into the batch, appended to `out` (cleared first);
  // null values are std::nullopt. False for a null map.
  Result<bool> GetMapViews(int64_t row, std::vector<PartitionValueRef>& out) const {
    out.clear();
    if (IsNull(row)) return false;
    if (array_->type_id() != col::TypeId::kMap) return TypeError(path_, *array_, "a map");
    if (map_keys_ == nullptr) {
      // Map offsets index the entries struct; its fields, sliced to it, share those indexes.
      const auto& map = static_cast<const col::MapArray&>(*array_);
      const auto& entries = static_cast<const col::StructArray&>(*map.entries());
      map_keys_ = entries.field(0);
      map_values_ = entries.field(1);
    }
    if (!IsText(*map_keys_) || !IsText(*map_values_)) {
      return TypeError(path_, *array_, "map<string,string>");
    }
    const auto& map = static_cast<const col::MapArray&>(*array_);
    const auto& keys = static_cast<const col::BinaryArray&>(*map_keys_);
    const auto& values = static_cast<const col::BinaryArray&>(*map_values_);
    for (int32_t i = map.value_offset(row); i < map.value_offset(row + 1); ++i) {
      if (keys.IsNull(i)) {
        return Status::Corruption("checkpoint row {}: {} has a null key", row, path_);
      }
      std::optional<std::string_view> value;
      if (values.IsValid(i)) value = values.GetView(i);
      out.push_back({keys.GetView(i), value});
    }
    return true;
  }

  // A map<string, string> field; null values are kept as std::nullopt.
  Result<std::optional<PartitionValues>> GetMap(int64_t row) const {
    std::vector<PartitionValueRef> views;
    SILT_ASSIGN_OR_RETURN(bool present, GetMapViews(row, views));
    if (!present) return std::optional<PartitionValues>();
    PartitionValues out;
    for (const PartitionValueRef& v : views) {
      out.insert_or_assign(std::string(v.key), v.value ? std::optional<std::string>(*v.value)
                                                       : std::optional<std::string>());
    }
    return std::optional<PartitionValues>(std::move(out));
  }

  // A map<string, string> whose null values read as unset; absent or null reads as empty.
  Result<StringMap> GetStringMap(int64_t row) const {
    StringMap out;
    if (IsNull(row)) return out;
    SILT_ASSIGN_OR_RETURN(std::optional<PartitionValues> map, GetMap(row));
    for (auto& [k, v] : *map) {
      if (v.has_value()) out.emplace(k, std::move(*v));
    }
    return out;
  }

  Result<std::optional<std::vector<std::string>>> GetStringList(int64_t row) const {
    if (IsNull(row)) return std::optional<std::vector<std::string>>();
    if (array_->type_id() != col::TypeId::kList) return TypeError(path_, *array_, "a list");
    const auto& list = static_cast<const col::ListArray&>(*array_);
    const col::ArrayPtr& items = list.values();
    if (!IsText(*items)) return TypeError(path_, *array_, "array<string>");
    const auto& strings = static_cast<const col::BinaryArray&>(*items);
    std::vector<std::string> out;
    for (int32_t i = list.value_offset(row); i < list.value_offset(row + 1); ++i) {
      if (items->IsNull(i)) {
        return Status::Corruption("checkpoint row {}: {} has a null element", row, path_);
      }
      out.emplace_back(strings.GetView(i));
    }
    return std::optional<std::vector<std::string>>(std::move(out));
  }

 private:
  col::ArrayPtr array_;
  std::string path_;
  // The key and value children of a map field, found on first use.
  mutable col::ArrayPtr map_keys_;
  mutable col::ArrayPtr map_values_;
};

template <typename T>
Result<T> Required(Result<std::optional<T>> value, int64_t row, const Column& c) {
  if (!value.ok()) return value.error();
  if (!value->has_value()) return NullError(row, c.path());
  return std::move(**value);
}

Result<int32_t> ToInt32(int64_t value, int64_t row, const Column& c) {
  if (value < INT32_MIN || value > INT32_MAX) {
    return Status::Corruption("checkpoint row {}: {} = {} does not fit in 32 bits", row,
                              c.path(), value);
  }
  return static_cast<int32_t>(value);
}

class DeletionVectorReader {
 public:
  explicit DeletionVectorReader(const StructView& parent)
      : s_(parent.ChildStruct(field::kDeletionVector)),
        storage_type_(s_, field::kStorageType),
        path_or_inline_dv_(s_, field::kPathOrInlineDv),
        offset_(s_, field::kOffset),
        size_in_bytes_(s_, field::kSizeInBytes),
        cardinality_(s_, field::kCardinality),
        max_row_index_(s_, field::kMaxRowIndex) {}

  // False when Read(row) is sure to read no DV (and report no error).
  bool MayHaveValue(int64_t row) const { return !s_.CheckType().ok() || s_.IsValid(row); }

  Result<std::optional<DeletionVectorDescriptor>> Read(int64_t row) const {
    SILT_RETURN_NOT_OK(s_.CheckType());
    if (!s_.IsValid(row)) return std::optional<DeletionVectorDescriptor>();
    DeletionVectorDescriptor dv;
    SILT_ASSIGN_OR_RETURN(std::string type,
                          Required(storage_type_.GetString(row), row, storage_type_));
    Result<DvStorageType> storage_type = ParseDvStorageType(type);
    if (!storage_type.ok()) {
      return storage_type.error().WithContext(
          fmt::format("checkpoint row {}: {}", row, storage_type_.path()));
    }
    dv.storage_type = *storage_type;
    SILT_ASSIGN_OR_RETURN(dv.path_or_inline_dv,
                          Required(path_or_inline_dv_.GetString(row), row, path_or_inline_dv_));
    SILT_ASSIGN_OR_RETURN(std::optional<int64_t> offset, offset_.GetInt(row));
    if (offset.has_value()) {
      SILT_ASSIGN_OR_RETURN(dv.offset, ToInt32(*offset, row, offset_));
    }
    SILT_ASSIGN_OR_RETURN(int64_t size, Required(size_in_bytes_.GetInt(row), row, size_in_bytes_));
    SILT_ASSIGN_OR_RETURN(dv.size_in_bytes, ToInt32(size, row, size_in_bytes_));
    SILT_ASSIGN_OR_RETURN(dv.cardinality, Required(cardinality_.GetInt(row), row, cardinality_));
    SILT_ASSIGN_OR_RETURN(dv.max_row_index, max_row_index_.GetInt(row));
    return std::optional<DeletionVectorDescriptor>(std::move(dv));
  }

 private:
  StructView s_;
  Column storage_type_, path_or_inline_dv_, offset_, size_in_bytes_, cardinality_,
      max_row_index_;
};

// Reads the action of one action column (add, remove, ...) from rows where it is non-null.
class ActionReader {
 public:
  virtual ~ActionReader() = default;
  // Reads the action of `row` into `out` (whatever it held is replaced).
  virtual Status Read(int64_t row, Action& out) const = 0;
};

class AddReader final : public ActionReader {
 public:
  explicit AddReader(const StructView& s)
      : path_(s, field::kPath),
        partition_values_(s, field::kPartitionValues),
        size_(s, field::kSize),
        modification_time_(s, field::kModificationTime),
        data_change_(s, field::kDataChange),
        stats_(s, field::kStats),
        tags_(s, field::kTags),
        deletion_vector_(s),
        base_row_id_(s, field::kBaseRowId),
        default_row_commit_version_(s, field::kDefaultRowCommitVersion),
        clustering_provider_(s, field::kClusteringProvider) {}

  Status Read(int64_t row, Action& out) const override {
    AddFields fields;
    AddExtras extras;
    std::vector<PartitionValueRef> values;
    SILT_RETURN_NOT_OK(ReadFields(row, fields, extras, values));
    out = ToAdd(fields);
    return Status::OK();
  }

  // The add of `row` as views into the batch (partition values in `values`, the rarely set
  // fields in `extras`; fields.extras points to it when any is set).
  Status ReadFields(int64_t row, AddFields& fields, AddExtras& extras,
                    std::vector<PartitionValueRef>& values) const {
    SILT_ASSIGN_OR_RETURN(fields.path, Required(path_.GetView(row), row, path_));
    SILT_RETURN_NOT_OK(partition_values_.GetMapViews(row, values).status());
    fields.partition_values = values;
    SILT_ASSIGN_OR_RETURN(fields.size, Required(size_.GetInt(row), row, size_));
    SILT_ASSIGN_OR_RETURN(fields.modification_time,
                          Required(modification_time_.GetInt(row), row, modification_time_));
    // Checkpoints state dataChange=false; some writers leave it out.
    SILT_ASSIGN_OR_RETURN(std::optional<bool> data_change, data_change_.GetBool(row));
    fields.data_change = data_change.value_or(false);
    SILT_ASSIGN_OR_RETURN(fields.stats, stats_.GetView(row));
    fields.extras = nullptr;
    if (tags_.IsNull(row) && !deletion_vector_.MayHaveValue(row) && base_row_id_.IsNull(row) &&
        default_row_commit_version_.IsNull(row) && clustering_provider_.IsNull(row)) {
      return Status::OK();
    }
    SILT_ASSIGN_OR_RETURN(extras.tags, tags_.GetStringMap(row));
    SILT_ASSIGN_OR_RETURN(extras.deletion_vector, deletion_vector_.Read(row));
    SILT_ASSIGN_OR_RETURN(extras.base_row_id, base_row_id_.GetInt(row));
    SILT_ASSIGN_OR_RETURN(extras.default_row_commit_version,
                          default_row_commit_version_.GetInt(row));
    SILT_ASSIGN_OR_RETURN(extras.clustering_provider, clustering_provider_.GetString(row));
    fields.extras = &extras;
    return Status::OK();
  }

 private:
  Column path_, partition_values_, size_, modification_time_, data_change_, stats_, tags_;
  DeletionVectorReader deletion_vector_;
  Column base_row_id_, default_row_commit_version_, clustering_provider_;
};

class RemoveReader final : public ActionReader {
 public:
  explicit RemoveReader(const StructView& s)
      : path_(s, field::kPath),
        deletion_timestamp_(s, field::kDeletionTimestamp),
        data_change_(s, field::kDataChange),
        extended_file_metadata_(s, field::kExtendedFileMetadata),
        partition_values_(s, field::kPartitionValues),
        size_(s, field::kSize),
        stats_(s, field::kStats),
        tags_(s, field::kTags),
        deletion_vector_(s),
        base_row_id_(s, field::kBaseRowId),
        default_row_commit_version_(s, field::kDefaultRowCommitVersion) {}

  Status Read(int64_t row, Action& out) const override {
    Remove& r = out.emplace<Remove>();
    SILT_ASSIGN_OR_RETURN(r.path, Required(path_.GetString(row), row, path_));
    SILT_ASSIGN_OR_RETURN(r.deletion_timestamp, deletion_timestamp_.GetInt(row));
    SILT_ASSIGN_OR_RETURN(std::optional<bool> data_change, data_change_.GetBool(row));
    r.data_change = data_change.value_or(false);
    SILT_ASSIGN_OR_RETURN(r.extended_file_metadata, extended_file_metadata_.GetBool(row));
    SILT_ASSIGN_OR_RETURN(r.partition_values, partition_values_.GetMap(row));
    SILT_ASSIGN_OR_RETURN(r.size, size_.GetInt(row));
    SILT_ASSIGN_OR_RETURN(r.stats, stats_.GetString(row));
    SILT_ASSIGN_OR_RETURN(r.tags, tags_.GetStringMap(row));
    SILT_ASSIGN_OR_RETURN(r.deletion_vector, deletion_vector_.Read(row));
    SILT_ASSIGN_OR_RETURN(r.base_row_id, base_row_id_.GetInt(row));
    SILT_ASSIGN_OR_RETURN(r.default_row_commit_version,
                          default_row_commit_version_.GetInt(row));
    return Status::OK();
  }

 private:
  Column path_, deletion_timestamp_, data_change_, extended_file_metadata_, partition_values_,
      size_, stats_, tags_;
  DeletionVectorReader deletion_vector_;
  Column base_row_id_, default_row_commit_version_;
};

class MetadataReader final : public ActionReader {
 public:
  explicit MetadataReader(const StructView& s)
      : id_(s, field::kId),
        name_(s, field::kName),
        description_(s, field::kDescription),
        format_(s.ChildStruct(field::kFormat)),
        provider_(format_, field::kProvider),
        options_(format_, field::kOptions),
        schema_string_(s, field::kSchemaString),
        partition_columns_(s, field::kPartitionColumns),
        configuration_(s, field::kConfiguration),
        created_time_(s, field::kCreatedTime) {}

  Status Read(int64_t row, Action& out) const override {
    Metadata& m = out.emplace<Metadata>();
    SILT_ASSIGN_OR_RETURN(m.id, Required(id_.GetString(row), row, id_));
    SILT_ASSIGN_OR_RETURN(m.name, name_.GetString(row));
    SILT_ASSIGN_OR_RETURN(m.description, description_.GetString(row));
    SILT_RETURN_NOT_OK(format_.CheckType());
    if (format_.IsValid(row)) {
      SILT_ASSIGN_OR_RETURN(std::optional<std::string> provider, provider_.GetString(row));
      if (provider.has_value()) m.format.provider = std::move(*provider);
      SILT_ASSIGN_OR_RETURN(m.format.options, options_.GetStringMap(row));
    }
    SILT_ASSIGN_OR_RETURN(std::optional<std::string> schema, schema_string_.GetString(row));
    if (schema.has_value()) m.schema_string = std::move(*schema);
    SILT_ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> partition_columns,
                          partition_columns_.GetStringList(row));
    if (partition_columns.has_value()) m.partition_columns = std::move(*partition_columns);
    SILT_ASSIGN_OR_RETURN(m.configuration, configuration_.GetStringMap(row));
    SILT_ASSIGN_OR_RETURN(m.created_time, created_time_.GetInt(row));
    return Status::OK();
  }

 private:
  Column id_, name_, description_;
  StructView format_;
  Column provider_, options_, schema_string_, partition_columns_, configuration_, created_time_;
};

class ProtocolReader final : public ActionReader {
 public:
  explicit ProtocolReader(const StructView& s)
      : min_reader_version_(s, field::kMinReaderVersion),
        min_writer_version_(s, field::kMinWriterVersion),
        reader_features_(s, field::kReaderFeatures),
        writer_features_(s, field::kWriterFeatures) {}

  Status Read(int64_t row, Action& out) const override {
    Protocol& p = out.emplace<Protocol>();
    SILT_ASSIGN_OR_RETURN(int64_t reader,
                          Required(min_reader_version_.GetInt(row), row, min_reader_version_));
    SILT_ASSIGN_OR_RETURN(p.min_reader_version, ToInt32(reader, row, min_reader_version_));
    SILT_ASSIGN_OR_RETURN(int64_t writer,
                          Required(min_writer_version_.GetInt(row), row, min_writer_version_));
    SILT_ASSIGN_OR_RETURN(p.min_writer_version, ToInt32(writer, row, min_writer_version_));
    SILT_ASSIGN_OR_RETURN(p.reader_features, reader_features_.GetStringList(row));
    SILT_ASSIGN_OR_RETURN(p.writer_features, writer_features_.GetStringList(row));
    return Status::OK();
  }

 private:
  Column min_reader_version_, min_writer_version_, reader_features_, writer_features_;
};

class TxnReader final : public ActionReader {
 public:
  explicit TxnReader(const StructView& s)
      : app_id_(s, field::kAppId), version_(s, field::kVersion),
        last_updated_(s, field::kLastUpdated) {}

  Status Read(int64_t row, Action& out) const override {
    SetTransaction& t = out.emplace<SetTransaction>();
    SILT_ASSIGN_OR_RETURN(t.app_id, Required(app_id_.GetString(row), row, app_id_));
    SILT_ASSIGN_OR_RETURN(t.version, Required(version_.GetInt(row), row, version_));
    SILT_ASSIGN_OR_RETURN(t.last_updated, last_updated_.GetInt(row));
    return Status::OK();
  }

 private:
  Column app_id_, version_, last_updated_;
};

class DomainMetadataReader final : public ActionReader {
 public:
  explicit DomainMetadataReader(const StructView& s)
      : domain_(s, field::kDomain), configuration_(s, field::kConfiguration),
        removed_(s, field::kRemoved) {}

  Status Read(int64_t row, Action& out) const override {
    DomainMetadata& d = out.emplace<DomainMetadata>();
    SILT_ASSIGN_OR_RETURN(d.domain, Required(domain_.GetString(row), row, domain_));
    SILT_ASSIGN_OR_RETURN(d.configuration,
                          Required(configuration_.GetString(row), row, configuration_));
    SILT_ASSIGN_OR_RETURN(std::optional<bool> removed, removed_.GetBool(row));
    d.removed = removed.value_or(false);
    return Status::OK();
  }

 private:
  Column domain_, configuration_, removed_;
};

class CheckpointMetadataReader final : public ActionReader {
 public:
  explicit CheckpointMetadataReader(const StructView& s)
      : version_(s, field::kVersion), tags_(s, field::kTags) {}

  Status Read(int64_t row, Action& out) const override {
    CheckpointMetadata& c = out.emplace<CheckpointMetadata>();
    SILT_ASSIGN_OR_RETURN(c.version, Required(version_.GetInt(row), row, version_));
    SILT_ASSIGN_OR_RETURN(c.tags, tags_.GetStringMap(row));
    return Status::OK();
  }

 private:
  Column version_, tags_;
};

class SidecarReader final : public ActionReader {
 public:
  explicit SidecarReader(const StructView& s)
      : path_(s, field::kPath), size_in_bytes_(s, field::kSizeInBytes),
        modification_time_(s, field::kModificationTime), tags_(s, field::kTags) {}

  Status Read(int64_t row, Action& out) const override {
    Sidecar& c = out.emplace<Sidecar>();
    SILT_ASSIGN_OR_RETURN(c.path, Required(path_.GetString(row), row, path_));
    SILT_ASSIGN_OR_RETURN(c.size_in_bytes,
                          Required(size_in_bytes_.GetInt(row), row, size_in_bytes_));
    SILT_ASSIGN_OR_RETURN(c.modification_time,
                          Required(modification_time_.GetInt(row), row, modification_time_));
    SILT_ASSIGN_OR_RETURN(c.tags, tags_.GetStringMap(row));
    return Status::OK();
  }

 private:
  Column path_, size_in_bytes_, modification_time_, tags_;
};

template <typename R>
std::unique_ptr<ActionReader> MakeReader(const StructView& s) {
  return std::make_unique<R>(s);
}

using ReaderFactory = std::unique_ptr<ActionReader> (*)(const StructView&);

struct ActionColumn {
  std::string_view name;
  ReaderFactory make;
};

constexpr ActionColumn kActionColumns[] = {
    {kAddAction, MakeReader<AddReader>},
    {kRemoveAction, MakeReader<RemoveReader>},
    {kMetadataAction, MakeReader<MetadataReader>},
    {kProtocolAction, MakeReader<ProtocolReader>},
    {kTxnAction, MakeReader<TxnReader>},
    {kDomainMetadataAction, MakeReader<DomainMetadataReader>},
    {kCheckpointMetadataAction, MakeReader<CheckpointMetadataReader>},
    {kSidecarAction, MakeReader<SidecarReader>},
};

}  // namespace

Status ForEachCheckpointRow(const col::RecordBatch& batch,
                            const std::function<Status(const AddFields&)>& on_add,
                            const std::function<Status(Action&)>& on_action) {
  struct Present {
    StructView view;
    std::unique_ptr<ActionReader> reader;
  };
  std::vector<Present> present;
  for (const ActionColumn& c : kActionColumns) {
    col::ArrayPtr column = batch.GetColumnByName(c.name);
    if (column == nullptr) continue;
    StructView view(column, std::string(c.name));
    SILT_RETURN_NOT_OK(view.CheckType());
    std::unique_ptr<ActionReader> reader = c.make(view);
    present.push_back({std::move(view), std::move(reader)});
  }
  const AddReader* add_reader = nullptr;
  if (on_add != nullptr && !present.empty() && present[0].view.path() == kAddAction) {
    add_reader = static_cast<const AddReader*>(present[0].reader.get());
  }
  // One action object for every row: on_action moves its contents out (into the file list),
  // and the next row's fields are read straight into it. Adds, the bulk of a checkpoint, are
  // read as views instead when on_add takes them.
  Action action;
  AddFields fields;
  AddExtras extras;
  std::vector<PartitionValueRef> values;
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
    if (add_reader != nullptr && found->reader.get() == add_reader) {
      SILT_RETURN_NOT_OK(add_reader->ReadFields(row, fields, extras, values));
      SILT_RETURN_NOT_OK(on_add(fields));
      continue;
    }
    SILT_RETURN_NOT_OK(found->reader->Read(row, action));
    SILT_RETURN_NOT_OK(on_action(action));
  }
  return Status::OK();
}

Status ForEachCheckpointAction(const col::RecordBatch& batch,
                               const std::function<Status(Action&)>& on_action) {
  return ForEachCheckpointRow(batch, nullptr, on_action);
}

Result<std::vector<Action>> ActionsFromCheckpointBatch(const col::RecordBatch& batch) {
  std::vector<Action> actions;
  actions.reserve(static_cast<size_t>(batch.num_rows()));
  SILT_RETURN_NOT_OK(ForEachCheckpointAction(batch, [&](Action& action) {
    actions.push_back(std::move(action));
    return Status::OK();
  }));
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
