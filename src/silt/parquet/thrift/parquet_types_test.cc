#include "silt/parquet/thrift/parquet_types.h"

#include <string>

#include <gtest/gtest.h>

#include "silt/parquet/thrift/compact_protocol.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

template <typename T>
T RoundTrip(const T& value) {
  std::string bytes = SerializeThrift(value);
  auto decoded = DeserializeThrift<T>(bytes);
  EXPECT_TRUE(decoded.ok()) << decoded.status();
  if (!decoded.ok()) return T{};
  EXPECT_EQ(decoded->size, bytes.size());
  return decoded->value;
}

TEST(ParquetTypesTest, DecodesSparkDataPageHeader) {
  // A real parquet-mr 1.13.1 data page header (23 bytes).
  std::string bytes = Bytes({0x15, 0x00, 0x15, 0x24, 0x15, 0x28, 0x15, 0x96, 0x88, 0xd8, 0xc8,
                             0x08, 0x1c, 0x15, 0x08, 0x15, 0x00, 0x15, 0x06, 0x15, 0x08, 0x00,
                             0x00});
  ASSERT_OK_AND_ASSIGN(auto decoded, DeserializeThrift<PageHeader>(bytes + "trailing"));
  EXPECT_EQ(decoded.size, 23u);
  const PageHeader& h = decoded.value;
  EXPECT_EQ(h.type, PageType::kDataPage);
  EXPECT_EQ(h.uncompressed_page_size, 18);
  EXPECT_EQ(h.compressed_page_size, 20);
  ASSERT_TRUE(h.crc.has_value());
  ASSERT_TRUE(h.data_page_header.has_value());
  EXPECT_EQ(h.data_page_header->num_values, 4);
  EXPECT_EQ(h.data_page_header->encoding, Encoding::kPlain);
  EXPECT_EQ(h.data_page_header->definition_level_encoding, Encoding::kRle);
  EXPECT_EQ(h.data_page_header->repetition_level_encoding, Encoding::kBitPacked);
  EXPECT_FALSE(h.dictionary_page_header.has_value());
  // Re-encoding gives the same bytes.
  EXPECT_EQ(SerializeThrift(h), bytes);
}

TEST(ParquetTypesTest, DecodesSparkTimestampNtzSchemaElement) {
  std::string name = "col-5a3cb861-0000-0000-0000-000000000000";
  ASSERT_EQ(name.size(), 40u);
  std::string bytes = Bytes({0x15, 0x04, 0x25, 0x02, 0x18, 0x28}) + name +
                      Bytes({0x25, 0x14, 0x35, 0x12, 0x1c, 0x8c, 0x12, 0x1c, 0x2c, 0x00, 0x00,
                             0x00, 0x00, 0x00});
  ASSERT_OK_AND_ASSIGN(auto decoded, DeserializeThrift<SchemaElement>(bytes));
  EXPECT_EQ(decoded.size, bytes.size());
  const SchemaElement& e = decoded.value;
  EXPECT_EQ(e.type, PhysicalType::kInt64);
  EXPECT_EQ(e.repetition_type, FieldRepetitionType::kOptional);
  EXPECT_EQ(e.name, name);
  EXPECT_EQ(e.converted_type, ConvertedType::kTimestampMicros);
  EXPECT_EQ(e.field_id, 9);
  ASSERT_TRUE(e.logical_type.has_value());
  EXPECT_EQ(e.logical_type->kind, LogicalType::Kind::kTimestamp);
  EXPECT_FALSE(e.logical_type->is_adjusted_to_utc);
  EXPECT_EQ(e.logical_type->unit, TimeUnit::kMicros);
  EXPECT_EQ(SerializeThrift(e), bytes);
}

TEST(ParquetTypesTest, DecodesColumnAndOffsetIndex) {
  std::string ci = Bytes({0x19, 0x11, 0x02, 0x19, 0x18, 0x04, 0x01, 0x00, 0x00, 0x00, 0x19, 0x18,
                          0x04, 0x05, 0x00, 0x00, 0x00, 0x15, 0x02, 0x19, 0x16, 0x02, 0x00});
  ASSERT_OK_AND_ASSIGN(auto index, DeserializeThrift<ColumnIndex>(ci));
  EXPECT_EQ(index.value.null_pages, std::vector<bool>{false});
  EXPECT_EQ(index.value.min_values, std::vector<std::string>{Bytes({1, 0, 0, 0})});
  EXPECT_EQ(index.value.max_values, std::vector<std::string>{Bytes({5, 0, 0, 0})});
  EXPECT_EQ(index.value.boundary_order, BoundaryOrder::kAscending);
  EXPECT_EQ(index.value.null_counts, std::vector<int64_t>{1});
  EXPECT_EQ(SerializeThrift(index.value), ci);

  std::string oi = Bytes({0x19, 0x1c, 0x16, 0x08, 0x15, 0x56, 0x16, 0x00, 0x00, 0x00});
  ASSERT_OK_AND_ASSIGN(auto offsets, DeserializeThrift<OffsetIndex>(oi));
  ASSERT_EQ(offsets.value.page_locations.size(), 1u);
  EXPECT_EQ(offsets.value.page_locations[0].offset, 4);
  EXPECT_EQ(offsets.value.page_locations[0].compressed_page_size, 43);
  EXPECT_EQ(offsets.value.page_locations[0].first_row_index, 0);
  EXPECT_EQ(SerializeThrift(offsets.value), oi);
}

