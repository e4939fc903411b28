// The RLE / bit-packing hybrid encoding (parquet-format Encodings.md, RLE = 3): repetition and
// definition levels, dictionary indices and RLE-encoded booleans.
//
//   runs := (bit_packed_run | rle_run)*
//   bit_packed_run := varint(groups << 1 | 1) then groups * 8 values, `width` bits each
//   rle_run := varint(count << 1) then the value in ceil(width / 8) little-endian bytes
//
// Where the data carries a 4-byte little-endian length prefix (v1 levels, RLE booleans) use
// InitWithLengthPrefix.
#pragma once

#include <cstdint>
#include <string>

#include "silt/base/result.h"
#include "silt/base/status.h"

namespace silt::parquet {

class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;

  // Decodes the runs in [data, data + size). bit_width must be 0..32 (kCorruption otherwise).
  // The bytes must outlive the decoder's use.
  Status Init(const uint8_t* data, int64_t size, int bit_width);
  // As Init, for data that starts with a 4-byte little-endian length of the runs. Returns the
  // bytes taken (4 + length). kCorruption when the length runs past `size`.
  Result<int64_t> InitWithLengthPrefix(const uint8_t* data, int64_t size, int bit_width);

  // Decodes exactly n values. kCorruption when the runs end first.
  Status GetBatch(uint32_t* out, int64_t n);
  // Levels (bit width <= 16).
  Status GetBatch(int16_t* out, int64_t n);
  // As GetBatch, and kCorruption for a level above max_level, checked once per RLE run (and per
  // bit-packed value only when the bit width can hold more than max_level).
  Status GetLevels(int16_t* out, int64_t n, int16_t max_level);
  // Booleans, one byte 0/1 per value (bit width 1).
  Status GetBatch(uint8_t* out, int64_t n);
  // Dictionary indices: as GetBatch, and every value must be < dictionary_size.
  Status GetIndices(uint32_t* out, int64_t n, uint32_t dictionary_size);

  int bit_width() const { return bit_width_; }
  int64_t values_decoded() const { return decoded_; }

 private:
  // Loads the next run header. kCorruption at the end of the data.
  Status NextRun(int64_t wanted);
  // Values must not exceed `max` (UINT32_MAX: no check).
  template <typename T>
  Status GetBatchNarrow(T* out, int64_t n, uint32_t max = UINT32_MAX);

  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  int bit_width_ = 0;
  int64_t decoded_ = 0;
  // Current RLE run.
  int64_t rle_left_ = 0;
  uint32_t rle_value_ = 0;
  // Current bit-packed run: values left, and where the next group starts.
  int64_t packed_left_ = 0;
  const uint8_t* packed_pos_ = nullptr;
  // Values unpacked from a group that the caller has not taken yet.
  uint32_t group_[8] = {};
  int group_pos_ = 8;
};

// Encoder: one pass over the caller's values, straight into `out` (no copy of the values).
// RLE runs for 8 or more repeats, bit-packed groups of 8 otherwise, the last group zero-padded
// (as parquet-mr writes them). T is uint32_t (dictionary indices), int16_t (levels) or uint8_t
// (booleans); values must fit in bit_width (0..32) bits.
template <typename T>
void AppendRleBitPackedRuns(const T* values, int64_t n, int bit_width, std::string* out);

// As AppendRleBitPackedRuns, preceded by the runs' 4-byte little-endian length (v1 levels,
// RLE booleans).
template <typename T>
void AppendRleBitPackedRunsWithLength(const T* values, int64_t n, int bit_width,
                                      std::string* out);

// The same bytes as AppendRleBitPackedRunsWithLength of `n` copies of `value`, without the
// copies.
void AppendRepeatedValueWithLength(uint32_t value, int64_t n, int bit_width, std::string* out);

extern template void AppendRleBitPackedRuns<uint32_t>(const uint32_t*, int64_t, int,
                                                      std::string*);
extern template void AppendRleBitPackedRuns<int16_t>(const int16_t*, int64_t, int, std::string*);
extern template void AppendRleBitPackedRuns<uint8_t>(const uint8_t*, int64_t, int, std::string*);
extern template void AppendRleBitPackedRunsWithLength<uint32_t>(const uint32_t*, int64_t, int,
                                                                std::string*);
extern template void AppendRleBitPackedRunsWithLength<int16_t>(const int16_t*, int64_t, int,
                                                               std::string*);
extern template void AppendRleBitPackedRunsWithLength<uint8_t>(const uint8_t*, int64_t, int,
                                                               std::string*);

}  // namespace silt::parquet
