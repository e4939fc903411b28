#include "silt/parquet/page_reader.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

#include "silt/parquet/encoding/delta_binary_packed.h"
#include "silt/parquet/encoding/levels.h"
#include "silt/parquet/encoding/plain.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

std::string Compress(CompressionCodec codec, const std::string& raw) {
  auto c = MakeCodec(codec).ValueOrDie();
  std::vector<uint8_t> out(static_cast<size_t>(c->MaxCompressedLength(raw.size())));
  int64_t n = c->Compress(raw, out).ValueOrDie();
  return std::string(reinterpret_cast<char*>(out.data()), static_cast<size_t>(n));
}

void AppendPage(PageHeader header, const std::string& body, bool with_crc, std::string* chunk) {
  header.compressed_page_size = static_cast<int32_t>(body.size());
  if (with_crc) {
    header.crc = static_cast<int32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
  }
  SerializeThrift(header, chunk);
  chunk->append(body);
}

// A chunk of: dictionary page, v1 data page, index page, v2 data page.
std::string BuildChunk(CompressionCodec codec, bool with_crc, std::string* v1_raw,
                       std::string* v2_values) {
  std::string chunk;
  std::vector<int32_t> dict = {10, 20, 30};
  std::string dict_raw;
  PlainEncodeInt32(dict.data(), 3, &dict_raw);
  PageHeader dh;
  dh.type = PageType::kDictionaryPage;
  dh.uncompressed_page_size = static_cast<int32_t>(dict_raw.size());
  dh.dictionary_page_header = DictionaryPageHeader{3, Encoding::kPlain, std::nullopt};
  AppendPage(dh, Compress(codec, dict_raw), with_crc, &chunk);

  std::vector<int16_t> def = {1, 0, 1, 1};
  v1_raw->clear();
  EncodeLevelsV1(def.data(), 4, 1, v1_raw);
  v1_raw->append("\x02\x03\x24\x00", 4);  // width 2, indices 0,1,2
  PageHeader h1;
  h1.type = PageType::kDataPage;
  h1.uncompressed_page_size = static_cast<int32_t>(v1_raw->size());
  h1.data_page_header = DataPageHeader{4, Encoding::kRleDictionary, Encoding::kRle,
                                       Encoding::kRle, std::nullopt};
  AppendPage(h1, Compress(codec, *v1_raw), with_crc, &chunk);

  PageHeader ih;
  ih.type = PageType::kIndexPage;
  ih.index_page_header = IndexPageHeader{};
  AppendPage(ih, "", with_crc, &chunk);

  std::string levels;
  EncodeLevelsV2(def.data(), 4, 1, &levels);
  std::vector<int64_t> values = {5, 6, 7};
  v2_values->clear();
  DeltaBinaryPackedEncode(values.data(), 3, v2_values);
  PageHeader h2;
  h2.type = PageType::kDataPageV2;
  h2.uncompressed_page_size = static_cast<int32_t>(levels.size() + v2_values->size());
  DataPageHeaderV2 v2;
  v2.num_values = 4;
  v2.num_nulls = 1;
  v2.num_rows = 4;
  v2.encoding = Encoding::kDeltaBinaryPacked;
  v2.definition_levels_byte_length = static_cast<int32_t>(levels.size());
  h2.data_page_header_v2 = v2;
  AppendPage(h2, levels + Compress(codec, *v2_values), with_crc, &chunk);
  return chunk;
}

