// Split-block Bloom filters (parquet-format BloomFilter.md): a BloomFilterHeader then a bitset
// of numBytes / 32 blocks of eight 32-bit little-endian words. A value is hashed with XXH64
// (seed 0) over its PLAIN encoding (BYTE_ARRAY without the length prefix); the upper 32 bits of
// the hash pick the block, the lower 32 bits set one bit in each of the block's 8 words.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/fs/file_system.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet {

// XXH64 of `data`, the hash Parquet Bloom filters use (seed 0).
uint64_t XxHash64(std::string_view data, uint64_t seed = 0);

class BloomFilter {
 public:
  // Bitsets are 32..128 MiB bytes, a multiple of 32.
  static constexpr int64_t kMaxBytes = int64_t{128} << 20;

  // An empty filter of `num_bytes` (rounded up to a multiple of 32, at least 32).
  static BloomFilter Make(int64_t num_bytes);

  // Parses header + bitset. kCorruption when malformed; kUnsupported for algorithm, hash or
  // compression members other than BLOCK / XXHASH / UNCOMPRESSED.
  static Result<BloomFilter> Parse(std::string_view bytes);

  // The filter of a column chunk, or nullopt when it has none. kCorruption when the location
  // lies outside the file or the filter is malformed.
  static Result<std::optional<BloomFilter>> Read(const fs::RandomAccessFile& file,
                                                 const ColumnMetaData& column);

  void InsertHash(uint64_t hash);
  bool MightContainHash(uint64_t hash) const;
  // `plain` is the value's PLAIN encoding (for BYTE_ARRAY: the bytes, without the length).
  void Insert(std::string_view plain) { InsertHash(XxHash64(plain)); }
  bool MightContain(std::string_view plain) const { return MightContainHash(XxHash64(plain)); }

  int64_t num_bytes() const { return static_cast<int64_t>(words_.size()) * 4; }
  // Appends header + bitset.
  void Serialize(std::string* out) const;

 private:
  explicit BloomFilter(std::vector<uint32_t> words) : words_(std::move(words)) {}
  std::vector<uint32_t> words_;
};

}  // namespace silt::parquet
