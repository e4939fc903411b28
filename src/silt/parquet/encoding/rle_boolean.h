// BOOLEAN values with encoding RLE (parquet-format Encodings.md): a 4-byte little-endian length,
// then RLE / bit-packed hybrid runs of width 1. Same layout in v1 and v2 data pages.
#pragma once

#include <string>

#include "silt/parquet/encoding/decoder.h"
#include "silt/parquet/encoding/rle.h"

namespace silt::parquet {

class RleBooleanDecoder final : public ValueDecoder {
 public:
  Encoding encoding() const override { return Encoding::kRle; }
  Status SetData(const uint8_t* data, int64_t size, int64_t num_values) override;
  int64_t values_left() const override { return values_left_; }
  Status DecodeBooleans(uint8_t* out, int64_t n) override;

 private:
  RleBitPackedDecoder decoder_;
  int64_t values_left_ = 0;
};

// Appends the length-prefixed RLE encoding of n booleans (one byte 0/1 each).
void RleEncodeBooleans(const uint8_t* values, int64_t n, std::string* out);

}  // namespace silt::parquet
