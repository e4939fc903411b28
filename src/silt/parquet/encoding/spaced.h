// From levels to Arrow layout, for flat and struct leaves: a validity bitmap (LSB first, 1 =
// value present) built from definition levels, and the expansion of densely decoded values into
// their slots ("spaced" values, as Arrow calls them), so that a page decodes straight into the
// final arrays.
#pragma once

#include <cstdint>
#include <cstring>

namespace silt::parquet {

// Sets bits [offset, offset + n) of `validity` to (def[i] == max_definition_level) and returns
// the number of nulls among them. Bits outside the range are left alone.
int64_t DefinitionLevelsToBitmap(const int16_t* def, int64_t n, int16_t max_definition_level,
                                 uint8_t* validity, int64_t offset);

// Packs n booleans (one byte 0/1 each) into bits [offset, offset + n) of `bitmap`.
void PackBooleans(const uint8_t* values, int64_t n, uint8_t* bitmap, int64_t offset);

// `values` holds `num_present` values in its first slots; moves them, in order, to the slots
// whose bit in `validity` (bits [offset, offset + n)) is set. Null slots are zeroed. Works in
// place, from the back.
template <typename T>
void ExpandSpaced(T* values, int64_t n, int64_t num_present, const uint8_t* validity,
                  int64_t offset) {
  int64_t src = num_present;
  for (int64_t i = n - 1; i >= 0 && src < i + 1; --i) {
    const int64_t bit = offset + i;
    if ((validity[bit >> 3] >> (bit & 7)) & 1) {
      values[i] = values[--src];
    } else {
      std::memset(static_cast<void*>(&values[i]), 0, sizeof(T));
    }
  }
}

}  // namespace silt::parquet
