#include "silt/delta/table/schema.h"

#include <utility>
#include <vector>

#include "silt/json/json_reader.h"
#include "silt/json/json_writer.h"

namespace silt::delta {

namespace {

constexpr std::string_view kType = "type";
constexpr std::string_view kFields = "fields";
constexpr std::string_view kName = "name";
constexpr std::string_view kNullable = "nullable";
constexpr std::string_view kMetadata = "metadata";
constexpr std::string_view kElementType = "elementType";
constexpr std::string_view kContainsNull = "containsNull";
constexpr std::string_view kKeyType = "keyType";
constexpr std::string_view kValueType = "valueType";
constexpr std::string_view kValueContainsNull = "valueContainsNull";

Result<columnar::TypePtr> ParseType(const json::Value& value, std::string_view column);

Result<columnar::Field> ParseField(const json::Object& o, std::string_view parent_column) {
  SILT_ASSIGN_OR_RETURN(std::string_view name, o.GetString(kName));
  std::string column =
      parent_column.empty() ? std::string(name) : fmt::format("{}.{}", parent_column, name);
  std::optional<json::Value> type = o.Find(kType);
  if (!type.has_value() || type->is_null()) {
    return Status::Corruption("{}: required field is missing (column '{}')", o.FieldPath(kType),
                              column);
  }
  SILT_ASSIGN_OR_RETURN(columnar::TypePtr data_type, ParseType(*type, column));
  // Spark always writes "nullable"; a missing one reads as nullable.
  SILT_ASSIGN_OR_RETURN(std::optional<bool> nullable, o.GetOptionalBool(kNullable));
  columnar::KeyValueMetadata metadata;
  SILT_ASSIGN_OR_RETURN(std::optional<json::Object> meta, o.GetOptionalObject(kMetadata));
  if (meta.has_value()) {
    SILT_RETURN_NOT_OK(meta->ForEachField([&](std::string_view key, const json::Value& v) {
      metadata.Set(std::string(key), v.ToJson());
      return Status::OK();
    }));
  }
  return columnar::Field(std::string(name), std::move(data_type), nullable.value_or(true),
                         std::move(metadata));
}

Result<std::vector<columnar::Field>> ParseFields(const json::Object& struct_object,
                                                 std::string_view column) {
  std::optional<json::Value> fields = struct_object.Find(kFields);
  if (!fields.has_value() || fields->is_null()) {
    return Status::Corruption("{}: required field is missing", struct_object.FieldPath(kFields));
  }
  std::vector<columnar::Field> out;
  SILT_RETURN_NOT_OK(fields->ForEachElement([&](size_t, const json::Value& element) -> Status {
    SILT_ASSIGN_OR_RETURN(json::Object field, element.AsObject());
    SILT_ASSIGN_OR_RETURN(columnar::Field parsed, ParseField(field, column));
    out.push_back(std::move(parsed));
    return Status::OK();
  }));
  return out;
}

Result<columnar::TypePtr> ParseType(const json::Value& value, std::string_view column) {
  if (value.type() == json::Type::kString) {
    SILT_ASSIGN_OR_RETURN(std::string_view name, value.AsString());
    Result<columnar::TypePtr> type = columnar::TypeFromDeltaName(name);
    if (type.ok()) return type;
    if (type.error().IsUnsupported()) {
      return Status::Unsupported("column '{}' has type '{}', which is not supported", column,
                                 name);
    }
    // A malformed decimal in the log is corrupt data, whatever the parser calls it.
    return Status::Corruption("{}: {} (column '{}')", value.path(), type.error().message(),
                              column);
  }
  SILT_ASSIGN_OR_RETURN(json::Object o, value.AsObject());
  SILT_ASSIGN_OR_RETURN(std::string_view kind, o.GetString(kType));
  if (kind == "struct") {
    SILT_ASSIGN_OR_RETURN(std::vector<columnar::Field> fields, ParseFields(o, column));
    return columnar::Struct(std::move(fields));
  }
  if (kind == "array") {
    std::optional<json::Value> element = o.Find(kElementType);
    if (!element.has_value() || element->is_null()) {
      return Status::Corruption("{}: required field is missing", o.FieldPath(kElementType));
    }
    SILT_ASSIGN_OR_RETURN(columnar::TypePtr element_type,
                          ParseType(*element, fmt::format("{}.element", column)));
    SILT_ASSIGN_OR_RETURN(std::optional<bool> contains_null, o.GetOptionalBool(kContainsNull));
    return columnar::List(std::move(element_type), contains_null.value_or(true));
  }
  if (kind == "map") {
    std::optional<json::Value> key = o.Find(kKeyType);
    std::optional<json::Value> val = o.Find(kValueType);
    if (!key.has_value() || key->is_null()) {
      return Status::Corruption("{}: required field is missing", o.FieldPath(kKeyType));
    }
    if (!val.has_value() || val->is_null()) {
      return Status::Corruption("{}: required field is missing", o.FieldPath(kValueType));
    }
    SILT_ASSIGN_OR_RETURN(columnar::TypePtr key_type,
                          ParseType(*key, fmt::format("{}.key", column)));
    SILT_ASSIGN_OR_RETURN(columnar::TypePtr value_type,
                          ParseType(*val, fmt::format("{}.value", column)));
    SILT_ASSIGN_OR_RETURN(std::optional<bool> value_contains_null,
                          o.GetOptionalBool(kValueContainsNull));
    return columnar::Map(std::move(key_type), std::move(value_type),
                         value_contains_null.value_or(true));
  }
  return Status::Unsupported("column '{}' has type '{}', which is not supported", column, kind);
}

void WriteType(json::Writer& w, const columnar::DataType& type);

void WriteField(json::Writer& w, const columnar::Field& field) {
  w.BeginObject();
  w.Field(kName, field.name());
  w.Key(kType);
  WriteType(w, *field.type());
  w.Field(kNullable, field.nullable());
  w.Key(kMetadata).BeginObject();
  json::Parser parser;
  for (const auto& [key, value] : field.metadata()) {
    w.Key(key);
    if (parser.Parse(value).ok()) {
      w.RawJson(value);
    } else {
      w.String(value);
    }
  }
  w.EndObject();
  w.EndObject();
}

void WriteType(json::Writer& w, const columnar::DataType& type) {
  switch (type.id()) {
    case columnar::TypeId::kStruct: {
      w.BeginObject().Field(kType, "struct").Key(kFields).BeginArray();
      for (const columnar::Field& f : columnar::AsStruct(type).fields()) WriteField(w, f);
      w.EndArray().EndObject();
      return;
    }
    case columnar::TypeId::kList: {
      const columnar::ListType& list = columnar::AsList(type);
      w.BeginObject().Field(kType, "array").Key(kElementType);
      WriteType(w, *list.element_type());
      w.Field(kContainsNull, list.contains_null()).EndObject();
      return;
    }
    case columnar::TypeId::kMap: {
      const columnar::MapType& map = columnar::AsMap(type);
      w.BeginObject().Field(kType, "map").Key(kKeyType);
      WriteType(w, *map.key_type());
      w.Key(kValueType);
      WriteType(w, *map.value_type());
      w.Field(kValueContainsNull, map.value_contains_null()).EndObject();
      return;
    }
    default: {
      // Every non-nested type has a Delta name.
      Result<std::string> name = columnar::DeltaTypeName(type);
      w.String(name.ok() ? *name : type.ToString());
      return;
    }
  }
}

}  // namespace

Result<columnar::SchemaPtr> ParseSchemaString(std::string_view schema_string) {
  if (schema_string.empty()) return columnar::Schema::Make({});
  json::Parser parser;
  Result<json::Object> root = parser.ParseObject(schema_string);
  if (!root.ok()) return root.error().WithContext("schemaString");
  Status status;
  std::vector<columnar::Field> fields;
  status = [&]() -> Status {
    SILT_ASSIGN_OR_RETURN(std::string_view kind, root->GetString(kType));
    if (kind != "struct") {
      return Status::Corruption("the top-level type is '{}', expected 'struct'", kind);
    }
    SILT_ASSIGN_OR_RETURN(fields, ParseFields(*root, ""));
    return Status::OK();
  }();
  if (!status.ok()) return status.WithContext("schemaString");
  return columnar::Schema::Make(std::move(fields));
}

std::string TypeToJson(const columnar::DataType& type) {
  json::Writer w;
  WriteType(w, type);
  return w.Release();
}

std::string SchemaToJson(const columnar::Schema& schema) {
  json::Writer w;
  w.BeginObject().Field(kType, "struct").Key(kFields).BeginArray();
  for (const columnar::Field& f : schema.fields()) WriteField(w, f);
  w.EndArray().EndObject();
  return w.Release();
}

Result<std::optional<std::string>> FieldMetadataString(const columnar::Field& field,
                                                       std::string_view key) {
  std::optional<std::string_view> raw = field.metadata().Get(key);
  if (!raw.has_value()) return std::optional<std::string>();
  json::Parser parser;
  Result<json::Value> value = parser.Parse(*raw);
  if (!value.ok() || value->type() != json::Type::kString) {
    return Status::Corruption("metadata '{}' of column '{}' is not a JSON string: {}", key,
                              field.name(), *raw);
  }
  return std::optional<std::string>(std::string(*value->AsString()));
}

Result<std::optional<int64_t>> FieldMetadataInt(const columnar::Field& field,
                                                std::string_view key) {
  std::optional<std::string_view> raw = field.metadata().Get(key);
  if (!raw.has_value()) return std::optional<int64_t>();
  json::Parser parser;
  Result<json::Value> value = parser.Parse(*raw);
  Result<int64_t> number = value.ok() ? value->AsInt64() : Result<int64_t>(value.error());
  if (!number.ok()) {
    return Status::Corruption("metadata '{}' of column '{}' is not a JSON integer: {}", key,
                              field.name(), *raw);
  }
  return std::optional<int64_t>(*number);
}

}  // namespace silt::delta
