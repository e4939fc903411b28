// Names Delta column mapping stores in the table (PROTOCOL.md "Column Mapping"; digest §9): the
// metadata of every column and nested struct field, and the table property of the largest id.
#pragma once

#include <string_view>

namespace silt::delta::column_mapping_key {

// The field's unique, never reused id (a JSON integer); the Parquet field_id in id mode. The
// Parquet writer reads this same key as parquet::writer::kDeltaColumnMappingIdKey (parquet does
// not depend on delta, so it spells it itself); keep the two equal.
inline constexpr std::string_view kId = "delta.columnMapping.id";
// The field's column name in data files, partitionValues and stats (a JSON string).
inline constexpr std::string_view kPhysicalName = "delta.columnMapping.physicalName";
// Table property: the largest id handed out so far (decimal text).
inline constexpr std::string_view kMaxColumnIdProperty = "delta.columnMapping.maxColumnId";

}  // namespace silt::delta::column_mapping_key
