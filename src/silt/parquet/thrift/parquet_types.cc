#include "silt/parquet/thrift/parquet_types.h"

#include <initializer_list>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "silt/parquet/thrift/compact_protocol.h"

namespace silt::parquet {

using thrift::CompactReader;
using thrift::CompactWriter;
using thrift::CType;

namespace {

template <typename E, size_t N>
std::string EnumName(E value, const std::string_view (&names)[N]) {
  auto i = static_cast<int32_t>(value);
  if (i >= 0 && static_cast<size_t>(i) < N && !names[i].empty()) return std::string(names[i]);
  return fmt::format("UNKNOWN({})", i);
}

}  // namespace

std::string PhysicalTypeName(PhysicalType type) {
  static constexpr std::string_view kNames[] = {
      "BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
  return EnumName(type, kNames);
}

std::string EncodingName(Encoding encoding) {
  static constexpr std::string_view kNames[] = {
      "PLAIN", "GROUP_VAR_INT", "PLAIN_DICTIONARY", "RLE", "BIT_PACKED", "DELTA_BINARY_PACKED",
      "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "RLE_DICTIONARY", "BYTE_STREAM_SPLIT", "ALP"};
  return EnumName(encoding, kNames);
}

std::string CompressionCodecName(CompressionCodec codec) {
  static constexpr std::string_view kNames[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                                "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
  return EnumName(codec, kNames);
}

std::string PageTypeName(PageType type) {
  static constexpr std::string_view kNames[] = {"DATA_PAGE", "INDEX_PAGE", "DICTIONARY_PAGE",
                                                "DATA_PAGE_V2"};
  return EnumName(type, kNames);
}

std::string ConvertedTypeName(ConvertedType type) {
  static constexpr std::string_view kNames[] = {
      "UTF8",   "MAP",    "MAP_KEY_VALUE", "LIST",   "ENUM",   "DECIMAL", "DATE",  "TIME_MILLIS",
      "TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8", "UINT_16", "UINT_32",
      "UINT_64", "INT_8", "INT_16", "INT_32", "INT_64", "JSON", "BSON", "INTERVAL"};
  return EnumName(type, kNames);
}

// ---------------------------------------------------------------------------------------------
// Reading. ReadValue(r, T*) reads one value of T; Fields tracks which field ids were seen so that
// missing required fields are reported. A field whose wire type does not match the IDL is
// skipped, as generated Thrift code does.

namespace {

Status ReadValue(CompactReader& r, bool* out) { return r.ReadBool(out); }
Status ReadValue(CompactReader& r, int8_t* out) { return r.ReadI8(out); }
Status ReadValue(CompactReader& r, int16_t* out) { return r.ReadI16(out); }
Status ReadValue(CompactReader& r, int32_t* out) { return r.ReadI32(out); }
Status ReadValue(CompactReader& r, int64_t* out) { return r.ReadI64(out); }
Status ReadValue(CompactReader& r, double* out) { return r.ReadDouble(out); }
Status ReadValue(CompactReader& r, std::string* out) { return r.ReadBinary(out); }
template <typename E>
  requires std::is_enum_v<E>
Status ReadValue(CompactReader& r, E* out) {
  int32_t v = 0;
  SILT_RETURN_NOT_OK(r.ReadI32(&v));
  *out = static_cast<E>(v);
  return Status::OK();
}

}  // namespace

// Struct readers, defined below (declared here for the templates).
Status ReadValue(CompactReader& r, LogicalType* out);
Status ReadValue(CompactReader& r, SchemaElement* out);
Status ReadValue(CompactReader& r, Statistics* out);
Status ReadValue(CompactReader& r, KeyValue* out);
Status ReadValue(CompactReader& r, PageEncodingStats* out);
Status ReadValue(CompactReader& r, SizeStatistics* out);
Status ReadValue(CompactReader& r, BoundingBox* out);
Status ReadValue(CompactReader& r, GeospatialStatistics* out);
Status ReadValue(CompactReader& r, ColumnMetaData* out);
Status ReadValue(CompactReader& r, ColumnChunk* out);
Status ReadValue(CompactReader& r, SortingColumn* out);
Status ReadValue(CompactReader& r, RowGroup* out);
Status ReadValue(CompactReader& r, ColumnOrder* out);
Status ReadValue(CompactReader& r, FileMetaData* out);
Status ReadValue(CompactReader& r, DataPageHeader* out);
Status ReadValue(CompactReader& r, IndexPageHeader* out);
Status ReadValue(CompactReader& r, DictionaryPageHeader* out);
Status ReadValue(CompactReader& r, DataPageHeaderV2* out);
Status ReadValue(CompactReader& r, PageHeader* out);
Status ReadValue(CompactReader& r, PageLocation* out);
Status ReadValue(CompactReader& r, OffsetIndex* out);
Status ReadValue(CompactReader& r, ColumnIndex* out);
Status ReadValue(CompactReader& r, BloomFilterHeader* out);

namespace {

template <typename T>
struct IsVector : std::false_type {};
template <typename T>
struct IsVector<std::vector<T>> : std::true_type {};
template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <typename T>
constexpr CType CTypeOf() {
  if constexpr (std::is_same_v<T, bool>) return CType::kBool;
  else if constexpr (std::is_same_v<T, int8_t>) return CType::kI8;
  else if constexpr (std::is_same_v<T, int16_t>) return CType::kI16;
  else if constexpr (std::is_same_v<T, int32_t> || std::is_enum_v<T>) return CType::kI32;
  else if constexpr (std::is_same_v<T, int64_t>) return CType::kI64;
  else if constexpr (std::is_same_v<T, double>) return CType::kDouble;
  else if constexpr (std::is_same_v<T, std::string>) return CType::kBinary;
  else if constexpr (IsVector<T>::value) return CType::kList;
  else if constexpr (IsOptional<T>::value) return CTypeOf<typename T::value_type>();
  else return CType::kStruct;
}

template <typename T>
Status ReadList(CompactReader& r, std::vector<T>* out) {
  thrift::ListHeader header{};
  SILT_RETURN_NOT_OK(r.ReadListHeader(&header));
  if (header.element_type != CTypeOf<T>()) {
    return Status::Corruption("thrift: list of {} where a list of {} was expected",
                              thrift::CTypeName(header.element_type),
                              thrift::CTypeName(CTypeOf<T>()));
  }
  out->clear();
  out->reserve(header.size);
  for (uint32_t i = 0; i < header.size; ++i) {
    T element{};
    SILT_RETURN_NOT_OK(ReadValue(r, &element));
    out->push_back(std::move(element));
  }
  return Status::OK();
}

class Fields {
 public:
  explicit Fields(CompactReader& r) : r_(r) {}

  // Reads field `id` of wire type `type` into *out (skips it when the wire type is not T's).
  template <typename T>
  Status Read(int16_t id, CType type, T* out) {
    bool matches = type == CTypeOf<T>() ||
                   (IsVector<T>::value && type == CType::kSet);
    if (!matches) return r_.Skip(type);
    if (id >= 0 && id < 64) seen_ |= uint64_t{1} << id;
    if constexpr (IsVector<T>::value) {
      return ReadList(r_, out);
    } else if constexpr (IsOptional<T>::value) {
      out->emplace();
      return ReadValue(r_, &**out);
    } else {
      return ReadValue(r_, out);
    }
  }
  // Marks a field as seen without reading it (the caller consumed it).
  void Mark(int16_t id) {
    if (id >= 0 && id < 64) seen_ |= uint64_t{1} << id;
  }
  bool Has(int16_t id) const { return id >= 0 && id < 64 && ((seen_ >> id) & 1); }

  Status Require(std::string_view struct_name,
                 std::initializer_list<std::pair<int, std::string_view>> fields) const {
    for (const auto& [id, name] : fields) {
      if (!Has(static_cast<int16_t>(id))) {
        return Status::Corruption("thrift: {} is missing required field {} ({})", struct_name,
                                  id, name);
      }
    }
    return Status::OK();
  }

  CompactReader& reader() { return r_; }

 private:
  CompactReader& r_;
  uint64_t seen_ = 0;
};

// Reads an empty struct (a union member such as StringType{}), skipping anything inside.
Status ReadEmptyStruct(CompactReader& r) {
  return r.ReadStruct([&](int16_t, CType type) { return r.Skip(type); });
}

// Reads a union whose members are all empty structs; *member is the id of the member present.
Status ReadEmptyUnion(CompactReader& r, int32_t* member) {
  *member = 0;
  return r.ReadStruct([&](int16_t id, CType type) -> Status {
    if (type != CType::kStruct) return r.Skip(type);
    *member = id;
    return ReadEmptyStruct(r);
  });
}

}  // namespace

Status ReadValue(CompactReader& r, LogicalType* out) {
  *out = LogicalType{};
  return r.ReadStruct([&](int16_t id, CType type) -> Status {
    if (type != CType::kStruct) return r.Skip(type);
    using Kind = LogicalType::Kind;
    switch (id) {
      case 1: case 2: case 3: case 4: case 6: case 11: case 12: case 13: case 14: case 15:
      case 19:
        out->kind = static_cast<Kind>(id);
        return ReadEmptyStruct(r);
      case 5: {
        out->kind = Kind::kDecimal;
        Fields f(r);
        SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t fid, CType ftype) -> Status {
          switch (fid) {
            case 1: return f.Read(fid, ftype, &out->scale);
            case 2: return f.Read(fid, ftype, &out->precision);
            default: return r.Skip(ftype);
          }
        }));
        return f.Require("DecimalType", {{1, "scale"}, {2, "precision"}});
      }
      case 7:
      case 8: {
        out->kind = static_cast<Kind>(id);
        Fields f(r);
        SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t fid, CType ftype) -> Status {
          switch (fid) {
            case 1: return f.Read(fid, ftype, &out->is_adjusted_to_utc);
            case 2: {
              if (ftype != CType::kStruct) return r.Skip(ftype);
              int32_t member = 0;
              SILT_RETURN_NOT_OK(ReadEmptyUnion(r, &member));
              if (member < 1 || member > 3) {
                return Status::Corruption("thrift: unknown TimeUnit member {}", member);
              }
              out->unit = static_cast<TimeUnit>(member);
              f.Mark(fid);
              return Status::OK();
            }
            default: return r.Skip(ftype);
          }
        }));
        return f.Require(id == 7 ? "TimeType" : "TimestampType",
                         {{1, "isAdjustedToUTC"}, {2, "unit"}});
      }
      case 10: {
        out->kind = Kind::kInteger;
        Fields f(r);
        SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t fid, CType ftype) -> Status {
          switch (fid) {
            case 1: return f.Read(fid, ftype, &out->bit_width);
            case 2: return f.Read(fid, ftype, &out->is_signed);
            default: return r.Skip(ftype);
          }
        }));
        return f.Require("IntType", {{1, "bitWidth"}, {2, "isSigned"}});
      }
      case 16: {
        out->kind = Kind::kVariant;
        Fields f(r);
        return r.ReadStruct([&](int16_t fid, CType ftype) -> Status {
          if (fid == 1) return f.Read(fid, ftype, &out->specification_version);
          return r.Skip(ftype);
        });
      }
      case 17:
      case 18: {
        out->kind = static_cast<Kind>(id);
        Fields f(r);
        return r.ReadStruct([&](int16_t fid, CType ftype) -> Status {
          if (fid == 1) return f.Read(fid, ftype, &out->crs);
          if (fid == 2 && id == 18) return f.Read(fid, ftype, &out->algorithm);
          return r.Skip(ftype);
        });
      }
      default:
        out->kind = Kind::kUnrecognized;
        return r.Skip(type);
    }
  });
}

