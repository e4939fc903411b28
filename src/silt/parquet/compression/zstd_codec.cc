// ZSTD: RFC 8878 frames. Frames may lack the content size and a page may hold several frames;
// ZSTD_decompressDCtx handles both as long as the output capacity is right, which Parquet knows.
#include <zstd.h>
#include <zstd_errors.h>

#include "silt/parquet/compression/codecs_internal.h"

namespace silt::parquet::internal {
namespace {

class ZstdCodec final : public Codec {
 public:
  explicit ZstdCodec(int level) : level_(level) {}
  ~ZstdCodec() override {
    ZSTD_freeDCtx(dctx_);
    ZSTD_freeCCtx(cctx_);
  }
  ZstdCodec(const ZstdCodec&) = delete;
  ZstdCodec& operator=(const ZstdCodec&) = delete;

  CompressionCodec type() const override { return CompressionCodec::kZstd; }

  Status Decompress(std::string_view input, std::span<uint8_t> output) override {
    if (dctx_ == nullptr && (dctx_ = ZSTD_createDCtx()) == nullptr) {
      return Status::ResourceExhausted("cannot allocate a ZSTD decompression context");
    }
    size_t rc = ZSTD_decompressDCtx(dctx_, output.data(), output.size(), input.data(),
                                    input.size());
    if (ZSTD_isError(rc)) {
      if (ZSTD_getErrorCode(rc) == ZSTD_error_dstSize_tooSmall) {
        return Status::Corruption("ZSTD page decompresses to more than the expected {} bytes",
                                  output.size());
      }
      return Status::Corruption("ZSTD page data is corrupt: {}", ZSTD_getErrorName(rc));
    }
    if (rc != output.size()) {
      return SizeMismatch(type(), static_cast<int64_t>(rc), static_cast<int64_t>(output.size()));
    }
    return Status::OK();
  }

  int64_t MaxCompressedLength(int64_t input_size) const override {
    return static_cast<int64_t>(ZSTD_compressBound(static_cast<size_t>(input_size)));
  }

  Result<int64_t> Compress(std::string_view input, std::span<uint8_t> output) override {
    int64_t needed = MaxCompressedLength(static_cast<int64_t>(input.size()));
    if (static_cast<int64_t>(output.size()) < needed) {
      return OutputTooSmall(type(), static_cast<int64_t>(output.size()), needed);
    }
    if (cctx_ == nullptr && (cctx_ = ZSTD_createCCtx()) == nullptr) {
      return Status::ResourceExhausted("cannot allocate a ZSTD compression context");
    }
    size_t rc = ZSTD_compressCCtx(cctx_, output.data(), output.size(), input.data(), input.size(),
                                  level_);
    if (ZSTD_isError(rc)) {
      return Status::Internal("ZSTD compression failed: {}", ZSTD_getErrorName(rc));
    }
    return static_cast<int64_t>(rc);
  }

 private:
  int level_;
  ZSTD_DCtx* dctx_ = nullptr;
  ZSTD_CCtx* cctx_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<Codec>> MakeZstdCodec(std::optional<int> level) {
  // parquet-mr and DuckDB default to 3 as well.
  int l = level.value_or(ZSTD_CLEVEL_DEFAULT);
  if (l < -7 || l > ZSTD_maxCLevel()) {
    return Status::InvalidArgument("ZSTD level {} is out of range [-7, {}]", l, ZSTD_maxCLevel());
  }
  return std::unique_ptr<Codec>(std::make_unique<ZstdCodec>(l));
}

}  // namespace silt::parquet::internal
