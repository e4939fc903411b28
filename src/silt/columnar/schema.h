// Schema: the top-level fields of a table or record batch, plus schema-level metadata.
// Shared as `SchemaPtr` (std::shared_ptr<const Schema>); immutable and thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/data_type.h"

namespace silt::columnar {

class Schema;
using SchemaPtr = std::shared_ptr<const Schema>;

// A resolved nested field: the index at each level and the field found at the end.
struct FieldPath {
  std::vector<int> indices;
  Field field;
};

class Schema {
 public:
  explicit Schema(std::vector<Field> fields, KeyValueMetadata metadata = {});
  static SchemaPtr Make(std::vector<Field> fields, KeyValueMetadata metadata = {});
  // The fields of a struct type. Precondition: type.id() == kStruct.
  static SchemaPtr FromStruct(const DataType& struct_type, KeyValueMetadata metadata = {});

  const std::vector<Field>& fields() const { return fields_; }
  int num_fields() const { return static_cast<int>(fields_.size()); }
  const Field& field(int i) const { return fields_[i]; }
  const KeyValueMetadata& metadata() const { return metadata_; }

  // Index of the field named exactly `name`, or -1.
  int GetFieldIndex(std::string_view name) const;
  // Field named exactly `name`, or nullptr.
  const Field* GetFieldByName(std::string_view name) const;

  // Index of the field with this name. kNotFound if there is none. Case-insensitive (ASCII, as
  // Spark's default resolution) when case_sensitive is false; then an exact match wins, and
  // several fields that differ only in case without an exact match are kInvalidArgument.
  Result<int> FindFieldIndex(std::string_view name, bool case_sensitive = true) const;

  // Resolves a nested path such as {"a", "b", "c"} through structs. Lists are entered with the
  // segment "element", maps with "key" or "value" (their indices are 0 for element/key and 1
  // for value). kNotFound names the first segment that does not resolve.
  Result<FieldPath> FindPath(const std::vector<std::string>& path,
                             bool case_sensitive = true) const;
  // Same, with a dot-separated path ("a.b.c"); names containing dots need the vector form.
  Result<FieldPath> FindPath(std::string_view dotted_path, bool case_sensitive = true) const;

  // struct<...> of the fields (schema metadata dropped).
  TypePtr ToStruct() const;
  SchemaPtr WithMetadata(KeyValueMetadata metadata) const;

  bool Equals(const Schema& other, bool check_metadata = true) const;
  friend bool operator==(const Schema& a, const Schema& b) { return a.Equals(b); }

  // "struct<a:int,b:string>", as the struct type would print.
  std::string ToString() const;
  // Spark's printTreeString, for the CLI:
  //   root
  //    |-- id: long (nullable = false)
  //    |-- tags: array (nullable = true)
  //    |    |-- element: string (containsNull = true)
  std::string ToTreeString() const;

 private:
  std::vector<Field> fields_;
  KeyValueMetadata metadata_;
};

}  // namespace silt::columnar