Status ReadValue(CompactReader& r, SchemaElement* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->type);
      case 2: return f.Read(id, type, &out->type_length);
      case 3: return f.Read(id, type, &out->repetition_type);
      case 4: return f.Read(id, type, &out->name);
      case 5: return f.Read(id, type, &out->num_children);
      case 6: return f.Read(id, type, &out->converted_type);
      case 7: return f.Read(id, type, &out->scale);
      case 8: return f.Read(id, type, &out->precision);
      case 9: return f.Read(id, type, &out->field_id);
      case 10: return f.Read(id, type, &out->logical_type);
      default: return r.Skip(type);
    }
  }));
  return f.Require("SchemaElement", {{4, "name"}});
}

Status ReadValue(CompactReader& r, Statistics* out) {
  Fields f(r);
  return r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->max);
      case 2: return f.Read(id, type, &out->min);
      case 3: return f.Read(id, type, &out->null_count);
      case 4: return f.Read(id, type, &out->distinct_count);
      case 5: return f.Read(id, type, &out->max_value);
      case 6: return f.Read(id, type, &out->min_value);
      case 7: return f.Read(id, type, &out->is_max_value_exact);
      case 8: return f.Read(id, type, &out->is_min_value_exact);
      case 9: return f.Read(id, type, &out->nan_count);
      default: return r.Skip(type);
    }
  });
}

