#include "silt/parquet/page_index.h"

#include <string>

namespace silt::parquet {

namespace {

Result<std::string> ReadBlob(const fs::RandomAccessFile& file, std::optional<int64_t> offset,
                             std::optional<int32_t> length, const char* what) {
  if (!offset.has_value() || !length.has_value() || *offset < 0 || *length < 0 ||
      *offset > file.size() || *length > file.size() - *offset) {
    return Status::Corruption("{}: {} at offset {} with {} bytes lies outside the {}-byte file",
                              file.path(), what, offset.value_or(-1), length.value_or(-1),
                              file.size());
  }
  return file.ReadAt(*offset, *length);
}

}  // namespace

Result<std::optional<OffsetIndex>> ReadOffsetIndex(const fs::RandomAccessFile& file,
                                                   const ColumnChunk& chunk) {
  if (!chunk.offset_index_offset.has_value()) return std::optional<OffsetIndex>();
  SILT_ASSIGN_OR_RETURN(std::string bytes, ReadBlob(file, chunk.offset_index_offset,
                                                    chunk.offset_index_length, "offset index"));
  auto decoded = DeserializeThrift<OffsetIndex>(bytes);
  if (!decoded.ok()) return decoded.status().WithContext(file.path() + ": offset index");
  const OffsetIndex& index = decoded->value;
  for (size_t i = 0; i < index.page_locations.size(); ++i) {
    const PageLocation& p = index.page_locations[i];
    if (p.offset < 0 || p.compressed_page_size <= 0 || p.first_row_index < 0 ||
        (i > 0 && (p.offset <= index.page_locations[i - 1].offset ||
                   p.first_row_index < index.page_locations[i - 1].first_row_index))) {
      return Status::Corruption("{}: offset index page location {} is out of order", file.path(),
                                i);
    }
  }
  return std::optional<OffsetIndex>(std::move(decoded->value));
}

Result<std::optional<ColumnIndex>> ReadColumnIndex(const fs::RandomAccessFile& file,
                                                   const ColumnChunk& chunk) {
  if (!chunk.column_index_offset.has_value()) return std::optional<ColumnIndex>();
  SILT_ASSIGN_OR_RETURN(std::string bytes, ReadBlob(file, chunk.column_index_offset,
                                                    chunk.column_index_length, "column index"));
  auto decoded = DeserializeThrift<ColumnIndex>(bytes);
  if (!decoded.ok()) return decoded.status().WithContext(file.path() + ": column index");
  const ColumnIndex& index = decoded->value;
  const size_t pages = index.null_pages.size();
  if (index.min_values.size() != pages || index.max_values.size() != pages ||
      (!index.null_counts.empty() && index.null_counts.size() != pages)) {
    return Status::Corruption(
        "{}: column index lists disagree: {} null_pages, {} min, {} max, {} null counts",
        file.path(), pages, index.min_values.size(), index.max_values.size(),
        index.null_counts.size());
  }
  return std::optional<ColumnIndex>(std::move(decoded->value));
}

}  // namespace silt::parquet
