#include "parquet/test_file_builder.h"

#include <algorithm>
#include <map>
#include <string_view>

#include <zlib.h>

#include "silt/parquet/compression/codec.h"
#include "silt/parquet/encoding/byte_stream_split.h"
#include "silt/parquet/encoding/delta_binary_packed.h"
#include "silt/parquet/encoding/delta_byte_array.h"
#include "silt/parquet/encoding/delta_length_byte_array.h"
#include "silt/parquet/encoding/dictionary.h"
#include "silt/parquet/encoding/levels.h"
#include "silt/parquet/encoding/plain.h"
#include "silt/parquet/encoding/rle_boolean.h"
#include "silt/parquet/file_metadata.h"

namespace silt::parquet::testing {
namespace {

Result<std::string> Compress(Codec& codec, std::string_view raw) {
  std::string out(static_cast<size_t>(codec.MaxCompressedLength(static_cast<int64_t>(raw.size()))),
                  '\0');
  SILT_ASSIGN_OR_RETURN(int64_t n, codec.Compress(raw, std::span<uint8_t>(
                                                           reinterpret_cast<uint8_t*>(out.data()),
                                                           out.size())));
  out.resize(static_cast<size_t>(n));
  return out;
}

// PLAIN (or another non-dictionary encoding) of values [begin, end) of the column.
Status EncodeValues(const TestColumn& c, Encoding encoding, size_t begin, size_t end,
                    std::string* out) {
  const auto n = static_cast<int64_t>(end - begin);
  switch (c.type) {
    case PhysicalType::kBoolean: {
      std::vector<uint8_t> v(c.ints.begin() + begin, c.ints.begin() + end);
      if (encoding == Encoding::kRle) {
        RleEncodeBooleans(v.data(), n, out);
      } else {
        PlainEncodeBooleans(v.data(), n, out);
      }
      return Status::OK();
    }
    case PhysicalType::kInt32: {
      std::vector<int32_t> v(c.ints.begin() + begin, c.ints.begin() + end);
      if (encoding == Encoding::kDeltaBinaryPacked) {
        DeltaBinaryPackedEncode(v.data(), n, out);
      } else if (encoding == Encoding::kByteStreamSplit) {
        ByteStreamSplitEncode(reinterpret_cast<const uint8_t*>(v.data()), n, 4, out);
      } else {
        PlainEncodeInt32(v.data(), n, out);
      }
      return Status::OK();
    }
    case PhysicalType::kInt64: {
      std::vector<int64_t> v(c.ints.begin() + begin, c.ints.begin() + end);
      if (encoding == Encoding::kDeltaBinaryPacked) {
        DeltaBinaryPackedEncode(v.data(), n, out);
      } else if (encoding == Encoding::kByteStreamSplit) {
        ByteStreamSplitEncode(reinterpret_cast<const uint8_t*>(v.data()), n, 8, out);
      } else {
        PlainEncodeInt64(v.data(), n, out);
      }
      return Status::OK();
    }
    case PhysicalType::kFloat: {
      std::vector<float> v(c.doubles.begin() + begin, c.doubles.begin() + end);
      if (encoding == Encoding::kByteStreamSplit) {
        ByteStreamSplitEncode(reinterpret_cast<const uint8_t*>(v.data()), n, 4, out);
      } else {
        PlainEncodeFloat(v.data(), n, out);
      }
      return Status::OK();
    }
    case PhysicalType::kDouble: {
      const double* v = c.doubles.data() + begin;
      if (encoding == Encoding::kByteStreamSplit) {
        ByteStreamSplitEncode(reinterpret_cast<const uint8_t*>(v), n, 8, out);
      } else {
        PlainEncodeDouble(v, n, out);
      }
      return Status::OK();
    }
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray: {
      std::vector<std::string_view> v(c.strings.begin() + begin, c.strings.begin() + end);
      if (encoding == Encoding::kDeltaLengthByteArray) {
        DeltaLengthByteArrayEncode(v.data(), n, out);
      } else if (encoding == Encoding::kDeltaByteArray) {
        DeltaByteArrayEncode(v.data(), n, out);
      } else if (c.type == PhysicalType::kByteArray) {
        PlainEncodeByteArrays(v.data(), n, out);
      } else {
        for (auto s : v) out->append(s);
      }
      return Status::OK();
    }
    default:
      return Status::Unsupported("test builder: type {}", PhysicalTypeName(c.type));
  }
}

}  // namespace

Result<std::string> BuildTestFile(const std::vector<TestColumn>& columns, int64_t num_rows,
                                  const TestFileOptions& options) {
  SILT_ASSIGN_OR_RETURN(auto codec, MakeCodec(options.codec));
  std::string file(kParquetMagic);
  FileMetaData md;
  md.created_by = "silt test builder";
  md.num_rows = num_rows;
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(columns.size());
  md.schema.push_back(root);
  RowGroup rg;
  rg.num_rows = num_rows;

  auto append_page = [&](PageHeader header, const std::string& body) {
    header.compressed_page_size = static_cast<int32_t>(body.size());
    if (options.page_crc) {
      header.crc = static_cast<int32_t>(crc32(
          0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
    }
    std::string h = SerializeThrift(header);
    file += h;
    file += body;
    return static_cast<int64_t>(h.size()) + header.uncompressed_page_size;
  };

  for (const TestColumn& c : columns) {
    SchemaElement e;
    e.name = c.name;
    e.type = c.type;
    if (c.type == PhysicalType::kFixedLenByteArray) e.type_length = c.type_length;
    e.repetition_type = c.optional ? FieldRepetitionType::kOptional : FieldRepetitionType::kRequired;
    e.logical_type = c.logical_type;
    e.converted_type = c.converted_type;
    md.schema.push_back(e);

    ColumnMetaData cmd;
    cmd.type = c.type;
    cmd.path_in_schema = {c.name};
    cmd.codec = options.codec;
    cmd.num_values = num_rows;
    cmd.encodings = {Encoding::kRle, c.encoding};
    const int64_t chunk_start = static_cast<int64_t>(file.size());
    int64_t uncompressed_total = 0;

    // Dictionary: every distinct value, in first-seen order.
    const bool dictionary = c.encoding == Encoding::kRleDictionary;
    std::vector<uint32_t> indices;
    if (dictionary) {
      std::map<std::string, uint32_t> ids_s;
      std::map<int64_t, uint32_t> ids_i;
      TestColumn dict = c;
      dict.ints.clear();
      dict.strings.clear();
      const bool strings = c.type == PhysicalType::kByteArray;
      size_t count = strings ? c.strings.size() : c.ints.size();
      for (size_t i = 0; i < count; ++i) {
        uint32_t id;
        if (strings) {
          auto [it, added] = ids_s.emplace(c.strings[i], static_cast<uint32_t>(ids_s.size()));
          if (added) dict.strings.push_back(c.strings[i]);
          id = it->second;
        } else {
          auto [it, added] = ids_i.emplace(c.ints[i], static_cast<uint32_t>(ids_i.size()));
          if (added) dict.ints.push_back(c.ints[i]);
          id = it->second;
        }
        indices.push_back(id);
      }
      size_t entries = strings ? dict.strings.size() : dict.ints.size();
      std::string raw;
      SILT_RETURN_NOT_OK(EncodeValues(dict, Encoding::kPlain, 0, entries, &raw));
      PageHeader h;
      h.type = PageType::kDictionaryPage;
      h.uncompressed_page_size = static_cast<int32_t>(raw.size());
      h.dictionary_page_header =
          DictionaryPageHeader{static_cast<int32_t>(entries), Encoding::kPlain, std::nullopt};
      cmd.dictionary_page_offset = chunk_start;
      SILT_ASSIGN_OR_RETURN(std::string body, Compress(*codec, raw));
      uncompressed_total += append_page(h, body);
      cmd.encodings.push_back(Encoding::kPlain);
    }
    cmd.data_page_offset = static_cast<int64_t>(file.size());

    size_t value_pos = 0;
    for (int64_t row = 0; row < num_rows; row += options.rows_per_page) {
      const int64_t rows = std::min(options.rows_per_page, num_rows - row);
      std::vector<int16_t> def(static_cast<size_t>(rows), 1);
      int64_t present = rows;
      if (c.optional) {
        present = 0;
        for (int64_t r = 0; r < rows; ++r) {
          def[r] = c.present[row + r] ? 1 : 0;
          present += def[r];
        }
      }
      std::string values;
      if (dictionary) {
        EncodeDictionaryIndices(indices.data() + value_pos, present,
                                static_cast<int64_t>(indices.empty() ? 0 : *std::max_element(
                                                         indices.begin(), indices.end()) + 1),
                                &values);
      } else {
        SILT_RETURN_NOT_OK(EncodeValues(c, c.encoding, value_pos,
                                        value_pos + static_cast<size_t>(present), &values));
      }
      value_pos += static_cast<size_t>(present);
      PageHeader h;
      std::string body;
      if (!options.v2_pages) {
        std::string raw;
        EncodeLevelsV1(def.data(), rows, c.optional ? 1 : 0, &raw);
        raw += values;
        h.type = PageType::kDataPage;
        h.uncompressed_page_size = static_cast<int32_t>(raw.size());
        h.data_page_header = DataPageHeader{static_cast<int32_t>(rows),
                                            dictionary ? Encoding::kRleDictionary : c.encoding,
                                            Encoding::kRle, Encoding::kRle, std::nullopt};
        SILT_ASSIGN_OR_RETURN(body, Compress(*codec, raw));
      } else {
        std::string levels;
        EncodeLevelsV2(def.data(), rows, c.optional ? 1 : 0, &levels);
        h.type = PageType::kDataPageV2;
        h.uncompressed_page_size = static_cast<int32_t>(levels.size() + values.size());
        DataPageHeaderV2 v2;
        v2.num_values = static_cast<int32_t>(rows);
        v2.num_nulls = static_cast<int32_t>(rows - present);
        v2.num_rows = static_cast<int32_t>(rows);
        v2.encoding = dictionary ? Encoding::kRleDictionary : c.encoding;
        v2.definition_levels_byte_length = static_cast<int32_t>(levels.size());
        h.data_page_header_v2 = v2;
        SILT_ASSIGN_OR_RETURN(std::string compressed, Compress(*codec, values));
        body = levels + compressed;
      }
      uncompressed_total += append_page(h, body);
    }
    cmd.total_uncompressed_size = uncompressed_total;
    cmd.total_compressed_size = static_cast<int64_t>(file.size()) - chunk_start;
    ColumnChunk cc;
    cc.file_offset = chunk_start;
    cc.meta_data = cmd;
    rg.columns.push_back(cc);
    rg.total_byte_size += uncompressed_total;
  }
  md.row_groups.push_back(rg);
  md.column_orders.assign(columns.size(), ColumnOrder{ColumnOrder::Kind::kTypeOrder});
  AppendFooter(md, &file);
  return file;
}

}  // namespace silt::parquet::testing
