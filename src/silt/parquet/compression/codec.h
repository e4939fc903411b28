// Page compression codecs (parquet-format Compression.md): UNCOMPRESSED, SNAPPY (raw block),
// GZIP (RFC 1952 members, as parquet-mr writes), ZSTD, LZ4_RAW (one LZ4 block), LZ4 (deprecated:
// Hadoop framing, with a fallback to one raw block as old parquet-cpp wrote), BROTLI.
// LZO is not supported.
//
// Parquet always knows the uncompressed size of a page, so Decompress fills a caller-provided
// buffer of exactly that size.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "silt/base/result.h"
#include "silt/base/status.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet {

// A codec instance may hold compression contexts: use it from one thread at a time (make one per
// thread; they are cheap).
class Codec {
 public:
  virtual ~Codec() = default;

  virtual CompressionCodec type() const = 0;

  // Decompresses `input` into exactly `output.size()` bytes. kCorruption when the input is
  // corrupt, or decompresses to fewer or more bytes than output.size().
  virtual Status Decompress(std::string_view input, std::span<uint8_t> output) = 0;

  // An upper bound of the compressed size of `input_size` bytes.
  virtual int64_t MaxCompressedLength(int64_t input_size) const = 0;

  // Compresses `input` into `output` (at least MaxCompressedLength(input.size()) bytes) and
  // returns the compressed size. kInvalidArgument when output is too small.
  virtual Result<int64_t> Compress(std::string_view input, std::span<uint8_t> output) = 0;
};

// `level` is codec specific (GZIP 1..9, ZSTD -7..22, BROTLI 0..11); nullopt picks the codec's
// default. kUnsupported for LZO and unknown codecs, kInvalidArgument for a level out of range or
// a level given to a codec without levels.
Result<std::unique_ptr<Codec>> MakeCodec(CompressionCodec codec,
                                         std::optional<int> level = std::nullopt);

}  // namespace silt::parquet
