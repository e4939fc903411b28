// Unpacking of bit-packed values (parquet-format Encodings.md "Bit-packed", LSB first: value i
// occupies bits [i*width, (i+1)*width) of the little-endian byte stream). Used by the RLE hybrid,
// dictionary indices and DELTA_BINARY_PACKED miniblocks: the hot loops of every scan, so each
// width has its own unrolled kernel working 64 bits at a time.
#pragma once

#include <cstdint>
#include <string>

namespace silt::parquet {

// Unpacks `count` values of `width` bits (0..32) from `in`, which must hold at least
// BitPackedBytes(count, width) bytes (`in_size`); bytes beyond in_size are never read.
void UnpackBits32(const uint8_t* in, int64_t in_size, int width, uint32_t* out, int64_t count);

// The same for widths 0..64.
void UnpackBits64(const uint8_t* in, int64_t in_size, int width, uint64_t* out, int64_t count);

// Appends `count` values of `width` bits (0..64), packed LSB first, zero-padded to a whole byte.
void PackBits(const uint64_t* values, int64_t count, int width, std::string* out);
void PackBits32(const uint32_t* values, int64_t count, int width, std::string* out);

}  // namespace silt::parquet
