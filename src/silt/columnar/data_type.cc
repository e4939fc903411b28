#include "silt/columnar/data_type.h"

#include <fmt/format.h>

#include "silt/base/macros.h"

namespace silt::columnar {

std::string_view TypeIdName(TypeId id) {
  switch (id) {
    case TypeId::kBoolean: return "boolean";
    case TypeId::kInt8: return "byte";
    case TypeId::kInt16: return "short";
    case TypeId::kInt32: return "integer";
    case TypeId::kInt64: return "long";
    case TypeId::kFloat32: return "float";
    case TypeId::kFloat64: return "double";
    case TypeId::kDecimal: return "decimal";
    case TypeId::kString: return "string";
    case TypeId::kBinary: return "binary";
    case TypeId::kDate: return "date";
    case TypeId::kTimestamp: return "timestamp";
    case TypeId::kTimestampNtz: return "timestamp_ntz";
    case TypeId::kStruct: return "struct";
    case TypeId::kList: return "array";
    case TypeId::kMap: return "map";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------------------
// KeyValueMetadata

KeyValueMetadata::KeyValueMetadata(
    std::initializer_list<std::pair<std::string, std::string>> entries) {
  for (const auto& [k, v] : entries) Set(k, v);
}

void KeyValueMetadata::Set(std::string key, std::string value) {
  for (auto& entry : entries_) {
    if (entry.first == key) {
      entry.second = std::move(value);
      return;
    }
  }
  entries_.emplace_back(std::move(key), std::move(value));
}

std::optional<std::string_view> KeyValueMetadata::Get(std::string_view key) const {
  for (const auto& entry : entries_) {
    if (entry.first == key) return std::string_view(entry.second);
  }
  return std::nullopt;
}

bool KeyValueMetadata::Remove(std::string_view key) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first == key) {
      entries_.erase(it);
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Field

Field::Field(std::string name, TypePtr type, bool nullable, KeyValueMetadata metadata)
    : name_(std::move(name)), type_(std::move(type)), nullable_(nullable),
      metadata_(std::move(metadata)) {
  SILT_DCHECK(type_ != nullptr);
}

Field Field::WithName(std::string name) const {
  return Field(std::move(name), type_, nullable_, metadata_);
}
Field Field::WithType(TypePtr type) const {
  return Field(name_, std::move(type), nullable_, metadata_);
}
Field Field::WithNullable(bool nullable) const {
  return Field(name_, type_, nullable, metadata_);
}
Field Field::WithMetadata(KeyValueMetadata metadata) const {
  return Field(name_, type_, nullable_, std::move(metadata));
}

bool Field::Equals(const Field& other, bool check_metadata) const {
  return name_ == other.name_ && nullable_ == other.nullable_ &&
         (!check_metadata || metadata_ == other.metadata_) &&
         type_->Equals(*other.type_, check_metadata);
}

std::string Field::ToString() const { return fmt::format("{}:{}", name_, type_->ToString()); }

// ---------------------------------------------------------------------------------------------
// DataType

std::string DataType::ToString() const {
  switch (id_) {
    case TypeId::kBoolean: return "boolean";
    case TypeId::kInt8: return "tinyint";
    case TypeId::kInt16: return "smallint";
    case TypeId::kInt32: return "int";
    case TypeId::kInt64: return "bigint";
    case TypeId::kFloat32: return "float";
    case TypeId::kFloat64: return "double";
    case TypeId::kString: return "string";
    case TypeId::kBinary: return "binary";
    case TypeId::kDate: return "date";
    case TypeId::kTimestamp: return "timestamp";
    case TypeId::kTimestampNtz: return "timestamp_ntz";
    default: return std::string(TypeIdName(id_));  // overridden by parameterized types
  }
}

bool DataType::Equals(const DataType& other, bool check_metadata) const {
  if (this == &other) return true;
  return id_ == other.id_ && EqualsSameId(other, check_metadata);
}

bool DataType::EqualsSameId(const DataType&, bool) const { return true; }

int DataType::byte_width() const {
  switch (id_) {
    case TypeId::kInt8: return 1;
    case TypeId::kInt16: return 2;
    case TypeId::kInt32:
    case TypeId::kFloat32:
    case TypeId::kDate: return 4;
    case TypeId::kInt64:
    case TypeId::kFloat64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: return 8;
    case TypeId::kDecimal: return 16;
    default: return 0;
  }
}

bool DataType::is_fixed_width() const {
  return id_ == TypeId::kBoolean || byte_width() > 0;
}

std::string DecimalType::ToString() const {
  return fmt::format("decimal({},{})", precision_, scale_);
}
bool DecimalType::EqualsSameId(const DataType& other, bool) const {
  const auto& o = static_cast<const DecimalType&>(other);
  return precision_ == o.precision_ && scale_ == o.scale_;
}

StructType::StructType(std::vector<Field> fields)
    : DataType(TypeId::kStruct), fields_(std::move(fields)) {}

int StructType::GetFieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name() == name) return static_cast<int>(i);
  }
  return -1;
}

