// Iterates the data pages of one column chunk with their levels decoded and a value decoder
// positioned on their values: the layer under the column reader (parquet-format README
// "Column chunks", "Data Pages", "Nested Encoding"). Handles the dictionary page, v1 and v2 data
// pages, every value encoding, and the consistency checks between pages and column metadata.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/parquet/encoding/decoder.h"
#include "silt/parquet/encoding/dictionary.h"
#include "silt/parquet/page_reader.h"
#include "silt/parquet/schema.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet {

// One data page, decoded down to its levels. Valid until the next call to NextPage().
struct DecodedPage {
  PageType type = PageType::kDataPage;
  int64_t chunk_offset = 0;  // where the page header starts, from the start of the chunk
  int64_t stored_size = 0;   // header + stored body bytes
  Encoding encoding = Encoding::kPlain;  // of the values
  int64_t num_levels = 0;  // level entries (values + nulls + empty lists)
  int64_t num_values = 0;  // leaf values stored (entries with def == max definition level)
  int64_t num_rows = 0;    // entries with rep == 0 (num_levels when the column is not repeated)
  std::span<const int16_t> def_levels;  // num_levels entries; empty when max def level is 0
  std::span<const int16_t> rep_levels;  // num_levels entries; empty when max rep level is 0
  // Positioned on the page's num_values values; decode them with the method of the leaf's
  // physical type.
  ValueDecoder* values = nullptr;
};

class ColumnChunkReader {
 public:
  // `chunk` holds the bytes of the column chunk (ColumnChunkRange). kCorruption when the
  // metadata does not match the leaf, kUnsupported for the codec.
  static Result<std::unique_ptr<ColumnChunkReader>> Make(const LeafColumn& leaf,
                                                         const ColumnMetaData& metadata,
                                                         std::string chunk,
                                                         const PageReaderOptions& options = {});

  // The next data page, or nullopt after the last one (then the level entries seen equal the
  // metadata's num_values, else kCorruption). Dictionary and index pages are consumed on the
  // way. kCorruption for malformed pages; kUnsupported for an encoding this code lacks.
  Result<std::optional<DecodedPage>> NextPage();

  const LeafColumn& leaf() const { return leaf_; }
  // Entries of the chunk's dictionary page (nullopt when none was seen yet).
  std::optional<int64_t> dictionary_size() const {
    return dictionary_ ? std::optional<int64_t>(dictionary_->dictionary_size()) : std::nullopt;
  }
  int64_t levels_read() const { return levels_read_; }
  // Takes the level buffers of `previous` (a reader of an earlier chunk of the same column) to
  // decode into, instead of growing fresh ones.
  void ReuseBuffers(ColumnChunkReader& previous) {
    def_.swap(previous.def_);
    rep_.swap(previous.rep_);
  }

 private:
  ColumnChunkReader(LeafColumn leaf, int64_t num_values, std::unique_ptr<PageReader> pages)
      : leaf_(std::move(leaf)), num_values_(num_values), pages_(std::move(pages)) {}

  Status Corrupt(const std::string& what) const;

  LeafColumn leaf_;
  std::string name_;
  int64_t num_values_;
  std::unique_ptr<PageReader> pages_;
  std::unique_ptr<DictionaryDecoder> dictionary_;
  std::map<Encoding, std::unique_ptr<ValueDecoder>> decoders_;
  std::vector<int16_t> def_;
  std::vector<int16_t> rep_;
  int64_t levels_read_ = 0;
  int64_t data_pages_ = 0;
};

}  // namespace silt::parquet
