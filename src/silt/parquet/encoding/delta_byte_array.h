// DELTA_BYTE_ARRAY (parquet-format Encodings.md, = 7) for BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY:
// a DELTA_BINARY_PACKED stream of prefix lengths (bytes shared with the previous value), then
// the suffixes as DELTA_LENGTH_BYTE_ARRAY.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "silt/parquet/encoding/decoder.h"
#include "silt/parquet/encoding/delta_binary_packed.h"
#include "silt/parquet/encoding/delta_length_byte_array.h"

namespace silt::parquet {

class DeltaByteArrayDecoder final : public ValueDecoder {
 public:
  // type_length > 0 for FIXED_LEN_BYTE_ARRAY columns, 0 for BYTE_ARRAY.
  explicit DeltaByteArrayDecoder(int32_t type_length) : type_length_(type_length) {}

  Encoding encoding() const override { return Encoding::kDeltaByteArray; }
  Status SetData(const uint8_t* data, int64_t size, int64_t num_values) override;
  int64_t values_left() const override { return values_left_; }
  Status DecodeByteArrays(int64_t n, ByteArrayBuffer* out) override;
  Status DecodeFixedLenByteArrays(uint8_t* out, int64_t n) override;

 private:
  // Rebuilds the next value into last_value_.
  Status Next();

  int32_t type_length_;
  DeltaBinaryPackedDecoder prefix_lengths_;
  DeltaLengthByteArrayDecoder suffixes_;
  std::string last_value_;
  int64_t index_ = 0;
  int64_t values_left_ = 0;
};

void DeltaByteArrayEncode(const std::string_view* values, int64_t n, std::string* out);

}  // namespace silt::parquet