Status ReadValue(CompactReader& r, KeyValue* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->key);
      case 2: return f.Read(id, type, &out->value);
      default: return r.Skip(type);
    }
  }));
  return f.Require("KeyValue", {{1, "key"}});
}

Status ReadValue(CompactReader& r, PageEncodingStats* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->page_type);
      case 2: return f.Read(id, type, &out->encoding);
      case 3: return f.Read(id, type, &out->count);
      default: return r.Skip(type);
    }
  }));
  return f.Require("PageEncodingStats", {{1, "page_type"}, {2, "encoding"}, {3, "count"}});
}

Status ReadValue(CompactReader& r, SizeStatistics* out) {
  Fields f(r);
  return r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->unencoded_byte_array_data_bytes);
      case 2: return f.Read(id, type, &out->repetition_level_histogram);
      case 3: return f.Read(id, type, &out->definition_level_histogram);
      default: return r.Skip(type);
    }
  });
}

Status ReadValue(CompactReader& r, BoundingBox* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->xmin);
      case 2: return f.Read(id, type, &out->xmax);
      case 3: return f.Read(id, type, &out->ymin);
      case 4: return f.Read(id, type, &out->ymax);
      case 5: return f.Read(id, type, &out->zmin);
      case 6: return f.Read(id, type, &out->zmax);
      case 7: return f.Read(id, type, &out->mmin);
      case 8: return f.Read(id, type, &out->mmax);
      default: return r.Skip(type);
    }
  }));
  return f.Require("BoundingBox", {{1, "xmin"}, {2, "xmax"}, {3, "ymin"}, {4, "ymax"}});
}

Status ReadValue(CompactReader& r, GeospatialStatistics* out) {
  Fields f(r);
  return r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->bbox);
      case 2: return f.Read(id, type, &out->geospatial_types);
      default: return r.Skip(type);
    }
  });
}

