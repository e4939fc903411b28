// Open-addressing hash tables that give each distinct value its dictionary index (first seen =
// 0, 1, 2, ...), for dictionary encoding. Fixed-width values are compared by bit pattern (so NaN
// payloads and -0.0/+0.0 stay distinct, as PLAIN dictionary entries must); byte strings are
// copied into an arena the table owns.
#pragma once

#include <algorithm>
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
  // The last 0..7 bytes, without a variable-length copy: two overlapping 4-byte words, or the
  // first, middle and last byte (each byte is covered; the length is already in h).
  uint64_t w = 0;
  if (n >= 4) {
    uint32_t a;
    uint32_t b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    w = (uint64_t{a} << 32) | b;
  } else if (n > 0) {
    w = uint64_t{static_cast<uint8_t>(p[0])} | uint64_t{static_cast<uint8_t>(p[n / 2])} << 8 |
        uint64_t{static_cast<uint8_t>(p[n - 1])} << 16;
  }
  h ^= w * 0x87c37b91114253d5ULL;
  return MixHash(h);
}

// Each slot holds the value next to its index, so that a lookup touches one cache line (the
// table outgrows the caches for dictionaries of 10^5 entries and more).
// Slots for a table reset after holding `entries`: enough for them at half load, at least
// `initial` and at most the `current` slots.
inline size_t ResetSlots(size_t entries, size_t current, size_t initial = 1024) {
  size_t slots = initial;
  while (slots < 2 * entries && slots < current) slots *= 2;
  return slots;
}

template <typename T>
class FixedMemoTable {
 public:
  FixedMemoTable() { Reset(); }

  // Empties the table, sized for as many entries as it held: the next chunk of a column tends
  // to need as many slots as the last one, and clearing them costs less than growing into them
  // again.
  void Reset() {
    const size_t slots = ResetSlots(values_.size(), slots_.size());
    values_.clear();
    slots_.assign(slots, Slot{T{}, -1});
    mask_ = slots - 1;
  }

  // The table never grows past the slots that `entries` need at half load; beyond them it
  // fills up to 3/4 (a dictionary that large is about to be abandoned by the writer, and the
  // last doubling would cost more than all lookups until then).
  void set_max_entries(int64_t entries) {
    max_slots_ = kInitialSlots;
    while (static_cast<int64_t>(max_slots_) < 2 * entries) max_slots_ *= 2;
  }

  // GetOrInsert of values[0, n) into indices[0, n). Prefetches the slots of values a few
  // positions ahead so that the cache misses of a large table overlap.
  void GetOrInsertBatch(const T* values, int64_t n, uint32_t* indices) {
    constexpr int64_t kAhead = 8;
    for (int64_t k = 0; k < n; ++k) {
      if (k + kAhead < n) __builtin_prefetch(&slots_[Hash(values[k + kAhead]) & mask_]);
      indices[k] = GetOrInsert(values[k]);
    }
  }

  uint32_t GetOrInsert(const T& v) {
    size_t i = Hash(v) & mask_;
    while (true) {
      Slot& s = slots_[i];
      if (s.index < 0) break;
      if (std::memcmp(&s.value, &v, sizeof(T)) == 0) return static_cast<uint32_t>(s.index);
      i = (i + 1) & mask_;
    }
    const int32_t index = static_cast<int32_t>(values_.size());
    values_.push_back(v);
    slots_[i] = Slot{v, index};
    if (values_.size() * 2 > slots_.size() &&
        (slots_.size() < max_slots_ || values_.size() * 4 > slots_.size() * 3)) {
      Grow();
    }
    return static_cast<uint32_t>(index);
  }

  const std::vector<T>& values() const { return values_; }
  int64_t size() const { return static_cast<int64_t>(values_.size()); }

 private:
  static constexpr size_t kInitialSlots = 1024;

  struct Slot {
    T value;
    int32_t index;  // -1: empty
  };

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
    std::vector<Slot> slots(slots_.size() * 2, Slot{T{}, -1});
    const size_t mask = slots.size() - 1;
    for (size_t k = 0; k < values_.size(); ++k) {
      size_t i = Hash(values_[k]) & mask;
      while (slots[i].index >= 0) i = (i + 1) & mask;
      slots[i] = Slot{values_[k], static_cast<int32_t>(k)};
    }
    slots_ = std::move(slots);
    mask_ = mask;
  }

  std::vector<T> values_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t max_slots_ = size_t{1} << 40;
};

// Slots hold the hash next to the index, so that most probes that miss never touch the arena.
class BinaryMemoTable {
 public:
  BinaryMemoTable() { Reset(); }

  // Empties the table, sized for as many entries as it held (see FixedMemoTable::Reset).
  void Reset() {
    const size_t slots = ResetSlots(offsets_.empty() ? 0 : offsets_.size() - 1, slots_.size());
    arena_.clear();
    offsets_.assign(1, 0);
    slots_.assign(slots, Slot{0, -1});
    mask_ = slots - 1;
  }

  uint32_t GetOrInsert(std::string_view v) {
    const uint64_t h = HashBytes(v.data(), v.size());
    size_t i = h & mask_;
    while (true) {
      const Slot s = slots_[i];
      if (s.index < 0) break;
      if (s.hash == h) {
        const size_t k = static_cast<size_t>(s.index);
        const size_t begin = offsets_[k];
        if (offsets_[k + 1] - begin == v.size() &&
            (v.empty() || std::memcmp(arena_.data() + begin, v.data(), v.size()) == 0)) {
          return static_cast<uint32_t>(s.index);
        }
      }
      i = (i + 1) & mask_;
    }
    const int32_t index = static_cast<int32_t>(offsets_.size() - 1);
    arena_.append(v);
    offsets_.push_back(arena_.size());
    slots_[i] = Slot{h, index};
    if (offsets_.size() * 2 > slots_.size()) Grow();
    return static_cast<uint32_t>(index);
  }

  std::string_view value(int64_t i) const {
    const size_t k = static_cast<size_t>(i);
    return std::string_view(arena_).substr(offsets_[k], offsets_[k + 1] - offsets_[k]);
  }
  int64_t size() const { return static_cast<int64_t>(offsets_.size() - 1); }
  int64_t data_bytes() const { return static_cast<int64_t>(arena_.size()); }

 private:
  static constexpr size_t kInitialSlots = 1024;

  struct Slot {
    uint64_t hash;
    int32_t index;  // -1: empty
  };

  void Grow() {
    std::vector<Slot> slots(slots_.size() * 2, Slot{0, -1});
    const size_t mask = slots.size() - 1;
    for (const Slot& s : slots_) {
      if (s.index < 0) continue;
      size_t i = s.hash & mask;
      while (slots[i].index >= 0) i = (i + 1) & mask;
      slots[i] = s;
    }
    slots_ = std::move(slots);
    mask_ = mask;
  }

  std::string arena_;
  std::vector<size_t> offsets_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

}  // namespace silt::parquet::writer
