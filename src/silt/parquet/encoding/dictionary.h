// Dictionary encoding (parquet-format Encodings.md, PLAIN_DICTIONARY = 2 / RLE_DICTIONARY = 8):
// the dictionary page holds PLAIN values; each data page's value section is one byte of bit width
// (0..32) followed by RLE / bit-packed hybrid runs of indices into the dictionary. Every index is
// checked against the dictionary size.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "silt/parquet/encoding/decoder.h"
#include "silt/parquet/encoding/rle.h"

namespace silt::parquet {

// Decodes the indices of a dictionary-encoded data page.
class DictionaryIndexDecoder {
 public:
  // `data` is the page's value section (bit-width byte + runs).
  Status SetData(const uint8_t* data, int64_t size);
  // n indices, each < dictionary_size, else kCorruption
  // ("dictionary index 17 out of range [0, 12)").
  Status GetIndices(uint32_t* out, int64_t n, uint32_t dictionary_size) {
    return runs_.GetIndices(out, n, dictionary_size);
  }

 private:
  RleBitPackedDecoder runs_;
};

// A ValueDecoder for dictionary-encoded data pages of one column chunk, holding the decoded
// dictionary. Call SetData once per data page.
class DictionaryDecoder : public ValueDecoder {
 public:
  int64_t dictionary_size() const { return dictionary_size_; }

 protected:
  int64_t dictionary_size_ = 0;
};

// Decodes the dictionary page (`num_entries` PLAIN values in [data, data + size)) of a column of
// `type`. The decoder copies what it needs: the page bytes may go away afterwards.
Result<std::unique_ptr<DictionaryDecoder>> MakeDictionaryDecoder(PhysicalType type,
                                                                 int32_t type_length,
                                                                 const uint8_t* data,
                                                                 int64_t size,
                                                                 int64_t num_entries);

// Appends the value section of a dictionary-encoded data page: the bit width byte for
// `dictionary_size` entries, then the runs of `indices`.
void EncodeDictionaryIndices(const uint32_t* indices, int64_t n, int64_t dictionary_size,
                             std::string* out);

}  // namespace silt::parquet
