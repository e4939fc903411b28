// Broken Parquet files made at run time from a small valid file written by our FileWriter: each
// is opened and read to the end with FileReader and must fail with kCorruption, with a message
// that names the file and says what is wrong (DuckDB's broken_structure tests do the same with
// checked-in files). Runs under AddressSanitizer and UBSan: no crash, no read outside the file.
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/columnar/builder.h"
#include "silt/fs/local_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "silt/parquet/file_metadata.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/thrift/parquet_types.h"
#include "silt/parquet/writer/file_writer.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::parquet {
namespace {

namespace col = silt::columnar;

constexpr int64_t kRows = 200;

// id: int64 = 0..n-1; kind: string, 10 distinct values (dictionary encoded, no levels);
// note: string, null every 3rd row (definition levels, dictionary encoded).
col::SchemaPtr EventSchema() {
  return col::Schema::Make({col::Field("id", col::Int64(), false),
                            col::Field("kind", col::String(), false),
                            col::Field("note", col::String(), true)});
}

Result<col::RecordBatchPtr> EventBatch() {
  SILT_ASSIGN_OR_RETURN(auto builder, col::RecordBatchBuilder::Make(EventSchema()));
  auto* ids = builder->GetFieldAs<col::Int64Builder>(0);
  auto* kinds = builder->GetFieldAs<col::StringBuilder>(1);
  auto* notes = builder->GetFieldAs<col::StringBuilder>(2);
  for (int64_t i = 0; i < kRows; ++i) {
    SILT_RETURN_NOT_OK(ids->Append(i));
    SILT_RETURN_NOT_OK(kinds->Append("kind-" + std::to_string(i % 10)));
    if (i % 3 == 0) {
      SILT_RETURN_NOT_OK(notes->AppendNull());
    } else {
      SILT_RETURN_NOT_OK(notes->Append("note " + std::to_string(i % 7)));
    }
  }
  return builder->Flush();
}

// Opens `path` and reads every batch; the first error, or OK.
Status ReadAll(fs::FileSystem& fs, const std::string& path) {
  SILT_ASSIGN_OR_RETURN(auto reader, FileReader::Open(fs, path));
  int64_t rows = 0;
  while (true) {
    SILT_ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) break;
    rows += (*batch)->num_rows();
  }
  if (rows != reader->num_rows()) {
    return Status::Internal("read {} rows, the footer says {}", rows, reader->num_rows());
  }
  return Status::OK();
}

// Where the pages of one column chunk lie in the file.
struct PageAt {
  int64_t offset = 0;       // of the header
  int64_t header_size = 0;  // bytes of the Thrift header
  PageHeader header;
  int64_t body() const { return offset + header_size; }
};

class BrokenInputTest : public ::testing::TestWithParam<CompressionCodec> {
 protected:
  void SetUp() override {
    ASSERT_OK(local_.CreateDir(dir_.Join("broken")));
    WriterOptions options;
    options.codec = GetParam();
    // No page CRCs: the structural checks must catch every lie on their own.
    options.page_checksum = false;
    ASSERT_OK_AND_ASSIGN(auto writer,
                         FileWriter::Open(local_, Path("valid"), EventSchema(), options));
    ASSERT_OK_AND_ASSIGN(auto batch, EventBatch());
    ASSERT_OK(writer->WriteBatch(*batch));
    ASSERT_OK(writer->Close());
    ASSERT_OK_AND_ASSIGN(valid_, local_.ReadFile(Path("valid")));
    ASSERT_OK(ReadAll(local_, Path("valid")));
    ASSERT_OK_AND_ASSIGN(metadata_, ParseFileMetaData(valid_));
    ASSERT_EQ(metadata_.row_groups.size(), 1u);
    ASSERT_EQ(metadata_.row_groups[0].columns.size(), 3u);
  }

  std::string Path(const std::string& name) const {
    return dir_.Join("broken/" + name + ".parquet");
  }

