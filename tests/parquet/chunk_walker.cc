#include "parquet/chunk_walker.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "silt/parquet/encoding/decoder.h"
#include "silt/parquet/encoding/dictionary.h"
#include "silt/parquet/encoding/levels.h"
#include "silt/parquet/file_metadata.h"
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
  std::string name = fmt::format("{}", fmt::join(leaf.path, "."));
  if (md.type != leaf.type) {
    return Status::Corruption("column {}: metadata type {} but schema type {}", name,
                              PhysicalTypeName(md.type), PhysicalTypeName(leaf.type));
  }
  SILT_ASSIGN_OR_RETURN(ByteRange range, ColumnChunkRange(md, file.size()));
  SILT_ASSIGN_OR_RETURN(std::string bytes, file.ReadAt(range.offset, range.length));
  PageReaderOptions options;
  options.verify_crc = true;
  options.max_uncompressed_page_size = 64 << 20;
  if (md.num_values < 0 || md.num_values > (int64_t{1} << 31)) {
    return Status::Corruption("column {}: num_values {} is out of range", name, md.num_values);
  }
  SILT_ASSIGN_OR_RETURN(auto reader, PageReader::Make(std::move(bytes), md.codec, name, options));
  tally->codecs[CompressionCodecName(md.codec)]++;
  tally->types[PhysicalTypeName(md.type)]++;

  std::unique_ptr<DictionaryDecoder> dictionary;
  std::map<Encoding, std::unique_ptr<ValueDecoder>> decoders;
  std::vector<int16_t> rep, def;
  int64_t level_entries = 0, rows = 0;
  while (true) {
    SILT_ASSIGN_OR_RETURN(std::optional<Page> page, reader->Next());
    if (!page.has_value()) break;
    const PageHeader& h = page->header;
    const uint8_t* data = page->data.data();
    const auto size = static_cast<int64_t>(page->data.size());
    tally->pages++;
    tally->page_types[PageTypeName(h.type)]++;
    if (h.crc.has_value()) tally->crc_checked++;
    if (h.type == PageType::kDictionaryPage) {
      if (dictionary) return Status::Corruption("column {}: second dictionary page", name);
      SILT_ASSIGN_OR_RETURN(dictionary,
                            MakeDictionaryDecoder(leaf.type, leaf.type_length, data, size,
                                                  h.dictionary_page_header->num_values));
      continue;
    }
    if (h.type != PageType::kDataPage && h.type != PageType::kDataPageV2) continue;

    int64_t n = 0, non_null = 0, offset = 0;
    Encoding encoding;
    if (h.type == PageType::kDataPage) {
      const DataPageHeader& dp = *h.data_page_header;
      n = dp.num_values;
      encoding = dp.encoding;
      if (n < 0) return Status::Corruption("negative num_values");
      // The walker sizes its level buffers by the page: bound them by what the chunk declares.
      if (level_entries + n > md.num_values) {
        return Status::Corruption("column {}: pages hold more than the {} values of the chunk",
                                  name, md.num_values);
      }
      rep.resize(static_cast<size_t>(n));
      def.resize(static_cast<size_t>(n));
      SILT_ASSIGN_OR_RETURN(int64_t rep_bytes,
                            DecodeLevelsV1(dp.repetition_level_encoding, leaf.max_repetition_level,
                                           data, size, n, rep.data()));
      offset += rep_bytes;
      SILT_ASSIGN_OR_RETURN(int64_t def_bytes,
                            DecodeLevelsV1(dp.definition_level_encoding, leaf.max_definition_level,
                                           data + offset, size - offset, n, def.data()));
      offset += def_bytes;
      non_null = std::count(def.begin(), def.end(), leaf.max_definition_level);
    } else {
      const DataPageHeaderV2& v2 = *h.data_page_header_v2;
      n = v2.num_values;
      encoding = v2.encoding;
      if (n < 0 || v2.num_nulls < 0 || v2.num_nulls > n) {
        return Status::Corruption("v2 page counts {} / {}", n, v2.num_nulls);
      }
      // The walker sizes its level buffers by the page: bound them by what the chunk declares.
      if (level_entries + n > md.num_values) {
        return Status::Corruption("column {}: pages hold more than the {} values of the chunk",
                                  name, md.num_values);
      }
      rep.resize(static_cast<size_t>(n));
      def.resize(static_cast<size_t>(n));
      SILT_RETURN_NOT_OK(DecodeLevelsV2(leaf.max_repetition_level, data,
                                        v2.repetition_levels_byte_length, n, rep.data()));
      offset = v2.repetition_levels_byte_length;
      SILT_RETURN_NOT_OK(DecodeLevelsV2(leaf.max_definition_level, data + offset,
                                        v2.definition_levels_byte_length, n, def.data()));
      offset += v2.definition_levels_byte_length;
      non_null = n - v2.num_nulls;
      int64_t counted = std::count(def.begin(), def.end(), leaf.max_definition_level);
      // num_nulls counts every entry that is not a leaf value (nulls and empty lists).
      if (counted != non_null) {
        return Status::Corruption("column {}: v2 page says {} values, levels say {}", name,
                                  non_null, counted);
      }
      if (v2.num_rows != std::count(rep.begin(), rep.end(), int16_t{0}) &&
          leaf.max_repetition_level > 0) {
        return Status::Corruption("column {}: v2 page num_rows {} disagrees with the levels",
                                  name, v2.num_rows);
      }
    }
    tally->encodings[EncodingName(encoding)]++;
    rows += leaf.max_repetition_level > 0 ? std::count(rep.begin(), rep.end(), int16_t{0}) : n;
    level_entries += n;

    ValueDecoder* decoder = nullptr;
    if (encoding == Encoding::kPlainDictionary || encoding == Encoding::kRleDictionary) {
      if (!dictionary) return Status::Corruption("column {}: dictionary page missing", name);
      decoder = dictionary.get();
    } else {
      auto& slot = decoders[encoding];
      if (!slot) {
        SILT_ASSIGN_OR_RETURN(slot, MakeValueDecoder(encoding, leaf.type, leaf.type_length));
      }
      decoder = slot.get();
    }
    SILT_RETURN_NOT_OK(decoder->SetData(data + offset, size - offset, non_null));
    SILT_RETURN_NOT_OK(DecodeValues(*decoder, leaf, non_null, sink));
    if (sink) {
      sink->def_levels.insert(sink->def_levels.end(), def.begin(), def.end());
      sink->rep_levels.insert(sink->rep_levels.end(), rep.begin(), rep.end());
    }
    if (decoder->values_left() != 0) return Status::Corruption("values left over");
    tally->values += non_null;
  }
  if (level_entries != md.num_values) {
    return Status::Corruption("column {}: pages hold {} level entries, metadata num_values {}",
                              name, level_entries, md.num_values);
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
      << " column chunks, " << tally.pages << " pages (" << tally.crc_checked
      << " with a CRC, checked), " << tally.values << " values\n";
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