std::string StructType::ToString() const {
  std::string out = "struct<";
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i > 0) out += ',';
    out += fields_[i].ToString();
  }
  out += '>';
  return out;
}

bool StructType::EqualsSameId(const DataType& other, bool check_metadata) const {
  const auto& o = static_cast<const StructType&>(other);
  if (fields_.size() != o.fields_.size()) return false;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (!fields_[i].Equals(o.fields_[i], check_metadata)) return false;
  }
  return true;
}

std::string ListType::ToString() const {
  return fmt::format("array<{}>", element_type_->ToString());
}
bool ListType::EqualsSameId(const DataType& other, bool check_metadata) const {
  const auto& o = static_cast<const ListType&>(other);
  return contains_null_ == o.contains_null_ &&
         element_type_->Equals(*o.element_type_, check_metadata);
}

MapType::MapType(TypePtr key_type, TypePtr value_type, bool value_contains_null)
    : DataType(TypeId::kMap), key_type_(std::move(key_type)), value_type_(std::move(value_type)),
      value_contains_null_(value_contains_null),
      entries_type_(std::make_shared<StructType>(std::vector<Field>{
          Field("key", key_type_, false), Field("value", value_type_, value_contains_null_)})) {}

std::string MapType::ToString() const {
  return fmt::format("map<{},{}>", key_type_->ToString(), value_type_->ToString());
}
bool MapType::EqualsSameId(const DataType& other, bool check_metadata) const {
  const auto& o = static_cast<const MapType&>(other);
  return value_contains_null_ == o.value_contains_null_ &&
         key_type_->Equals(*o.key_type_, check_metadata) &&
         value_type_->Equals(*o.value_type_, check_metadata);
}

// ---------------------------------------------------------------------------------------------
// Factories

namespace {
class PrimitiveDataType final : public DataType {
 public:
  explicit PrimitiveDataType(TypeId id) : DataType(id) {}
};

#define SILT_PRIMITIVE_FACTORY(Name, Id)                                   \
  TypePtr Name() {                                                         \
    static const TypePtr instance = std::make_shared<PrimitiveDataType>(Id); \
    return instance;                                                       \
  }
}  // namespace

SILT_PRIMITIVE_FACTORY(Boolean, TypeId::kBoolean)
SILT_PRIMITIVE_FACTORY(Int8, TypeId::kInt8)
SILT_PRIMITIVE_FACTORY(Int16, TypeId::kInt16)
SILT_PRIMITIVE_FACTORY(Int32, TypeId::kInt32)
SILT_PRIMITIVE_FACTORY(Int64, TypeId::kInt64)
SILT_PRIMITIVE_FACTORY(Float32, TypeId::kFloat32)
SILT_PRIMITIVE_FACTORY(Float64, TypeId::kFloat64)
SILT_PRIMITIVE_FACTORY(String, TypeId::kString)
SILT_PRIMITIVE_FACTORY(Binary, TypeId::kBinary)
SILT_PRIMITIVE_FACTORY(Date, TypeId::kDate)
SILT_PRIMITIVE_FACTORY(Timestamp, TypeId::kTimestamp)
SILT_PRIMITIVE_FACTORY(TimestampNtz, TypeId::kTimestampNtz)
#undef SILT_PRIMITIVE_FACTORY

TypePtr PrimitiveType(TypeId id) {
  switch (id) {
    case TypeId::kBoolean: return Boolean();
    case TypeId::kInt8: return Int8();
    case TypeId::kInt16: return Int16();
    case TypeId::kInt32: return Int32();
    case TypeId::kInt64: return Int64();
    case TypeId::kFloat32: return Float32();
    case TypeId::kFloat64: return Float64();
    case TypeId::kString: return String();
    case TypeId::kBinary: return Binary();
    case TypeId::kDate: return Date();
    case TypeId::kTimestamp: return Timestamp();
    case TypeId::kTimestampNtz: return TimestampNtz();
    default: return nullptr;
  }
}