  // Writes `bytes` as broken/<name>.parquet, reads it fully and checks for kCorruption with a
  // message naming the file and containing `what`.
  void ExpectCorruption(const std::string& name, const std::string& bytes,
                        const std::string& what) {
    SCOPED_TRACE(name);
    const std::string path = Path(name);
    ASSERT_OK(local_.Put(path, bytes));
    Status st = ReadAll(local_, path);
    EXPECT_EQ(st.code(), StatusCode::kCorruption) << st;
    EXPECT_NE(st.message().find(path), std::string::npos) << "message lacks the path: " << st;
    EXPECT_NE(st.message().find(what), std::string::npos)
        << "message lacks '" << what << "': " << st;
  }

  // The file with its footer replaced by `metadata` (the data pages stay where they are).
  std::string WithFooter(const FileMetaData& metadata) const {
    const int64_t size = static_cast<int64_t>(valid_.size());
    uint32_t length = 0;
    std::memcpy(&length, valid_.data() + size - 8, 4);
    std::string out = valid_.substr(0, static_cast<size_t>(size - 8 - length));
    AppendFooter(metadata, &out);
    return out;
  }

  int64_t FooterStart() const {
    uint32_t length = 0;
    std::memcpy(&length, valid_.data() + valid_.size() - 8, 4);
    return static_cast<int64_t>(valid_.size()) - 8 - length;
  }

  // The pages of column `column` of the (only) row group.
  std::vector<PageAt> Pages(int column) const {
    const ColumnMetaData& md = *metadata_.row_groups[0].columns[static_cast<size_t>(column)].meta_data;
    auto range = ColumnChunkRange(md, static_cast<int64_t>(valid_.size()));
    EXPECT_TRUE(range.ok()) << range.status();
    std::vector<PageAt> pages;
    if (!range.ok()) return pages;
    int64_t pos = range->offset;
    while (pos < range->offset + range->length) {
      auto decoded = DeserializeThrift<PageHeader>(std::string_view(valid_).substr(pos));
      EXPECT_TRUE(decoded.ok()) << decoded.status();
      if (!decoded.ok()) break;
      PageAt page{pos, static_cast<int64_t>(decoded->size), decoded->value};
      pages.push_back(page);
      pos = page.body() + page.header.compressed_page_size;
    }
    return pages;
  }

  // The first data page of `column` (there is exactly one per chunk at this size).
  PageAt DataPage(int column) const {
    for (const PageAt& p : Pages(column)) {
      if (p.header.type == PageType::kDataPage) return p;
    }
    ADD_FAILURE() << "no data page in column " << column;
    return {};
  }

  // The file with the page header at `page` re-encoded after `edit`; the new header must keep
  // its size so that nothing else moves.
  std::string WithPageHeader(const PageAt& page, const std::function<void(PageHeader*)>& edit) {
    PageHeader header = page.header;
    edit(&header);
    std::string encoded = SerializeThrift(header);
    EXPECT_EQ(static_cast<int64_t>(encoded.size()), page.header_size)
        << "the edited header changed size; pick another value";
    std::string out = valid_;
    out.replace(static_cast<size_t>(page.offset), encoded.size(), encoded);
    return out;
  }

  silt::testing::TempDir dir_;
  fs::LocalFileSystem local_;
  std::string valid_;
  FileMetaData metadata_;
};

TEST_P(BrokenInputTest, TruncatedFiles) {
  const size_t size = valid_.size();
  for (size_t length : {size_t{0}, size_t{1}, size_t{4}, size_t{7}, size_t{8}, size_t{11}}) {
    ExpectCorruption("truncated-" + std::to_string(length), valid_.substr(0, length),
                     "too short for a Parquet file");
  }
  for (size_t length : {size_t{12}, size_t{100}, size / 2, size - 9, size - 4, size - 1}) {
    ExpectCorruption("truncated-" + std::to_string(length), valid_.substr(0, length),
                     "no PAR1 magic at the end");
  }
}

TEST_P(BrokenInputTest, BadTailMagic) {
  std::string bytes = valid_;
  bytes.replace(bytes.size() - 4, 4, "PARX");
  ExpectCorruption("bad-tail-magic", bytes, "no PAR1 magic at the end");
}

