// DataType, Field and KeyValueMetadata: the logical types of Delta's schema (PROTOCOL.md "Schema
// Serialization Format") mapped onto Arrow's physical layouts (see array.h).
//
// Types are immutable and shared as `TypePtr` (std::shared_ptr<const DataType>); build them with
// the factory functions at the bottom (Int64(), Decimal(10, 2), Struct({...}), List(...), Map(...)).
// ToString() prints Spark style: "bigint", "decimal(10,2)", "struct<a:int,b:array<string>>".
// Thread safety: everything here is immutable after construction and safe to share.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "silt/base/result.h"

namespace silt::columnar {

enum class TypeId : uint8_t {
  kBoolean,
  kInt8,          // Delta "byte"
  kInt16,         // Delta "short"
  kInt32,         // Delta "integer"
  kInt64,         // Delta "long"
  kFloat32,       // Delta "float"
  kFloat64,       // Delta "double"
  kDecimal,       // 128-bit two's complement, little-endian (Arrow decimal128); precision <= 38
  kString,        // UTF-8, 32-bit offsets
  kBinary,        // bytes, 32-bit offsets
  kDate,          // int32 days since 1970-01-01
  kTimestamp,     // int64 microseconds since the epoch, UTC
  kTimestampNtz,  // int64 microseconds, no time zone
  kStruct,
  kList,          // Delta "array"
  kMap,
};

// Delta's JSON schema name of the type id: "boolean", "byte", "short", "integer", "long", "float",
// "double", "decimal", "string", "binary", "date", "timestamp", "timestamp_ntz", "struct",
// "array", "map".
std::string_view TypeIdName(TypeId id);

class DataType;
class Field;
using TypePtr = std::shared_ptr<const DataType>;

// Ordered string -> string map (insertion order kept, keys unique). Delta stores JSON values
// here (column mapping ids, generation expressions, ...): they are kept as raw strings.
class KeyValueMetadata {
 public:
  KeyValueMetadata() = default;
  KeyValueMetadata(std::initializer_list<std::pair<std::string, std::string>> entries);

  // Replaces the value of an existing key in place, otherwise appends.
  void Set(std::string key, std::string value);
  std::optional<std::string_view> Get(std::string_view key) const;
  bool Contains(std::string_view key) const { return Get(key).has_value(); }
  // True if it was present.
  bool Remove(std::string_view key);

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

