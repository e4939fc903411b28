// The columnar -> Parquet schema mapping of the writer (parquet-format LogicalTypes.md; the Delta
// type mapping Spark uses): standard 3-level LIST (`list`/`element`), MAP
// (`key_value`/`key`/`value`), DECIMAL on INT32/INT64/FIXED_LEN_BYTE_ARRAY by precision,
// TIMESTAMP(MICROS) adjusted to UTC for `timestamp` and not for `timestamp_ntz`, INT(8|16) for
// byte/short, field ids from field metadata. Also, for every leaf, the steps that shred an array
// into repetition/definition levels (see level_builder.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/schema.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet::writer {

// Field metadata keys whose (decimal integer) value becomes SchemaElement.field_id, first match
// wins: Arrow-style `parquet.field.id`, then Delta column mapping's `delta.columnMapping.id`.
inline constexpr std::string_view kParquetFieldIdKey = "parquet.field.id";
inline constexpr std::string_view kDeltaColumnMappingIdKey = "delta.columnMapping.id";

// One step from a top-level column array down to a leaf array.
struct ShredStep {
  enum class Kind : uint8_t {
    kOptional,     // a nullable node: a null slot stops here, else definition level + 1
    kRepeated,     // a list or map: empty stops here, else one slot per element, level + 1
    kStructField,  // descend into struct field `field_index` (no level change)
  };
  Kind kind;
  int field_index = 0;      // kStructField
  int16_t rep_depth = 0;    // kRepeated: repetition level of its 2nd..nth elements
};

struct LeafDescriptor {
  int top_level_field = 0;                 // index of the column in the columnar schema
  std::vector<std::string> parquet_path;   // path_in_schema: {"tags", "list", "element"}
  std::vector<std::string> columnar_path;  // Schema::FindPath form: {"tags", "element"}
  columnar::TypePtr type;                  // the leaf's columnar type (primitive or decimal)
  PhysicalType physical_type = PhysicalType::kBoolean;
  int32_t type_length = 0;                 // FIXED_LEN_BYTE_ARRAY width
  int16_t max_def = 0;
  int16_t max_rep = 0;
  std::vector<ShredStep> steps;
};

struct WriterSchema {
  std::vector<SchemaElement> elements;  // depth first, root first (FileMetaData.schema)
  std::vector<LeafDescriptor> leaves;   // in schema (= column chunk) order
};

// The Parquet schema for `schema`. kUnsupported for a schema or struct without fields (Parquet
// groups need at least one child); kInvalidArgument for a malformed field id value.
Result<WriterSchema> ToParquetSchema(const columnar::Schema& schema);

// Bytes of the smallest two's complement that holds every unscaled value of `precision`
// decimal digits (the FIXED_LEN_BYTE_ARRAY width Spark uses): 1..16.
int32_t DecimalByteWidth(int32_t precision);

}  // namespace silt::parquet::writer
