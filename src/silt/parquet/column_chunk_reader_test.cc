#include "silt/parquet/column_chunk_reader.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/parquet/encoding/dictionary.h"
#include "silt/parquet/encoding/levels.h"
#include "silt/parquet/encoding/plain.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

LeafColumn OptionalInt64() {
  LeafColumn leaf;
  leaf.path = {"a"};
  leaf.type = PhysicalType::kInt64;
  leaf.max_definition_level = 1;
  return leaf;
}

void AppendPage(PageHeader h, const std::string& body, std::string* chunk) {
  h.uncompressed_page_size = static_cast<int32_t>(body.size());
  h.compressed_page_size = static_cast<int32_t>(body.size());
  SerializeThrift(h, chunk);
  chunk->append(body);
}

void AppendDictionary(const std::vector<int64_t>& values, std::string* chunk) {
  std::string body;
  PlainEncodeInt64(values.data(), static_cast<int64_t>(values.size()), &body);
  PageHeader h;
  h.type = PageType::kDictionaryPage;
  h.dictionary_page_header =
      DictionaryPageHeader{static_cast<int32_t>(values.size()), Encoding::kPlain, std::nullopt};
  AppendPage(h, body, chunk);
}

// v1 page: def levels, then PLAIN values (or dictionary indices).
void AppendV1(const std::vector<int16_t>& def, const std::string& values, Encoding encoding,
              std::string* chunk) {
  std::string body;
  EncodeLevelsV1(def.data(), static_cast<int64_t>(def.size()), 1, &body);
  body += values;
  PageHeader h;
  h.type = PageType::kDataPage;
  h.data_page_header = DataPageHeader{static_cast<int32_t>(def.size()), encoding, Encoding::kRle,
                                      Encoding::kRle, std::nullopt};
  AppendPage(h, body, chunk);
}

void AppendV2(const std::vector<int16_t>& def, const std::string& values, int32_t num_nulls,
              std::string* chunk) {
  std::string levels;
  EncodeLevelsV2(def.data(), static_cast<int64_t>(def.size()), 1, &levels);
  PageHeader h;
  h.type = PageType::kDataPageV2;
  DataPageHeaderV2 v2;
  v2.num_values = static_cast<int32_t>(def.size());
  v2.num_nulls = num_nulls;
  v2.num_rows = static_cast<int32_t>(def.size());
  v2.encoding = Encoding::kPlain;
  v2.definition_levels_byte_length = static_cast<int32_t>(levels.size());
  v2.is_compressed = false;
  h.data_page_header_v2 = v2;
  AppendPage(h, levels + values, chunk);
}

ColumnMetaData Metadata(int64_t num_values) {
  ColumnMetaData md;
  md.type = PhysicalType::kInt64;
  md.path_in_schema = {"a"};
  md.codec = CompressionCodec::kUncompressed;
  md.num_values = num_values;
  return md;
}

std::string Plain(std::vector<int64_t> v) {
  std::string s;
  PlainEncodeInt64(v.data(), static_cast<int64_t>(v.size()), &s);
  return s;
}

TEST(ColumnChunkReaderTest, DictionaryThenMixedPages) {
  std::string chunk;
  AppendDictionary({7, 8, 9}, &chunk);
  std::vector<uint32_t> indices = {2, 0};
  std::string idx;
  EncodeDictionaryIndices(indices.data(), 2, 3, &idx);
  AppendV1({1, 0, 1}, idx, Encoding::kRleDictionary, &chunk);
  AppendV1({0, 1}, Plain({42}), Encoding::kPlain, &chunk);  // fallback to PLAIN
  AppendV2({1, 1, 0, 1}, Plain({1, 2, 3}), 1, &chunk);
  ASSERT_OK_AND_ASSIGN(auto reader, ColumnChunkReader::Make(OptionalInt64(), Metadata(9), chunk));

  std::vector<int64_t> all;
  std::vector<int16_t> defs;
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto page, reader->NextPage());
    if (!page.has_value()) break;
    EXPECT_EQ(page->num_rows, page->num_levels);
    EXPECT_TRUE(page->rep_levels.empty());
    defs.insert(defs.end(), page->def_levels.begin(), page->def_levels.end());
    std::vector<int64_t> v(static_cast<size_t>(page->num_values));
    ASSERT_OK(page->values->DecodeInt64(v.data(), page->num_values));
    all.insert(all.end(), v.begin(), v.end());
  }
  EXPECT_EQ(all, (std::vector<int64_t>{9, 7, 42, 1, 2, 3}));
  EXPECT_EQ(defs, (std::vector<int16_t>{1, 0, 1, 0, 1, 1, 1, 0, 1}));
  EXPECT_EQ(reader->dictionary_size(), 3);
  EXPECT_EQ(reader->levels_read(), 9);
}

