// GZIP: RFC 1952 gzip members as parquet-mr (Hadoop GzipCodec) writes them. Decompression accepts
// several concatenated members, and zlib-wrapped data too (zlib auto-detects the header).
#include <zlib.h>

#include <climits>

#include "silt/parquet/compression/codecs_internal.h"

namespace silt::parquet::internal {
namespace {

constexpr int kGzipWindowBits = 15 + 16;   // gzip wrapper
constexpr int kDetectWindowBits = 15 + 32;  // gzip or zlib, auto-detected

class GzipCodec final : public Codec {
 public:
  explicit GzipCodec(int level) : level_(level) {}

  CompressionCodec type() const override { return CompressionCodec::kGzip; }

  Status Decompress(std::string_view input, std::span<uint8_t> output) override {
    if (input.size() > UINT_MAX || output.size() > UINT_MAX) {
      return Status::Unsupported("GZIP pages of 4 GiB or more are not supported");
    }
    z_stream stream{};
    if (inflateInit2(&stream, kDetectWindowBits) != Z_OK) {
      return Status::ResourceExhausted("zlib inflateInit2 failed");
    }
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream.avail_in = static_cast<uInt>(input.size());
    // zlib rejects a null next_out even when avail_out is 0 (an empty page).
    uint8_t dummy = 0;
    stream.next_out = output.empty() ? &dummy : output.data();
    stream.avail_out = static_cast<uInt>(output.size());
    Status status;
    while (true) {
      int rc = inflate(&stream, Z_FINISH);
      if (rc == Z_STREAM_END) {
        // Another member may follow.
        if (stream.avail_in == 0) break;
        if (inflateReset(&stream) != Z_OK) {
          status = Status::Corruption("GZIP page: cannot reset the inflater");
          break;
        }
        continue;
      }
      if (rc == Z_BUF_ERROR && stream.avail_out == 0) {
        status = Status::Corruption("GZIP page decompresses to more than the expected {} bytes",
                                    output.size());
      } else {
        status = Status::Corruption("GZIP page data is corrupt: {}",
                                    stream.msg ? stream.msg : "truncated input");
      }
      break;
    }
    int64_t produced = static_cast<int64_t>(output.size() - stream.avail_out);
    inflateEnd(&stream);
    SILT_RETURN_NOT_OK(status);
    if (produced != static_cast<int64_t>(output.size())) {
      return SizeMismatch(type(), produced, static_cast<int64_t>(output.size()));
    }
    return Status::OK();
  }

  int64_t MaxCompressedLength(int64_t input_size) const override {
    // compressBound covers the zlib wrapper (6 bytes); the gzip wrapper is 18 bytes.
    return static_cast<int64_t>(compressBound(static_cast<uLong>(input_size))) + 18;
  }

  Result<int64_t> Compress(std::string_view input, std::span<uint8_t> output) override {
    int64_t needed = MaxCompressedLength(static_cast<int64_t>(input.size()));
    if (static_cast<int64_t>(output.size()) < needed) {
      return OutputTooSmall(type(), static_cast<int64_t>(output.size()), needed);
    }
    if (input.size() > UINT_MAX || output.size() > UINT_MAX) {
      return Status::Unsupported("GZIP pages of 4 GiB or more are not supported");
    }
    z_stream stream{};
    if (deflateInit2(&stream, level_, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      return Status::ResourceExhausted("zlib deflateInit2 failed");
    }
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream.avail_in = static_cast<uInt>(input.size());
    stream.next_out = output.data();
    stream.avail_out = static_cast<uInt>(output.size());
    int rc = deflate(&stream, Z_FINISH);
    int64_t written = static_cast<int64_t>(stream.total_out);
    deflateEnd(&stream);
    if (rc != Z_STREAM_END) return Status::Internal("zlib deflate failed with code {}", rc);
    return written;
  }

 private:
  int level_;
};

}  // namespace

Result<std::unique_ptr<Codec>> MakeGzipCodec(std::optional<int> level) {
  int l = level.value_or(Z_DEFAULT_COMPRESSION);
  if (level.has_value() && (l < 1 || l > 9)) {
    return Status::InvalidArgument("GZIP level {} is out of range [1, 9]", l);
  }
  return std::unique_ptr<Codec>(std::make_unique<GzipCodec>(l));
}

}  // namespace silt::parquet::internal
