// BROTLI: an RFC 7932 stream.
#include <brotli/decode.h>
#include <brotli/encode.h>

#include "silt/parquet/compression/codecs_internal.h"

namespace silt::parquet::internal {
namespace {

class BrotliCodec final : public Codec {
 public:
  explicit BrotliCodec(int quality) : quality_(quality) {}

  CompressionCodec type() const override { return CompressionCodec::kBrotli; }

  Status Decompress(std::string_view input, std::span<uint8_t> output) override {
    BrotliDecoderState* state = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
    if (state == nullptr) return Status::ResourceExhausted("cannot allocate a BROTLI decoder");
    size_t avail_in = input.size();
    auto next_in = reinterpret_cast<const uint8_t*>(input.data());
    size_t avail_out = output.size();
    uint8_t* next_out = output.data();
    BrotliDecoderResult rc = BrotliDecoderDecompressStream(state, &avail_in, &next_in, &avail_out,
                                                           &next_out, nullptr);
    Status status;
    if (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) {
      status = Status::Corruption("BROTLI page decompresses to more than the expected {} bytes",
                                  output.size());
    } else if (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) {
      status = Status::Corruption("BROTLI page data is truncated");
    } else if (rc != BROTLI_DECODER_RESULT_SUCCESS) {
      status = Status::Corruption(
          "BROTLI page data is corrupt: {}",
          BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state)));
    } else if (avail_out != 0) {
      status = SizeMismatch(type(), static_cast<int64_t>(output.size() - avail_out),
                            static_cast<int64_t>(output.size()));
    }
    BrotliDecoderDestroyInstance(state);
    return status;
  }

  int64_t MaxCompressedLength(int64_t input_size) const override {
    size_t bound = BrotliEncoderMaxCompressedSize(static_cast<size_t>(input_size));
    return bound == 0 ? input_size + input_size / 8 + 1024 : static_cast<int64_t>(bound);
  }

  Result<int64_t> Compress(std::string_view input, std::span<uint8_t> output) override {
    size_t written = output.size();
    if (!BrotliEncoderCompress(quality_, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.size(),
                               reinterpret_cast<const uint8_t*>(input.data()), &written,
                               output.data())) {
      return OutputTooSmall(type(), static_cast<int64_t>(output.size()),
                            MaxCompressedLength(static_cast<int64_t>(input.size())));
    }
    return static_cast<int64_t>(written);
  }

 private:
  int quality_;
};

}  // namespace

Result<std::unique_ptr<Codec>> MakeBrotliCodec(std::optional<int> level) {
  int quality = level.value_or(5);
  if (quality < BROTLI_MIN_QUALITY || quality > BROTLI_MAX_QUALITY) {
    return Status::InvalidArgument("BROTLI level {} is out of range [{}, {}]", quality,
                                   BROTLI_MIN_QUALITY, BROTLI_MAX_QUALITY);
  }
  return std::unique_ptr<Codec>(std::make_unique<BrotliCodec>(quality));
}

}  // namespace silt::parquet::internal
