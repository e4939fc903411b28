// The leaf columns of a Parquet schema (parquet-format README "Nested Encoding", LogicalTypes.md):
// FileMetaData.schema is a tree flattened depth first, root first; its leaves, in order, are the
// column chunks of every row group. This computes each leaf's path and maximum repetition and
// definition levels. Turning the tree into a columnar schema comes with the file reader.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet {

struct LeafColumn {
  std::vector<std::string> path;  // names below the root, e.g. {"tags", "list", "element"}
  int32_t schema_index = 0;       // index of the leaf in FileMetaData.schema
  PhysicalType type = PhysicalType::kBoolean;
  int32_t type_length = 0;        // FIXED_LEN_BYTE_ARRAY width
  int16_t max_definition_level = 0;
  int16_t max_repetition_level = 0;
};

// kCorruption for a malformed tree: no root, num_children running past the element list,
// elements left over, a leaf without a type, a group with a type, nesting deeper than 100 levels.
Result<std::vector<LeafColumn>> ComputeLeafColumns(const std::vector<SchemaElement>& schema);

}  // namespace silt::parquet
