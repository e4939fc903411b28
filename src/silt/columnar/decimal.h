// Decimal128: a 128-bit two's complement integer, the unscaled value of a Delta decimal(p, s)
// (value = unscaled * 10^-scale). In memory it is 16 bytes little-endian, exactly as one slot
// of Arrow's decimal128 values buffer (and Parquet FIXED_LEN_BYTE_ARRAY after byte reversal).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "silt/base/result.h"

namespace silt::columnar {

class Decimal128 {
 public:
  constexpr Decimal128() = default;
  constexpr Decimal128(int64_t value)  // NOLINT(google-explicit-constructor)
      : low_(static_cast<uint64_t>(value)), high_(value < 0 ? -1 : 0) {}
  constexpr Decimal128(int64_t high, uint64_t low) : low_(low), high_(high) {}

  constexpr int64_t high() const { return high_; }
  constexpr uint64_t low() const { return low_; }
  constexpr bool is_negative() const { return high_ < 0; }

  // 16 bytes little-endian (the Arrow slot layout). `bytes` need not be aligned.
  static Decimal128 FromLittleEndian(const uint8_t* bytes) {
    Decimal128 d;
    std::memcpy(&d.low_, bytes, 8);
    std::memcpy(&d.high_, bytes + 8, 8);
    return d;
  }
  void ToLittleEndian(uint8_t* out) const {
    std::memcpy(out, &low_, 8);
    std::memcpy(out + 8, &high_, 8);
  }
  // Big-endian two's complement of 1..16 bytes, sign-extended (Parquet's decimal encoding in
  // FIXED_LEN_BYTE_ARRAY / BYTE_ARRAY). kInvalidArgument for other lengths.
  static Result<Decimal128> FromBigEndian(const uint8_t* bytes, int32_t length);

  // The exact decimal text of unscaled * 10^-scale: "-12.34", "0.05", "100" (scale 0).
  std::string ToString(int32_t scale) const;
  // The unscaled integer text: "-1234".
  std::string ToIntegerString() const;

  // Parses "[-+]digits[.digits]" (also exponent form "1.5E3") into the unscaled value at
  // `scale`. kInvalidArgument for malformed text, if more fractional digits than `scale` would be
  // needed (no rounding), or if the result needs more than `precision` digits.
  static Result<Decimal128> FromString(std::string_view text, int32_t precision, int32_t scale);

  // True if |value| < 10^precision.
  bool FitsInPrecision(int32_t precision) const;

  friend constexpr bool operator==(const Decimal128& a, const Decimal128& b) {
    return a.high_ == b.high_ && a.low_ == b.low_;
  }
  friend bool operator<(const Decimal128& a, const Decimal128& b) {
    return a.high_ < b.high_ || (a.high_ == b.high_ && a.low_ < b.low_);
  }

 private:
  // Member order matches the little-endian memory layout.
  uint64_t low_ = 0;
  int64_t high_ = 0;
};

static_assert(sizeof(Decimal128) == 16);

}  // namespace silt::columnar
