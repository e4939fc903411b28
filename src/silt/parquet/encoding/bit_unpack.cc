#include "silt/parquet/encoding/bit_unpack.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "silt/base/macros.h"
#include "silt/parquet/encoding/bit_util.h"

namespace silt::parquet {
namespace {

// Eight values of W bits are exactly W bytes. The kernels unpack one group of eight with
// unaligned 64-bit loads; a load for value j starts at byte (j*W)/8 and may read up to 8 bytes
// (9 for W > 56), so the fast loop stops kSlack bytes before the end and the tail goes through
// a zero-padded copy.
constexpr int64_t kSlack = 16;

template <int W, typename Out>
inline void UnpackGroup(const uint8_t* p, Out* out) {
  if constexpr (W == 0) {
    for (int j = 0; j < 8; ++j) out[j] = 0;
  } else {
    constexpr uint64_t kMask = W == 64 ? ~uint64_t{0} : (uint64_t{1} << W) - 1;
#pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) {
      constexpr int kW = W;
      const int bit = j * kW;
      const int shift = bit & 7;
      uint64_t word = LoadLE<uint64_t>(p + (bit >> 3));
      uint64_t v = word >> shift;
      if constexpr (W > 56) {
        if (shift + W > 64) v |= static_cast<uint64_t>(p[(bit >> 3) + 8]) << (64 - shift);
      }
      out[j] = static_cast<Out>(v & kMask);
    }
  }
}

template <int W, typename Out>
void UnpackWidth(const uint8_t* in, int64_t in_size, Out* out, int64_t count) {
  int64_t groups = count / 8;
  int64_t fast_groups = groups;
  if constexpr (W > 0) {
    // Group g reads bytes [g*W, g*W + W + 9): keep g*W + W + kSlack <= in_size.
    fast_groups = in_size >= W + kSlack ? std::min(groups, (in_size - W - kSlack) / W + 1) : 0;
  }
  for (int64_t g = 0; g < fast_groups; ++g) {
    UnpackGroup<W>(in + g * W, out + g * 8);
  }
  int64_t done = fast_groups * 8;
  while (done < count) {
    // Zero-padded copy of the bytes of the next group.
    uint8_t buffer[W + kSlack] = {};
    int64_t offset = (done / 8) * W;
    int64_t available = std::clamp<int64_t>(in_size - offset, 0, W);
    if (available > 0) std::memcpy(buffer, in + offset, static_cast<size_t>(available));
    Out group[8];
    UnpackGroup<W>(buffer, group);
    int64_t take = std::min<int64_t>(8, count - done);
    std::copy(group, group + take, out + done);
    done += take;
  }
}

template <typename Out, size_t... Ws>
constexpr auto MakeTable(std::index_sequence<Ws...>) {
  using Fn = void (*)(const uint8_t*, int64_t, Out*, int64_t);
  return std::array<Fn, sizeof...(Ws)>{&UnpackWidth<static_cast<int>(Ws), Out>...};
}

constexpr auto kUnpack32 = MakeTable<uint32_t>(std::make_index_sequence<33>{});
constexpr auto kUnpack64 = MakeTable<uint64_t>(std::make_index_sequence<65>{});

}  // namespace

void UnpackBits32(const uint8_t* in, int64_t in_size, int width, uint32_t* out, int64_t count) {
  SILT_DCHECK(width >= 0 && width <= 32);
  kUnpack32[static_cast<size_t>(width)](in, in_size, out, count);
}

void UnpackBits64(const uint8_t* in, int64_t in_size, int width, uint64_t* out, int64_t count) {
  SILT_DCHECK(width >= 0 && width <= 64);
  kUnpack64[static_cast<size_t>(width)](in, in_size, out, count);
}

void PackBits(const uint64_t* values, int64_t count, int width, std::string* out) {
  if (width == 0 || count == 0) return;
  uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  size_t start = out->size();
  out->resize(start + static_cast<size_t>(BitPackedBytes(count, width)), '\0');
  auto* dst = reinterpret_cast<uint8_t*>(out->data() + start);
  int64_t bit = 0;
  for (int64_t i = 0; i < count; ++i) {
    uint64_t v = values[i] & mask;
    int remaining = width;
    while (remaining > 0) {
      int byte_bit = static_cast<int>(bit & 7);
      int take = std::min(remaining, 8 - byte_bit);
      dst[bit >> 3] |= static_cast<uint8_t>((v & ((uint64_t{1} << take) - 1)) << byte_bit);
      v >>= take;
      remaining -= take;
      bit += take;
    }
  }
}

void PackBits32(const uint32_t* values, int64_t count, int width, std::string* out) {
  uint64_t buffer[256];
  for (int64_t i = 0; i < count; i += 256) {
    int64_t n = std::min<int64_t>(256, count - i);
    for (int64_t j = 0; j < n; ++j) buffer[j] = values[i + j];
    // Chunks of 256 values end on a byte boundary, so packing them one after another is exact.
    PackBits(buffer, n, width, out);
  }
}

}  // namespace silt::parquet
