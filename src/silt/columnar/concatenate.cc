#include "silt/columnar/concatenate.h"

#include "silt/columnar/builder.h"

namespace silt::columnar {

Result<ArrayPtr> Concatenate(std::span<const ArrayPtr> arrays) {
  if (arrays.empty()) return Status::InvalidArgument("Concatenate needs at least one array");
  for (const auto& array : arrays) {
    if (array == nullptr) return Status::InvalidArgument("Concatenate: null array");
  }
  SILT_ASSIGN_OR_RETURN(auto builder, MakeBuilder(arrays[0]->type()));
  int64_t total = 0;
  for (const auto& array : arrays) total += array->length();
  SILT_RETURN_NOT_OK(builder->Reserve(total));
  for (size_t i = 0; i < arrays.size(); ++i) {
    Status st = builder->AppendArray(*arrays[i]);
    if (!st.ok()) return st.WithContext(fmt::format("Concatenate: array {}", i));
  }
  return builder->Finish();
}

Result<ArrayPtr> RepeatValue(const Array& array, int64_t index, int64_t count) {
  if (index < 0 || index >= array.length()) {
    return Status::InvalidArgument("RepeatValue: index {} out of range [0, {})", index,
                                   array.length());
  }
  if (count < 0) return Status::InvalidArgument("RepeatValue: negative count {}", count);
  if (array.IsNull(index)) return MakeArrayOfNulls(array.type(), count);
  SILT_ASSIGN_OR_RETURN(auto builder, MakeBuilder(array.type()));
  SILT_RETURN_NOT_OK(builder->Reserve(count));
  for (int64_t i = 0; i < count; ++i) SILT_RETURN_NOT_OK(builder->AppendArraySlice(array, index, 1));
  return builder->Finish();
}

Result<RecordBatchPtr> ConcatenateBatches(std::span<const RecordBatchPtr> batches) {
  if (batches.empty()) return Status::InvalidArgument("ConcatenateBatches needs a batch");
  const SchemaPtr& schema = batches[0]->schema();
  int64_t rows = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    if (!batches[i]->schema()->Equals(*schema, /*check_metadata=*/false)) {
      return Status::InvalidArgument("ConcatenateBatches: batch {} has schema {}, expected {}", i,
                                     batches[i]->schema()->ToString(), schema->ToString());
    }
    rows += batches[i]->num_rows();
  }
  std::vector<ArrayPtr> columns;
  for (int c = 0; c < schema->num_fields(); ++c) {
    std::vector<ArrayPtr> pieces;
    for (const auto& batch : batches) pieces.push_back(batch->column(c));
    SILT_ASSIGN_OR_RETURN(auto column, Concatenate(pieces));
    columns.push_back(std::move(column));
  }
  return RecordBatch::Make(schema, rows, std::move(columns));
}

}  // namespace silt::columnar
