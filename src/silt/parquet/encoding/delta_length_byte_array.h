// DELTA_LENGTH_BYTE_ARRAY (parquet-format Encodings.md, = 6) for BYTE_ARRAY: the lengths of all
// values as one DELTA_BINARY_PACKED stream, then all value bytes concatenated.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "silt/parquet/encoding/decoder.h"
#include "silt/parquet/encoding/delta_binary_packed.h"

namespace silt::parquet {

class DeltaLengthByteArrayDecoder final : public ValueDecoder {
 public:
  Encoding encoding() const override { return Encoding::kDeltaLengthByteArray; }
  // Walks all lengths up front (the value bytes start where the length stream ends) and checks
  // that they are non-negative and fit the page; memory use does not depend on the value count.
  Status SetData(const uint8_t* data, int64_t size, int64_t num_values) override;
  int64_t values_left() const override { return values_left_; }
  Status DecodeByteArrays(int64_t n, ByteArrayBuffer* out) override;

  // For DELTA_BYTE_ARRAY: the next n values as views into the page.
  Status NextViews(int64_t n, std::string_view* out);
  // Bytes of the page the lengths and values take (valid after SetData).
  int64_t bytes_total() const { return bytes_total_; }

 private:
  // Fills lengths_ from the length stream when it is used up.
  Status NextLengths(int64_t n, int32_t* out);

  DeltaBinaryPackedDecoder lengths_;
  const uint8_t* values_ = nullptr;
  int64_t offset_ = 0;
  int64_t values_left_ = 0;
  int64_t bytes_total_ = 0;
};

void DeltaLengthByteArrayEncode(const std::string_view* values, int64_t n, std::string* out);

}  // namespace silt::parquet
