// Bit-level helpers for validity bitmaps and boolean values (Arrow layout: LSB-first, bit i of
// the bitmap is bit (i % 8) of byte i / 8; a set bit means valid / true).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace silt::columnar::bit_util {

constexpr int64_t BytesForBits(int64_t bits) { return (bits + 7) / 8; }

inline bool GetBit(const uint8_t* bits, int64_t i) { return (bits[i >> 3] >> (i & 7)) & 1; }
inline void SetBit(uint8_t* bits, int64_t i) { bits[i >> 3] |= static_cast<uint8_t>(1 << (i & 7)); }
inline void ClearBit(uint8_t* bits, int64_t i) {
  bits[i >> 3] &= static_cast<uint8_t>(~(1 << (i & 7)));
}
inline void SetBitTo(uint8_t* bits, int64_t i, bool value) {
  bits[i >> 3] = static_cast<uint8_t>((bits[i >> 3] & ~(1 << (i & 7))) | (int(value) << (i & 7)));
}

// Number of set bits in [offset, offset + length).
int64_t CountSetBits(const uint8_t* bits, int64_t offset, int64_t length);

// Sets bits [offset, offset + length) of `bits` to `value`.
void SetBitsTo(uint8_t* bits, int64_t offset, int64_t length, bool value);

// Copies `length` bits from src starting at src_offset to dst starting at dst_offset.
void CopyBitmap(const uint8_t* src, int64_t src_offset, int64_t length, uint8_t* dst,
                int64_t dst_offset);

}  // namespace silt::columnar::bit_util
