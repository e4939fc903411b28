#include "parquet/chunk_walker.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "silt/parquet/column_chunk_reader.h"
#include "silt/parquet/encoding/decoder.h"
#include "silt/parquet/encoding/dictionary.h"
#include "silt/parquet/encoding/levels.h"
#include "silt/parquet/file_metadata.h"
#include "silt/parquet/page_index.h"
#include "silt/parquet/page_reader.h"
#include "silt/parquet/schema.h"

namespace silt::parquet::testing {
namespace {

Status DecodeValues(ValueDecoder& decoder, const LeafColumn& leaf, int64_t n,
                    ColumnValues* sink) {
  switch (leaf.type) {
    case PhysicalType::kBoolean: {
      std::vector<uint8_t> out(static_cast<size_t>(n));
      SILT_RETURN_NOT_OK(decoder.DecodeBooleans(out.data(), n));
      for (uint8_t b : out) {
        if (b > 1) return Status::Corruption("boolean value {}", b);
        if (sink) sink->ints.push_back(b);
      }
      return Status::OK();
    }
    case PhysicalType::kInt32: {
      std::vector<int32_t> out(static_cast<size_t>(n));
      SILT_RETURN_NOT_OK(decoder.DecodeInt32(out.data(), n));
      if (sink) sink->ints.insert(sink->ints.end(), out.begin(), out.end());
      return Status::OK();
    }
    case PhysicalType::kInt64: {
      std::vector<int64_t> out(static_cast<size_t>(n));
      SILT_RETURN_NOT_OK(decoder.DecodeInt64(out.data(), n));
      if (sink) sink->ints.insert(sink->ints.end(), out.begin(), out.end());
      return Status::OK();
    }
    case PhysicalType::kInt96: {
      std::vector<Int96> out(static_cast<size_t>(n));
      SILT_RETURN_NOT_OK(decoder.DecodeInt96(out.data(), n));
      for (const Int96& v : out) {
        if (sink) SILT_RETURN_NOT_OK(sink->bytes.Append(v.bytes, 12));
      }
      return Status::OK();
    }
    case PhysicalType::kFloat: {
      std::vector<float> out(static_cast<size_t>(n));
      SILT_RETURN_NOT_OK(decoder.DecodeFloat(out.data(), n));
      if (sink) sink->doubles.insert(sink->doubles.end(), out.begin(), out.end());
      return Status::OK();
    }
    case PhysicalType::kDouble: {
      std::vector<double> out(static_cast<size_t>(n));
      SILT_RETURN_NOT_OK(decoder.DecodeDouble(out.data(), n));
      if (sink) sink->doubles.insert(sink->doubles.end(), out.begin(), out.end());
      return Status::OK();
    }
    case PhysicalType::kByteArray: {
      ByteArrayBuffer out;
      // Two batches, to exercise decoders that carry state between calls.
      SILT_RETURN_NOT_OK(decoder.DecodeByteArrays(n / 2, &out));
      SILT_RETURN_NOT_OK(decoder.DecodeByteArrays(n - n / 2, &out));
      if (out.size() != n) return Status::Corruption("decoded {} byte arrays of {}", out.size(), n);
      for (int64_t i = 0; sink && i < n; ++i) SILT_RETURN_NOT_OK(sink->bytes.Append(out.value(i)));
      return Status::OK();
    }
    case PhysicalType::kFixedLenByteArray: {
      std::vector<uint8_t> out(static_cast<size_t>(n * leaf.type_length));
      SILT_RETURN_NOT_OK(decoder.DecodeFixedLenByteArrays(out.data(), n));
      for (int64_t i = 0; sink && i < n; ++i) {
        SILT_RETURN_NOT_OK(sink->bytes.Append(out.data() + i * leaf.type_length, leaf.type_length));
      }
      return Status::OK();
    }
  }
  return Status::Unsupported("physical type {}", static_cast<int>(leaf.type));
}

Status WalkChunk(fs::RandomAccessFile& file, const ColumnChunk& chunk, const LeafColumn& leaf,
                 int64_t row_group_rows, Tally* tally, ColumnValues* sink) {
  if (!chunk.meta_data.has_value()) return Status::Corruption("column chunk without meta_data");
  const ColumnMetaData& md = *chunk.meta_data;
  SILT_ASSIGN_OR_RETURN(ByteRange range, ColumnChunkRange(md, file.size()));
  SILT_ASSIGN_OR_RETURN(std::string bytes, file.ReadAt(range.offset, range.length));
  PageReaderOptions options;
  options.verify_crc = true;
  options.max_uncompressed_page_size = 64 << 20;
  SILT_ASSIGN_OR_RETURN(auto reader,
                        ColumnChunkReader::Make(leaf, md, std::move(bytes), options));
  tally->codecs[CompressionCodecName(md.codec)]++;
  tally->types[PhysicalTypeName(md.type)]++;
  int64_t rows = 0;
  std::vector<PageLocation> locations;  // what the pages really are
  std::vector<int64_t> page_nulls;
  while (true) {
    SILT_ASSIGN_OR_RETURN(std::optional<DecodedPage> page, reader->NextPage());
    if (!page.has_value()) break;
    locations.push_back(PageLocation{range.offset + page->chunk_offset,
                                     static_cast<int32_t>(page->stored_size), rows});
    page_nulls.push_back(page->num_levels - page->num_values);
    tally->pages++;
    tally->page_types[PageTypeName(page->type)]++;
    tally->encodings[EncodingName(page->encoding)]++;
    rows += page->num_rows;
    SILT_RETURN_NOT_OK(DecodeValues(*page->values, leaf, page->num_values, sink));
    if (page->values->values_left() != 0) return Status::Corruption("values left over");
    tally->values += page->num_values;
    if (sink) {
      if (page->def_levels.empty()) {
        sink->def_levels.insert(sink->def_levels.end(), static_cast<size_t>(page->num_levels),
                                0);
      } else {
        sink->def_levels.insert(sink->def_levels.end(), page->def_levels.begin(),
                                page->def_levels.end());
      }
      if (page->rep_levels.empty()) {
        sink->rep_levels.insert(sink->rep_levels.end(), static_cast<size_t>(page->num_levels),
                                0);
      } else {
        sink->rep_levels.insert(sink->rep_levels.end(), page->rep_levels.begin(),
                                page->rep_levels.end());
      }
    }
  }
  if (reader->dictionary_size().has_value()) tally->page_types["DICTIONARY_PAGE"]++;
  // The page index, where the writer left one, must describe exactly these pages.
  std::string name = fmt::format("{}", fmt::join(leaf.path, "."));
  SILT_ASSIGN_OR_RETURN(std::optional<OffsetIndex> offsets, ReadOffsetIndex(file, chunk));
  if (offsets.has_value()) {
    tally->offset_indexes++;
    if (offsets->page_locations != locations) {
      return Status::Corruption("column {}: offset index ({} pages) does not match the pages ({})",
                                name, offsets->page_locations.size(), locations.size());
    }
  }
  SILT_ASSIGN_OR_RETURN(std::optional<ColumnIndex> index, ReadColumnIndex(file, chunk));
  if (index.has_value()) {
    tally->column_indexes++;
    if (index->null_pages.size() != locations.size()) {
      return Status::Corruption("column {}: column index has {} pages, the chunk {}", name,
                                index->null_pages.size(), locations.size());
    }
    if (leaf.max_repetition_level == 0 && !index->null_counts.empty() &&
        index->null_counts != page_nulls) {
      return Status::Corruption("column {}: column index null counts disagree with the pages",
                                name);
    }
  }
  if (rows != row_group_rows) {
    return Status::Corruption("column {}: pages hold {} rows, the row group {}", name, rows,
                              row_group_rows);
  }
  return Status::OK();
}

}  // namespace

Status WalkFile(fs::FileSystem& fs, const std::string& path, Tally* tally, int leaf_index,
                ColumnValues* values) {
  SILT_ASSIGN_OR_RETURN(auto file, fs.OpenRandomAccess(path));
  SILT_ASSIGN_OR_RETURN(FileMetaData md, ReadFileMetaData(*file));
  SILT_ASSIGN_OR_RETURN(std::vector<LeafColumn> leaves, ComputeLeafColumns(md.schema));
  std::string writer = md.created_by.value_or("(none)");
  tally->writers[writer.substr(0, writer.find(" version"))]++;
  tally->files++;
  int64_t rows = 0;
  for (const RowGroup& rg : md.row_groups) {
    tally->row_groups++;
    if (rg.columns.size() != leaves.size()) {
      return Status::Corruption("row group has {} columns, schema {} leaves", rg.columns.size(),
                                leaves.size());
    }
    for (size_t c = 0; c < leaves.size(); ++c) {
      tally->chunks++;
      ColumnValues* sink = static_cast<int>(c) == leaf_index ? values : nullptr;
      SILT_RETURN_NOT_OK(WalkChunk(*file, rg.columns[c], leaves[c], rg.num_rows, tally, sink));
    }
    rows += rg.num_rows;
  }
  if (rows != md.num_rows) {
    return Status::Corruption("row groups hold {} rows, footer num_rows {}", rows, md.num_rows);
  }
  return Status::OK();
}

std::string FormatTally(const Tally& tally) {
  std::ostringstream out;
  out << tally.files << " files, " << tally.row_groups << " row groups, " << tally.chunks
      << " column chunks, " << tally.pages << " data pages (CRCs checked where present), "
      << tally.values << " values; " << tally.offset_indexes << " offset indexes and "
      << tally.column_indexes << " column indexes matched against the pages\n";
  auto print = [&](const char* what, const std::map<std::string, int64_t>& m) {
    out << "  " << what << ":";
    for (const auto& [k, v] : m) out << " " << k << "=" << v;
    out << "\n";
  };
  print("writers", tally.writers);
  print("codecs (chunks)", tally.codecs);
  print("physical types (chunks)", tally.types);
  print("page types", tally.page_types);
  print("value encodings (data pages)", tally.encodings);
  return out.str();
}

}  // namespace silt::parquet::testing
