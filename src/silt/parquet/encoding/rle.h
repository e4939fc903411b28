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
#include <vector>

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
  // Booleans, one byte 0/1 per value (bit width 1).
  Status GetBatch(uint8_t* out, int64_t n);
  // Dictionary indices: as GetBatch, and every value must be < dictionary_size.
  Status GetIndices(uint32_t* out, int64_t n, uint32_t dictionary_size);

  int bit_width() const { return bit_width_; }
  int64_t values_decoded() const { return decoded_; }

 private:
  // Loads the next run header. kCorruption at the end of the data.
  Status NextRun(int64_t wanted);
  template <typename T>
  Status GetBatchNarrow(T* out, int64_t n);

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

// Builds RLE / bit-packed hybrid runs: RLE runs for 8 or more repeats, bit-packed groups
// otherwise (as parquet-mr writes them).
class RleBitPackedEncoder {
 public:
  // bit_width 0..32.
  explicit RleBitPackedEncoder(int bit_width) : bit_width_(bit_width) {}

  void Put(uint32_t value) { values_.push_back(value); }
  void Put(const uint32_t* values, int64_t n) { values_.insert(values_.end(), values, values + n); }
  void PutLevels(const int16_t* levels, int64_t n);

  int64_t num_values() const { return static_cast<int64_t>(values_.size()); }

  // Appends the runs to `out` and resets the encoder.
  void Finish(std::string* out);
  // As Finish, preceded by the 4-byte little-endian length of the runs.
  void FinishWithLengthPrefix(std::string* out);

 private:
  void FlushLiterals(int64_t begin, int64_t end, std::string* out);

  int bit_width_;
  std::vector<uint32_t> values_;
};

}  // namespace silt::parquet
