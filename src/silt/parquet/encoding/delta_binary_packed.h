// DELTA_BINARY_PACKED (parquet-format Encodings.md, = 5) for INT32 and INT64:
//   header := varint(block_size) varint(miniblocks_per_block) varint(total_values)
//             zigzag_varint(first_value)
//   block  := zigzag_varint(min_delta) byte[miniblocks_per_block] bit_widths miniblock*
// Arithmetic wraps in two's complement. Also the length streams of DELTA_LENGTH_BYTE_ARRAY and
// DELTA_BYTE_ARRAY.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "silt/parquet/encoding/decoder.h"

namespace silt::parquet {

class DeltaBinaryPackedDecoder final : public ValueDecoder {
 public:
  Encoding encoding() const override { return Encoding::kDeltaBinaryPacked; }
  // Reads the header. num_values must not exceed the header's total value count.
  Status SetData(const uint8_t* data, int64_t size, int64_t num_values) override;
  int64_t values_left() const override { return values_left_; }

  Status DecodeInt32(int32_t* out, int64_t n) override;
  Status DecodeInt64(int64_t* out, int64_t n) override;

  // The total value count from the stream header.
  int64_t total_values() const { return total_values_; }
  // After all total_values() values were decoded: the bytes the stream took (where the data
  // that follows it starts).
  int64_t bytes_consumed() const { return consumed_end_ - data_; }

 private:
  template <typename T>
  Status Decode(T* out, int64_t n);
  Status StartBlock();
  Status StartMiniblock();
  Status Refill();

  const uint8_t* data_ = nullptr;
  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  const uint8_t* consumed_end_ = nullptr;
  uint64_t block_size_ = 0;
  uint64_t miniblocks_per_block_ = 0;
  uint64_t values_per_miniblock_ = 0;
  int64_t total_values_ = 0;
  int64_t values_left_ = 0;
  int64_t stream_left_ = 0;  // values of the stream not yet produced
  bool first_pending_ = false;
  uint64_t last_value_ = 0;
  // Current block and miniblock.
  uint64_t min_delta_ = 0;
  std::vector<uint8_t> bit_widths_;
  uint64_t miniblock_index_ = 0;
  int bit_width_ = 0;
  const uint8_t* miniblock_pos_ = nullptr;
  int64_t miniblock_left_ = 0;
  // Unpacked deltas of the current miniblock not yet returned.
  static constexpr int kBufferValues = 256;
  uint64_t buffer_[kBufferValues] = {};
  int buffer_pos_ = 0;
  int buffer_size_ = 0;
};

// Appends the DELTA_BINARY_PACKED encoding of the values (block 128, 4 miniblocks of 32, as
// parquet-mr and arrow write it).
void DeltaBinaryPackedEncode(const int32_t* values, int64_t n, std::string* out);
void DeltaBinaryPackedEncode(const int64_t* values, int64_t n, std::string* out);

}  // namespace silt::parquet