Status ReadValue(CompactReader& r, ColumnMetaData* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->type);
      case 2: return f.Read(id, type, &out->encodings);
      case 3: return f.Read(id, type, &out->path_in_schema);
      case 4: return f.Read(id, type, &out->codec);
      case 5: return f.Read(id, type, &out->num_values);
      case 6: return f.Read(id, type, &out->total_uncompressed_size);
      case 7: return f.Read(id, type, &out->total_compressed_size);
      case 8: return f.Read(id, type, &out->key_value_metadata);
      case 9: return f.Read(id, type, &out->data_page_offset);
      case 10: return f.Read(id, type, &out->index_page_offset);
      case 11: return f.Read(id, type, &out->dictionary_page_offset);
      case 12: return f.Read(id, type, &out->statistics);
      case 13: return f.Read(id, type, &out->encoding_stats);
      case 14: return f.Read(id, type, &out->bloom_filter_offset);
      case 15: return f.Read(id, type, &out->bloom_filter_length);
      case 16: return f.Read(id, type, &out->size_statistics);
      case 17: return f.Read(id, type, &out->geospatial_statistics);
      default: return r.Skip(type);
    }
  }));
  return f.Require("ColumnMetaData",
                   {{1, "type"}, {2, "encodings"}, {3, "path_in_schema"}, {4, "codec"},
                    {5, "num_values"}, {6, "total_uncompressed_size"},
                    {7, "total_compressed_size"}, {9, "data_page_offset"}});
}

Status ReadValue(CompactReader& r, ColumnChunk* out) {
  Fields f(r);
  return r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->file_path);
      case 2: return f.Read(id, type, &out->file_offset);
      case 3: return f.Read(id, type, &out->meta_data);
      case 4: return f.Read(id, type, &out->offset_index_offset);
      case 5: return f.Read(id, type, &out->offset_index_length);
      case 6: return f.Read(id, type, &out->column_index_offset);
      case 7: return f.Read(id, type, &out->column_index_length);
      case 8:
        out->has_crypto_metadata = true;
        return r.Skip(type);
      case 9: return f.Read(id, type, &out->encrypted_column_metadata);
      default: return r.Skip(type);
    }
  });
  // file_offset is required by the IDL with a default of 0; writers disagree on its meaning, so
  // its absence is tolerated.
}

Status ReadValue(CompactReader& r, SortingColumn* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->column_idx);
      case 2: return f.Read(id, type, &out->descending);
      case 3: return f.Read(id, type, &out->nulls_first);
      default: return r.Skip(type);
    }
  }));
  return f.Require("SortingColumn", {{1, "column_idx"}, {2, "descending"}, {3, "nulls_first"}});
}

Status ReadValue(CompactReader& r, RowGroup* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->columns);
      case 2: return f.Read(id, type, &out->total_byte_size);
      case 3: return f.Read(id, type, &out->num_rows);
      case 4: return f.Read(id, type, &out->sorting_columns);
      case 5: return f.Read(id, type, &out->file_offset);
      case 6: return f.Read(id, type, &out->total_compressed_size);
      case 7: return f.Read(id, type, &out->ordinal);
      default: return r.Skip(type);
    }
  }));
  return f.Require("RowGroup", {{1, "columns"}, {2, "total_byte_size"}, {3, "num_rows"}});
}

Status ReadValue(CompactReader& r, ColumnOrder* out) {
  int32_t member = 0;
  SILT_RETURN_NOT_OK(ReadEmptyUnion(r, &member));
  out->kind = member >= 1 && member <= 3 ? static_cast<ColumnOrder::Kind>(member)
                                         : ColumnOrder::Kind::kUnrecognized;
  return Status::OK();
}

Status ReadValue(CompactReader& r, FileMetaData* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->version);
      case 2: return f.Read(id, type, &out->schema);
      case 3: return f.Read(id, type, &out->num_rows);
      case 4: return f.Read(id, type, &out->row_groups);
      case 5: return f.Read(id, type, &out->key_value_metadata);
      case 6: return f.Read(id, type, &out->created_by);
      case 7: return f.Read(id, type, &out->column_orders);
      case 8:
        out->has_encryption_algorithm = true;
        return r.Skip(type);
      case 9: return f.Read(id, type, &out->footer_signing_key_metadata);
      default: return r.Skip(type);
    }
  }));
  return f.Require("FileMetaData",
                   {{1, "version"}, {2, "schema"}, {3, "num_rows"}, {4, "row_groups"}});
}

Status ReadValue(CompactReader& r, DataPageHeader* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->num_values);
      case 2: return f.Read(id, type, &out->encoding);
      case 3: return f.Read(id, type, &out->definition_level_encoding);
      case 4: return f.Read(id, type, &out->repetition_level_encoding);
      case 5: return f.Read(id, type, &out->statistics);
      default: return r.Skip(type);
    }
  }));
  return f.Require("DataPageHeader", {{1, "num_values"},
                                      {2, "encoding"},
                                      {3, "definition_level_encoding"},
                                      {4, "repetition_level_encoding"}});
}

Status ReadValue(CompactReader& r, IndexPageHeader*) { return ReadEmptyStruct(r); }

Status ReadValue(CompactReader& r, DictionaryPageHeader* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->num_values);
      case 2: return f.Read(id, type, &out->encoding);
      case 3: return f.Read(id, type, &out->is_sorted);
      default: return r.Skip(type);
    }
  }));
  return f.Require("DictionaryPageHeader", {{1, "num_values"}, {2, "encoding"}});
}