  // Order-sensitive.
  friend bool operator==(const KeyValueMetadata& a, const KeyValueMetadata& b) {
    return a.entries_ == b.entries_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

// A named, typed, nullable-or-not column or struct member. A small value type; copy freely.
class Field {
 public:
  Field(std::string name, TypePtr type, bool nullable = true, KeyValueMetadata metadata = {});

  const std::string& name() const { return name_; }
  const TypePtr& type() const { return type_; }
  bool nullable() const { return nullable_; }
  const KeyValueMetadata& metadata() const { return metadata_; }

  Field WithName(std::string name) const;
  Field WithType(TypePtr type) const;
  Field WithNullable(bool nullable) const;
  Field WithMetadata(KeyValueMetadata metadata) const;

  // With check_metadata = false, metadata is ignored here and in nested types.
  bool Equals(const Field& other, bool check_metadata = true) const;
  friend bool operator==(const Field& a, const Field& b) { return a.Equals(b); }

  // "name:type", as inside struct<...>.
  std::string ToString() const;

 private:
  std::string name_;
  TypePtr type_;
  bool nullable_;
  KeyValueMetadata metadata_;
};

class DataType {
 public:
  virtual ~DataType() = default;
  DataType(const DataType&) = delete;
  DataType& operator=(const DataType&) = delete;

  TypeId id() const { return id_; }

  // Spark's simpleString (also Spark DDL): boolean, tinyint, smallint, int, bigint, float, double,
  // decimal(p,s), string, binary, date, timestamp, timestamp_ntz, array<T>, map<K,V>,
  // struct<a:T,b:U>. Delta's JSON names (byte, short, integer, long) are TypeIdName().
  virtual std::string ToString() const;

  // Structural equality. Nested: names, nullability (contains_null) and, if check_metadata,
  // field metadata must match too.
  bool Equals(const DataType& other, bool check_metadata = true) const;
  friend bool operator==(const DataType& a, const DataType& b) { return a.Equals(b); }

  // Bytes per value for fixed-width layouts (bool is 0: bit-packed); 0 for the others.
  int byte_width() const;
  bool is_nested() const {
    return id_ == TypeId::kStruct || id_ == TypeId::kList || id_ == TypeId::kMap;
  }
  // Boolean, integers, floats, decimal, date, timestamps.
  bool is_fixed_width() const;
  // String or binary (offsets + data).
  bool is_binary_like() const { return id_ == TypeId::kString || id_ == TypeId::kBinary; }

 protected:
  explicit DataType(TypeId id) : id_(id) {}
  virtual bool EqualsSameId(const DataType& other, bool check_metadata) const;

 private:
  TypeId id_;
};

class DecimalType final : public DataType {
 public:
  static constexpr int32_t kMaxPrecision = 38;
  // Use Decimal() / MakeDecimal() instead.
  DecimalType(int32_t precision, int32_t scale)
      : DataType(TypeId::kDecimal), precision_(precision), scale_(scale) {}
  int32_t precision() const { return precision_; }
  int32_t scale() const { return scale_; }
  std::string ToString() const override;

 protected:
  bool EqualsSameId(const DataType& other, bool check_metadata) const override;

 private:
  int32_t precision_;
  int32_t scale_;
};

class StructType final : public DataType {
 public:
  explicit StructType(std::vector<Field> fields);
  const std::vector<Field>& fields() const { return fields_; }
  int num_fields() const { return static_cast<int>(fields_.size()); }
  const Field& field(int i) const { return fields_[i]; }
  // Index of the first field with this exact name, or -1.
  int GetFieldIndex(std::string_view name) const;
  std::string ToString() const override;

 protected:
  bool EqualsSameId(const DataType& other, bool check_metadata) const override;

 private:
  std::vector<Field> fields_;
};

// Delta "array": a variable-length list of elements.
class ListType final : public DataType {
 public:
  ListType(TypePtr element_type, bool contains_null)
      : DataType(TypeId::kList), element_type_(std::move(element_type)),
        contains_null_(contains_null) {}
  const TypePtr& element_type() const { return element_type_; }
  bool contains_null() const { return contains_null_; }
  // The child field of the Arrow layout: "element", nullable = contains_null.
  Field element_field() const { return Field("element", element_type_, contains_null_); }
  std::string ToString() const override;

 protected:
  bool EqualsSameId(const DataType& other, bool check_metadata) const override;

 private:
  TypePtr element_type_;
  bool contains_null_;
};

// Delta "map". Physically a list of struct<key: K not null, value: V>; keys are never null.
class MapType final : public DataType {
 public:
  MapType(TypePtr key_type, TypePtr value_type, bool value_contains_null);
  const TypePtr& key_type() const { return key_type_; }
  const TypePtr& value_type() const { return value_type_; }
  bool value_contains_null() const { return value_contains_null_; }
  // struct<key: K not null, value: V (nullable = value_contains_null)>: the type of the
  // entries child array.
  const TypePtr& entries_type() const { return entries_type_; }
  std::string ToString() const override;

 protected:
  bool EqualsSameId(const DataType& other, bool check_metadata) const override;

 private:
  TypePtr key_type_;
  TypePtr value_type_;
  bool value_contains_null_;
  TypePtr entries_type_;
};

// Factories. Primitive ones return shared singletons.
TypePtr Boolean();
TypePtr Int8();
TypePtr Int16();
TypePtr Int32();
TypePtr Int64();
TypePtr Float32();
TypePtr Float64();
TypePtr String();
TypePtr Binary();
TypePtr Date();
TypePtr Timestamp();
TypePtr TimestampNtz();
// Precondition: 1 <= precision <= 38 and 0 <= scale <= precision (SILT_DCHECK). For values
// from outside use MakeDecimal, which returns kInvalidArgument instead.
TypePtr Decimal(int32_t precision, int32_t scale);
Result<TypePtr> MakeDecimal(int32_t precision, int32_t scale);
TypePtr Struct(std::vector<Field> fields);
TypePtr List(TypePtr element_type, bool contains_null = true);
TypePtr Map(TypePtr key_type, TypePtr value_type, bool value_contains_null = true);

// The primitive type for a type id (not decimal or nested); nullptr otherwise.
TypePtr PrimitiveType(TypeId id);

// Delta's JSON schema name of a primitive or decimal type: "integer", "decimal(10,2)".
// kInvalidArgument for struct/array/map, which are JSON objects in Delta's schema.
Result<std::string> DeltaTypeName(const DataType& type);
// Parses Delta's JSON name of a primitive or decimal type ("long", "decimal(10,2)", also
// "decimal( 10 , 2 )" as Spark accepts). kInvalidArgument for a malformed or out-of-range
// decimal, kUnsupported for names silt does not know (e.g. "void", "interval").
Result<TypePtr> TypeFromDeltaName(std::string_view name);

// Checked downcasts for nested/parameterized types. Precondition: type.id() matches (DCHECK).
const DecimalType& AsDecimal(const DataType& type);
const StructType& AsStruct(const DataType& type);
const ListType& AsList(const DataType& type);
const MapType& AsMap(const DataType& type);

}  // namespace silt::columnar
