#include "silt/parquet/encoding/rle_boolean.h"

namespace silt::parquet {

Status RleBooleanDecoder::SetData(const uint8_t* data, int64_t size, int64_t num_values) {
  SILT_ASSIGN_OR_RETURN(int64_t taken, decoder_.InitWithLengthPrefix(data, size, 1));
  (void)taken;
  values_left_ = num_values;
  return Status::OK();
}

Status RleBooleanDecoder::DecodeBooleans(uint8_t* out, int64_t n) {
  SILT_RETURN_NOT_OK(CheckCount(n, values_left_, encoding()));
  SILT_RETURN_NOT_OK(decoder_.GetBatch(out, n));
  // Width 1 yields 0/1 only.
  values_left_ -= n;
  return Status::OK();
}

void RleEncodeBooleans(const uint8_t* values, int64_t n, std::string* out) {
  RleBitPackedEncoder encoder(1);
  for (int64_t i = 0; i < n; ++i) encoder.Put(values[i] ? 1 : 0);
  encoder.FinishWithLengthPrefix(out);
}

}  // namespace silt::parquet
