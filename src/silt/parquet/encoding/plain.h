// PLAIN encoding (parquet-format Encodings.md, PLAIN = 0): fixed-width values back to back in
// little-endian order, BOOLEAN bit-packed LSB first, BYTE_ARRAY as a 4-byte little-endian length
// then the bytes, FIXED_LEN_BYTE_ARRAY as type_length bytes each. Also the format of dictionary
// pages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "silt/parquet/encoding/decoder.h"

namespace silt::parquet {

class PlainDecoder final : public ValueDecoder {
 public:
  // type_length is used for FIXED_LEN_BYTE_ARRAY only (and must be > 0 there).
  PlainDecoder(PhysicalType type, int32_t type_length) : type_(type), type_length_(type_length) {}

  Encoding encoding() const override { return Encoding::kPlain; }
  Status SetData(const uint8_t* data, int64_t size, int64_t num_values) override;
  int64_t values_left() const override { return values_left_; }

  Status DecodeBooleans(uint8_t* out, int64_t n) override;
  Status DecodeInt32(int32_t* out, int64_t n) override;
  Status DecodeInt64(int64_t* out, int64_t n) override;
  Status DecodeInt96(Int96* out, int64_t n) override;
  Status DecodeFloat(float* out, int64_t n) override;
  Status DecodeDouble(double* out, int64_t n) override;
  Status DecodeByteArrays(int64_t n, ByteArrayBuffer* out) override;
  Status DecodeFixedLenByteArrays(uint8_t* out, int64_t n) override;

  // Bytes of the page consumed so far.
  int64_t position() const { return pos_; }

 private:
  Status DecodeFixed(PhysicalType expected, int64_t width, void* out, int64_t n);

  PhysicalType type_;
  int32_t type_length_;
  const uint8_t* data_ = nullptr;
  int64_t size_ = 0;
  int64_t pos_ = 0;      // bytes
  int64_t bit_pos_ = 0;  // booleans only
  int64_t values_left_ = 0;
};

// Encoders: append PLAIN bytes to `out`.
void PlainEncodeBooleans(const uint8_t* values, int64_t n, std::string* out);
void PlainEncodeInt32(const int32_t* values, int64_t n, std::string* out);
void PlainEncodeInt64(const int64_t* values, int64_t n, std::string* out);
void PlainEncodeInt96(const Int96* values, int64_t n, std::string* out);
void PlainEncodeFloat(const float* values, int64_t n, std::string* out);
void PlainEncodeDouble(const double* values, int64_t n, std::string* out);
void PlainEncodeByteArrays(const std::string_view* values, int64_t n, std::string* out);
void PlainEncodeByteArrays(const ByteArrayBuffer& values, std::string* out);
void PlainEncodeFixedLenByteArrays(const uint8_t* values, int64_t n, int32_t type_length,
                                   std::string* out);

}  // namespace silt::parquet