TEST(ParquetTypesTest, KeyValueBytes) {
  KeyValue kv{"a", "b"};
  EXPECT_EQ(SerializeThrift(kv), Bytes({0x18, 0x01, 0x61, 0x18, 0x01, 0x62, 0x00}));
  EXPECT_EQ(RoundTrip(kv), kv);
  KeyValue key_only{"k", std::nullopt};
  EXPECT_EQ(RoundTrip(key_only), key_only);
}

TEST(ParquetTypesTest, EveryLogicalTypeRoundTrips) {
  using Kind = LogicalType::Kind;
  std::vector<LogicalType> types;
  for (Kind k : {Kind::kString, Kind::kMap, Kind::kList, Kind::kEnum, Kind::kDate, Kind::kUnknown,
                 Kind::kJson, Kind::kBson, Kind::kUuid, Kind::kFloat16, Kind::kFile}) {
    LogicalType t;
    t.kind = k;
    types.push_back(t);
  }
  LogicalType dec;
  dec.kind = Kind::kDecimal;
  dec.scale = 2;
  dec.precision = 38;
  types.push_back(dec);
  for (Kind k : {Kind::kTime, Kind::kTimestamp}) {
    for (TimeUnit u : {TimeUnit::kMillis, TimeUnit::kMicros, TimeUnit::kNanos}) {
      for (bool utc : {false, true}) {
        LogicalType t;
        t.kind = k;
        t.unit = u;
        t.is_adjusted_to_utc = utc;
        types.push_back(t);
      }
    }
  }
  for (int8_t width : {8, 16, 32, 64}) {
    for (bool is_signed : {false, true}) {
      LogicalType t;
      t.kind = Kind::kInteger;
      t.bit_width = width;
      t.is_signed = is_signed;
      types.push_back(t);
    }
  }
  LogicalType variant;
  variant.kind = Kind::kVariant;
  types.push_back(variant);
  variant.specification_version = 1;
  types.push_back(variant);
  LogicalType geometry;
  geometry.kind = Kind::kGeometry;
  geometry.crs = "OGC:CRS84";
  types.push_back(geometry);
  LogicalType geography;
  geography.kind = Kind::kGeography;
  geography.algorithm = EdgeInterpolationAlgorithm::kKarney;
  types.push_back(geography);

  for (const LogicalType& t : types) {
    EXPECT_EQ(RoundTrip(t), t) << static_cast<int>(t.kind);
  }
}

TEST(ParquetTypesTest, UnknownLogicalTypeMemberIsUnrecognized) {
  // LogicalType { 30: SomeFutureType {} }
  std::string bytes = Bytes({0x0c, 0x3c, 0x00, 0x00});
  ASSERT_OK_AND_ASSIGN(auto decoded, DeserializeThrift<LogicalType>(bytes));
  EXPECT_EQ(decoded.value.kind, LogicalType::Kind::kUnrecognized);
  EXPECT_EQ(decoded.size, bytes.size());
}

