// BYTE_STREAM_SPLIT (parquet-format Encodings.md, = 9) for FLOAT, DOUBLE, INT32, INT64 and
// FIXED_LEN_BYTE_ARRAY: for N values of K bytes, K streams of N bytes, stream j holding byte j of
// every value.
#pragma once

#include <cstdint>
#include <string>

#include "silt/parquet/encoding/decoder.h"

namespace silt::parquet {

class ByteStreamSplitDecoder final : public ValueDecoder {
 public:
  // width: 4 (FLOAT, INT32), 8 (DOUBLE, INT64) or type_length (FIXED_LEN_BYTE_ARRAY).
  ByteStreamSplitDecoder(PhysicalType type, int32_t width) : type_(type), width_(width) {}

  Encoding encoding() const override { return Encoding::kByteStreamSplit; }
  // The page must be exactly width * N bytes (N >= num_values).
  Status SetData(const uint8_t* data, int64_t size, int64_t num_values) override;
  int64_t values_left() const override { return values_left_; }

  Status DecodeInt32(int32_t* out, int64_t n) override;
  Status DecodeInt64(int64_t* out, int64_t n) override;
  Status DecodeFloat(float* out, int64_t n) override;
  Status DecodeDouble(double* out, int64_t n) override;
  Status DecodeFixedLenByteArrays(uint8_t* out, int64_t n) override;

 private:
  Status Decode(PhysicalType expected, uint8_t* out, int64_t n);

  PhysicalType type_;
  int32_t width_;
  const uint8_t* data_ = nullptr;
  int64_t stream_length_ = 0;  // N
  int64_t index_ = 0;
  int64_t values_left_ = 0;
};

// Appends the encoding of n values of `width` bytes each (`values` holds n * width bytes).
void ByteStreamSplitEncode(const uint8_t* values, int64_t n, int32_t width, std::string* out);

}  // namespace silt::parquet
