#include "silt/parquet/encoding/rle_boolean.h"

#include <vector>

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
  // Any non-zero byte is true: the encoder wants 0/1.
  std::vector<uint8_t> bits(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) bits[static_cast<size_t>(i)] = values[i] != 0 ? 1 : 0;
  AppendRleBitPackedRunsWithLength(bits.data(), n, 1, out);
}

}  // namespace silt::parquet
