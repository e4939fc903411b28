// The writer of one leaf column's chunks (parquet-format README "Column chunks", "Data Pages"):
// levels and values are buffered per page and flushed as data page v1 (RLE levels with length
// prefix, RLE_DICTIONARY or PLAIN values) into an in-memory chunk; at the end of a row group the
// chunk (dictionary page first) goes to the file and its ColumnMetaData is filled in.
// Dictionary encoding falls back to PLAIN for the rest of the chunk when the dictionary grows
// past its size limit. Statistics follow each type's sort order (digest §11).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/expr/value.h"
#include "silt/fs/file_system.h"
#include "silt/parquet/compression/codec.h"
#include "silt/parquet/thrift/parquet_types.h"
#include "silt/parquet/writer/byte_buffer.h"
#include "silt/parquet/writer/level_builder.h"
#include "silt/parquet/writer/writer_schema.h"

namespace silt::parquet::writer {

struct ColumnWriterOptions {
  CompressionCodec codec = CompressionCodec::kSnappy;
  std::optional<int> compression_level;
  bool dictionary_enabled = true;
  int64_t dictionary_page_size_limit = 1 << 20;
  // See WriterOptions::dictionary_unique_prefix.
  int64_t dictionary_unique_prefix = 0;
  int64_t data_page_size = 1 << 20;
  int64_t data_page_row_limit = 20000;
  bool page_checksum = true;
  // Chunk min/max larger than this (encoded bytes) are left out of the footer.
  int64_t max_statistics_size = 4096;
};

// File-wide facts of one leaf (over all row groups), in logical terms.
struct LeafSummary {
  int64_t null_count = 0;
  int64_t num_values = 0;  // level entries: values, nulls and empty-list markers
  std::optional<expr::Value> min;
  std::optional<expr::Value> max;
};

// Not thread-safe; one per leaf column of a FileWriter.
class ColumnChunkWriter {
 public:
  virtual ~ColumnChunkWriter();
  ColumnChunkWriter(const ColumnChunkWriter&) = delete;
  ColumnChunkWriter& operator=(const ColumnChunkWriter&) = delete;

  // `leaf` must outlive the writer. kUnsupported/kInvalidArgument from the codec options.
  static Result<std::unique_ptr<ColumnChunkWriter>> Make(const LeafDescriptor& leaf,
                                                         const ColumnWriterOptions& options);

  // Appends every slot of `levels` (which start at a row boundary) to the current chunk.
  Status Write(const LeafLevels& levels);

  struct FinishedChunk {
    ColumnChunk chunk;  // page index offsets not set yet
    // The page index (parquet-format PageIndex.md) of the chunk's data pages; no ColumnIndex
    // when a page's bounds are too long or a float page holds only NaN.
    std::optional<ColumnIndex> column_index;
    OffsetIndex offset_index;
  };

  // Flushes the chunk to `file` (dictionary page, then data pages) and returns its metadata,
  // offsets relative to the file start. The writer is then ready for the next row group.
  Result<FinishedChunk> FinishChunk(fs::WritableFile& file);

  // Bytes the current chunk holds so far (uncompressed pages plus the page being built and the
  // dictionary): what the row-group byte limit is checked against.
  int64_t EstimatedChunkBytes() const;

  virtual LeafSummary Summary() const = 0;

 protected:
  ColumnChunkWriter(const LeafDescriptor& leaf, const ColumnWriterOptions& options,
                    std::unique_ptr<Codec> codec);

  // --- Typed hooks.
  // Takes the next `count` values of `levels`, starting at value number `first`.
  virtual void WriteValues(const LeafLevels& levels, int64_t first, int64_t count) = 0;
  // Appends the encoded values of the current page; returns the encoding used.
  virtual Encoding EncodeValues(std::string* out) = 0;
  // Bytes the current page's values will take (estimate).
  virtual int64_t PageValueBytes() const = 0;
  virtual bool dictionary_active() const = 0;
  // Dictionary size in PLAIN bytes and entries (0 without a dictionary).
  virtual int64_t DictionaryBytes() const = 0;
  virtual int64_t DictionaryEntries() const = 0;
  // Switches the rest of the chunk to PLAIN (after the pending page was flushed).
  virtual void FallBackToPlain() = 0;
  virtual void EncodeDictionary(std::string* out) = 0;
  // Chunk statistics (min/max PLAIN-encoded) and reset for the next chunk.
  virtual void ChunkMinMax(Statistics* stats) = 0;
  // The current page's bounds (PLAIN-encoded), then resets them; false without a value.
  virtual bool TakePageMinMax(std::string* min, std::string* max) = 0;
  // Whether the pages' bounds taken so far ascend or descend (ColumnIndex.boundary_order), then
  // resets for the next chunk.
  virtual BoundaryOrder TakeBoundaryOrder() = 0;
  virtual void ResetChunk() = 0;

  const LeafDescriptor& leaf_;
  const ColumnWriterOptions options_;

 private:
  Status FlushPage();
  // Definition and repetition levels of the current page (materialized or not).
  int64_t PageLevelEntries() const;
  // Compresses `body` into `out` (copies it without a codec) and serializes the page's header,
  // sizes and CRC filled in, into header_. Adds header + body sizes to the totals.
  Status EncodePage(PageHeader header, std::string_view body, ByteBuffer* out,
                    int64_t* uncompressed_total, int64_t* compressed_total);

  std::unique_ptr<Codec> codec_;
  // Current page.
  std::vector<int16_t> page_def_;
  // While true, page_def_ is left empty and all page_levels_ definition levels are max_def.
  bool page_def_all_max_ = true;
  std::vector<int16_t> page_rep_;
  int64_t page_levels_ = 0;
  int64_t page_nulls_ = 0;
  int64_t page_rows_ = 0;
  int64_t page_first_row_ = 0;
  // Current chunk.
  // The chunk's data pages: their headers, one after the other, and likewise their bodies
  // (kept apart so that a codec writes each body in place); pages_ marks where each ends.
  struct PageSpan {
    size_t header_end;
    size_t body_end;
  };
  std::string page_headers_;
  ByteBuffer page_bodies_;
  std::vector<PageSpan> pages_;
  int64_t data_pages_bytes_ = 0;  // headers and bodies
  int64_t chunk_levels_ = 0;
  int64_t chunk_rows_ = 0;
  ColumnIndex column_index_;
  bool column_index_valid_ = true;
  OffsetIndex offset_index_;  // offsets relative to the first data page
  int64_t chunk_nulls_ = 0;
  int64_t data_uncompressed_ = 0;
  int64_t data_compressed_ = 0;
  int32_t dict_data_pages_ = 0;
  int32_t plain_data_pages_ = 0;
  // Scratch.
  std::string body_;
  ByteBuffer dictionary_page_;
  std::string header_;

 protected:
  // File totals.
  int64_t file_levels_ = 0;
  int64_t file_nulls_ = 0;
};

}  // namespace silt::parquet::writer
