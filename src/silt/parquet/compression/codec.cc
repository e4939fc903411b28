#include "silt/parquet/compression/codec.h"

#include <cstring>

#include "silt/parquet/compression/codecs_internal.h"

namespace silt::parquet {

namespace internal {

Status SizeMismatch(CompressionCodec codec, int64_t actual, int64_t expected) {
  return Status::Corruption("{} page decompressed to {} bytes, expected {}",
                            CompressionCodecName(codec), actual, expected);
}

Status OutputTooSmall(CompressionCodec codec, int64_t capacity, int64_t needed) {
  return Status::InvalidArgument("{} compression needs an output of {} bytes, got {}",
                                 CompressionCodecName(codec), needed, capacity);
}

}  // namespace internal

namespace {

class UncompressedCodec final : public Codec {
 public:
  CompressionCodec type() const override { return CompressionCodec::kUncompressed; }

  Status Decompress(std::string_view input, std::span<uint8_t> output) override {
    if (input.size() != output.size()) {
      return internal::SizeMismatch(type(), static_cast<int64_t>(input.size()),
                                    static_cast<int64_t>(output.size()));
    }
    if (!input.empty()) std::memcpy(output.data(), input.data(), input.size());
    return Status::OK();
  }

  int64_t MaxCompressedLength(int64_t input_size) const override { return input_size; }

  Result<int64_t> Compress(std::string_view input, std::span<uint8_t> output) override {
    if (output.size() < input.size()) {
      return internal::OutputTooSmall(type(), static_cast<int64_t>(output.size()),
                                      static_cast<int64_t>(input.size()));
    }
    if (!input.empty()) std::memcpy(output.data(), input.data(), input.size());
    return static_cast<int64_t>(input.size());
  }
};

}  // namespace

Result<std::unique_ptr<Codec>> MakeCodec(CompressionCodec codec, std::optional<int> level) {
  auto no_level = [&]() -> Status {
    if (level.has_value()) {
      return Status::InvalidArgument("codec {} takes no compression level",
                                     CompressionCodecName(codec));
    }
    return Status::OK();
  };
  switch (codec) {
    case CompressionCodec::kUncompressed:
      SILT_RETURN_NOT_OK(no_level());
      return std::unique_ptr<Codec>(std::make_unique<UncompressedCodec>());
    case CompressionCodec::kSnappy:
      SILT_RETURN_NOT_OK(no_level());
      return internal::MakeSnappyCodec();
    case CompressionCodec::kGzip:
      return internal::MakeGzipCodec(level);
    case CompressionCodec::kZstd:
      return internal::MakeZstdCodec(level);
    case CompressionCodec::kLz4Raw:
      SILT_RETURN_NOT_OK(no_level());
      return internal::MakeLz4RawCodec();
    case CompressionCodec::kLz4:
      SILT_RETURN_NOT_OK(no_level());
      return internal::MakeLz4HadoopCodec();
    case CompressionCodec::kBrotli:
      return internal::MakeBrotliCodec(level);
    case CompressionCodec::kLzo:
      break;
  }
  return Status::Unsupported("compression codec {} is not supported", CompressionCodecName(codec));
}

}  // namespace silt::parquet
