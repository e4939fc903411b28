#include "silt/parquet/encoding/levels.h"

#include <algorithm>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "silt/parquet/encoding/bit_util.h"
#include "silt/parquet/encoding/rle.h"

namespace silt::parquet {

namespace {

Status CheckMax(const int16_t* levels, int64_t n, int16_t max_level) {
  // Blocks of a fixed size, so that the compiler turns each into vector min/max operations.
  constexpr int64_t kBlock = 32;
  int16_t block_max[kBlock] = {};
  int16_t block_min[kBlock] = {};
  int64_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    for (int64_t k = 0; k < kBlock; ++k) {
      block_max[k] = std::max(block_max[k], levels[i + k]);
      block_min[k] = std::min(block_min[k], levels[i + k]);
    }
  }
  int16_t max = 0;
  int16_t min = 0;
  for (int64_t k = 0; k < kBlock; ++k) {
    max = std::max(max, block_max[k]);
    min = std::min(min, block_min[k]);
  }
  for (; i < n; ++i) {
    max = std::max(max, levels[i]);
    min = std::min(min, levels[i]);
  }
  if (max > max_level || min < 0) {
    for (int64_t i = 0; i < n; ++i) {
      if (levels[i] > max_level || levels[i] < 0) {
        return Status::Corruption("level {} at position {} exceeds the maximum level {}",
                                  levels[i], i, max_level);
      }
    }
  }
  return Status::OK();
}

// The deprecated BIT_PACKED encoding: values packed from the most significant bit of each byte.
Result<int64_t> DecodeLegacyBitPacked(int width, const uint8_t* data, int64_t size, int64_t n,
                                      int16_t* out) {
  int64_t bytes = BitPackedBytes(n, width);
  if (bytes > size) {
    return Status::Corruption("BIT_PACKED levels: {} values of {} bits need {} bytes, {} remain",
                              n, width, bytes, size);
  }
  int64_t bit = 0;
  for (int64_t i = 0; i < n; ++i) {
    int v = 0;
    for (int b = 0; b < width; ++b, ++bit) {
      v = (v << 1) | ((data[bit >> 3] >> (7 - (bit & 7))) & 1);
    }
    out[i] = static_cast<int16_t>(v);
  }
  return bytes;
}

}  // namespace

Result<int64_t> DecodeLevelsV1(Encoding encoding, int16_t max_level, const uint8_t* data,
                               int64_t size, int64_t num_values, int16_t* out) {
  if (max_level == 0) {
    std::fill(out, out + num_values, int16_t{0});
    return int64_t{0};
  }
  int width = BitWidth(static_cast<uint64_t>(max_level));
  int64_t taken = 0;
  if (encoding == Encoding::kRle) {
    RleBitPackedDecoder decoder;
    SILT_ASSIGN_OR_RETURN(taken, decoder.InitWithLengthPrefix(data, size, width));
    SILT_RETURN_NOT_OK(decoder.GetLevels(out, num_values, max_level));
  } else if (encoding == Encoding::kBitPacked) {
    SILT_ASSIGN_OR_RETURN(taken, DecodeLegacyBitPacked(width, data, size, num_values, out));
    SILT_RETURN_NOT_OK(CheckMax(out, num_values, max_level));
  } else {
    return Status::Unsupported("level encoding {} is not supported", EncodingName(encoding));
  }
  return taken;
}

Status DecodeLevelsV2(int16_t max_level, const uint8_t* data, int64_t size, int64_t num_values,
                      int16_t* out) {
  if (max_level == 0) {
    std::fill(out, out + num_values, int16_t{0});
    return Status::OK();
  }
  RleBitPackedDecoder decoder;
  SILT_RETURN_NOT_OK(decoder.Init(data, size, BitWidth(static_cast<uint64_t>(max_level))));
  return decoder.GetLevels(out, num_values, max_level);
}

int64_t CountLevel(const int16_t* levels, int64_t n, int16_t level) {
  int64_t count = 0;
  int64_t i = 0;
#if defined(__SSE2__)
  // Eight levels per step: each lane subtracts the compare mask (-1 where equal), and is summed
  // after at most 4096 steps, before a 16-bit lane could overflow.
  const __m128i wanted = _mm_set1_epi16(level);
  while (n - i >= 8) {
    const int64_t end = i + std::min<int64_t>((n - i) / 8, 4096) * 8;
    __m128i lanes = _mm_setzero_si128();
    for (; i < end; i += 8) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(levels + i));
      lanes = _mm_sub_epi16(lanes, _mm_cmpeq_epi16(x, wanted));
    }
    alignas(16) int32_t sums[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(sums), _mm_madd_epi16(lanes, _mm_set1_epi16(1)));
    count += int64_t{sums[0]} + sums[1] + sums[2] + sums[3];
  }
#endif
  for (; i < n; ++i) count += levels[i] == level;
  return count;
}

void EncodeLevelsV1(const int16_t* levels, int64_t n, int16_t max_level, std::string* out) {
  if (max_level == 0) return;
  AppendRleBitPackedRunsWithLength(levels, n, BitWidth(static_cast<uint64_t>(max_level)), out);
}

void EncodeRepeatedLevelV1(int16_t level, int64_t n, int16_t max_level, std::string* out) {
  if (max_level == 0) return;
  AppendRepeatedValueWithLength(static_cast<uint32_t>(level), n,
                                BitWidth(static_cast<uint64_t>(max_level)), out);
}

void EncodeLevelsV2(const int16_t* levels, int64_t n, int16_t max_level, std::string* out) {
  if (max_level == 0) return;
  AppendRleBitPackedRuns(levels, n, BitWidth(static_cast<uint64_t>(max_level)), out);
}

}  // namespace silt::parquet
