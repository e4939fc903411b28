// Splitting a batch's rows by their partition values (PROTOCOL.md "Partition Value
// Serialization"; digest §5.2), for the data writer: one pass per partition column gives each
// row a small id per distinct raw value (a hash table of the values), each distinct combination
// is serialized once, and each row gets its partition for a one-pass split (columnar::SplitRows).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/array.h"

namespace silt::delta {

// The partitions of a batch's rows.
struct BatchPartitions {
  // The serialized partition values (SerializePartitionValue) of each partition, one per
  // partition column, in the order of each partition's first row.
  std::vector<std::vector<std::optional<std::string>>> keys;
  // The partition of each row: an index into keys.
  std::vector<uint32_t> partition_of_row;
};

// Partitions rows 0..num_rows-1 of `columns` (the partition columns, each of length >=
// num_rows) by their serialized values. Raw values that serialize alike (null and the empty
// string, NaNs with different payloads) share a partition. kUnsupported for nested types and
// kInvalidArgument as SerializePartitionValue returns them.
Result<BatchPartitions> PartitionRows(std::span<const columnar::ArrayPtr> columns,
                                      int64_t num_rows);

}  // namespace silt::delta
