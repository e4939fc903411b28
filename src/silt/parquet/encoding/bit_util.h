// Small bit and byte helpers shared by the encodings (all little-endian, unaligned-safe).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace silt::parquet {

// Bits needed to represent `max_value`: 0 -> 0, 1 -> 1, 2..3 -> 2, 4..7 -> 3, ...
inline int BitWidth(uint64_t max_value) { return static_cast<int>(std::bit_width(max_value)); }

// Bytes taken by `count` values of `width` bits, packed.
inline int64_t BitPackedBytes(int64_t count, int width) { return (count * width + 7) / 8; }

template <typename T>
inline T LoadLE(const uint8_t* p) {
  static_assert(std::endian::native == std::endian::little, "big-endian hosts are unsupported");
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <typename T>
inline void StoreLE(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}

}  // namespace silt::parquet
