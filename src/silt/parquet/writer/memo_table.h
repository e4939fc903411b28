// Open-addressing hash tables that give each distinct value its dictionary index (first seen =
// 0, 1, 2, ...), for dictionary encoding. Fixed-width values are compared by bit pattern (so NaN
// payloads and -0.0/+0.0 stay distinct, as PLAIN dictionary entries must); byte strings are
// copied into an arena the table owns.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace silt::parquet::writer {

inline uint64_t MixHash(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline uint64_t HashBytes(const char* p, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0x100000001b3ULL);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ (w * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  if (n > 0) std::memcpy(&w, p, n);
  h ^= w * 0x87c37b91114253d5ULL;
  return MixHash(h);
}

template <typename T>
class FixedMemoTable {
 public:
  FixedMemoTable() { Reset(); }

  void Reset() {
    values_.clear();
    slots_.assign(kInitialSlots, -1);
    mask_ = kInitialSlots - 1;
  }

  uint32_t GetOrInsert(const T& v) {
    size_t i = Hash(v) & mask_;
    while (true) {
      const int32_t s = slots_[i];
      if (s < 0) break;
      if (std::memcmp(&values_[static_cast<size_t>(s)], &v, sizeof(T)) == 0) {
        return static_cast<uint32_t>(s);
      }
      i = (i + 1) & mask_;
    }
    const int32_t index = static_cast<int32_t>(values_.size());
    values_.push_back(v);
    slots_[i] = index;
    if (values_.size() * 2 > slots_.size()) Grow();
    return static_cast<uint32_t>(index);
  }

  const std::vector<T>& values() const { return values_; }
  int64_t size() const { return static_cast<int64_t>(values_.size()); }

 private:
  static constexpr size_t kInitialSlots = 1024;

  static uint64_t Hash(const T& v) {
    if constexpr (sizeof(T) <= 8) {
      uint64_t bits = 0;
      std::memcpy(&bits, &v, sizeof(T));
      return MixHash(bits);
    } else {
      uint64_t w[2];
      std::memcpy(w, &v, 16);
      return MixHash(w[0] ^ MixHash(w[1]));
    }
  }

  void Grow() {
    std::vector<int32_t> slots(slots_.size() * 2, -1);
    const size_t mask = slots.size() - 1;
    for (size_t k = 0; k < values_.size(); ++k) {
      size_t i = Hash(values_[k]) & mask;
      while (slots[i] >= 0) i = (i + 1) & mask;
      slots[i] = static_cast<int32_t>(k);
    }
    slots_ = std::move(slots);
    mask_ = mask;
  }

  std::vector<T> values_;
  std::vector<int32_t> slots_;
  size_t mask_ = 0;
};

class BinaryMemoTable {
 public:
  BinaryMemoTable() { Reset(); }

  void Reset() {
    arena_.clear();
    offsets_.assign(1, 0);
    hashes_.clear();
    slots_.assign(kInitialSlots, -1);
    mask_ = kInitialSlots - 1;
  }

  uint32_t GetOrInsert(std::string_view v) {
    const uint64_t h = HashBytes(v.data(), v.size());
    size_t i = h & mask_;
    while (true) {
      const int32_t s = slots_[i];
      if (s < 0) break;
      if (hashes_[static_cast<size_t>(s)] == h && value(s) == v) return static_cast<uint32_t>(s);
      i = (i + 1) & mask_;
    }
    const int32_t index = static_cast<int32_t>(hashes_.size());
    arena_.append(v);
    offsets_.push_back(arena_.size());
    hashes_.push_back(h);
    slots_[i] = index;
    if (hashes_.size() * 2 > slots_.size()) Grow();
    return static_cast<uint32_t>(index);
  }

  std::string_view value(int64_t i) const {
    const size_t k = static_cast<size_t>(i);
    return std::string_view(arena_).substr(offsets_[k], offsets_[k + 1] - offsets_[k]);
  }
  int64_t size() const { return static_cast<int64_t>(hashes_.size()); }
  int64_t data_bytes() const { return static_cast<int64_t>(arena_.size()); }

 private:
  static constexpr size_t kInitialSlots = 1024;

  void Grow() {
    std::vector<int32_t> slots(slots_.size() * 2, -1);
    const size_t mask = slots.size() - 1;
    for (size_t k = 0; k < hashes_.size(); ++k) {
      size_t i = hashes_[k] & mask;
      while (slots[i] >= 0) i = (i + 1) & mask;
      slots[i] = static_cast<int32_t>(k);
    }
    slots_ = std::move(slots);
    mask_ = mask;
  }

  std::string arena_;
  std::vector<size_t> offsets_;
  std::vector<uint64_t> hashes_;
  std::vector<int32_t> slots_;
  size_t mask_ = 0;
};

}  // namespace silt::parquet::writer
