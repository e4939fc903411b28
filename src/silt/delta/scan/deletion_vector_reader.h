// Reading deletion vectors (PROTOCOL.md "Deletion Vector Format"; digest §10.4-10.6): the
// descriptor's bytes (inline Z85, or a framed range of a `u`/`p` file checked by its size and
// CRC-32), then the RoaringBitmapArray payload into sorted row positions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/delta/actions/deletion_vector.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

// The serialized bitmap (magic + buckets) of `dv`. Inline: Z85-decoded. `u`/`p`: read at the
// descriptor's offset from its file under `table_root`: a 4-byte big-endian size that must
// equal sizeInBytes, the data, a 4-byte big-endian CRC-32 of the data. kCorruption names the
// DV file for a size or checksum mismatch; kNotFound when the file is missing.
Result<std::string> ReadDeletionVectorData(fs::FileSystem& fs, std::string_view table_root,
                                           const DeletionVectorDescriptor& dv);

// The row positions of a serialized RoaringBitmapArray, ascending. Accepts the portable format
// (magic 1681511377) and the native one (1681511376, either byte order). kCorruption for
// malformed data.
Result<std::vector<uint64_t>> ParseRoaringBitmapArray(std::string_view data);

// Both steps, checking that the number of positions equals the descriptor's cardinality.
Result<std::vector<uint64_t>> ReadDeletedRows(fs::FileSystem& fs, std::string_view table_root,
                                              const DeletionVectorDescriptor& dv);

}  // namespace silt::delta