Status ReadValue(CompactReader& r, DataPageHeaderV2* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->num_values);
      case 2: return f.Read(id, type, &out->num_nulls);
      case 3: return f.Read(id, type, &out->num_rows);
      case 4: return f.Read(id, type, &out->encoding);
      case 5: return f.Read(id, type, &out->definition_levels_byte_length);
      case 6: return f.Read(id, type, &out->repetition_levels_byte_length);
      case 7: return f.Read(id, type, &out->is_compressed);
      case 8: return f.Read(id, type, &out->statistics);
      default: return r.Skip(type);
    }
  }));
  return f.Require("DataPageHeaderV2",
                   {{1, "num_values"}, {2, "num_nulls"}, {3, "num_rows"}, {4, "encoding"},
                    {5, "definition_levels_byte_length"}, {6, "repetition_levels_byte_length"}});
}

Status ReadValue(CompactReader& r, PageHeader* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->type);
      case 2: return f.Read(id, type, &out->uncompressed_page_size);
      case 3: return f.Read(id, type, &out->compressed_page_size);
      case 4: return f.Read(id, type, &out->crc);
      case 5: return f.Read(id, type, &out->data_page_header);
      case 6: return f.Read(id, type, &out->index_page_header);
      case 7: return f.Read(id, type, &out->dictionary_page_header);
      case 8: return f.Read(id, type, &out->data_page_header_v2);
      default: return r.Skip(type);
    }
  }));
  return f.Require("PageHeader",
                   {{1, "type"}, {2, "uncompressed_page_size"}, {3, "compressed_page_size"}});
}

Status ReadValue(CompactReader& r, PageLocation* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->offset);
      case 2: return f.Read(id, type, &out->compressed_page_size);
      case 3: return f.Read(id, type, &out->first_row_index);
      default: return r.Skip(type);
    }
  }));
  return f.Require("PageLocation",
                   {{1, "offset"}, {2, "compressed_page_size"}, {3, "first_row_index"}});
}

Status ReadValue(CompactReader& r, OffsetIndex* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: return f.Read(id, type, &out->page_locations);
      case 2: return f.Read(id, type, &out->unencoded_byte_array_data_bytes);
      default: return r.Skip(type);
    }
  }));
  return f.Require("OffsetIndex", {{1, "page_locations"}});
}

Status ReadValue(CompactReader& r, ColumnIndex* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    switch (id) {
      case 1: {
        if (type != CType::kList) return r.Skip(type);
        std::vector<bool> pages;
        thrift::ListHeader header{};
        SILT_RETURN_NOT_OK(r.ReadListHeader(&header));
        if (header.element_type != CType::kBool) {
          return Status::Corruption("thrift: ColumnIndex.null_pages is a list of {}",
                                    thrift::CTypeName(header.element_type));
        }
        out->null_pages.assign(header.size, false);
        for (uint32_t i = 0; i < header.size; ++i) {
          bool v = false;
          SILT_RETURN_NOT_OK(r.ReadBool(&v));
          out->null_pages[i] = v;
        }
        f.Mark(id);
        return Status::OK();
      }
      case 2: return f.Read(id, type, &out->min_values);
      case 3: return f.Read(id, type, &out->max_values);
      case 4: return f.Read(id, type, &out->boundary_order);
      case 5: return f.Read(id, type, &out->null_counts);
      case 6: return f.Read(id, type, &out->repetition_level_histograms);
      case 7: return f.Read(id, type, &out->definition_level_histograms);
      case 8: return f.Read(id, type, &out->nan_counts);
      default: return r.Skip(type);
    }
  }));
  return f.Require("ColumnIndex",
                   {{1, "null_pages"}, {2, "min_values"}, {3, "max_values"}, {4, "boundary_order"}});
}

Status ReadValue(CompactReader& r, BloomFilterHeader* out) {
  Fields f(r);
  SILT_RETURN_NOT_OK(r.ReadStruct([&](int16_t id, CType type) -> Status {
    int32_t* member = nullptr;
    switch (id) {
      case 1: return f.Read(id, type, &out->num_bytes);
      case 2: member = &out->algorithm; break;
      case 3: member = &out->hash; break;
      case 4: member = &out->compression; break;
      default: return r.Skip(type);
    }
    if (type != CType::kStruct) return r.Skip(type);
    f.Mark(id);
    return ReadEmptyUnion(r, member);
  }));
  return f.Require("BloomFilterHeader",
                   {{1, "numBytes"}, {2, "algorithm"}, {3, "hash"}, {4, "compression"}});
}

// ---------------------------------------------------------------------------------------------
// Writing.

namespace {


void WriteValue(CompactWriter& w, int8_t v) { w.WriteI8(v); }
void WriteValue(CompactWriter& w, int16_t v) { w.WriteI16(v); }
void WriteValue(CompactWriter& w, int32_t v) { w.WriteI32(v); }
void WriteValue(CompactWriter& w, int64_t v) { w.WriteI64(v); }
void WriteValue(CompactWriter& w, double v) { w.WriteDouble(v); }
void WriteValue(CompactWriter& w, const std::string& v) { w.WriteBinary(v); }
template <typename E>
  requires std::is_enum_v<E>
void WriteValue(CompactWriter& w, E v) {
  w.WriteI32(static_cast<int32_t>(v));
}

}  // namespace

