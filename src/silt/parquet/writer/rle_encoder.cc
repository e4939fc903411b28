#include "silt/parquet/writer/rle_encoder.h"

#include <bit>
#include <cstring>

namespace silt::parquet::writer {
namespace {

void AppendUleb(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Bit-packs values[begin, end) as (end - begin + 7) / 8 groups, zero-padding the last.
template <typename T>
void AppendBitPacked(const T* values, int64_t begin, int64_t end, int bit_width,
                     std::string* out) {
  const int64_t count = end - begin;
  if (count == 0) return;
  const int64_t groups = (count + 7) / 8;
  AppendUleb((static_cast<uint64_t>(groups) << 1) | 1, out);
  const size_t start = out->size();
  const auto bytes = static_cast<size_t>(groups * bit_width);
  out->resize(start + bytes);
  if (bit_width == 0) return;
  uint8_t* dst = reinterpret_cast<uint8_t*>(out->data() + start);
  // Values go into a 64-bit accumulator and leave it 32 bits at a time: with bit_width <= 32
  // and fewer than 32 bits pending, a value always fits.
  const uint64_t mask = bit_width == 32 ? 0xffffffffULL : ((1ULL << bit_width) - 1);
  uint64_t acc = 0;
  int bits = 0;
  size_t written = 0;
  auto push = [&](uint64_t v) {
    acc |= v << bits;
    bits += bit_width;
    if (bits >= 32) {
      const auto word = static_cast<uint32_t>(acc);
      std::memcpy(dst + written, &word, 4);
      written += 4;
      acc >>= 32;
      bits -= 32;
    }
  };
  for (int64_t i = begin; i < end; ++i) {
    push(static_cast<uint64_t>(static_cast<uint32_t>(values[i])) & mask);
  }
  for (int64_t i = end; i < begin + groups * 8; ++i) push(0);
  // groups * 8 * bit_width bits in all: whole bytes, fewer than 4 of them still pending.
  for (; bits > 0; bits -= 8) {
    dst[written++] = static_cast<uint8_t>(acc);
    acc >>= 8;
  }
}

}  // namespace

template <typename T>
void AppendRleRuns(const T* values, int64_t n, int bit_width, std::string* out) {
  const int value_bytes = (bit_width + 7) / 8;
  int64_t literal_begin = 0;
  int64_t i = 0;
  while (i < n) {
    const T v = values[i];
    int64_t run_end = i + 1;
    while (run_end < n && values[run_end] == v) ++run_end;
    int64_t run = run_end - i;
    if (run >= 8) {
      // Bit-packed runs hold whole groups of 8: top up the pending literals from this run.
      const int64_t misaligned = (i - literal_begin) % 8;
      const int64_t top_up = misaligned == 0 ? 0 : 8 - misaligned;
      if (run - top_up >= 8) {
        AppendBitPacked(values, literal_begin, i + top_up, bit_width, out);
        AppendUleb(static_cast<uint64_t>(run - top_up) << 1, out);
        const uint32_t u = static_cast<uint32_t>(v);
        for (int b = 0; b < value_bytes; ++b) out->push_back(static_cast<char>(u >> (8 * b)));
        literal_begin = run_end;
      }
    }
    i = run_end;
  }
  AppendBitPacked(values, literal_begin, n, bit_width, out);
}

template void AppendRleRuns<int16_t>(const int16_t*, int64_t, int, std::string*);
template void AppendRleRuns<uint32_t>(const uint32_t*, int64_t, int, std::string*);

void AppendLevelsV1(const int16_t* levels, int64_t n, int16_t max_level, std::string* out) {
  if (max_level == 0) return;
  const size_t start = out->size();
  out->append(4, '\0');
  AppendRleRuns(levels, n, std::bit_width(static_cast<uint32_t>(max_level)), out);
  const uint32_t length = static_cast<uint32_t>(out->size() - start - 4);
  std::memcpy(out->data() + start, &length, 4);
}

void AppendRepeatedLevelV1(int16_t level, int64_t n, int16_t max_level, std::string* out) {
  if (max_level == 0) return;
  if (n < 8) {
    // Fewer than 8 values are bit-packed, as AppendRleRuns does.
    const int16_t levels[8] = {level, level, level, level, level, level, level, level};
    AppendLevelsV1(levels, n, max_level, out);
    return;
  }
  const size_t start = out->size();
  out->append(4, '\0');
  AppendUleb(static_cast<uint64_t>(n) << 1, out);
  const int value_bytes = (std::bit_width(static_cast<uint32_t>(max_level)) + 7) / 8;
  const auto u = static_cast<uint32_t>(level);
  for (int b = 0; b < value_bytes; ++b) out->push_back(static_cast<char>(u >> (8 * b)));
  const uint32_t length = static_cast<uint32_t>(out->size() - start - 4);
  std::memcpy(out->data() + start, &length, 4);
}

}  // namespace silt::parquet::writer
