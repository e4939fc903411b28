// ULEB128 and zigzag varints as used inside encodings (DELTA_BINARY_PACKED headers, RLE runs).
#pragma once

#include <cstdint>
#include <string>

#include "silt/base/status.h"

namespace silt::parquet {

// Reads a ULEB128 varint at *pos (< end) and advances *pos. kCorruption when truncated or longer
// than 10 bytes. `what` names the field in the message.
inline Status ReadUleb128(const uint8_t** pos, const uint8_t* end, uint64_t* out,
                          const char* what) {
  uint64_t result = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (*pos >= end) return Status::Corruption("{} varint is truncated", what);
    uint8_t byte = *(*pos)++;
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *out = result;
      return Status::OK();
    }
  }
  return Status::Corruption("{} varint is longer than 10 bytes", what);
}

inline Status ReadZigZag64(const uint8_t** pos, const uint8_t* end, int64_t* out,
                           const char* what) {
  uint64_t u = 0;
  SILT_RETURN_NOT_OK(ReadUleb128(pos, end, &u, what));
  *out = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  return Status::OK();
}

inline void WriteUleb128(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

inline void WriteZigZag64(int64_t v, std::string* out) {
  WriteUleb128((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63), out);
}

}  // namespace silt::parquet
