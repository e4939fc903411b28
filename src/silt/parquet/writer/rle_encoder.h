// A one-pass RLE / bit-packing hybrid encoder (parquet-format Encodings.md, RLE = 3) for the
// writer's hot path: levels and dictionary indices are encoded straight from the page's arrays
// into the page buffer, without an intermediate copy. Runs of 8 or more equal values become RLE
// runs, everything else bit-packed groups of 8 (the last group zero-padded).
#pragma once

#include <cstdint>
#include <string>

namespace silt::parquet::writer {

// Appends the runs of values[0, n) at `bit_width` (0..32) to `out`. T is int16_t (levels) or
// uint32_t (dictionary indices); values must fit in bit_width bits.
template <typename T>
void AppendRleRuns(const T* values, int64_t n, int bit_width, std::string* out);

// As AppendRleRuns, preceded by the runs' 4-byte little-endian length (v1 page levels).
void AppendLevelsV1(const int16_t* levels, int64_t n, int16_t max_level, std::string* out);

// The same bytes as AppendLevelsV1 of `n` copies of `level`, without the copies.
void AppendRepeatedLevelV1(int16_t level, int64_t n, int16_t max_level, std::string* out);

extern template void AppendRleRuns<int16_t>(const int16_t*, int64_t, int, std::string*);
extern template void AppendRleRuns<uint32_t>(const uint32_t*, int64_t, int, std::string*);

}  // namespace silt::parquet::writer