TEST(PageReaderTest, ReadsEveryPageKindWithEveryCodec) {
  for (CompressionCodec codec :
       {CompressionCodec::kUncompressed, CompressionCodec::kSnappy, CompressionCodec::kGzip,
        CompressionCodec::kZstd, CompressionCodec::kLz4Raw, CompressionCodec::kLz4,
        CompressionCodec::kBrotli}) {
    SCOPED_TRACE(CompressionCodecName(codec));
    std::string v1_raw, v2_values;
    std::string chunk = BuildChunk(codec, true, &v1_raw, &v2_values);
    PageReaderOptions options;
    options.verify_crc = true;
    ASSERT_OK_AND_ASSIGN(auto reader, PageReader::Make(chunk, codec, "col", options));

    ASSERT_OK_AND_ASSIGN(auto dict, reader->Next());
    ASSERT_TRUE(dict.has_value());
    EXPECT_EQ(dict->header.type, PageType::kDictionaryPage);
    ASSERT_EQ(dict->data.size(), 12u);
    EXPECT_EQ(dict->data[4], 20);

    ASSERT_OK_AND_ASSIGN(auto v1, reader->Next());
    ASSERT_TRUE(v1.has_value());
    EXPECT_EQ(std::string(v1->data.begin(), v1->data.end()), v1_raw);

    ASSERT_OK_AND_ASSIGN(auto index, reader->Next());
    ASSERT_TRUE(index.has_value());
    EXPECT_EQ(index->header.type, PageType::kIndexPage);
    EXPECT_TRUE(index->data.empty());

    ASSERT_OK_AND_ASSIGN(auto v2, reader->Next());
    ASSERT_TRUE(v2.has_value());
    EXPECT_EQ(v2->header.type, PageType::kDataPageV2);
    std::string body(v2->data.begin(), v2->data.end());
    EXPECT_EQ(body.substr(body.size() - v2_values.size()), v2_values);

    ASSERT_OK_AND_ASSIGN(auto end, reader->Next());
    EXPECT_FALSE(end.has_value());
    EXPECT_EQ(reader->position(), static_cast<int64_t>(chunk.size()));
  }
}

TEST(PageReaderTest, CrcMismatchIsCorruptionOnlyWhenChecked) {
  std::string v1_raw, v2_values;
  std::string chunk = BuildChunk(CompressionCodec::kUncompressed, true, &v1_raw, &v2_values);
  // Flip a byte of the dictionary page body (its last byte: entry 30 -> 31).
  std::string bad = chunk;
  size_t dict_end = bad.find(std::string("\x1e\x00\x00\x00", 4));
  ASSERT_NE(dict_end, std::string::npos);
  bad[dict_end] = '\x1f';
  PageReaderOptions check;
  check.verify_crc = true;
  ASSERT_OK_AND_ASSIGN(auto reader, PageReader::Make(bad, CompressionCodec::kUncompressed, "c",
                                                     check));
  auto page = reader->Next();
  ASSERT_STATUS_CODE(kCorruption, page);
  EXPECT_NE(page.status().message().find("CRC mismatch"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(auto lenient, PageReader::Make(bad, CompressionCodec::kUncompressed, "c"));
  ASSERT_OK(lenient->Next());
}

TEST(PageReaderTest, MalformedChunksAreCorruption) {
  std::string v1_raw, v2_values;
  std::string chunk = BuildChunk(CompressionCodec::kSnappy, false, &v1_raw, &v2_values);
  // Every truncation fails cleanly (or ends early at a page boundary).
  for (size_t cut = 1; cut < chunk.size(); ++cut) {
    ASSERT_OK_AND_ASSIGN(auto reader,
                         PageReader::Make(chunk.substr(0, cut), CompressionCodec::kSnappy, "c"));
    Status st;
    while (true) {
      auto page = reader->Next();
      if (!page.ok()) {
        st = page.status();
        break;
      }
      if (!page->has_value()) break;
    }
    if (!st.ok()) {
      EXPECT_EQ(st.code(), StatusCode::kCorruption) << cut << ": " << st;
    }
  }
  // An uncompressed size beyond the limit.
  PageHeader huge;
  huge.type = PageType::kDataPage;
  huge.uncompressed_page_size = 1 << 30;
  huge.data_page_header = DataPageHeader{};
  std::string c;
  AppendPage(huge, "x", false, &c);
  PageReaderOptions small;
  small.max_uncompressed_page_size = 1 << 20;
  ASSERT_OK_AND_ASSIGN(auto reader, PageReader::Make(c, CompressionCodec::kSnappy, "c", small));
  ASSERT_STATUS_CODE(kCorruption, reader->Next());
  // A data page without its data_page_header.
  PageHeader bare;
  bare.type = PageType::kDataPage;
  std::string d;
  AppendPage(bare, "", false, &d);
  ASSERT_OK_AND_ASSIGN(auto r2, PageReader::Make(d, CompressionCodec::kUncompressed, "c"));
  ASSERT_STATUS_CODE(kCorruption, r2->Next());
  // Unsupported codec.
  ASSERT_STATUS_CODE(kUnsupported, PageReader::Make(d, CompressionCodec::kLzo, "c"));
}

}  // namespace
}  // namespace silt::parquet