Result<std::string> DeltaTypeName(const DataType& type) {
  if (type.is_nested()) {
    return Status::InvalidArgument("{} has no Delta type name (it is a JSON object)",
                                   type.ToString());
  }
  if (type.id() == TypeId::kDecimal) return type.ToString();
  return std::string(TypeIdName(type.id()));
}

namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Result<int32_t> ParseDecimalPart(std::string_view text, std::string_view name) {
  text = TrimSpaces(text);
  if (text.empty() || text.size() > 3) {
    return Status::InvalidArgument("malformed decimal type '{}'", name);
  }
  int32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return Status::InvalidArgument("malformed decimal type '{}'", name);
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

Result<TypePtr> TypeFromDeltaName(std::string_view name) {
  static constexpr TypeId kPrimitives[] = {
      TypeId::kBoolean, TypeId::kInt8,   TypeId::kInt16,  TypeId::kInt32,
      TypeId::kInt64,   TypeId::kFloat32, TypeId::kFloat64, TypeId::kString,
      TypeId::kBinary,  TypeId::kDate,   TypeId::kTimestamp, TypeId::kTimestampNtz};
  for (TypeId id : kPrimitives) {
    if (name == TypeIdName(id)) return PrimitiveType(id);
  }
  if (name.substr(0, 7) == "decimal") {
    std::string_view rest = TrimSpaces(name.substr(7));
    if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')') {
      return Status::InvalidArgument("malformed decimal type '{}', expected decimal(p,s)", name);
    }
    rest = rest.substr(1, rest.size() - 2);
    size_t comma = rest.find(',');
    if (comma == std::string_view::npos) {
      return Status::InvalidArgument("malformed decimal type '{}', expected decimal(p,s)", name);
    }
    SILT_ASSIGN_OR_RETURN(int32_t precision, ParseDecimalPart(rest.substr(0, comma), name));
    SILT_ASSIGN_OR_RETURN(int32_t scale, ParseDecimalPart(rest.substr(comma + 1), name));
    return MakeDecimal(precision, scale);
  }
  return Status::Unsupported("unsupported Delta data type '{}'", name);
}

TypePtr Decimal(int32_t precision, int32_t scale) {
  SILT_DCHECK(precision >= 1 && precision <= DecimalType::kMaxPrecision);
  SILT_DCHECK(scale >= 0 && scale <= precision);
  return std::make_shared<DecimalType>(precision, scale);
}

Result<TypePtr> MakeDecimal(int32_t precision, int32_t scale) {
  if (precision < 1 || precision > DecimalType::kMaxPrecision) {
    return Status::InvalidArgument("decimal precision must be in [1, 38], got {}", precision);
  }
  if (scale < 0 || scale > precision) {
    return Status::InvalidArgument("decimal scale must be in [0, precision={}], got {}",
                                   precision, scale);
  }
  return TypePtr(std::make_shared<DecimalType>(precision, scale));
}

TypePtr Struct(std::vector<Field> fields) { return std::make_shared<StructType>(std::move(fields)); }

TypePtr List(TypePtr element_type, bool contains_null) {
  return std::make_shared<ListType>(std::move(element_type), contains_null);
}

TypePtr Map(TypePtr key_type, TypePtr value_type, bool value_contains_null) {
  return std::make_shared<MapType>(std::move(key_type), std::move(value_type),
                                   value_contains_null);
}

const DecimalType& AsDecimal(const DataType& type) {
  SILT_DCHECK(type.id() == TypeId::kDecimal);
  return static_cast<const DecimalType&>(type);
}
const StructType& AsStruct(const DataType& type) {
  SILT_DCHECK(type.id() == TypeId::kStruct);
  return static_cast<const StructType&>(type);
}
const ListType& AsList(const DataType& type) {
  SILT_DCHECK(type.id() == TypeId::kList);
  return static_cast<const ListType&>(type);
}
const MapType& AsMap(const DataType& type) {
  SILT_DCHECK(type.id() == TypeId::kMap);
  return static_cast<const MapType&>(type);
}

}  // namespace silt::columnar
