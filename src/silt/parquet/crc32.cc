#include "silt/parquet/crc32.h"

#include <zlib.h>

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SILT_CRC32_CLMUL 1
#endif

namespace silt::parquet {
namespace {

uint32_t ZlibCrc32(const char* data, size_t size, uint32_t crc) {
  // zlib takes uInt lengths: feed very large inputs in pieces.
  while (size > 0) {
    const size_t n = size < (size_t{1} << 30) ? size : (size_t{1} << 30);
    crc = static_cast<uint32_t>(
        crc32(crc, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(n)));
    data += n;
    size -= n;
  }
  return crc;
}

#ifdef SILT_CRC32_CLMUL

// Folding constants of the bit-reflected polynomial: x^(k) mod P for the distances folded
// (4 x 128 bits: x^(512+32) and x^(512-32); 128 bits: x^(128+32) and x^(128-32)), each shifted
// left by one bit as the reflected carry-less product needs.
constexpr int64_t kFold4Low = 0x154442bd4;
constexpr int64_t kFold4High = 0x1c6e41596;
constexpr int64_t kFold1Low = 0x1751997d0;
constexpr int64_t kFold1High = 0x0ccaa009e;

__attribute__((target("pclmul,sse2"))) inline __m128i Fold(__m128i x, __m128i k, __m128i next) {
  const __m128i lo = _mm_clmulepi64_si128(x, k, 0x00);
  const __m128i hi = _mm_clmulepi64_si128(x, k, 0x11);
  return _mm_xor_si128(_mm_xor_si128(lo, hi), next);
}

__attribute__((target("pclmul,sse2"))) inline __m128i Load(const char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// Requires size >= 64. Folds the input down to 16 bytes that have the same CRC remainder as
// everything consumed, then lets zlib finish those 16 bytes and the tail (< 16 bytes).
__attribute__((target("pclmul,sse2"))) uint32_t ClmulCrc32(const char* data, size_t size,
                                                          uint32_t crc) {
  // zlib's crc32(c, ...) starts from the register ~c: xor it into the first four bytes, fold
  // with a zero register, and finish with zlib from register 0 (argument ~0).
  __m128i x0 = _mm_xor_si128(Load(data), _mm_cvtsi32_si128(static_cast<int>(~crc)));
  __m128i x1 = Load(data + 16);
  __m128i x2 = Load(data + 32);
  __m128i x3 = Load(data + 48);
  data += 64;
  size -= 64;
  const __m128i k4 = _mm_set_epi64x(kFold4High, kFold4Low);
  while (size >= 64) {
    x0 = Fold(x0, k4, Load(data));
    x1 = Fold(x1, k4, Load(data + 16));
    x2 = Fold(x2, k4, Load(data + 32));
    x3 = Fold(x3, k4, Load(data + 48));
    data += 64;
    size -= 64;
  }
  const __m128i k1 = _mm_set_epi64x(kFold1High, kFold1Low);
  __m128i x = Fold(x0, k1, x1);
  x = Fold(x, k1, x2);
  x = Fold(x, k1, x3);
  while (size >= 16) {
    x = Fold(x, k1, Load(data));
    data += 16;
    size -= 16;
  }
  char rest[32];
  _mm_storeu_si128(reinterpret_cast<__m128i*>(rest), x);
  std::memcpy(rest + 16, data, size);
  return ZlibCrc32(rest, 16 + size, 0xffffffffu);
}

bool HasClmul() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse2");
  }();
  return has;
}

#endif  // SILT_CRC32_CLMUL

}  // namespace

uint32_t Crc32(std::string_view data, uint32_t crc) {
#ifdef SILT_CRC32_CLMUL
  // Below a few hundred bytes the fixed cost of folding is not worth it.
  if (data.size() >= 256 && HasClmul()) return ClmulCrc32(data.data(), data.size(), crc);
#endif
  return ZlibCrc32(data.data(), data.size(), crc);
}

}  // namespace silt::parquet