TEST(ColumnChunkReaderTest, InconsistentChunksAreCorruption) {
  auto read_all = [](const std::string& chunk, int64_t num_values) -> Status {
    SILT_ASSIGN_OR_RETURN(auto reader,
                          ColumnChunkReader::Make(OptionalInt64(), Metadata(num_values), chunk));
    while (true) {
      SILT_ASSIGN_OR_RETURN(auto page, reader->NextPage());
      if (!page.has_value()) return Status::OK();
    }
  };
  std::string ok;
  AppendV1({1, 1}, Plain({1, 2}), Encoding::kPlain, &ok);
  ASSERT_OK(read_all(ok, 2));
  // Metadata counts more or fewer level entries than the pages hold.
  Status st = read_all(ok, 3);
  ASSERT_STATUS_CODE(kCorruption, st);
  EXPECT_NE(st.message().find("2 level entries, the chunk metadata 3"), std::string::npos) << st;
  ASSERT_STATUS_CODE(kCorruption, read_all(ok, 1));
  // Dictionary-encoded page without a dictionary.
  std::string no_dict;
  AppendV1({1}, std::string("\x00\x02\x00", 3), Encoding::kRleDictionary, &no_dict);
  ASSERT_STATUS_CODE(kCorruption, read_all(no_dict, 1));
  // Dictionary after a data page.
  std::string late = ok;
  AppendDictionary({1}, &late);
  ASSERT_STATUS_CODE(kCorruption, read_all(late, 2));
  // v2 num_nulls disagreeing with the levels.
  std::string v2;
  AppendV2({1, 0, 1}, Plain({1, 2}), 0, &v2);
  ASSERT_STATUS_CODE(kCorruption, read_all(v2, 3));
  // Type mismatch between schema and metadata.
  ColumnMetaData md = Metadata(2);
  md.type = PhysicalType::kInt32;
  ASSERT_STATUS_CODE(kCorruption, ColumnChunkReader::Make(OptionalInt64(), md, ok));
  // Unknown value encoding.
  std::string unknown;
  AppendV1({1}, Plain({1}), static_cast<Encoding>(42), &unknown);
  ASSERT_STATUS_CODE(kUnsupported, read_all(unknown, 1));
}

TEST(ColumnChunkReaderTest, RepeatedColumnCountsRows) {
  LeafColumn leaf;
  leaf.path = {"l", "list", "element"};
  leaf.type = PhysicalType::kInt64;
  leaf.max_definition_level = 3;
  leaf.max_repetition_level = 1;
  // Rows [1,2], null, [], [null, 3].
  std::vector<int16_t> rep = {0, 1, 0, 0, 0, 1};
  std::vector<int16_t> def = {3, 3, 0, 1, 2, 3};
  std::string body;
  EncodeLevelsV1(rep.data(), 6, 1, &body);
  EncodeLevelsV1(def.data(), 6, 3, &body);
  body += Plain({1, 2, 3});
  std::string chunk;
  PageHeader h;
  h.type = PageType::kDataPage;
  h.data_page_header =
      DataPageHeader{6, Encoding::kPlain, Encoding::kRle, Encoding::kRle, std::nullopt};
  AppendPage(h, body, &chunk);
  ASSERT_OK_AND_ASSIGN(auto reader, ColumnChunkReader::Make(leaf, Metadata(6), chunk));
  ASSERT_OK_AND_ASSIGN(auto page, reader->NextPage());
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->num_levels, 6);
  EXPECT_EQ(page->num_values, 3);
  EXPECT_EQ(page->num_rows, 4);
  EXPECT_EQ(std::vector<int16_t>(page->rep_levels.begin(), page->rep_levels.end()), rep);
}

}  // namespace
}  // namespace silt::parquet
