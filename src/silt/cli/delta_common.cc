#include "silt/cli/delta_common.h"

#include <cctype>
#include <charconv>
#include <limits>
#include <string>

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
  std::string v;
  for (char c : text) v.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  size_t digits = 0;
  while (digits < v.size() && std::isdigit(static_cast<unsigned char>(v[digits]))) ++digits;
  std::string_view unit = std::string_view(v).substr(digits);
  int shift = -1;
  if (unit.empty() || unit == "b") shift = 0;
  if (unit == "k" || unit == "kb") shift = 10;
  if (unit == "m" || unit == "mb") shift = 20;
  if (unit == "g" || unit == "gb") shift = 30;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + digits, n);
  (void)end;
  if (digits == 0 || shift < 0 || ec != std::errc() || n <= 0 ||
      n > (std::numeric_limits<int64_t>::max() >> shift)) {
    return Status::InvalidArgument("{} '{}' is not a positive byte size (e.g. 134217728, 128m, 1g)",
                                   option, text);
  }
  return n << shift;
}

}  // namespace silt::cli