FileMetaData SampleFileMetaData() {
  FileMetaData md;
  md.version = 1;
  SchemaElement root;
  root.name = "spark_schema";
  root.num_children = 2;
  SchemaElement a;
  a.name = "a";
  a.type = PhysicalType::kInt64;
  a.repetition_type = FieldRepetitionType::kOptional;
  a.field_id = 1;
  SchemaElement b;
  b.name = "b";
  b.type = PhysicalType::kFixedLenByteArray;
  b.type_length = 16;
  b.repetition_type = FieldRepetitionType::kRequired;
  b.converted_type = ConvertedType::kDecimal;
  b.scale = 3;
  b.precision = 30;
  b.logical_type = LogicalType{};
  b.logical_type->kind = LogicalType::Kind::kDecimal;
  b.logical_type->scale = 3;
  b.logical_type->precision = 30;
  md.schema = {root, a, b};
  md.num_rows = 1000;

  RowGroup rg;
  rg.num_rows = 1000;
  rg.total_byte_size = 12345;
  rg.file_offset = 4;
  rg.total_compressed_size = 9999;
  rg.ordinal = 0;
  rg.sorting_columns = {{0, true, false}, {1, false, true}};
  for (int i = 0; i < 2; ++i) {
    ColumnChunk cc;
    cc.file_offset = 4 + i * 100;
    ColumnMetaData cmd;
    cmd.type = i == 0 ? PhysicalType::kInt64 : PhysicalType::kFixedLenByteArray;
    cmd.encodings = {Encoding::kRle, Encoding::kBitPacked, Encoding::kPlainDictionary};
    cmd.path_in_schema = {i == 0 ? "a" : "b"};
    cmd.codec = CompressionCodec::kZstd;
    cmd.num_values = 1000;
    cmd.total_uncompressed_size = 5000;
    cmd.total_compressed_size = 3000;
    cmd.data_page_offset = 50 + i * 100;
    cmd.dictionary_page_offset = 4 + i * 100;
    Statistics st;
    st.max = std::string("\x05\0\0\0\0\0\0\0", 8);
    st.min = std::string("\x01\0\0\0\0\0\0\0", 8);
    st.null_count = 3;
    st.distinct_count = 17;
    st.max_value = st.max;
    st.min_value = st.min;
    st.is_max_value_exact = true;
    st.is_min_value_exact = false;
    cmd.statistics = st;
    cmd.encoding_stats = {{PageType::kDictionaryPage, Encoding::kPlain, 1},
                          {PageType::kDataPage, Encoding::kRleDictionary, 4}};
    cmd.bloom_filter_offset = 7777;
    cmd.bloom_filter_length = 1024;
    SizeStatistics size;
    size.unencoded_byte_array_data_bytes = 100;
    size.definition_level_histogram = {3, 997};
    cmd.size_statistics = size;
    cmd.key_value_metadata = {{"x", "y"}};
    cc.meta_data = cmd;
    cc.offset_index_offset = 8000 + i;
    cc.offset_index_length = 20;
    cc.column_index_offset = 9000 + i;
    cc.column_index_length = 30;
    rg.columns.push_back(cc);
  }
  md.row_groups = {rg, rg};
  md.key_value_metadata = {{"org.apache.spark.version", "3.5.0"}, {"empty", std::nullopt}};
  md.created_by = "silt version 0.1.0";
  md.column_orders = {ColumnOrder{ColumnOrder::Kind::kTypeOrder},
                      ColumnOrder{ColumnOrder::Kind::kIeee754TotalOrder}};
  return md;
}

TEST(ParquetTypesTest, FileMetaDataRoundTrips) {
  FileMetaData md = SampleFileMetaData();
  EXPECT_EQ(RoundTrip(md), md);
}

TEST(ParquetTypesTest, PageHeadersRoundTrip) {
  PageHeader dict;
  dict.type = PageType::kDictionaryPage;
  dict.uncompressed_page_size = 100;
  dict.compressed_page_size = 80;
  dict.dictionary_page_header = DictionaryPageHeader{12, Encoding::kPlainDictionary, true};
  EXPECT_EQ(RoundTrip(dict), dict);

  PageHeader v2;
  v2.type = PageType::kDataPageV2;
  v2.uncompressed_page_size = 1 << 20;
  v2.compressed_page_size = 1 << 19;
  v2.crc = -12345;
  DataPageHeaderV2 h2;
  h2.num_values = 100;
  h2.num_nulls = 5;
  h2.num_rows = 90;
  h2.encoding = Encoding::kDeltaBinaryPacked;
  h2.definition_levels_byte_length = 10;
  h2.repetition_levels_byte_length = 7;
  h2.is_compressed = false;
  h2.statistics = Statistics{};
  h2.statistics->null_count = 5;
  h2.statistics->nan_count = 1;
  v2.data_page_header_v2 = h2;
  EXPECT_EQ(RoundTrip(v2), v2);

  PageHeader index;
  index.type = PageType::kIndexPage;
  index.index_page_header = IndexPageHeader{};
  EXPECT_EQ(RoundTrip(index), index);
}

