#include "silt/delta/actions/action_json.h"

#include <limits>
#include <type_traits>
#include <utility>

#include "silt/json/json_writer.h"

namespace silt::delta {

namespace {

using json::Object;

template <typename T>
std::optional<std::string> ToOptionalString(const std::optional<T>& v) {
  if (!v.has_value()) return std::nullopt;
  return std::string(*v);
}

Result<int32_t> ToInt32(int64_t value, const Object& object, std::string_view name) {
  if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
    return Status::Corruption("{}: {} does not fit in 32 bits", object.FieldPath(name), value);
  }
  return static_cast<int32_t>(value);
}

Result<DeletionVectorDescriptor> ParseDeletionVector(const Object& o) {
  DeletionVectorDescriptor dv;
  SILT_ASSIGN_OR_RETURN(std::string_view storage_type, o.GetString(field::kStorageType));
  Result<DvStorageType> parsed_type = ParseDvStorageType(storage_type);
  if (!parsed_type.ok()) {
    return parsed_type.error().WithContext(o.FieldPath(field::kStorageType));
  }
  dv.storage_type = *parsed_type;
  SILT_ASSIGN_OR_RETURN(std::string_view path, o.GetString(field::kPathOrInlineDv));
  dv.path_or_inline_dv = std::string(path);
  SILT_ASSIGN_OR_RETURN(std::optional<int64_t> offset, o.GetOptionalInt64(field::kOffset));
  if (offset.has_value()) {
    SILT_ASSIGN_OR_RETURN(dv.offset, ToInt32(*offset, o, field::kOffset));
  }
  SILT_ASSIGN_OR_RETURN(int64_t size, o.GetInt64(field::kSizeInBytes));
  SILT_ASSIGN_OR_RETURN(dv.size_in_bytes, ToInt32(size, o, field::kSizeInBytes));
  SILT_ASSIGN_OR_RETURN(dv.cardinality, o.GetInt64(field::kCardinality));
  SILT_ASSIGN_OR_RETURN(dv.max_row_index, o.GetOptionalInt64(field::kMaxRowIndex));
  return dv;
}

Result<std::optional<DeletionVectorDescriptor>> ParseOptionalDeletionVector(const Object& o) {
  SILT_ASSIGN_OR_RETURN(std::optional<Object> dv, o.GetOptionalObject(field::kDeletionVector));
  if (!dv.has_value()) return std::optional<DeletionVectorDescriptor>();
  SILT_ASSIGN_OR_RETURN(DeletionVectorDescriptor parsed, ParseDeletionVector(*dv));
  return std::optional<DeletionVectorDescriptor>(std::move(parsed));
}

Result<Protocol> ParseProtocol(const Object& o) {
  Protocol p;
  SILT_ASSIGN_OR_RETURN(int64_t reader, o.GetInt64(field::kMinReaderVersion));
  SILT_ASSIGN_OR_RETURN(p.min_reader_version, ToInt32(reader, o, field::kMinReaderVersion));
  SILT_ASSIGN_OR_RETURN(int64_t writer, o.GetInt64(field::kMinWriterVersion));
  SILT_ASSIGN_OR_RETURN(p.min_writer_version, ToInt32(writer, o, field::kMinWriterVersion));
  SILT_ASSIGN_OR_RETURN(p.reader_features, o.GetOptionalStringArray(field::kReaderFeatures));
  SILT_ASSIGN_OR_RETURN(p.writer_features, o.GetOptionalStringArray(field::kWriterFeatures));
  return p;
}

Result<Metadata> ParseMetadata(const Object& o) {
  Metadata m;
  SILT_ASSIGN_OR_RETURN(std::string_view id, o.GetString(field::kId));
  m.id = std::string(id);
  SILT_ASSIGN_OR_RETURN(auto name, o.GetOptionalString(field::kName));
  m.name = ToOptionalString(name);
  SILT_ASSIGN_OR_RETURN(auto description, o.GetOptionalString(field::kDescription));
  m.description = ToOptionalString(description);
  // `format` is required by the protocol, but every writer writes the same value; a missing one
  // is read as the default rather than refusing the table.
  SILT_ASSIGN_OR_RETURN(std::optional<Object> format, o.GetOptionalObject(field::kFormat));
  if (format.has_value()) {
    SILT_ASSIGN_OR_RETURN(auto provider, format->GetOptionalString(field::kProvider));
    if (provider.has_value()) m.format.provider = std::string(*provider);
    SILT_ASSIGN_OR_RETURN(m.format.options, format->GetOptionalStringMap(field::kOptions));
  }
  // Required by the protocol, yet Spark's own test tables ("Manual Update" commits) omit it and
  // Spark reads them as an empty schema; absent reads as "" and the schema parser decides.
  SILT_ASSIGN_OR_RETURN(auto schema, o.GetOptionalString(field::kSchemaString));
  if (schema.has_value()) m.schema_string = std::string(*schema);
  SILT_ASSIGN_OR_RETURN(auto partition_columns,
                        o.GetOptionalStringArray(field::kPartitionColumns));
  if (partition_columns.has_value()) m.partition_columns = std::move(*partition_columns);
  SILT_ASSIGN_OR_RETURN(m.configuration, o.GetOptionalStringMap(field::kConfiguration));
  SILT_ASSIGN_OR_RETURN(m.created_time, o.GetOptionalInt64(field::kCreatedTime));
  return m;
}

Result<Add> ParseAdd(const Object& o) {
  Add a;
  SILT_ASSIGN_OR_RETURN(std::string_view path, o.GetString(field::kPath));
  a.path = std::string(path);
  SILT_ASSIGN_OR_RETURN(a.partition_values, o.GetNullableStringMap(field::kPartitionValues));
  SILT_ASSIGN_OR_RETURN(a.size, o.GetInt64(field::kSize));
  SILT_ASSIGN_OR_RETURN(a.modification_time, o.GetInt64(field::kModificationTime));
  SILT_ASSIGN_OR_RETURN(a.data_change, o.GetBool(field::kDataChange));
  SILT_ASSIGN_OR_RETURN(auto stats, o.GetOptionalString(field::kStats));
  a.stats = ToOptionalString(stats);
  SILT_ASSIGN_OR_RETURN(a.tags, o.GetOptionalStringMap(field::kTags));
  SILT_ASSIGN_OR_RETURN(a.deletion_vector, ParseOptionalDeletionVector(o));
  SILT_ASSIGN_OR_RETURN(a.base_row_id, o.GetOptionalInt64(field::kBaseRowId));
  SILT_ASSIGN_OR_RETURN(a.default_row_commit_version,
                        o.GetOptionalInt64(field::kDefaultRowCommitVersion));
  SILT_ASSIGN_OR_RETURN(auto clustering, o.GetOptionalString(field::kClusteringProvider));
  a.clustering_provider = ToOptionalString(clustering);
  return a;
}

Result<Remove> ParseRemove(const Object& o) {
  Remove r;
  SILT_ASSIGN_OR_RETURN(std::string_view path, o.GetString(field::kPath));
  r.path = std::string(path);
  SILT_ASSIGN_OR_RETURN(r.deletion_timestamp, o.GetOptionalInt64(field::kDeletionTimestamp));
  SILT_ASSIGN_OR_RETURN(r.data_change, o.GetBool(field::kDataChange));
  SILT_ASSIGN_OR_RETURN(r.extended_file_metadata,
                        o.GetOptionalBool(field::kExtendedFileMetadata));
  if (o.Has(field::kPartitionValues)) {
    SILT_ASSIGN_OR_RETURN(r.partition_values, o.GetNullableStringMap(field::kPartitionValues));
  }
  SILT_ASSIGN_OR_RETURN(r.size, o.GetOptionalInt64(field::kSize));
  SILT_ASSIGN_OR_RETURN(auto stats, o.GetOptionalString(field::kStats));
  r.stats = ToOptionalString(stats);
  SILT_ASSIGN_OR_RETURN(r.tags, o.GetOptionalStringMap(field::kTags));
  SILT_ASSIGN_OR_RETURN(r.deletion_vector, ParseOptionalDeletionVector(o));
  SILT_ASSIGN_OR_RETURN(r.base_row_id, o.GetOptionalInt64(field::kBaseRowId));
  SILT_ASSIGN_OR_RETURN(r.default_row_commit_version,
                        o.GetOptionalInt64(field::kDefaultRowCommitVersion));
  return r;
}

Result<AddCDCFile> ParseCdc(const Object& o) {
  AddCDCFile c;
  SILT_ASSIGN_OR_RETURN(std::string_view path, o.GetString(field::kPath));
  c.path = std::string(path);
  SILT_ASSIGN_OR_RETURN(c.partition_values, o.GetNullableStringMap(field::kPartitionValues));
  SILT_ASSIGN_OR_RETURN(c.size, o.GetInt64(field::kSize));
  SILT_ASSIGN_OR_RETURN(auto data_change, o.GetOptionalBool(field::kDataChange));
  c.data_change = data_change.value_or(false);
  SILT_ASSIGN_OR_RETURN(c.tags, o.GetOptionalStringMap(field::kTags));
  return c;
}

Result<SetTransaction> ParseTxn(const Object& o) {
  SetTransaction t;
  SILT_ASSIGN_OR_RETURN(std::string_view app_id, o.GetString(field::kAppId));
  t.app_id = std::string(app_id);
  SILT_ASSIGN_OR_RETURN(t.version, o.GetInt64(field::kVersion));
  SILT_ASSIGN_OR_RETURN(t.last_updated, o.GetOptionalInt64(field::kLastUpdated));
  return t;
}

Result<CommitInfo> ParseCommitInfo(const Object& o) {
  CommitInfo c;
  c.raw_json = o.ToJson();
  SILT_ASSIGN_OR_RETURN(c.timestamp, o.GetOptionalInt64(field::kTimestamp));
  SILT_ASSIGN_OR_RETURN(auto operation, o.GetOptionalString(field::kOperation));
  c.operation = ToOptionalString(operation);
  SILT_ASSIGN_OR_RETURN(c.in_commit_timestamp, o.GetOptionalInt64(field::kInCommitTimestamp));
  SILT_ASSIGN_OR_RETURN(c.is_blind_append, o.GetOptionalBool(field::kIsBlindAppend));
  SILT_ASSIGN_OR_RETURN(auto txn_id, o.GetOptionalString(field::kTxnId));
  c.txn_id = ToOptionalString(txn_id);
  return c;
}

Result<DomainMetadata> ParseDomainMetadata(const Object& o) {
  DomainMetadata d;
  SILT_ASSIGN_OR_RETURN(std::string_view domain, o.GetString(field::kDomain));
  d.domain = std::string(domain);
  SILT_ASSIGN_OR_RETURN(std::string_view configuration, o.GetString(field::kConfiguration));
  d.configuration = std::string(configuration);
  SILT_ASSIGN_OR_RETURN(d.removed, o.GetBool(field::kRemoved));
  return d;
}

Result<Sidecar> ParseSidecar(const Object& o) {
  Sidecar s;
  SILT_ASSIGN_OR_RETURN(std::string_view path, o.GetString(field::kPath));
  s.path = std::string(path);
  SILT_ASSIGN_OR_RETURN(s.size_in_bytes, o.GetInt64(field::kSizeInBytes));
  SILT_ASSIGN_OR_RETURN(s.modification_time, o.GetInt64(field::kModificationTime));
  SILT_ASSIGN_OR_RETURN(s.tags, o.GetOptionalStringMap(field::kTags));
  return s;
}

Result<CheckpointMetadata> ParseCheckpointMetadata(const Object& o) {
  CheckpointMetadata c;
  SILT_ASSIGN_OR_RETURN(c.version, o.GetInt64(field::kVersion));
  SILT_ASSIGN_OR_RETURN(c.tags, o.GetOptionalStringMap(field::kTags));
  return c;
}

template <typename T>
Result<std::optional<Action>> Wrap(Result<T> parsed) {
  if (!parsed.ok()) return parsed.error();
  return std::optional<Action>(Action(std::move(parsed).value()));
}

// Parses the action under `key`, or returns nullopt for an unknown key.
Result<std::optional<Action>> ParseKnown(std::string_view key, const Object& body) {
  if (key == kAddAction) return Wrap(ParseAdd(body));
  if (key == kRemoveAction) return Wrap(ParseRemove(body));
  if (key == kCommitInfoAction) return Wrap(ParseCommitInfo(body));
  if (key == kMetadataAction) return Wrap(ParseMetadata(body));
  if (key == kProtocolAction) return Wrap(ParseProtocol(body));
  if (key == kTxnAction) return Wrap(ParseTxn(body));
  if (key == kCdcAction) return Wrap(ParseCdc(body));
  if (key == kDomainMetadataAction) return Wrap(ParseDomainMetadata(body));
  if (key == kSidecarAction) return Wrap(ParseSidecar(body));
  if (key == kCheckpointMetadataAction) return Wrap(ParseCheckpointMetadata(body));
  return std::optional<Action>();
}

bool IsKnownAction(std::string_view key) {
  return key == kAddAction || key == kRemoveAction || key == kCommitInfoAction ||
         key == kMetadataAction || key == kProtocolAction || key == kTxnAction ||
         key == kCdcAction || key == kDomainMetadataAction || key == kSidecarAction ||
         key == kCheckpointMetadataAction;
}

// ---------------------------------------------------------------------------------------------
// Writing

void WriteStringMap(json::Writer& w, std::string_view key, const StringMap& map) {
  w.Key(key).BeginObject();
  for (const auto& [k, v] : map) w.Field(k, v);
  w.EndObject();
}

void WritePartitionValues(json::Writer& w, const PartitionValues& values) {
  w.Key(field::kPartitionValues).BeginObject();
  for (const auto& [k, v] : values) {
    w.Key(k);
    if (v.has_value()) {
      w.String(*v);
    } else {
      w.Null();
    }
  }
  w.EndObject();
}

void WriteDeletionVector(json::Writer& w, const DeletionVectorDescriptor& dv) {
  char storage_type[1] = {static_cast<char>(dv.storage_type)};
  w.Key(field::kDeletionVector).BeginObject();
  w.Field(field::kStorageType, std::string_view(storage_type, 1));
  w.Field(field::kPathOrInlineDv, dv.path_or_inline_dv);
  if (dv.offset.has_value()) w.Field(field::kOffset, int64_t{*dv.offset});
  w.Field(field::kSizeInBytes, int64_t{dv.size_in_bytes});
  w.Field(field::kCardinality, dv.cardinality);
  if (dv.max_row_index.has_value()) w.Field(field::kMaxRowIndex, *dv.max_row_index);
  w.EndObject();
}

template <typename T>
void WriteOptional(json::Writer& w, std::string_view key, const std::optional<T>& value) {
  if (value.has_value()) w.Field(key, *value);
}

void Write(json::Writer& w, const Protocol& p) {
  w.Field(field::kMinReaderVersion, int64_t{p.min_reader_version});
  w.Field(field::kMinWriterVersion, int64_t{p.min_writer_version});
  WriteOptional(w, field::kReaderFeatures, p.reader_features);
  WriteOptional(w, field::kWriterFeatures, p.writer_features);
}

void Write(json::Writer& w, const Metadata& m) {
  w.Field(field::kId, m.id);
  WriteOptional(w, field::kName, m.name);
  WriteOptional(w, field::kDescription, m.description);
  w.Key(field::kFormat).BeginObject();
  w.Field(field::kProvider, m.format.provider);
  WriteStringMap(w, field::kOptions, m.format.options);
  w.EndObject();
  w.Field(field::kSchemaString, m.schema_string);
  w.Field(field::kPartitionColumns, m.partition_columns);
  WriteStringMap(w, field::kConfiguration, m.configuration);
  WriteOptional(w, field::kCreatedTime, m.created_time);
}

void Write(json::Writer& w, const Add& a) {
  w.Field(field::kPath, a.path);
  WritePartitionValues(w, a.partition_values);
  w.Field(field::kSize, a.size);
  w.Field(field::kModificationTime, a.modification_time);
  w.Field(field::kDataChange, a.data_change);
  WriteOptional(w, field::kStats, a.stats);
  if (!a.tags.empty()) WriteStringMap(w, field::kTags, a.tags);
  if (a.deletion_vector.has_value()) WriteDeletionVector(w, *a.deletion_vector);
  WriteOptional(w, field::kBaseRowId, a.base_row_id);
  WriteOptional(w, field::kDefaultRowCommitVersion, a.default_row_commit_version);
  WriteOptional(w, field::kClusteringProvider, a.clustering_provider);
}

void Write(json::Writer& w, const Remove& r) {
  w.Field(field::kPath, r.path);
  WriteOptional(w, field::kDeletionTimestamp, r.deletion_timestamp);
  w.Field(field::kDataChange, r.data_change);
  WriteOptional(w, field::kExtendedFileMetadata, r.extended_file_metadata);
  if (r.partition_values.has_value()) WritePartitionValues(w, *r.partition_values);
  WriteOptional(w, field::kSize, r.size);
  WriteOptional(w, field::kStats, r.stats);
  if (!r.tags.empty()) WriteStringMap(w, field::kTags, r.tags);
  if (r.deletion_vector.has_value()) WriteDeletionVector(w, *r.deletion_vector);
  WriteOptional(w, field::kBaseRowId, r.base_row_id);
  WriteOptional(w, field::kDefaultRowCommitVersion, r.default_row_commit_version);
}

void Write(json::Writer& w, const AddCDCFile& c) {
  w.Field(field::kPath, c.path);
  WritePartitionValues(w, c.partition_values);
  w.Field(field::kSize, c.size);
  w.Field(field::kDataChange, c.data_change);
  if (!c.tags.empty()) WriteStringMap(w, field::kTags, c.tags);
}

void Write(json::Writer& w, const SetTransaction& t) {
  w.Field(field::kAppId, t.app_id);
  w.Field(field::kVersion, t.version);
  WriteOptional(w, field::kLastUpdated, t.last_updated);
}

void Write(json::Writer& w, const CommitInfo& c) {
  // Only reached when raw_json is empty (see ToJsonLine).
  WriteOptional(w, field::kTimestamp, c.timestamp);
  WriteOptional(w, field::kInCommitTimestamp, c.in_commit_timestamp);
  WriteOptional(w, field::kOperation, c.operation);
  WriteOptional(w, field::kIsBlindAppend, c.is_blind_append);
  WriteOptional(w, field::kTxnId, c.txn_id);
}

void Write(json::Writer& w, const DomainMetadata& d) {
  w.Field(field::kDomain, d.domain);
  w.Field(field::kConfiguration, d.configuration);
  w.Field(field::kRemoved, d.removed);
}

void Write(json::Writer& w, const Sidecar& s) {
  w.Field(field::kPath, s.path);
  w.Field(field::kSizeInBytes, s.size_in_bytes);
  w.Field(field::kModificationTime, s.modification_time);
  if (!s.tags.empty()) WriteStringMap(w, field::kTags, s.tags);
}

void Write(json::Writer& w, const CheckpointMetadata& c) {
  w.Field(field::kVersion, c.version);
  if (!c.tags.empty()) WriteStringMap(w, field::kTags, c.tags);
}

}  // namespace

