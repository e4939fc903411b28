// Repetition and definition levels of data pages (parquet-format Encodings.md, "RLE" and the
// deprecated "BIT_PACKED"; README "Data Pages"):
//   v1 pages: RLE with a 4-byte length prefix, or legacy BIT_PACKED (MSB first, no prefix);
//   v2 pages: RLE without prefix, the byte length is in the page header.
// Levels are never written when the maximum level is 0 (all levels are then 0).
#pragma once

#include <cstdint>

#include "silt/base/result.h"
#include "silt/base/status.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet {

// Decodes `num_values` levels of a v1 page starting at `data` into `out` and returns the bytes
// they took. With max_level 0 nothing is read and `out` is zero-filled. kCorruption for
// truncated data or a level above max_level; kUnsupported for another encoding.
Result<int64_t> DecodeLevelsV1(Encoding encoding, int16_t max_level, const uint8_t* data,
                               int64_t size, int64_t num_values, int16_t* out);

// Decodes `num_values` levels of a v2 page: exactly the `size` bytes the header gives.
Status DecodeLevelsV2(int16_t max_level, const uint8_t* data, int64_t size, int64_t num_values,
                      int16_t* out);

// How many of `levels[0, n)` equal `level`: a page's or batch's non-null values are the
// definition levels at their maximum, its rows the repetition levels at 0.
int64_t CountLevel(const int16_t* levels, int64_t n, int16_t level);

// Appends v1-style levels (4-byte length + RLE runs); nothing when max_level is 0.
void EncodeLevelsV1(const int16_t* levels, int64_t n, int16_t max_level, std::string* out);
// The same bytes as EncodeLevelsV1 of `n` copies of `level` (a page without nulls), without
// the copies.
void EncodeRepeatedLevelV1(int16_t level, int64_t n, int16_t max_level, std::string* out);
// Appends v2-style levels (RLE runs, no prefix); nothing when max_level is 0.
void EncodeLevelsV2(const int16_t* levels, int64_t n, int16_t max_level, std::string* out);

}  // namespace silt::parquet
