#include "silt/delta/scan/deletion_vector_reader.h"

#include <roaring/roaring.h>
#include <zlib.h>

#include <memory>


namespace silt::delta {

namespace {

constexpr uint32_t kPortableMagic = 1681511377;
constexpr uint32_t kNativeMagic = 1681511376;

uint32_t LoadLe32(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{u[0]} | uint32_t{u[1]} << 8 | uint32_t{u[2]} << 16 | uint32_t{u[3]} << 24;
}
uint32_t LoadBe32(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{u[3]} | uint32_t{u[2]} << 8 | uint32_t{u[1]} << 16 | uint32_t{u[0]} << 24;
}
uint64_t LoadLe64(const char* p) {
  return uint64_t{LoadLe32(p)} | uint64_t{LoadLe32(p + 4)} << 32;
}

struct BitmapDeleter {
  void operator()(roaring_bitmap_t* b) const { roaring_bitmap_free(b); }
};

// Deserializes one 32-bit portable bitmap at the front of `data` and appends its values with
// `high` as the upper 32 bits. Returns the bytes it used.
Result<size_t> AppendBitmap(std::string_view data, uint64_t high, std::vector<uint64_t>& out) {
  size_t used = roaring_bitmap_portable_deserialize_size(data.data(), data.size());
  if (used == 0) return Status::Corruption("deletion vector: malformed 32-bit roaring bitmap");
  std::unique_ptr<roaring_bitmap_t, BitmapDeleter> bitmap(
      roaring_bitmap_portable_deserialize_safe(data.data(), used));
  if (bitmap == nullptr) {
    return Status::Corruption("deletion vector: malformed 32-bit roaring bitmap");
  }
  uint64_t count = roaring_bitmap_get_cardinality(bitmap.get());
  size_t start = out.size();
  out.resize(start + count);
  std::vector<uint32_t> low(count);
  roaring_bitmap_to_uint32_array(bitmap.get(), low.data());
  for (uint64_t i = 0; i < count; ++i) out[start + i] = (high << 32) | low[i];
  return used;
}

}  // namespace

Result<std::vector<uint64_t>> ParseRoaringBitmapArray(std::string_view data) {
  if (data.size() < 4) return Status::Corruption("deletion vector: {} bytes, too short", data.size());
  uint32_t magic_le = LoadLe32(data.data());
  uint32_t magic_be = LoadBe32(data.data());
  std::vector<uint64_t> out;
  if (magic_le == kPortableMagic) {
    if (data.size() < 12) return Status::Corruption("deletion vector: truncated header");
    uint64_t buckets = LoadLe64(data.data() + 4);
    size_t pos = 12;
    int64_t last_key = -1;
    for (uint64_t b = 0; b < buckets; ++b) {
      if (data.size() - pos < 4) {
        return Status::Corruption("deletion vector: truncated at bucket {} of {}", b, buckets);
      }
      uint32_t key = LoadLe32(data.data() + pos);
      pos += 4;
      if (static_cast<int64_t>(key) <= last_key) {
        return Status::Corruption("deletion vector: bucket keys not ascending ({} after {})", key,
                                  last_key);
      }
      last_key = key;
      SILT_ASSIGN_OR_RETURN(size_t used, AppendBitmap(data.substr(pos), key, out));
      pos += used;
    }
    return out;
  }
  if (magic_le == kNativeMagic || magic_be == kNativeMagic) {
    bool big = magic_be == kNativeMagic;
    auto load = [&](size_t at) { return big ? LoadBe32(data.data() + at) : LoadLe32(data.data() + at); };
    if (data.size() < 8) return Status::Corruption("deletion vector: truncated header");
    uint32_t count = load(4);
    size_t pos = 8;
    for (uint32_t key = 0; key < count; ++key) {
      if (data.size() - pos < 4) return Status::Corruption("deletion vector: truncated bitmap");
      uint32_t length = load(pos);
      pos += 4;
      if (data.size() - pos < length) return Status::Corruption("deletion vector: truncated bitmap");
      SILT_ASSIGN_OR_RETURN(size_t used, AppendBitmap(data.substr(pos, length), key, out));
      (void)used;
      pos += length;
    }
    return out;
  }
  return Status::Corruption("deletion vector: unknown magic number {}", magic_le);
}

Result<std::string> ReadDeletionVectorData(fs::FileSystem& fs, std::string_view table_root,
                                           const DeletionVectorDescriptor& dv) {
  if (dv.storage_type == DvStorageType::kInline) {
    return dv.InlineData();
  }
  SILT_ASSIGN_OR_RETURN(std::string path, dv.FilePath(table_root));
  if (dv.size_in_bytes < 0) {
    return Status::Corruption("deletion vector in '{}': negative sizeInBytes", path);
  }
  int64_t offset = dv.OffsetOrDefault();
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<fs::RandomAccessFile> file, fs.OpenRandomAccess(path));
  int64_t total = int64_t{dv.size_in_bytes} + 8;
  if (offset < 0 || offset > file->size() || file->size() - offset < total) {
    return Status::Corruption("deletion vector file '{}' ({} bytes) is too short for {} bytes at "
                              "offset {}", path, file->size(), total, offset);
  }
  SILT_ASSIGN_OR_RETURN(std::string framed, file->ReadAt(offset, total));
  uint32_t size = LoadBe32(framed.data());
  if (size != static_cast<uint32_t>(dv.size_in_bytes)) {
    return Status::Corruption("deletion vector file '{}' at offset {}: size {} but the "
                              "descriptor says {}", path, offset, size, dv.size_in_bytes);
  }
  std::string data = framed.substr(4, size);
  uint32_t expected = LoadBe32(framed.data() + 4 + size);
  uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
  if (static_cast<uint32_t>(crc) != expected) {
    return Status::Corruption("deletion vector file '{}' at offset {}: checksum mismatch", path,
                              offset);
  }
  return data;
}

Result<std::vector<uint64_t>> ReadDeletedRows(fs::FileSystem& fs, std::string_view table_root,
                                              const DeletionVectorDescriptor& dv) {
  SILT_ASSIGN_OR_RETURN(std::string data, ReadDeletionVectorData(fs, table_root, dv));
  Result<std::vector<uint64_t>> rows = ParseRoaringBitmapArray(data);
  if (!rows.ok()) {
    return rows.error().WithContext(fmt::format("deletion vector {}", dv.UniqueId()));
  }
  if (static_cast<int64_t>(rows->size()) != dv.cardinality) {
    return Status::Corruption("deletion vector {} holds {} rows, its cardinality is {}",
                              dv.UniqueId(), rows->size(), dv.cardinality);
  }
  return rows;
}

}  // namespace silt::delta
