// Concatenation of arrays and record batches of the same type (copies the data once).
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

}  // namespace silt::columnar
