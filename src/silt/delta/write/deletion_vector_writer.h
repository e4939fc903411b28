// Writing deletion vectors (PROTOCOL.md "Deletion Vector Format"; digest §10.4-10.6): row
// positions as a RoaringBitmapArray in the portable format, framed in a
// `deletion_vector_<uuid>.bin` file under the table root (version byte 1, then per DV a
// big-endian size, the data, a big-endian CRC-32 of the data), described by `u` descriptors.
// The inverse of scan/deletion_vector_reader.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/delta/actions/deletion_vector.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

// The serialized bitmap of `positions` (ascending, no duplicates): 4-byte little-endian magic
// 1681511377, 8-byte bucket count, then per non-empty bucket (high 32 bits) its key and the
// 32-bit Roaring portable serialization of the low 32 bits.
std::string SerializeRoaringBitmapArray(const std::vector<uint64_t>& positions);

// Collects the DVs of one operation into one file. Not thread-safe.
class DeletionVectorFileWriter {
 public:
  // A writer for a new file <table_root>/deletion_vector_<uuid>.bin (nothing is written before
  // Close()).
  DeletionVectorFileWriter(fs::FileSystem& fs, std::string table_root);

  // Adds a DV for `positions` (ascending, unique) and returns its descriptor (storage type `u`,
  // offset of its size field, sizeInBytes, cardinality). kInvalidArgument for no positions or
  // positions out of order.
  Result<DeletionVectorDescriptor> Add(const std::vector<uint64_t>& positions);

  // Writes the file (durable on OK; PutIfAbsent). No-op when nothing was added.
  Status Close();

  bool empty() const { return dvs_ == 0; }
  // The file's path below the table root.
  const std::string& relative_path() const { return relative_path_; }

 private:
  fs::FileSystem& fs_;
  std::string table_root_;
  std::string uuid_;
  std::string relative_path_;
  std::string encoded_uuid_;
  std::string bytes_;
  int dvs_ = 0;
};

}  // namespace silt::delta