TEST_P(BrokenInputTest, BadHeadMagic) {
  std::string bytes = valid_;
  bytes.replace(0, 4, "PARX");
  ExpectCorruption("bad-head-magic", bytes, "no PAR1 magic at the start");
}

TEST_P(BrokenInputTest, FooterLengthPastTheFile) {
  for (uint32_t length : {uint32_t{0xffffffff}, static_cast<uint32_t>(valid_.size()),
                          static_cast<uint32_t>(valid_.size() - 8 - 3)}) {
    std::string bytes = valid_;
    std::memcpy(bytes.data() + bytes.size() - 8, &length, 4);
    ExpectCorruption("footer-length-" + std::to_string(length), bytes,
                     "footer length " + std::to_string(length) + " does not fit");
  }
}

TEST_P(BrokenInputTest, GarbledThriftFooter) {
  const int64_t start = FooterStart();
  const int64_t length = static_cast<int64_t>(valid_.size()) - 8 - start;
  // Field headers of an unknown type (0xf).
  std::string bytes = valid_;
  for (int64_t i = 0; i < length; ++i) bytes[static_cast<size_t>(start + i)] = '\xff';
  ExpectCorruption("footer-ff", bytes, "footer: thrift: unknown field type");
  // A footer cut short: the same bytes announced as a shorter footer.
  bytes = valid_.substr(0, static_cast<size_t>(start + length / 2));
  uint32_t half = static_cast<uint32_t>(length / 2);
  bytes.append(reinterpret_cast<const char*>(&half), 4);
  bytes.append("PAR1");
  ExpectCorruption("footer-cut", bytes, "footer: thrift:");
  // Continuation bytes in the middle of the footer: an endless varint.
  bytes = valid_;
  for (int64_t i = length / 3; i < length / 3 + 16; ++i) {
    bytes[static_cast<size_t>(start + i)] = '\x80';
  }
  ExpectCorruption("footer-varint", bytes, "footer: thrift:");
}

// The largest negative int32 whose zigzag varint is as long as that of `value`: a size that
// keeps the header's length.
int32_t NegativeOfSameWidth(int32_t value) {
  uint32_t zigzag = static_cast<uint32_t>(value) << 1;
  int bits = 7;
  while (bits < 28 && (zigzag >> bits) != 0) bits += 7;
  return -(int32_t{1} << (bits - 1));
}

TEST_P(BrokenInputTest, PageHeaderCompressedSizeLies) {
  // The data page of 'id' is the last page of its chunk: one byte more runs past the chunk.
  const PageAt data = DataPage(0);
  const int32_t compressed = data.header.compressed_page_size;
  ExpectCorruption("compressed-size-past-chunk",
                   WithPageHeader(data, [](PageHeader* h) { h->compressed_page_size += 1; }),
                   "column 'id', page 1 at chunk offset " +
                       std::to_string(data.offset - Pages(0).front().offset) +
                       ": compressed page size " + std::to_string(compressed + 1) +
                       " runs past the end of the chunk");
  ExpectCorruption("compressed-size-negative", WithPageHeader(data, [](PageHeader* h) {
                     h->compressed_page_size = NegativeOfSameWidth(h->compressed_page_size);
                   }),
                   "compressed page size -");
  // One byte short: the codec notices the cut body.
  ExpectCorruption("compressed-size-short",
                   WithPageHeader(data, [](PageHeader* h) { h->compressed_page_size -= 1; }),
                   "column 'id', page 1 at chunk offset " +
                       std::to_string(data.offset - Pages(0).front().offset) + ": " +
                       std::string(CompressionCodecName(GetParam())) + " page");
}

TEST_P(BrokenInputTest, PageHeaderUncompressedSizeLies) {
  const PageAt data = DataPage(0);
  const std::string codec(CompressionCodecName(GetParam()));
  for (int delta : {+1, -1}) {
    ExpectCorruption("uncompressed-size" + std::to_string(delta),
                     WithPageHeader(data, [delta](PageHeader* h) {
                       h->uncompressed_page_size += delta;
                     }),
                     "column 'id', page 1 at chunk offset " +
                         std::to_string(data.offset - Pages(0).front().offset) + ": " + codec +
                         " page decompress");
  }
  ExpectCorruption("uncompressed-size-negative", WithPageHeader(data, [](PageHeader* h) {
                     h->uncompressed_page_size = NegativeOfSameWidth(h->uncompressed_page_size);
                   }),
                   "uncompressed page size -");
}

