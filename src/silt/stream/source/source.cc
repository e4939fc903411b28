#include "silt/stream/source/source.h"

#include <utility>

namespace silt::stream {

VectorBatchReader::VectorBatchReader(columnar::SchemaPtr schema,
                                     std::vector<columnar::RecordBatchPtr> batches)
    : schema_(std::move(schema)), batches_(std::move(batches)) {}

Result<std::optional<columnar::RecordBatchPtr>> VectorBatchReader::Next() {
  while (next_ < batches_.size()) {
    columnar::RecordBatchPtr batch = batches_[next_++];
    if (batch->num_rows() > 0) return std::optional<columnar::RecordBatchPtr>(std::move(batch));
  }
  return std::optional<columnar::RecordBatchPtr>();
}

Result<std::vector<columnar::RecordBatchPtr>> ReadAllBatches(BatchReader& reader) {
  std::vector<columnar::RecordBatchPtr> batches;
  while (true) {
    SILT_ASSIGN_OR_RETURN(std::optional<columnar::RecordBatchPtr> batch, reader.Next());
    if (!batch) break;
    batches.push_back(std::move(*batch));
  }
  return batches;
}

}  // namespace silt::stream