TEST(ParquetTypesTest, V2IsCompressedDefaultsToTrue) {
  DataPageHeaderV2 h;
  h.is_compressed = true;
  std::string bytes;
  thrift::CompactWriter w(&bytes);
  w.BeginStruct();
  for (int16_t id = 1; id <= 6; ++id) w.I32Field(id, id == 4 ? 0 : 1);
  w.EndStruct();
  ASSERT_OK_AND_ASSIGN(auto decoded, DeserializeThrift<DataPageHeaderV2>(bytes));
  EXPECT_TRUE(decoded.value.is_compressed);
  EXPECT_EQ(decoded.value.num_rows, 1);
}

TEST(ParquetTypesTest, SmallStructsRoundTrip) {
  BloomFilterHeader bf;
  bf.num_bytes = 4096;
  EXPECT_EQ(RoundTrip(bf), bf);
  GeospatialStatistics geo;
  geo.bbox = BoundingBox{-1.5, 2.5, -3.0, 4.0, std::nullopt, std::nullopt, 0.5, 1.0};
  geo.geospatial_types = {1, 3, 1001};
  EXPECT_EQ(RoundTrip(geo), geo);
  ColumnOrder unknown{ColumnOrder::Kind::kUnrecognized};
  EXPECT_EQ(RoundTrip(unknown), unknown);
}

TEST(ParquetTypesTest, UnknownFieldsAreSkipped) {
  // KeyValue with extra fields 3 (list<struct>), 4 (map), 32767 (binary extension).
  std::string bytes;
  thrift::CompactWriter w(&bytes);
  w.BeginStruct();
  w.BinaryField(1, "k");
  w.WriteFieldHeader(thrift::CType::kList, 3);
  w.WriteListHeader(thrift::CType::kStruct, 1);
  w.BeginStruct();
  w.I64Field(1, 5);
  w.EndStruct();
  w.WriteFieldHeader(thrift::CType::kMap, 4);
  w.WriteMapHeader(thrift::CType::kI32, thrift::CType::kBinary, 1);
  w.WriteI32(1);
  w.WriteBinary("v");
  w.BinaryField(32767, "extension");
  w.EndStruct();
  ASSERT_OK_AND_ASSIGN(auto decoded, DeserializeThrift<KeyValue>(bytes));
  EXPECT_EQ(decoded.value.key, "k");
  EXPECT_FALSE(decoded.value.value.has_value());
  EXPECT_EQ(decoded.size, bytes.size());
}

TEST(ParquetTypesTest, MissingRequiredFieldIsCorruption) {
  FileMetaData md = SampleFileMetaData();
  md.row_groups[0].columns[0].meta_data->path_in_schema.clear();
  std::string bytes;
  thrift::CompactWriter w(&bytes);
  w.BeginStruct();
  w.I32Field(1, 1);
  w.I64Field(3, 10);  // schema (2) and row_groups (4) missing
  w.EndStruct();
  auto decoded = DeserializeThrift<FileMetaData>(bytes);
  ASSERT_STATUS_CODE(kCorruption, decoded);
  EXPECT_NE(decoded.status().message().find("schema"), std::string::npos)
      << decoded.status().message();
}

TEST(ParquetTypesTest, EveryTruncationOfFileMetaDataIsCorruption) {
  std::string bytes = SerializeThrift(SampleFileMetaData());
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    auto decoded = DeserializeThrift<FileMetaData>(std::string_view(bytes).substr(0, cut));
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption) << "cut at " << cut;
  }
}

TEST(ParquetTypesTest, CorruptedBytesNeverCrash) {
  std::string bytes = SerializeThrift(SampleFileMetaData());
  // Flip every byte to a few values; decoding must return (OK or an error) without UB.
  int errors = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int v : {0x00, 0xff, 0x7f, 0x19, 0x1c}) {
      std::string copy = bytes;
      copy[i] = static_cast<char>(v);
      auto decoded = DeserializeThrift<FileMetaData>(copy);
      if (!decoded.ok()) {
        ++errors;
        EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
      }
    }
  }
  EXPECT_GT(errors, 0);
}

TEST(ParquetTypesTest, EnumNames) {
  EXPECT_EQ(EncodingName(Encoding::kRleDictionary), "RLE_DICTIONARY");
  EXPECT_EQ(EncodingName(static_cast<Encoding>(42)), "UNKNOWN(42)");
  EXPECT_EQ(CompressionCodecName(CompressionCodec::kLz4Raw), "LZ4_RAW");
  EXPECT_EQ(PhysicalTypeName(PhysicalType::kFixedLenByteArray), "FIXED_LEN_BYTE_ARRAY");
  EXPECT_EQ(PageTypeName(PageType::kDataPageV2), "DATA_PAGE_V2");
  EXPECT_EQ(ConvertedTypeName(ConvertedType::kInterval), "INTERVAL");
}

}  // namespace
}  // namespace silt::parquet
