#include "silt/delta/write/deletion_vector_writer.h"

#include <roaring/roaring.h>
#include <zlib.h>

#include <cstring>

#include "silt/base/uuid.h"
#include "silt/delta/actions/z85.h"

namespace silt::delta {

namespace {

constexpr uint32_t kPortableMagic = 1681511377;

void AppendLe32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void AppendLe64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void AppendBe32(std::string& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// The 16 bytes of a canonical UUID text, in order.
std::string UuidBytes(std::string_view uuid) {
  std::string out;
  for (size_t i = 0; i + 1 < uuid.size(); ++i) {
    if (uuid[i] == '-') continue;
    out.push_back(static_cast<char>(HexValue(uuid[i]) * 16 + HexValue(uuid[i + 1])));
    ++i;
  }
  return out;
}

}  // namespace

std::string SerializeRoaringBitmapArray(const std::vector<uint64_t>& positions) {
  std::string out;
  AppendLe32(out, kPortableMagic);
  // Buckets by the high 32 bits.
  std::vector<std::pair<uint32_t, std::vector<uint32_t>>> buckets;
  for (uint64_t p : positions) {
    auto high = static_cast<uint32_t>(p >> 32);
    if (buckets.empty() || buckets.back().first != high) buckets.push_back({high, {}});
    buckets.back().second.push_back(static_cast<uint32_t>(p));
  }
  AppendLe64(out, buckets.size());
  for (const auto& [key, low] : buckets) {
    AppendLe32(out, key);
    roaring_bitmap_t* bitmap = roaring_bitmap_create();
    roaring_bitmap_add_many(bitmap, low.size(), low.data());
    size_t size = roaring_bitmap_portable_size_in_bytes(bitmap);
    size_t at = out.size();
    out.resize(at + size);
    roaring_bitmap_portable_serialize(bitmap, out.data() + at);
    roaring_bitmap_free(bitmap);
  }
  return out;
}

DeletionVectorFileWriter::DeletionVectorFileWriter(fs::FileSystem& fs, std::string table_root)
    : fs_(fs), table_root_(std::move(table_root)), uuid_(NewUuid()) {
  relative_path_ = "deletion_vector_" + uuid_ + ".bin";
  encoded_uuid_ = EncodeZ85(UuidBytes(uuid_));
  bytes_.push_back('\x01');  // format version
}

Result<DeletionVectorDescriptor> DeletionVectorFileWriter::Add(
    const std::vector<uint64_t>& positions) {
  if (positions.empty()) return Status::InvalidArgument("a deletion vector needs a position");
  for (size_t i = 1; i < positions.size(); ++i) {
    if (positions[i] <= positions[i - 1]) {
      return Status::InvalidArgument("deletion vector positions must ascend: {} after {}",
                                     positions[i], positions[i - 1]);
    }
  }
  std::string data = SerializeRoaringBitmapArray(positions);
  DeletionVectorDescriptor dv;
  dv.storage_type = DvStorageType::kUuidRelative;
  dv.path_or_inline_dv = encoded_uuid_;
  dv.offset = static_cast<int32_t>(bytes_.size());
  dv.size_in_bytes = static_cast<int32_t>(data.size());
  dv.cardinality = static_cast<int64_t>(positions.size());
  AppendBe32(bytes_, static_cast<uint32_t>(data.size()));
  bytes_ += data;
  uLong crc =
      crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
  AppendBe32(bytes_, static_cast<uint32_t>(crc));
  ++dvs_;
  return dv;
}

Status DeletionVectorFileWriter::Close() {
  if (dvs_ == 0) return Status::OK();
  return fs_.PutIfAbsent(fs::JoinPath(table_root_, relative_path_), bytes_);
}

}  // namespace silt::delta
