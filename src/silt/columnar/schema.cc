#include "silt/columnar/schema.h"

#include "silt/base/macros.h"
#include "silt/base/strings.h"

namespace silt::columnar {

namespace {

// Shared by top-level and nested lookups.
Result<int> FindIndex(const std::vector<Field>& fields, std::string_view name,
                      bool case_sensitive) {
  int found = -1;
  int insensitive_matches = 0;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name() == name) return static_cast<int>(i);
    if (!case_sensitive && EqualsIgnoreAsciiCase(fields[i].name(), name)) {
      if (found < 0) found = static_cast<int>(i);
      ++insensitive_matches;
    }
  }
  if (insensitive_matches > 1) {
    return Status::InvalidArgument("field name '{}' is ambiguous: {} fields match ignoring case",
                                   name, insensitive_matches);
  }
  if (found < 0) return Status::NotFound("no field named '{}'", name);
  return found;
}

}  // namespace

Schema::Schema(std::vector<Field> fields, KeyValueMetadata metadata)
    : fields_(std::move(fields)), metadata_(std::move(metadata)) {}

SchemaPtr Schema::Make(std::vector<Field> fields, KeyValueMetadata metadata) {
  return std::make_shared<const Schema>(std::move(fields), std::move(metadata));
}

SchemaPtr Schema::FromStruct(const DataType& struct_type, KeyValueMetadata metadata) {
  return Make(AsStruct(struct_type).fields(), std::move(metadata));
}

int Schema::GetFieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name() == name) return static_cast<int>(i);
  }
  return -1;
}

const Field* Schema::GetFieldByName(std::string_view name) const {
  int i = GetFieldIndex(name);
  return i < 0 ? nullptr : &fields_[i];
}

Result<int> Schema::FindFieldIndex(std::string_view name, bool case_sensitive) const {
  return FindIndex(fields_, name, case_sensitive);
}

Result<FieldPath> Schema::FindPath(const std::vector<std::string>& path,
                                   bool case_sensitive) const {
  if (path.empty()) return Status::InvalidArgument("empty field path");
  FieldPath result{{}, Field("", Boolean())};
  const std::vector<Field>* level = &fields_;
  const Field* current = nullptr;
  for (size_t depth = 0; depth < path.size(); ++depth) {
    const std::string& segment = path[depth];
    if (current != nullptr) {
      const DataType& type = *current->type();
      if (type.id() == TypeId::kList) {
        if (segment != "element") {
          return Status::NotFound("field path segment '{}': '{}' is an array, expected 'element'",
                                  segment, current->name());
        }
        result.indices.push_back(0);
        result.field = AsList(type).element_field();
        current = &result.field;
        level = nullptr;
        continue;
      }
      if (type.id() == TypeId::kMap) {
        const auto& map = AsMap(type);
        if (segment != "key" && segment != "value") {
          return Status::NotFound(
              "field path segment '{}': '{}' is a map, expected 'key' or 'value'", segment,
              current->name());
        }
        int index = segment == "key" ? 0 : 1;
        result.indices.push_back(index);
        result.field = AsStruct(*map.entries_type()).field(index);
        current = &result.field;
        level = nullptr;
        continue;
      }
      if (type.id() != TypeId::kStruct) {
        return Status::NotFound("field path segment '{}': '{}' is a {}, not a struct", segment,
                                current->name(), type.ToString());
      }
      level = &AsStruct(type).fields();
    }
    SILT_DCHECK(level != nullptr);
    auto index = FindIndex(*level, segment, case_sensitive);
    if (!index.ok()) return index.status().WithContext(fmt::format("field path at depth {}", depth));
    result.indices.push_back(*index);
    result.field = (*level)[*index];
    current = &result.field;
  }
  return result;
}

Result<FieldPath> Schema::FindPath(std::string_view dotted_path, bool case_sensitive) const {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = dotted_path.find('.', start);
    parts.emplace_back(dotted_path.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return FindPath(parts, case_sensitive);
}

TypePtr Schema::ToStruct() const { return Struct(fields_); }

SchemaPtr Schema::WithMetadata(KeyValueMetadata metadata) const {
  return Make(fields_, std::move(metadata));
}

bool Schema::Equals(const Schema& other, bool check_metadata) const {
  if (fields_.size() != other.fields_.size()) return false;
  if (check_metadata && !(metadata_ == other.metadata_)) return false;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (!fields_[i].Equals(other.fields_[i], check_metadata)) return false;
  }
  return true;
}

std::string Schema::ToString() const { return StructType(fields_).ToString(); }

namespace {

std::string TreeTypeName(const DataType& type) {
  return type.id() == TypeId::kDecimal ? type.ToString() : std::string(TypeIdName(type.id()));
}

void AppendTree(const DataType& type, const std::string& prefix, std::string* out);

void AppendTreeLine(const std::string& prefix, std::string_view name, const DataType& type,
                    std::string_view flag, std::string* out) {
  *out += fmt::format("{} |-- {}: {}{}\n", prefix, name, TreeTypeName(type), flag);
  AppendTree(type, prefix + " |   ", out);
}

void AppendTree(const DataType& type, const std::string& prefix, std::string* out) {
  switch (type.id()) {
    case TypeId::kStruct:
      for (const Field& f : AsStruct(type).fields()) {
        AppendTreeLine(prefix, f.name(), *f.type(),
                       fmt::format(" (nullable = {})", f.nullable()), out);
      }
      break;
    case TypeId::kList: {
      const auto& list = AsList(type);
      AppendTreeLine(prefix, "element", *list.element_type(),
                     fmt::format(" (containsNull = {})", list.contains_null()), out);
      break;
    }
    case TypeId::kMap: {
      const auto& map = AsMap(type);
      AppendTreeLine(prefix, "key", *map.key_type(), "", out);
      AppendTreeLine(prefix, "value", *map.value_type(),
                     fmt::format(" (valueContainsNull = {})", map.value_contains_null()), out);
      break;
    }
    default:
      break;
  }
}

}  // namespace

std::string Schema::ToTreeString() const {
  std::string out = "root\n";
  AppendTree(StructType(fields_), "", &out);
  return out;
}

}  // namespace silt::columnar
