// The page index of a column chunk (parquet-format PageIndex.md): the OffsetIndex (where each
// data page starts, its size with header, its first row) and the ColumnIndex (per-page min/max,
// null pages, null counts), stored outside the row groups and located through ColumnChunk.
#pragma once

#include <optional>

#include "silt/base/result.h"
#include "silt/fs/file_system.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet {

// nullopt when the chunk has no offset index. kCorruption when the location lies outside the
// file or the bytes do not decode, or page locations are not ascending.
Result<std::optional<OffsetIndex>> ReadOffsetIndex(const fs::RandomAccessFile& file,
                                                   const ColumnChunk& chunk);

// nullopt when the chunk has no column index. kCorruption when the location lies outside the
// file, the bytes do not decode, or the per-page lists disagree in length.
Result<std::optional<ColumnIndex>> ReadColumnIndex(const fs::RandomAccessFile& file,
                                                   const ColumnChunk& chunk);

}  // namespace silt::parquet
