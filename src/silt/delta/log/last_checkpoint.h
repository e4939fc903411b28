// The _last_checkpoint hint (PROTOCOL.md "Last Checkpoint File"; digest §16.6): a small JSON
// object naming the most recent checkpoint, so a reader can list the log from there instead of
// from version 0. It is only a hint: it may be missing, stale, empty or corrupt, and readers
// fall back to listing (see log_segment.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "silt/base/result.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

namespace field {
inline constexpr std::string_view kParts = "parts";
inline constexpr std::string_view kNumOfAddFiles = "numOfAddFiles";
}  // namespace field

struct LastCheckpoint {
  // Version of the checkpoint.
  int64_t version = 0;
  // Number of actions in the checkpoint (required by the protocol; 0 when a writer left it out).
  int64_t size = 0;
  // Number of parts of a multi-part checkpoint.
  std::optional<int32_t> parts;
  std::optional<int64_t> size_in_bytes;
  std::optional<int64_t> num_of_add_files;

  bool operator==(const LastCheckpoint&) const = default;
};

// Parses the file's content. kCorruption when it is not a JSON object with an integer
// "version" >= 0 (other fields, checkpointSchema, checksum, v2Checkpoint, are not needed to use
// the hint and are not read).
Result<LastCheckpoint> ParseLastCheckpoint(std::string_view content);

// The compact JSON a writer puts in _last_checkpoint.
std::string ToJson(const LastCheckpoint& hint);

// Reads "<log_dir>/_last_checkpoint": std::nullopt when the file does not exist; the read or
// parse error otherwise (callers treat any error as "no hint").
Result<std::optional<LastCheckpoint>> ReadLastCheckpoint(fs::FileSystem& fs,
                                                         std::string_view log_dir);

}  // namespace silt::delta
