// Helpers shared by the Delta subcommands of `silt`: snapshot loading with the built-in Parquet
// checkpoint decoder, and byte sizes given on the command line.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "silt/base/result.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/file_system.h"

namespace silt::cli {

// The table at `table` (the latest version, or `version`), reading Parquet checkpoints with the
// built-in decoder. Errors: those of delta::Snapshot::Load.
Result<std::shared_ptr<const delta::Snapshot>> LoadSnapshot(fs::FileSystem& fs,
                                                            const std::string& table,
                                                            std::optional<int64_t> version = {});

// "134217728", "128m", "64kb", "1g" (binary units, case-insensitive) -> bytes. kInvalidArgument
// naming `option` for anything else, including zero.
Result<int64_t> ParseByteSize(std::string_view option, std::string_view text);

}  // namespace silt::cli
