#include "silt/parquet/encoding/spaced.h"

namespace silt::parquet {

int64_t DefinitionLevelsToBitmap(const int16_t* def, int64_t n, int16_t max_definition_level,
                                 uint8_t* validity, int64_t offset) {
  int64_t present = 0;
  int64_t i = 0;
  // Leading bits up to a byte boundary.
  for (; i < n && ((offset + i) & 7) != 0; ++i) {
    const int64_t bit = offset + i;
    const bool set = def[i] == max_definition_level;
    present += set;
    validity[bit >> 3] = static_cast<uint8_t>((validity[bit >> 3] & ~(1u << (bit & 7))) |
                                              (static_cast<unsigned>(set) << (bit & 7)));
  }
  // Whole bytes.
  for (; i + 8 <= n; i += 8) {
    uint8_t byte = 0;
    for (int b = 0; b < 8; ++b) {
      byte |= static_cast<uint8_t>((def[i + b] == max_definition_level) << b);
    }
    present += __builtin_popcount(byte);
    validity[(offset + i) >> 3] = byte;
  }
  for (; i < n; ++i) {
    const int64_t bit = offset + i;
    const bool set = def[i] == max_definition_level;
    present += set;
    validity[bit >> 3] = static_cast<uint8_t>((validity[bit >> 3] & ~(1u << (bit & 7))) |
                                              (static_cast<unsigned>(set) << (bit & 7)));
  }
  return n - present;
}

void PackBooleans(const uint8_t* values, int64_t n, uint8_t* bitmap, int64_t offset) {
  for (int64_t i = 0; i < n; ++i) {
    const int64_t bit = offset + i;
    bitmap[bit >> 3] = static_cast<uint8_t>((bitmap[bit >> 3] & ~(1u << (bit & 7))) |
                                            ((values[i] & 1u) << (bit & 7)));
  }
}

}  // namespace silt::parquet