std::string_view ActionName(const Action& action) {
  return std::visit(
      [](const auto& a) -> std::string_view {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, Protocol>) return kProtocolAction;
        if constexpr (std::is_same_v<T, Metadata>) return kMetadataAction;
        if constexpr (std::is_same_v<T, Add>) return kAddAction;
        if constexpr (std::is_same_v<T, Remove>) return kRemoveAction;
        if constexpr (std::is_same_v<T, AddCDCFile>) return kCdcAction;
        if constexpr (std::is_same_v<T, SetTransaction>) return kTxnAction;
        if constexpr (std::is_same_v<T, CommitInfo>) return kCommitInfoAction;
        if constexpr (std::is_same_v<T, DomainMetadata>) return kDomainMetadataAction;
        if constexpr (std::is_same_v<T, Sidecar>) return kSidecarAction;
        if constexpr (std::is_same_v<T, CheckpointMetadata>) return kCheckpointMetadataAction;
      },
      action);
}

Result<std::optional<Action>> ParseAction(const json::Object& line) {
  std::optional<json::Value> body;
  std::string_view found;
  Status status = line.ForEachField([&](std::string_view key, const json::Value& value) -> Status {
    // Unknown action types are ignored; so is a known key whose value is null (a row-shaped
    // line, {"txn":null,"add":{...}}, names the one action it holds by its non-null key).
    if (!IsKnownAction(key) || value.is_null()) return Status::OK();
    if (!found.empty()) {
      return Status::Corruption("one line holds two actions, '{}' and '{}'", found, key);
    }
    found = key;
    body = value;
    return Status::OK();
  });
  SILT_RETURN_NOT_OK(status);
  if (!body.has_value()) return std::optional<Action>();
  SILT_ASSIGN_OR_RETURN(json::Object object, body->AsObject());
  return ParseKnown(found, object);
}

