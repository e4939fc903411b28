#include "silt/delta/write/partitioner.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "silt/delta/scan/values.h"
#include "silt/delta/write/partition_path.h"
#include "silt/parquet/writer/memo_table.h"

namespace silt::delta {

namespace col = silt::columnar;
using parquet::writer::BinaryMemoTable;
using parquet::writer::FixedMemoTable;

namespace {

// 16 bytes compared and hashed by bit pattern (decimals).
struct Bytes16 {
  uint64_t lo = 0;
  uint64_t hi = 0;
};

// ids[r] for each row: 0 for null, else 1 + the index of the row's raw value among the
// column's distinct values. Returns the number of ids.
template <typename T>
uint32_t FixedIds(const col::Array& array, const uint8_t* values, int64_t num_rows, uint32_t* ids) {
  FixedMemoTable<T> memo;
  for (int64_t r = 0; r < num_rows; ++r) {
    if (array.IsNull(r)) {
      ids[r] = 0;
      continue;
    }
    T v;
    std::memcpy(&v, values + r * static_cast<int64_t>(sizeof(T)), sizeof(T));
    ids[r] = memo.GetOrInsert(v) + 1;
  }
  return static_cast<uint32_t>(memo.size()) + 1;
}

uint32_t BinaryIds(const col::BinaryArray& array, int64_t num_rows, uint32_t* ids) {
  BinaryMemoTable memo;
  for (int64_t r = 0; r < num_rows; ++r) {
    ids[r] = array.IsNull(r) ? 0 : memo.GetOrInsert(array.GetView(r)) + 1;
  }
  return static_cast<uint32_t>(memo.size()) + 1;
}

// Any other type: the serialized value itself is the identity.
Result<uint32_t> SerializedIds(const col::Array& array, int64_t num_rows, uint32_t* ids) {
  std::map<std::optional<std::string>, uint32_t> seen;
  for (int64_t r = 0; r < num_rows; ++r) {
    SILT_ASSIGN_OR_RETURN(expr::Value v, ValueFromArray(array, r));
    SILT_ASSIGN_OR_RETURN(std::optional<std::string> s, SerializePartitionValue(v, *array.type()));
    ids[r] = seen.emplace(std::move(s), static_cast<uint32_t>(seen.size())).first->second;
  }
  return static_cast<uint32_t>(seen.size());
}

Result<uint32_t> ColumnIds(const col::Array& array, int64_t num_rows, uint32_t* ids) {
  const uint8_t* values = array.data()->buffers.size() > 1 && array.data()->buffers[1] != nullptr
                              ? array.data()->buffers[1]->data()
                              : nullptr;
  switch (array.type_id()) {
    case col::TypeId::kBoolean: {
      const auto& b = static_cast<const col::BooleanArray&>(array);
      for (int64_t r = 0; r < num_rows; ++r) ids[r] = b.IsNull(r) ? 0 : (b.Value(r) ? 2 : 1);
      return 3u;
    }
    case col::TypeId::kString:
    case col::TypeId::kBinary:
      return BinaryIds(static_cast<const col::BinaryArray&>(array), num_rows, ids);
    case col::TypeId::kStruct:
    case col::TypeId::kList:
    case col::TypeId::kMap:
      return SerializedIds(array, num_rows, ids);
    default:
      break;
  }
  values += array.offset() * array.type()->byte_width();
  switch (array.type()->byte_width()) {
    case 1:
      return FixedIds<uint8_t>(array, values, num_rows, ids);
    case 2:
      return FixedIds<uint16_t>(array, values, num_rows, ids);
    case 4:
      return FixedIds<uint32_t>(array, values, num_rows, ids);
    case 8:
      return FixedIds<uint64_t>(array, values, num_rows, ids);
    case 16:
      return FixedIds<Bytes16>(array, values, num_rows, ids);
    default:
      return SerializedIds(array, num_rows, ids);
  }
}

}  // namespace

Result<BatchPartitions> PartitionRows(std::span<const col::ArrayPtr> columns, int64_t num_rows) {
  BatchPartitions out;
  if (num_rows <= 0) return out;
  for (const col::ArrayPtr& c : columns) {
    if (c == nullptr || c->length() < num_rows) {
      return Status::InvalidArgument("partition column shorter than the {} rows", num_rows);
    }
  }
  // One id per row for the combination of its values: column by column, the pair (ids so far,
  // this column's id) is numbered by a hash table.
  std::vector<uint32_t> ids(static_cast<size_t>(num_rows), 0);
  uint32_t num_ids = 1;
  std::vector<uint32_t> column_ids(columns.size() > 1 ? static_cast<size_t>(num_rows) : 0);
  for (size_t c = 0; c < columns.size(); ++c) {
    if (c == 0) {
      SILT_ASSIGN_OR_RETURN(num_ids, ColumnIds(*columns[c], num_rows, ids.data()));
      continue;
    }
    SILT_RETURN_NOT_OK(ColumnIds(*columns[c], num_rows, column_ids.data()).status());
    FixedMemoTable<uint64_t> pairs;
    for (int64_t r = 0; r < num_rows; ++r) {
      ids[r] = pairs.GetOrInsert(uint64_t{ids[r]} << 32 | column_ids[r]);
    }
    num_ids = static_cast<uint32_t>(pairs.size());
  }
  // The first row of each id, and the ids in the order of their first rows.
  std::vector<int64_t> first(num_ids, -1);
  std::vector<uint32_t> order;
  for (int64_t r = 0; r < num_rows; ++r) {
    if (first[ids[r]] < 0) {
      first[ids[r]] = r;
      order.push_back(ids[r]);
    }
  }
  // Serialize each distinct combination once; equal serializations share a partition.
  std::vector<uint32_t> partition_of_id(num_ids, 0);
  std::map<std::vector<std::optional<std::string>>, uint32_t> by_key;
  for (const uint32_t id : order) {
    std::vector<std::optional<std::string>> key;
    key.reserve(columns.size());
    for (const col::ArrayPtr& column : columns) {
      SILT_ASSIGN_OR_RETURN(expr::Value v, ValueFromArray(*column, first[id]));
      SILT_ASSIGN_OR_RETURN(std::optional<std::string> s,
                            SerializePartitionValue(v, *column->type()));
      key.push_back(std::move(s));
    }
    auto [it, inserted] = by_key.emplace(std::move(key), static_cast<uint32_t>(out.keys.size()));
    if (inserted) out.keys.push_back(it->first);
    partition_of_id[id] = it->second;
  }
  out.partition_of_row.resize(static_cast<size_t>(num_rows));
  for (int64_t r = 0; r < num_rows; ++r) out.partition_of_row[r] = partition_of_id[ids[r]];
  return out;
}

}  // namespace silt::delta