void WriteValue(CompactWriter& w, const LogicalType& v);
void WriteValue(CompactWriter& w, const SchemaElement& v);
void WriteValue(CompactWriter& w, const Statistics& v);
void WriteValue(CompactWriter& w, const KeyValue& v);
void WriteValue(CompactWriter& w, const PageEncodingStats& v);
void WriteValue(CompactWriter& w, const SizeStatistics& v);
void WriteValue(CompactWriter& w, const BoundingBox& v);
void WriteValue(CompactWriter& w, const GeospatialStatistics& v);
void WriteValue(CompactWriter& w, const ColumnMetaData& v);
void WriteValue(CompactWriter& w, const ColumnChunk& v);
void WriteValue(CompactWriter& w, const SortingColumn& v);
void WriteValue(CompactWriter& w, const RowGroup& v);
void WriteValue(CompactWriter& w, const ColumnOrder& v);
void WriteValue(CompactWriter& w, const FileMetaData& v);
void WriteValue(CompactWriter& w, const DataPageHeader& v);
void WriteValue(CompactWriter& w, const IndexPageHeader& v);
void WriteValue(CompactWriter& w, const DictionaryPageHeader& v);
void WriteValue(CompactWriter& w, const DataPageHeaderV2& v);
void WriteValue(CompactWriter& w, const PageHeader& v);
void WriteValue(CompactWriter& w, const PageLocation& v);
void WriteValue(CompactWriter& w, const OffsetIndex& v);
void WriteValue(CompactWriter& w, const ColumnIndex& v);
void WriteValue(CompactWriter& w, const BloomFilterHeader& v);

namespace {

// Writes field `id` = v. Optional fields are written only when set; lists always (callers skip
// empty optional lists with WriteNonEmpty).
template <typename T>
void WriteField(CompactWriter& w, int16_t id, const T& v) {
  if constexpr (IsOptional<T>::value) {
    if (v.has_value()) WriteField(w, id, *v);
  } else if constexpr (std::is_same_v<T, bool>) {
    w.WriteBoolField(id, v);
  } else if constexpr (IsVector<T>::value) {
    using E = typename T::value_type;
    w.WriteFieldHeader(CType::kList, id);
    w.WriteListHeader(CTypeOf<E>(), static_cast<uint32_t>(v.size()));
    for (const auto& e : v) {
      if constexpr (std::is_same_v<E, bool>) {
        w.WriteBool(e);
      } else {
        WriteValue(w, e);
      }
    }
  } else {
    w.WriteFieldHeader(CTypeOf<T>(), id);
    WriteValue(w, v);
  }
}

template <typename T>
void WriteNonEmpty(CompactWriter& w, int16_t id, const std::vector<T>& v) {
  if (!v.empty()) WriteField(w, id, v);
}

// A union member that is an empty struct.
void WriteEmptyMember(CompactWriter& w, int16_t id) {
  w.WriteFieldHeader(CType::kStruct, id);
  w.BeginStruct();
  w.EndStruct();
}

}  // namespace

