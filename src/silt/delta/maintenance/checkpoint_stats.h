// Typed statistics and partition values of checkpoint `add` rows (PROTOCOL.md "Checkpoint
// Schema", "Per-file Statistics"; digest §8, §15): the struct types of `stats_parsed` and
// `partitionValues_parsed`, and the appending of one file's values to builders of those types.
//
// stats_parsed is the typed form of the stats JSON the writer puts in add.stats for the same
// table configuration: StatsStructType of SelectStatsLeaves (delta/write/stats.h) over the data
// columns (partition columns excluded), with tightBounds when the table supports deletion
// vectors. Field names are physical names under column mapping.
#pragma once

#include <optional>
#include <string_view>

#include "silt/base/result.h"
#include "silt/columnar/builder.h"
#include "silt/columnar/data_type.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/table/snapshot.h"
#include "silt/expr/value.h"

namespace silt::delta {

// struct<numRecords, minValues, maxValues, nullCount[, tightBounds]> for the snapshot's table
// (empty members are left out: Parquet groups need a field). kCorruption for malformed
// statistics properties.
Result<columnar::TypePtr> StatsParsedType(const Snapshot& snapshot);

// struct<one field per partition column, named by physical name, with the column's type>;
// nullptr for an unpartitioned table. kCorruption when a partition column is not in the schema.
Result<columnar::TypePtr> PartitionValuesParsedType(const Snapshot& snapshot);

// Appends one row to `builder` (a StructBuilder of StatsParsedType) from a stats JSON document.
// Stats are advisory: absent stats, malformed JSON or a value that does not parse as its
// column's type give nulls there, never an error; errors are builder failures only.
Status AppendStatsParsed(columnar::ArrayBuilder& builder, const std::optional<std::string>& stats);

// Appends one row to `builder` (a StructBuilder of PartitionValuesParsedType) from serialized
// partition values keyed by physical name. A value that does not parse as its type is null.
Status AppendPartitionValuesParsed(columnar::ArrayBuilder& builder,
                                   const PartitionValues& partition_values);

// Appends a scalar to a primitive builder of `builder.type()`. A NULL, or a value whose kind
// does not fit the type (a string for an int column, an out-of-range integer), appends a null.
Status AppendScalar(columnar::ArrayBuilder& builder, const expr::Value& value);

}  // namespace silt::delta
