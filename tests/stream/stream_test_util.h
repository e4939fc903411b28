// Shared pieces of the streaming engine tests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "silt/columnar/builder.h"
#include "silt/columnar/record_batch.h"
#include "silt/stream/source/memory_source.h"

namespace silt::stream::testing {

inline columnar::SchemaPtr IdSchema() {
  return columnar::Schema::Make({columnar::Field("id", columnar::Int64())});
}

// A batch of ids [begin, end).
inline columnar::RecordBatchPtr IdBatch(int64_t begin, int64_t end) {
  auto builder = columnar::RecordBatchBuilder::Make(IdSchema()).value();
  for (int64_t i = begin; i < end; ++i) {
    builder->GetFieldAs<columnar::Int64Builder>(0)->Append(i).IgnoreError();
  }
  return builder->Flush().value();
}

// The int64 values of column `column` of every batch, in order.
inline std::vector<int64_t> Int64Values(const std::vector<columnar::RecordBatchPtr>& batches,
                                        int column = 0) {
  std::vector<int64_t> values;
  for (const auto& batch : batches) {
    const auto& array = static_cast<const columnar::NumericArray<int64_t>&>(*batch->column(column));
    for (int64_t i = 0; i < array.length(); ++i) values.push_back(array.Value(i));
  }
  return values;
}

}  // namespace silt::stream::testing
