// The Parquet footer (parquet-format README "File Format"): ... FileMetaData, its 4-byte
// little-endian length, "PAR1". Reading it is the first step of every scan.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "silt/base/result.h"
#include "silt/fs/file_system.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet {

inline constexpr std::string_view kParquetMagic = "PAR1";
inline constexpr std::string_view kEncryptedMagic = "PARE";

// Reads and decodes the footer of `file` (two reads: the last 64 KiB, then the rest of the
// footer if it is longer). kCorruption when the file is too short, the magic bytes are wrong
// or the footer does not decode; kUnsupported for encrypted footers ("PARE"); I/O errors as the
// file returns them.
Result<FileMetaData> ReadFileMetaData(const fs::RandomAccessFile& file);

// Decodes the footer from the whole file's bytes (tests, small files).
Result<FileMetaData> ParseFileMetaData(std::string_view file_bytes);

// Appends "<FileMetaData><4-byte length>PAR1" to `out`.
void AppendFooter(const FileMetaData& metadata, std::string* out);

// The byte range of a column chunk: it starts at the dictionary page when there is one and is
// total_compressed_size long. kCorruption when the range is not inside [4, file_size - 8).
struct ByteRange {
  int64_t offset = 0;
  int64_t length = 0;
};
Result<ByteRange> ColumnChunkRange(const ColumnMetaData& column, int64_t file_size);

}  // namespace silt::parquet