void WriteValue(CompactWriter& w, const LogicalType& v) {
  using Kind = LogicalType::Kind;
  w.BeginStruct();
  auto id = static_cast<int16_t>(v.kind);
  switch (v.kind) {
    case Kind::kUnrecognized:
      break;
    case Kind::kDecimal:
      w.WriteFieldHeader(CType::kStruct, id);
      w.BeginStruct();
      w.I32Field(1, v.scale);
      w.I32Field(2, v.precision);
      w.EndStruct();
      break;
    case Kind::kTime:
    case Kind::kTimestamp:
      w.WriteFieldHeader(CType::kStruct, id);
      w.BeginStruct();
      w.WriteBoolField(1, v.is_adjusted_to_utc);
      w.WriteFieldHeader(CType::kStruct, 2);
      w.BeginStruct();
      WriteEmptyMember(w, static_cast<int16_t>(v.unit));
      w.EndStruct();
      w.EndStruct();
      break;
    case Kind::kInteger:
      w.WriteFieldHeader(CType::kStruct, id);
      w.BeginStruct();
      WriteField(w, 1, v.bit_width);
      w.WriteBoolField(2, v.is_signed);
      w.EndStruct();
      break;
    case Kind::kVariant:
      w.WriteFieldHeader(CType::kStruct, id);
      w.BeginStruct();
      WriteField(w, 1, v.specification_version);
      w.EndStruct();
      break;
    case Kind::kGeometry:
    case Kind::kGeography:
      w.WriteFieldHeader(CType::kStruct, id);
      w.BeginStruct();
      WriteField(w, 1, v.crs);
      if (v.kind == Kind::kGeography) WriteField(w, 2, v.algorithm);
      w.EndStruct();
      break;
    default:
      WriteEmptyMember(w, id);
      break;
  }
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const SchemaElement& v) {
  w.BeginStruct();
  WriteField(w, 1, v.type);
  WriteField(w, 2, v.type_length);
  WriteField(w, 3, v.repetition_type);
  WriteField(w, 4, v.name);
  WriteField(w, 5, v.num_children);
  WriteField(w, 6, v.converted_type);
  WriteField(w, 7, v.scale);
  WriteField(w, 8, v.precision);
  WriteField(w, 9, v.field_id);
  if (v.logical_type && v.logical_type->kind != LogicalType::Kind::kUnrecognized) {
    WriteField(w, 10, *v.logical_type);
  }
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const Statistics& v) {
  w.BeginStruct();
  WriteField(w, 1, v.max);
  WriteField(w, 2, v.min);
  WriteField(w, 3, v.null_count);
  WriteField(w, 4, v.distinct_count);
  WriteField(w, 5, v.max_value);
  WriteField(w, 6, v.min_value);
  WriteField(w, 7, v.is_max_value_exact);
  WriteField(w, 8, v.is_min_value_exact);
  WriteField(w, 9, v.nan_count);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const KeyValue& v) {
  w.BeginStruct();
  WriteField(w, 1, v.key);
  WriteField(w, 2, v.value);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const PageEncodingStats& v) {
  w.BeginStruct();
  WriteField(w, 1, v.page_type);
  WriteField(w, 2, v.encoding);
  WriteField(w, 3, v.count);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const SizeStatistics& v) {
  w.BeginStruct();
  WriteField(w, 1, v.unencoded_byte_array_data_bytes);
  WriteNonEmpty(w, 2, v.repetition_level_histogram);
  WriteNonEmpty(w, 3, v.definition_level_histogram);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const BoundingBox& v) {
  w.BeginStruct();
  WriteField(w, 1, v.xmin);
  WriteField(w, 2, v.xmax);
  WriteField(w, 3, v.ymin);
  WriteField(w, 4, v.ymax);
  WriteField(w, 5, v.zmin);
  WriteField(w, 6, v.zmax);
  WriteField(w, 7, v.mmin);
  WriteField(w, 8, v.mmax);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const GeospatialStatistics& v) {
  w.BeginStruct();
  WriteField(w, 1, v.bbox);
  WriteNonEmpty(w, 2, v.geospatial_types);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const ColumnMetaData& v) {
  w.BeginStruct();
  WriteField(w, 1, v.type);
  WriteField(w, 2, v.encodings);
  WriteField(w, 3, v.path_in_schema);
  WriteField(w, 4, v.codec);
  WriteField(w, 5, v.num_values);
  WriteField(w, 6, v.total_uncompressed_size);
  WriteField(w, 7, v.total_compressed_size);
  WriteNonEmpty(w, 8, v.key_value_metadata);
  WriteField(w, 9, v.data_page_offset);
  WriteField(w, 10, v.index_page_offset);
  WriteField(w, 11, v.dictionary_page_offset);
  WriteField(w, 12, v.statistics);
  WriteNonEmpty(w, 13, v.encoding_stats);
  WriteField(w, 14, v.bloom_filter_offset);
  WriteField(w, 15, v.bloom_filter_length);
  WriteField(w, 16, v.size_statistics);
  WriteField(w, 17, v.geospatial_statistics);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const ColumnChunk& v) {
  w.BeginStruct();
  WriteField(w, 1, v.file_path);
  WriteField(w, 2, v.file_offset);
  WriteField(w, 3, v.meta_data);
  WriteField(w, 4, v.offset_index_offset);
  WriteField(w, 5, v.offset_index_length);
  WriteField(w, 6, v.column_index_offset);
  WriteField(w, 7, v.column_index_length);
  WriteField(w, 9, v.encrypted_column_metadata);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const SortingColumn& v) {
  w.BeginStruct();
  WriteField(w, 1, v.column_idx);
  WriteField(w, 2, v.descending);
  WriteField(w, 3, v.nulls_first);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const RowGroup& v) {
  w.BeginStruct();
  WriteField(w, 1, v.columns);
  WriteField(w, 2, v.total_byte_size);
  WriteField(w, 3, v.num_rows);
  WriteNonEmpty(w, 4, v.sorting_columns);
  WriteField(w, 5, v.file_offset);
  WriteField(w, 6, v.total_compressed_size);
  WriteField(w, 7, v.ordinal);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const ColumnOrder& v) {
  w.BeginStruct();
  if (v.kind != ColumnOrder::Kind::kUnrecognized) {
    WriteEmptyMember(w, static_cast<int16_t>(v.kind));
  }
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const FileMetaData& v) {
  w.BeginStruct();
  WriteField(w, 1, v.version);
  WriteField(w, 2, v.schema);
  WriteField(w, 3, v.num_rows);
  WriteField(w, 4, v.row_groups);
  WriteNonEmpty(w, 5, v.key_value_metadata);
  WriteField(w, 6, v.created_by);
  WriteNonEmpty(w, 7, v.column_orders);
  WriteField(w, 9, v.footer_signing_key_metadata);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const DataPageHeader& v) {
  w.BeginStruct();
  WriteField(w, 1, v.num_values);
  WriteField(w, 2, v.encoding);
  WriteField(w, 3, v.definition_level_encoding);
  WriteField(w, 4, v.repetition_level_encoding);
  WriteField(w, 5, v.statistics);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const IndexPageHeader&) {
  w.BeginStruct();
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const DictionaryPageHeader& v) {
  w.BeginStruct();
  WriteField(w, 1, v.num_values);
  WriteField(w, 2, v.encoding);
  WriteField(w, 3, v.is_sorted);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const DataPageHeaderV2& v) {
  w.BeginStruct();
  WriteField(w, 1, v.num_values);
  WriteField(w, 2, v.num_nulls);
  WriteField(w, 3, v.num_rows);
  WriteField(w, 4, v.encoding);
  WriteField(w, 5, v.definition_levels_byte_length);
  WriteField(w, 6, v.repetition_levels_byte_length);
  WriteField(w, 7, v.is_compressed);
  WriteField(w, 8, v.statistics);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const PageHeader& v) {
  w.BeginStruct();
  WriteField(w, 1, v.type);
  WriteField(w, 2, v.uncompressed_page_size);
  WriteField(w, 3, v.compressed_page_size);
  WriteField(w, 4, v.crc);
  WriteField(w, 5, v.data_page_header);
  WriteField(w, 6, v.index_page_header);
  WriteField(w, 7, v.dictionary_page_header);
  WriteField(w, 8, v.data_page_header_v2);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const PageLocation& v) {
  w.BeginStruct();
  WriteField(w, 1, v.offset);
  WriteField(w, 2, v.compressed_page_size);
  WriteField(w, 3, v.first_row_index);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const OffsetIndex& v) {
  w.BeginStruct();
  WriteField(w, 1, v.page_locations);
  WriteNonEmpty(w, 2, v.unencoded_byte_array_data_bytes);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const ColumnIndex& v) {
  w.BeginStruct();
  w.WriteFieldHeader(CType::kList, 1);
  w.WriteListHeader(CType::kBool, static_cast<uint32_t>(v.null_pages.size()));
  for (bool b : v.null_pages) w.WriteBool(b);
  WriteField(w, 2, v.min_values);
  WriteField(w, 3, v.max_values);
  WriteField(w, 4, v.boundary_order);
  WriteNonEmpty(w, 5, v.null_counts);
  WriteNonEmpty(w, 6, v.repetition_level_histograms);
  WriteNonEmpty(w, 7, v.definition_level_histograms);
  WriteNonEmpty(w, 8, v.nan_counts);
  w.EndStruct();
}

