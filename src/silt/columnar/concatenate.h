// Concatenation of arrays and record batches of the same type, and repetition of one value
// (e.g. a partition value as a column). Both copy the data once.
#pragma once

#include <span>

#include "silt/base/result.h"
#include "silt/columnar/array.h"
#include "silt/columnar/record_batch.h"

namespace silt::columnar {

// All arrays must have the same type (metadata ignored), else kInvalidArgument. An empty span is
// kInvalidArgument (the type is unknown). The result has offset 0.
Result<ArrayPtr> Concatenate(std::span<const ArrayPtr> arrays);

// All batches must have equal schemas (metadata ignored); the first batch's schema is used.
Result<RecordBatchPtr> ConcatenateBatches(std::span<const RecordBatchPtr> batches);

// `count` copies of element `index` of `array` (null if that element is null).
// kInvalidArgument if index is out of range or count < 0.
Result<ArrayPtr> RepeatValue(const Array& array, int64_t index, int64_t count);

}  // namespace silt::columnar