Result<std::optional<Action>> ParseActionBody(std::string_view action_name,
                                              const json::Object& body) {
  return ParseKnown(action_name, body);
}

Result<std::optional<Action>> ParseActionLine(json::Parser& parser, std::string_view line) {
  SILT_ASSIGN_OR_RETURN(json::Object object, parser.ParseObject(line));
  return ParseAction(object);
}

Result<std::vector<Action>> ParseCommitFile(json::Parser& parser, std::string_view content,
                                            std::string_view file_name) {
  std::vector<Action> actions;
  size_t line_number = 0;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank line
    Result<std::optional<Action>> action = ParseActionLine(parser, line);
    if (!action.ok()) {
      return action.error().WithContext(fmt::format("{} line {}", file_name, line_number));
    }
    if (action->has_value()) actions.push_back(std::move(**action));
  }
  return actions;
}

Result<std::vector<Action>> ParseCommitFile(std::string_view content, std::string_view file_name) {
  json::Parser parser;
  return ParseCommitFile(parser, content, file_name);
}

std::string ToJsonLine(const Action& action) {
  if (const auto* commit_info = std::get_if<CommitInfo>(&action);
      commit_info != nullptr && !commit_info->raw_json.empty()) {
    std::string out;
    out.reserve(commit_info->raw_json.size() + 16);
    out.append("{\"").append(kCommitInfoAction).append("\":");
    out.append(commit_info->raw_json).append("}");
    return out;
  }
  json::Writer w;
  w.BeginObject().Key(ActionName(action)).BeginObject();
  std::visit([&w](const auto& a) { Write(w, a); }, action);
  w.EndObject().EndObject();
  return w.Release();
}

std::string ToCommitFile(std::span<const Action> actions) {
  std::string out;
  for (const Action& action : actions) {
    out.append(ToJsonLine(action));
    out.push_back('\n');
  }
  return out;
}

}  // namespace silt::delta
