// SNAPPY: the raw Snappy block format (varint length + elements), not the framed stream format.
#include <snappy.h>

#include "silt/parquet/compression/codecs_internal.h"

namespace silt::parquet::internal {
namespace {

class SnappyCodec final : public Codec {
 public:
  CompressionCodec type() const override { return CompressionCodec::kSnappy; }

  Status Decompress(std::string_view input, std::span<uint8_t> output) override {
    size_t length = 0;
    if (!snappy::GetUncompressedLength(input.data(), input.size(), &length)) {
      return Status::Corruption("SNAPPY page has a corrupt length header");
    }
    if (length != output.size()) {
      return SizeMismatch(type(), static_cast<int64_t>(length),
                          static_cast<int64_t>(output.size()));
    }
    if (!snappy::RawUncompress(input.data(), input.size(),
                               reinterpret_cast<char*>(output.data()))) {
      return Status::Corruption("SNAPPY page data is corrupt");
    }
    return Status::OK();
  }

  int64_t MaxCompressedLength(int64_t input_size) const override {
    return static_cast<int64_t>(snappy::MaxCompressedLength(static_cast<size_t>(input_size)));
  }

  Result<int64_t> Compress(std::string_view input, std::span<uint8_t> output) override {
    int64_t needed = MaxCompressedLength(static_cast<int64_t>(input.size()));
    if (static_cast<int64_t>(output.size()) < needed) {
      return OutputTooSmall(type(), static_cast<int64_t>(output.size()), needed);
    }
    size_t written = 0;
    snappy::RawCompress(input.data(), input.size(), reinterpret_cast<char*>(output.data()),
                        &written);
    return static_cast<int64_t>(written);
  }
};

}  // namespace

std::unique_ptr<Codec> MakeSnappyCodec() { return std::make_unique<SnappyCodec>(); }

}  // namespace silt::parquet::internal
