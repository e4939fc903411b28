// LZ4_RAW: one LZ4 block, no framing.
// LZ4 (deprecated): Hadoop's framing, a sequence of
//   [4-byte big-endian uncompressed size][4-byte big-endian compressed size][LZ4 block];
// old parquet-cpp wrote a bare LZ4 block under the same codec id, so a page that does not parse
// as Hadoop frames is retried as one raw block (as Arrow does). We only ever write Hadoop framing.
#include <lz4.h>

#include <climits>

#include "silt/parquet/compression/codecs_internal.h"

namespace silt::parquet::internal {
namespace {

Status DecompressRawBlock(CompressionCodec codec, std::string_view input,
                          std::span<uint8_t> output) {
  if (input.size() > INT_MAX || output.size() > INT_MAX) {
    return Status::Unsupported("LZ4 blocks of 2 GiB or more are not supported");
  }
  int rc = LZ4_decompress_safe(input.data(), reinterpret_cast<char*>(output.data()),
                               static_cast<int>(input.size()), static_cast<int>(output.size()));
  if (rc < 0) {
    return Status::Corruption("{} page data is corrupt (or decompresses to more than {} bytes)",
                              CompressionCodecName(codec), output.size());
  }
  if (static_cast<size_t>(rc) != output.size()) {
    return SizeMismatch(codec, rc, static_cast<int64_t>(output.size()));
  }
  return Status::OK();
}

Result<int64_t> CompressRawBlock(CompressionCodec codec, std::string_view input,
                                 std::span<uint8_t> output) {
  if (input.size() > LZ4_MAX_INPUT_SIZE) {
    return Status::Unsupported("LZ4 blocks of more than {} bytes are not supported",
                               LZ4_MAX_INPUT_SIZE);
  }
  int needed = LZ4_compressBound(static_cast<int>(input.size()));
  if (output.size() < static_cast<size_t>(needed)) {
    return OutputTooSmall(codec, static_cast<int64_t>(output.size()), needed);
  }
  int capacity = output.size() > INT_MAX ? INT_MAX : static_cast<int>(output.size());
  int rc = LZ4_compress_default(input.data(), reinterpret_cast<char*>(output.data()),
                                static_cast<int>(input.size()), capacity);
  if (rc <= 0 && !input.empty()) return Status::Internal("LZ4 compression failed");
  return static_cast<int64_t>(rc);
}

class Lz4RawCodec final : public Codec {
 public:
  CompressionCodec type() const override { return CompressionCodec::kLz4Raw; }
  Status Decompress(std::string_view input, std::span<uint8_t> output) override {
    return DecompressRawBlock(type(), input, output);
  }
  int64_t MaxCompressedLength(int64_t input_size) const override {
    return input_size > LZ4_MAX_INPUT_SIZE ? input_size + input_size / 255 + 16
                                           : LZ4_compressBound(static_cast<int>(input_size));
  }
  Result<int64_t> Compress(std::string_view input, std::span<uint8_t> output) override {
    return CompressRawBlock(type(), input, output);
  }
};

uint32_t LoadBigEndian32(const char* p) {
  auto b = reinterpret_cast<const uint8_t*>(p);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

void StoreBigEndian32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

class Lz4HadoopCodec final : public Codec {
 public:
  CompressionCodec type() const override { return CompressionCodec::kLz4; }

  Status Decompress(std::string_view input, std::span<uint8_t> output) override {
    if (TryHadoopFrames(input, output)) return Status::OK();
    return DecompressRawBlock(type(), input, output);
  }

  int64_t MaxCompressedLength(int64_t input_size) const override {
    return 8 + (input_size > LZ4_MAX_INPUT_SIZE ? input_size + input_size / 255 + 16
                                                : LZ4_compressBound(static_cast<int>(input_size)));
  }

  Result<int64_t> Compress(std::string_view input, std::span<uint8_t> output) override {
    int64_t needed = MaxCompressedLength(static_cast<int64_t>(input.size()));
    if (static_cast<int64_t>(output.size()) < needed) {
      return OutputTooSmall(type(), static_cast<int64_t>(output.size()), needed);
    }
    SILT_ASSIGN_OR_RETURN(int64_t block, CompressRawBlock(type(), input, output.subspan(8)));
    StoreBigEndian32(output.data(), static_cast<uint32_t>(input.size()));
    StoreBigEndian32(output.data() + 4, static_cast<uint32_t>(block));
    return block + 8;
  }

 private:
  // True when the whole input is a sequence of Hadoop frames filling the output exactly.
  static bool TryHadoopFrames(std::string_view input, std::span<uint8_t> output) {
    size_t out_pos = 0;
    while (input.size() >= 8) {
      uint32_t raw_size = LoadBigEndian32(input.data());
      uint32_t block_size = LoadBigEndian32(input.data() + 4);
      input.remove_prefix(8);
      if (block_size > input.size() || raw_size > output.size() - out_pos) return false;
      if (!DecompressRawBlock(CompressionCodec::kLz4, input.substr(0, block_size),
                              output.subspan(out_pos, raw_size))
               .ok()) {
        return false;
      }
      input.remove_prefix(block_size);
      out_pos += raw_size;
    }
    return input.empty() && out_pos == output.size();
  }
};

}  // namespace

std::unique_ptr<Codec> MakeLz4RawCodec() { return std::make_unique<Lz4RawCodec>(); }
std::unique_ptr<Codec> MakeLz4HadoopCodec() { return std::make_unique<Lz4HadoopCodec>(); }

}  // namespace silt::parquet::internal