// Edits inside page bodies, which are only plain bytes in an uncompressed file.
class BrokenPageBodyTest : public BrokenInputTest {};

TEST_P(BrokenPageBodyTest, DictionaryIndexOutOfRange) {
  // 'kind' has no levels: the body is <bit width><RLE/bit-packed indices>. Replace the indices
  // with one RLE run of the largest value the bit width allows (the dictionary has 10 entries).
  const PageAt data = DataPage(1);
  ASSERT_EQ(data.header.data_page_header->encoding, Encoding::kRleDictionary);
  std::string bytes = valid_;
  const auto body = static_cast<size_t>(data.body());
  const int bit_width = static_cast<uint8_t>(bytes[body]);
  ASSERT_GE(bit_width, 4);
  ASSERT_LE(bit_width, 8);
  const uint32_t run = static_cast<uint32_t>(kRows) << 1;  // RLE run of kRows values
  bytes[body + 1] = static_cast<char>(0x80 | (run & 0x7f));
  bytes[body + 2] = static_cast<char>(run >> 7);
  bytes[body + 3] = static_cast<char>((1 << bit_width) - 1);
  ExpectCorruption("dictionary-index", bytes,
                   "dictionary index " + std::to_string((1 << bit_width) - 1) + " out of range");
}

TEST_P(BrokenPageBodyTest, LevelRunPastThePage) {
  // 'note' is nullable: the body starts with <4-byte length><RLE definition levels>.
  const PageAt data = DataPage(2);
  const auto body = static_cast<size_t>(data.body());
  const uint32_t page = static_cast<uint32_t>(data.header.compressed_page_size);
  // The length prefix claims the whole page and more.
  std::string bytes = valid_;
  std::memcpy(bytes.data() + body, &page, 4);
  ExpectCorruption("levels-length", bytes, "RLE data length");
  // A bit-packed run of 1000 groups in a level section that ends after the run header.
  bytes = valid_;
  const uint32_t two = 2;
  std::memcpy(bytes.data() + body, &two, 4);
  const uint32_t run = (1000u << 1) | 1;
  bytes[body + 4] = static_cast<char>(0x80 | (run & 0x7f));
  bytes[body + 5] = static_cast<char>(run >> 7);
  ExpectCorruption("levels-run", bytes, "RLE/bit-packed data ends after 0 values");
}

TEST_P(BrokenInputTest, ColumnChunkOutsideTheFile) {
  const int64_t size = static_cast<int64_t>(valid_.size());
  FileMetaData md = metadata_;
  ColumnMetaData& id = *md.row_groups[0].columns[0].meta_data;
  id.data_page_offset = size + 100;
  id.dictionary_page_offset.reset();
  ExpectCorruption("chunk-offset", WithFooter(md), "lies outside the");
  md = metadata_;
  md.row_groups[0].columns[2].meta_data->total_compressed_size = size;
  ExpectCorruption("chunk-length", WithFooter(md), "lies outside the");
  md = metadata_;
  md.row_groups[0].columns[1].meta_data->data_page_offset = 0;
  md.row_groups[0].columns[1].meta_data->dictionary_page_offset.reset();
  ExpectCorruption("chunk-in-magic", WithFooter(md), "lies outside the");
}

INSTANTIATE_TEST_SUITE_P(Codecs, BrokenInputTest,
                         ::testing::Values(CompressionCodec::kUncompressed,
                                           CompressionCodec::kSnappy, CompressionCodec::kZstd),
                         [](const auto& info) {
                           return std::string(CompressionCodecName(info.param));
                         });

INSTANTIATE_TEST_SUITE_P(Uncompressed, BrokenPageBodyTest,
                         ::testing::Values(CompressionCodec::kUncompressed));

}  // namespace
}  // namespace silt::parquet
