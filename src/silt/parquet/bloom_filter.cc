#include "silt/parquet/bloom_filter.h"

#include <bit>
#include <cstring>

#include "silt/parquet/encoding/bit_util.h"

namespace silt::parquet {

namespace {

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

inline uint64_t Round(uint64_t acc, uint64_t input) {
  acc += input * kPrime2;
  acc = std::rotl(acc, 31);
  return acc * kPrime1;
}

inline uint64_t MergeRound(uint64_t acc, uint64_t value) {
  acc ^= Round(0, value);
  return acc * kPrime1 + kPrime4;
}

constexpr uint32_t kSalt[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                               0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};

}  // namespace

uint64_t XxHash64(std::string_view data, uint64_t seed) {
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  const uint8_t* end = p + data.size();
  uint64_t h;
  if (data.size() >= 32) {
    uint64_t v1 = seed + kPrime1 + kPrime2, v2 = seed + kPrime2, v3 = seed, v4 = seed - kPrime1;
    do {
      v1 = Round(v1, LoadLE<uint64_t>(p));
      v2 = Round(v2, LoadLE<uint64_t>(p + 8));
      v3 = Round(v3, LoadLE<uint64_t>(p + 16));
      v4 = Round(v4, LoadLE<uint64_t>(p + 24));
      p += 32;
    } while (end - p >= 32);
    h = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) + std::rotl(v4, 18);
    h = MergeRound(h, v1);
    h = MergeRound(h, v2);
    h = MergeRound(h, v3);
    h = MergeRound(h, v4);
  } else {
    h = seed + kPrime5;
  }
  h += data.size();
  while (end - p >= 8) {
    h ^= Round(0, LoadLE<uint64_t>(p));
    h = std::rotl(h, 27) * kPrime1 + kPrime4;
    p += 8;
  }
  if (end - p >= 4) {
    h ^= static_cast<uint64_t>(LoadLE<uint32_t>(p)) * kPrime1;
    h = std::rotl(h, 23) * kPrime2 + kPrime3;
    p += 4;
  }
  while (p < end) {
    h ^= static_cast<uint64_t>(*p++) * kPrime5;
    h = std::rotl(h, 11) * kPrime1;
  }
  h ^= h >> 33;
  h *= kPrime2;
  h ^= h >> 29;
  h *= kPrime3;
  h ^= h >> 32;
  return h;
}

BloomFilter BloomFilter::Make(int64_t num_bytes) {
  int64_t bytes = std::max<int64_t>(32, (std::min(num_bytes, kMaxBytes) + 31) / 32 * 32);
  return BloomFilter(std::vector<uint32_t>(static_cast<size_t>(bytes / 4), 0));
}

void BloomFilter::InsertHash(uint64_t hash) {
  const uint64_t blocks = words_.size() / 8;
  const uint64_t block = ((hash >> 32) * blocks) >> 32;
  const auto key = static_cast<uint32_t>(hash);
  uint32_t* words = words_.data() + block * 8;
  for (int i = 0; i < 8; ++i) words[i] |= uint32_t{1} << ((key * kSalt[i]) >> 27);
}

bool BloomFilter::MightContainHash(uint64_t hash) const {
  const uint64_t blocks = words_.size() / 8;
  const uint64_t block = ((hash >> 32) * blocks) >> 32;
  const auto key = static_cast<uint32_t>(hash);
  const uint32_t* words = words_.data() + block * 8;
  for (int i = 0; i < 8; ++i) {
    if ((words[i] & (uint32_t{1} << ((key * kSalt[i]) >> 27))) == 0) return false;
  }
  return true;
}

Result<BloomFilter> BloomFilter::Parse(std::string_view bytes) {
  SILT_ASSIGN_OR_RETURN(auto header, DeserializeThrift<BloomFilterHeader>(bytes));
  const BloomFilterHeader& h = header.value;
  if (h.algorithm != 1 || h.hash != 1 || h.compression != 1) {
    return Status::Unsupported("Bloom filter with algorithm {}, hash {}, compression {}",
                               h.algorithm, h.hash, h.compression);
  }
  if (h.num_bytes < 32 || h.num_bytes % 32 != 0 || h.num_bytes > kMaxBytes) {
    return Status::Corruption("Bloom filter bitset of {} bytes (must be a positive multiple of 32)",
                              h.num_bytes);
  }
  if (static_cast<int64_t>(bytes.size() - header.size) < h.num_bytes) {
    return Status::Corruption("Bloom filter bitset of {} bytes but only {} follow the header",
                              h.num_bytes, bytes.size() - header.size);
  }
  std::vector<uint32_t> words(static_cast<size_t>(h.num_bytes / 4));
  std::memcpy(words.data(), bytes.data() + header.size, static_cast<size_t>(h.num_bytes));
  return BloomFilter(std::move(words));
}

Result<std::optional<BloomFilter>> BloomFilter::Read(const fs::RandomAccessFile& file,
                                                     const ColumnMetaData& column) {
  if (!column.bloom_filter_offset.has_value()) return std::optional<BloomFilter>();
  const int64_t offset = *column.bloom_filter_offset;
  if (offset < 0 || offset >= file.size()) {
    return Status::Corruption("{}: Bloom filter offset {} is outside the {}-byte file",
                              file.path(), offset, file.size());
  }
  int64_t length = 0;
  if (column.bloom_filter_length.has_value()) {
    length = *column.bloom_filter_length;
    if (length <= 0 || length > file.size() - offset) {
      return Status::Corruption("{}: Bloom filter of {} bytes at {} runs past the file",
                                file.path(), length, offset);
    }
  } else {
    // Older writers leave the length out: read the header, then the bitset it announces.
    SILT_ASSIGN_OR_RETURN(std::string head,
                          file.ReadAt(offset, std::min<int64_t>(64, file.size() - offset)));
    SILT_ASSIGN_OR_RETURN(auto header, DeserializeThrift<BloomFilterHeader>(head));
    if (header.value.num_bytes < 0 ||
        header.value.num_bytes > file.size() - offset - static_cast<int64_t>(header.size)) {
      return Status::Corruption("{}: Bloom filter of {} bytes at {} runs past the file",
                                file.path(), header.value.num_bytes, offset);
    }
    length = static_cast<int64_t>(header.size) + header.value.num_bytes;
  }
  SILT_ASSIGN_OR_RETURN(std::string bytes, file.ReadAt(offset, length));
  auto filter = Parse(bytes);
  if (!filter.ok()) return filter.status().WithContext(file.path());
  return std::optional<BloomFilter>(std::move(filter).value());
}

void BloomFilter::Serialize(std::string* out) const {
  BloomFilterHeader header;
  header.num_bytes = static_cast<int32_t>(num_bytes());
  SerializeThrift(header, out);
  out->append(reinterpret_cast<const char*>(words_.data()), words_.size() * 4);
}

}  // namespace silt::parquet
