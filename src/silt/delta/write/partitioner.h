// Splitting a batch's rows by their partition values (PROTOCOL.md "Partition Value
// Serialization"; digest §5.2), for the data writer: one pass per partition column gives each
// row a small id per distinct raw value (a hash table of the values), each distinct combination
// is serialized once, and the rows of each partition are listed for a gather (columnar::Take).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/array.h"

namespace silt::delta {

// The rows of one partition.
struct PartitionGroup {
  // The serialized partition values (SerializePartitionValue), one per partition column.
  std::vector<std::optional<std::string>> key;
  // Row numbers, ascending.
  std::vector<int64_t> rows;
};

// Groups rows 0..num_rows-1 of `columns` (the partition columns, each of length >= num_rows)
// by their serialized values, in the order of each group's first row. Raw values that
// serialize alike (null and the empty string, NaNs with different payloads) share a group.
// kUnsupported for nested types and kInvalidArgument as SerializePartitionValue returns them.
Result<std::vector<PartitionGroup>> GroupRowsByPartition(
    std::span<const columnar::ArrayPtr> columns, int64_t num_rows);

}  // namespace silt::delta
