#include "silt/cli/delta_common.h"

#include <string>

#include "silt/base/byte_size.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"

namespace silt::cli {

Result<std::shared_ptr<const delta::Snapshot>> LoadSnapshot(fs::FileSystem& fs,
                                                            const std::string& table,
                                                            std::optional<int64_t> version) {
  delta::SnapshotOptions options;
  options.version = version;
  options.checkpoint_decoder = delta::DefaultParquetCheckpointDecoder();
  return delta::Snapshot::Load(fs, table, options);
}

Result<int64_t> ParseByteSize(std::string_view option, std::string_view text) {
  Result<int64_t> bytes = silt::ParseByteSize(text);
  if (!bytes.ok()) return bytes.error().WithContext(option);
  return bytes;
}

}  // namespace silt::cli