void WriteValue(CompactWriter& w, const BloomFilterHeader& v) {
  w.BeginStruct();
  WriteField(w, 1, v.num_bytes);
  for (int16_t id = 2; id <= 4; ++id) {
    int32_t member = id == 2 ? v.algorithm : id == 3 ? v.hash : v.compression;
    w.WriteFieldHeader(CType::kStruct, id);
    w.BeginStruct();
    if (member > 0) WriteEmptyMember(w, static_cast<int16_t>(member));
    w.EndStruct();
  }
  w.EndStruct();
}

// ---------------------------------------------------------------------------------------------

template <typename T>
Result<Decoded<T>> DeserializeThrift(std::string_view bytes) {
  CompactReader reader(bytes);
  Decoded<T> decoded{};
  SILT_RETURN_NOT_OK(ReadValue(reader, &decoded.value));
  decoded.size = reader.position();
  return decoded;
}

template <typename T>
void SerializeThrift(const T& value, std::string* out) {
  CompactWriter writer(out);
  WriteValue(writer, value);
}

#define SILT_PARQUET_THRIFT_INSTANTIATE(T)                                  \
  template Result<Decoded<T>> DeserializeThrift<T>(std::string_view bytes); \
  template void SerializeThrift<T>(const T& value, std::string* out);

SILT_PARQUET_THRIFT_INSTANTIATE(LogicalType)
SILT_PARQUET_THRIFT_INSTANTIATE(SchemaElement)
SILT_PARQUET_THRIFT_INSTANTIATE(Statistics)
SILT_PARQUET_THRIFT_INSTANTIATE(KeyValue)
SILT_PARQUET_THRIFT_INSTANTIATE(PageEncodingStats)
SILT_PARQUET_THRIFT_INSTANTIATE(SizeStatistics)
SILT_PARQUET_THRIFT_INSTANTIATE(BoundingBox)
SILT_PARQUET_THRIFT_INSTANTIATE(GeospatialStatistics)
SILT_PARQUET_THRIFT_INSTANTIATE(ColumnMetaData)
SILT_PARQUET_THRIFT_INSTANTIATE(ColumnChunk)
SILT_PARQUET_THRIFT_INSTANTIATE(SortingColumn)
SILT_PARQUET_THRIFT_INSTANTIATE(RowGroup)
SILT_PARQUET_THRIFT_INSTANTIATE(ColumnOrder)
SILT_PARQUET_THRIFT_INSTANTIATE(FileMetaData)
SILT_PARQUET_THRIFT_INSTANTIATE(DataPageHeader)
SILT_PARQUET_THRIFT_INSTANTIATE(IndexPageHeader)
SILT_PARQUET_THRIFT_INSTANTIATE(DictionaryPageHeader)
SILT_PARQUET_THRIFT_INSTANTIATE(DataPageHeaderV2)
SILT_PARQUET_THRIFT_INSTANTIATE(PageHeader)
SILT_PARQUET_THRIFT_INSTANTIATE(PageLocation)
SILT_PARQUET_THRIFT_INSTANTIATE(OffsetIndex)
SILT_PARQUET_THRIFT_INSTANTIATE(ColumnIndex)
SILT_PARQUET_THRIFT_INSTANTIATE(BloomFilterHeader)

#undef SILT_PARQUET_THRIFT_INSTANTIATE

}  // namespace silt::parquet
