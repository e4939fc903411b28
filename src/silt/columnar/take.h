// Take: the rows of an array (or record batch) at given indices, copied into new buffers in
// index order (Arrow's "take" kernel). Used to split a batch into per-partition batches.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/array.h"
#include "silt/columnar/record_batch.h"

namespace silt::columnar {

// Element indices[k] of `array` at position k; an index may repeat. The result has offset 0,
// the array's type and no validity buffer when no taken element is null. Fixed-width, boolean,
// string and binary arrays are gathered directly; struct, list and map arrays through their
// builder. kInvalidArgument when an index is outside [0, array.length()) or the taken strings
// exceed the 2 GiB limit of 32-bit offsets; kResourceExhausted when memory runs out.
Result<ArrayPtr> Take(const Array& array, std::span<const int64_t> indices);

// Take of every column, under the batch's schema.
Result<RecordBatchPtr> TakeRows(const RecordBatch& batch, std::span<const int64_t> indices);

// [start, start + length) row ranges, in order.
using RowRanges = std::vector<std::pair<int64_t, int64_t>>;

// The elements of `ranges` of `array`, concatenated (a range is appended as a slice, so long
// ranges cost a copy each; Take is faster for single scattered rows). kInvalidArgument when a
// range is outside the array.
Result<ArrayPtr> TakeRanges(const Array& array, const RowRanges& ranges);

// TakeRanges of every column, under the batch's schema; a single range covering the batch
// returns a slice without copying.
Result<RecordBatchPtr> TakeRanges(const RecordBatch& batch, const RowRanges& ranges);

// Splits `array` by a group number per element (group_of[i] < num_groups, one per element):
// result g holds the elements of group g in their order (possibly none). One pass over the
// input, writing each group's output sequentially: cheaper than a Take per group when the groups
// are interleaved. Same types and limits as Take; kInvalidArgument when group_of has another
// length than the array or names a group >= num_groups.
Result<std::vector<ArrayPtr>> SplitArray(const Array& array, std::span<const uint32_t> group_of,
                                         uint32_t num_groups);

// SplitArray of every column: one batch per group, under the batch's schema.
Result<std::vector<RecordBatchPtr>> SplitRows(const RecordBatch& batch,
                                              std::span<const uint32_t> group_of,
                                              uint32_t num_groups);

}  // namespace silt::columnar
