// Reads the pages of one column chunk (parquet-format README "Column chunks", "Data Pages"):
// each page is a Thrift PageHeader followed by compressed_page_size bytes. PageReader parses the
// headers, checks sizes (and the CRC when asked), and decompresses:
//   dictionary and v1 data pages: the whole body;
//   v2 data pages: only the values section (levels are stored uncompressed).
// The column reader decodes levels and values from the result.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/parquet/compression/codec.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet {

struct PageReaderOptions {
  // Check PageHeader.crc (CRC-32 of the stored body) when present.
  bool verify_crc = false;
  // A page claiming more uncompressed bytes is rejected as corrupt (protects the allocator
  // from corrupt headers).
  int64_t max_uncompressed_page_size = int64_t{1} << 30;
};

struct Page {
  PageHeader header;
  // The uncompressed body. For v2 data pages: repetition levels, definition levels, then the
  // decompressed values, as in the file. Valid until the next call to Next().
  std::span<const uint8_t> data;
};

class PageReader {
 public:
  // `chunk` holds the column chunk's bytes (ColumnChunkRange), `codec` its compression and
  // `column` is used in messages ("a.b.c").
  static Result<std::unique_ptr<PageReader>> Make(std::string chunk, CompressionCodec codec,
                                                  std::string column,
                                                  const PageReaderOptions& options = {});

  // The next page, or nullopt after the last one. INDEX_PAGE and pages of unknown types are
  // returned too (with an empty body): callers skip them. kCorruption for malformed headers,
  // sizes that do not fit the chunk, a CRC mismatch, or a body that does not decompress.
  Result<std::optional<Page>> Next();

  // Bytes of the chunk consumed so far.
  int64_t position() const { return pos_; }

 private:
  PageReader(std::string chunk, std::unique_ptr<Codec> codec, std::string column,
             const PageReaderOptions& options)
      : chunk_(std::move(chunk)),
        codec_(std::move(codec)),
        column_(std::move(column)),
        options_(options) {}

  Status Corrupt(const std::string& what) const;

  std::string chunk_;
  std::unique_ptr<Codec> codec_;
  std::string column_;
  PageReaderOptions options_;
  int64_t pos_ = 0;
  int64_t page_index_ = 0;
  std::vector<uint8_t> buffer_;
};

}  // namespace silt::parquet
