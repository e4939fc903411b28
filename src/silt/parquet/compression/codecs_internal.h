// Constructors of the concrete codecs, one per file; MakeCodec dispatches to them.
#pragma once

#include <memory>
#include <optional>

#include "silt/base/result.h"
#include "silt/parquet/compression/codec.h"

namespace silt::parquet::internal {

std::unique_ptr<Codec> MakeSnappyCodec();
Result<std::unique_ptr<Codec>> MakeGzipCodec(std::optional<int> level);
Result<std::unique_ptr<Codec>> MakeZstdCodec(std::optional<int> level);
std::unique_ptr<Codec> MakeLz4RawCodec();
std::unique_ptr<Codec> MakeLz4HadoopCodec();
Result<std::unique_ptr<Codec>> MakeBrotliCodec(std::optional<int> level);

Status SizeMismatch(CompressionCodec codec, int64_t actual, int64_t expected);
Status OutputTooSmall(CompressionCodec codec, int64_t capacity, int64_t needed);

}  // namespace silt::parquet::internal
