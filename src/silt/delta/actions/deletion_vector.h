// Deletion vector descriptors (PROTOCOL.md "Deletion Vectors"): where the set of deleted rows
// of a data file lives, and the unique id that, with the file path, identifies a logical file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "silt/base/result.h"

namespace silt::delta {

namespace field {
inline constexpr std::string_view kStorageType = "storageType";
inline constexpr std::string_view kPathOrInlineDv = "pathOrInlineDv";
inline constexpr std::string_view kOffset = "offset";
inline constexpr std::string_view kSizeInBytes = "sizeInBytes";  // also sidecar
inline constexpr std::string_view kCardinality = "cardinality";
inline constexpr std::string_view kMaxRowIndex = "maxRowIndex";
}  // namespace field

enum class DvStorageType : char {
  // "u": a file under the table root named by a UUID (optionally behind a random prefix).
  kUuidRelative = 'u',
  // "i": the bitmap itself, Z85-encoded, inline in the descriptor.
  kInline = 'i',
  // "p": an absolute path (URI).
  kAbsolutePath = 'p',
};

// 'u', 'i' or 'p' -> the storage type; anything else is kUnsupported.
Result<DvStorageType> ParseDvStorageType(std::string_view s);

struct DeletionVectorDescriptor {
  DvStorageType storage_type = DvStorageType::kUuidRelative;
  std::string path_or_inline_dv;
  // Byte offset of this DV in its file; absent for inline DVs.
  std::optional<int32_t> offset;
  int32_t size_in_bytes = 0;
  // Number of deleted rows.
  int64_t cardinality = 0;
  // Spark-internal; may appear in Spark-written logs. Kept for faithful round trips.
  std::optional<int64_t> max_row_index;

  // storageType + pathOrInlineDv, plus "@" + offset when offset is present. Together with the
  // file path this identifies a logical file in log replay.
  std::string UniqueId() const;

  // Where the DV is stored, for `u` and `p` descriptors: for `u`,
  // "<table_root>/[<prefix>/]deletion_vector_<uuid>.bin" where the last 20 characters of
  // pathOrInlineDv are the Z85-encoded UUID and the rest is the prefix; for `p`, the
  // percent-decoded absolute path. kInvalidArgument for inline DVs; kCorruption when
  // pathOrInlineDv is malformed.
  Result<std::string> FilePath(std::string_view table_root) const;

  // Byte offset of this DV inside its file. An absent offset reads as 1, right after the file's
  // version byte (what delta-kernel-rs does; PROTOCOL.md's "0" would point at the version byte).
  int32_t OffsetOrDefault() const { return offset.value_or(1); }

  // The serialized bitmap of an inline (`i`) DV: Z85-decoded and trimmed to sizeInBytes.
  // kInvalidArgument for other storage types; kCorruption for malformed data.
  Result<std::string> InlineData() const;

  bool operator==(const DeletionVectorDescriptor&) const = default;
};

}  // namespace silt::delta
