// The column reader: the data pages of one leaf column chunk (ColumnChunkReader) decoded row
// range by row range into levels plus dense columnar values (LeafReader), and the reassembly of
// top-level columnar arrays (struct, list, map, any depth) from those levels (AssembleColumn),
// following parquet-format's "Nested Encoding" (digest §6.8).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/array.h"
#include "silt/columnar/buffer.h"
#include "silt/parquet/column_chunk_reader.h"
#include "silt/parquet/encoding/decoder.h"
#include "silt/parquet/reader/schema_mapping.h"

namespace silt::parquet::reader {

// The levels and values of a run of whole rows of one leaf. Values are dense (one per entry
// whose definition level is the maximum), already in their columnar representation:
//   fixed width (ints, floats, date, timestamps, decimals as 16 bytes): `fixed`;
//   boolean: `bools` (one byte 0/1 each);
//   string / binary: `bytes`.
struct LeafBatch {
  std::vector<int16_t> def;  // empty when the max definition level is 0
  std::vector<int16_t> rep;  // empty when the max repetition level is 0
  int64_t num_entries = 0;
  int64_t num_values = 0;
  columnar::MutableBufferPtr fixed;
  std::vector<uint8_t> bools;
  ByteArrayBuffer bytes;

  void Clear();
};

// Reads one leaf column chunk after the other. Not thread-safe.
class LeafReader {
 public:
  // `file` and `name` ("file: column 'a.b'") are used in messages.
  LeafReader(LeafColumn leaf, Conversion conversion, columnar::TypePtr type, std::string file,
             std::string name)
      : leaf_(std::move(leaf)),
        conversion_(conversion),
        type_(std::move(type)),
        file_(std::move(file)),
        name_(std::move(name)) {}

  // Starts a column chunk whose bytes are `chunk`.
  Status StartChunk(const ColumnMetaData& metadata, std::string chunk,
                    const PageReaderOptions& options);
  // Appends the entries of the next `rows` rows to `out`. kCorruption when the chunk ends first.
  Status ReadRows(int64_t rows, LeafBatch* out);
  // kCorruption when the chunk holds more rows than were read.
  Status FinishChunk();

  const LeafColumn& leaf() const { return leaf_; }

 private:
  Status Take(int64_t begin, int64_t end, LeafBatch* out);
  Status DecodeValues(int64_t n, LeafBatch* out);
  template <typename T>
  Result<T*> Grow(LeafBatch* out, int64_t n);

  LeafColumn leaf_;
  Conversion conversion_;
  columnar::TypePtr type_;
  std::string file_;
  std::string name_;
  std::unique_ptr<ColumnChunkReader> chunk_;
  std::optional<DecodedPage> page_;
  int64_t pos_ = 0;
  bool done_ = true;
  // The chunk's uncompressed bytes, and per level entry for string leaves (0 otherwise).
  int64_t chunk_bytes_ = 0;
  int64_t bytes_per_entry_ = 0;
  // Scratch for converted values.
  std::vector<int32_t> i32_;
  std::vector<int64_t> i64_;
  std::vector<Int96> i96_;
  std::vector<uint8_t> flba_;
  ByteArrayBuffer scratch_bytes_;
};

// Builds the array of `node` (a top-level field) from the batches of its leaves (`leaves` is
// indexed by leaf index; only those below `node` are used). The leaves' fixed buffers are moved
// into the result. `column` names the file and column in messages.
Result<columnar::ArrayPtr> AssembleColumn(const ReaderNode& node, std::vector<LeafBatch>& leaves,
                                          const std::string& column);

}  // namespace silt::parquet::reader
