// The Parquet -> columnar schema mapping of the reader (parquet-format LogicalTypes.md; digest
// §5-7): logical types first, converted types otherwise; standard and legacy LIST/MAP shapes
// (the backward-compatibility rules of LogicalTypes.md); field ids into field metadata under
// `parquet.field.id`. Also, for every node, the levels at which it has a slot and is non-null,
// which drive the reassembly of nested values from definition/repetition levels (column_reader.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/schema.h"
#include "silt/parquet/schema.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet::reader {

inline constexpr std::string_view kFieldIdKey = "parquet.field.id";

// How the physical values of a leaf become columnar values.
enum class Conversion : uint8_t {
  kNone,                 // same representation (bool, int32, int64, float, double, date, ts micros)
  kInt32ToInt8,          // INT(8, signed)
  kInt32ToInt16,         // INT(16, signed)
  kUint8ToInt16,         // UINT_8 widened
  kUint16ToInt32,        // UINT_16 widened
  kUint32ToInt64,        // UINT_32 widened
  kUint64ToDecimal,      // UINT_64 -> decimal(20, 0)
  kInt32MillisToMicros,  // TIME(MILLIS) -> long micros
  kInt64MillisToMicros,  // TIMESTAMP(MILLIS)
  kInt64NanosToMicros,   // TIMESTAMP(NANOS), TIME(NANOS): floor
  kInt96ToMicros,        // INT96 timestamps
  kInt32ToDecimal,
  kInt64ToDecimal,
  kBytesToDecimal,    // BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY, big-endian two's complement
  kFloat16ToFloat32,  // FLOAT16 on FLBA(2)
  kByteArray,         // BYTE_ARRAY -> string / binary
  kFixedToBinary,     // FIXED_LEN_BYTE_ARRAY -> binary
};

enum class NodeKind : uint8_t { kLeaf, kStruct, kList, kMap };

// One node of the columnar schema with what reassembly needs. Entry i of the levels of a leaf
// below this node opens a new slot of the node when rep[i] <= slot_rep && def[i] >= slot_def;
// that slot is non-null when def[i] >= def_level.
struct ReaderNode {
  NodeKind kind = NodeKind::kLeaf;
  columnar::Field field{"", columnar::Boolean()};  // replaced while mapping
  int16_t def_level = 0;
  int16_t slot_def = 0;
  int16_t slot_rep = 0;
  // kList / kMap: slot levels of the elements (entries).
  int16_t child_def = 0;
  int16_t child_rep = 0;
  // kStruct: the fields; kList: {element}; kMap: {key, value}.
  std::vector<ReaderNode> children;
  int first_leaf = 0;  // the first leaf below (or this leaf)
  int leaf_end = 0;    // one past the last leaf below
  // kLeaf
  int leaf_index = -1;
  Conversion conversion = Conversion::kNone;
};

struct ReaderSchema {
  columnar::SchemaPtr schema;      // top-level fields, with field ids in metadata
  std::vector<ReaderNode> fields;  // parallel to schema->fields()
  std::vector<LeafColumn> leaves;  // in column chunk order
  // Per leaf: the path in the columnar schema ({"s", "x"}, {"tags", "element"}), the top-level
  // field it belongs to, and whether it has a repeated ancestor.
  std::vector<std::vector<std::string>> leaf_paths;
  std::vector<int> leaf_top_level;
  std::vector<bool> leaf_repeated;
  std::vector<Conversion> leaf_conversions;
  std::vector<columnar::TypePtr> leaf_types;  // columnar type of the leaf's values
};

// Maps the schema of `metadata`. `file` names the file in messages. kCorruption for a malformed
// tree or annotations that contradict the physical type; kUnsupported for what silt cannot
// represent (decimal precision > 38, a map without values, an empty group, ...).
Result<ReaderSchema> MapSchema(const FileMetaData& metadata, std::string_view file);

}  // namespace silt::parquet::reader
