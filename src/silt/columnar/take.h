// Take: the rows of an array (or record batch) at given indices, copied into new buffers in
// index order (Arrow's "take" kernel). Used to split a batch into per-partition batches.
#pragma once

#include <cstdint>
#include <span>

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

}  // namespace silt::columnar
