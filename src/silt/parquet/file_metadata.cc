#include "silt/parquet/file_metadata.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "silt/parquet/encoding/bit_util.h"

namespace silt::parquet {

namespace {

constexpr int64_t kFooterTail = 8;  // length + magic
constexpr int64_t kSpeculativeRead = 64 * 1024;

// Checks the 8-byte tail and returns the footer length.
Result<int64_t> FooterLength(std::string_view tail, int64_t file_size, const std::string& path) {
  std::string_view magic = tail.substr(4, 4);
  if (magic == kEncryptedMagic) {
    return Status::Unsupported("{}: encrypted Parquet footers are not supported", path);
  }
  if (magic != kParquetMagic) {
    return Status::Corruption("{}: not a Parquet file (no PAR1 magic at the end)", path);
  }
  int64_t length = LoadLE<uint32_t>(reinterpret_cast<const uint8_t*>(tail.data()));
  if (length > file_size - kFooterTail - 4) {
    return Status::Corruption("{}: footer length {} does not fit a {}-byte file", path, length,
                              file_size);
  }
  return length;
}

Result<FileMetaData> Decode(std::string_view footer, const std::string& path) {
  auto decoded = DeserializeThrift<FileMetaData>(footer);
  if (!decoded.ok()) return decoded.status().WithContext(path + ": footer");
  if (decoded->value.has_encryption_algorithm) {
    return Status::Unsupported("{}: encrypted columns are not supported", path);
  }
  return std::move(decoded->value);
}

}  // namespace

Result<FileMetaData> ReadFileMetaData(const fs::RandomAccessFile& file) {
  const int64_t size = file.size();
  if (size < 12) {
    return Status::Corruption("{}: {} bytes is too short for a Parquet file", file.path(), size);
  }
  int64_t first = std::min(size, kSpeculativeRead);
  SILT_ASSIGN_OR_RETURN(std::string tail, file.ReadAt(size - first, first));
  if (static_cast<int64_t>(tail.size()) != first) {
    return Status::IOError("{}: short read of the footer", file.path());
  }
  SILT_ASSIGN_OR_RETURN(int64_t length,
                        FooterLength(std::string_view(tail).substr(tail.size() - 8), size,
                                     file.path()));
  // The head magic: already in hand for small files, one 4-byte read for the others.
  std::string head = first == size ? tail.substr(0, 4) : std::string();
  if (head.empty()) {
    SILT_ASSIGN_OR_RETURN(head, file.ReadAt(0, 4));
  }
  if (head != kParquetMagic && head != kEncryptedMagic) {
    return Status::Corruption("{}: not a Parquet file (no PAR1 magic at the start)", file.path());
  }
  if (length + kFooterTail <= first) {
    return Decode(std::string_view(tail).substr(tail.size() - 8 - length, length), file.path());
  }
  SILT_ASSIGN_OR_RETURN(std::string footer, file.ReadAt(size - kFooterTail - length, length));
  return Decode(footer, file.path());
}

Result<FileMetaData> ParseFileMetaData(std::string_view bytes) {
  const auto size = static_cast<int64_t>(bytes.size());
  if (size < 12) return Status::Corruption("{} bytes is too short for a Parquet file", size);
  if (bytes.substr(0, 4) != kParquetMagic && bytes.substr(0, 4) != kEncryptedMagic) {
    return Status::Corruption("not a Parquet file (no PAR1 magic at the start)");
  }
  SILT_ASSIGN_OR_RETURN(int64_t length, FooterLength(bytes.substr(bytes.size() - 8), size, ""));
  return Decode(bytes.substr(bytes.size() - 8 - length, length), "");
}

void AppendFooter(const FileMetaData& metadata, std::string* out) {
  size_t start = out->size();
  SerializeThrift(metadata, out);
  uint8_t length[4];
  StoreLE(length, static_cast<uint32_t>(out->size() - start));
  out->append(reinterpret_cast<const char*>(length), 4);
  out->append(kParquetMagic);
}

Result<ByteRange> ColumnChunkRange(const ColumnMetaData& column, int64_t file_size) {
  int64_t start = column.data_page_offset;
  if (column.dictionary_page_offset.has_value() && *column.dictionary_page_offset > 0 &&
      *column.dictionary_page_offset < start) {
    start = *column.dictionary_page_offset;
  }
  int64_t length = column.total_compressed_size;
  if (start < 4 || length <= 0 || start > file_size - kFooterTail ||
      length > file_size - kFooterTail - start) {
    return Status::Corruption(
        "column chunk '{}' at offset {} with {} bytes lies outside the {}-byte file",
        fmt::join(column.path_in_schema, "."), start, length, file_size);
  }
  return ByteRange{start, length};
}

}  // namespace silt::parquet
