// Names of the files in a table's _delta_log directory (PROTOCOL.md "Delta Log Entries",
// "Checkpoints", "Log Compaction Files", "Version Checksum File"; digest §1):
//   00000000000000000010.json                                   commit of version 10
//   00000000000000000010.checkpoint.parquet                     classic checkpoint
//   00000000000000000010.checkpoint.0000000001.0000000003.parquet  part 1 of 3 (multi-part)
//   00000000000000000010.checkpoint.<uuid>.json|parquet         UUID-named (V2) checkpoint
//   00000000000000000004.00000000000000000009.compacted.json    log compaction of 4..9
//   00000000000000000010.crc                                    version checksum
//   _last_checkpoint, _sidecars/                                checkpoint hint, V2 sidecars
// Versions are exactly 20 zero-padded decimal digits, so byte order is version order.
// Everything else (Hadoop ".*.crc" side files, ".*.tmp" temporaries, "._*" resource forks,
// unknown names) is not a log file and is ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace silt::delta {

inline constexpr std::string_view kDeltaLogDirName = "_delta_log";
inline constexpr std::string_view kLastCheckpointFileName = "_last_checkpoint";
inline constexpr std::string_view kSidecarDirName = "_sidecars";

enum class LogFileType : uint8_t {
  kCommit,
  kClassicCheckpoint,
  kMultiPartCheckpoint,
  kUuidCheckpoint,
  kCompaction,
  kChecksum,
};

std::string_view LogFileTypeName(LogFileType type);

// A recognized file of the log, from its name (and, when listed, its size and time).
struct LogFile {
  LogFileType type = LogFileType::kCommit;
  // The version the file describes; the first version for a compaction.
  int64_t version = 0;
  // Compaction only: the last version covered (inclusive).
  int64_t end_version = 0;
  // Multi-part checkpoints only: 1-based part number and part count.
  int32_t part = 0;
  int32_t num_parts = 0;
  // UUID-named checkpoints only.
  std::string uuid;
  // True for JSON content (commits, compactions, JSON V2 checkpoints); false for Parquet.
  bool is_json = false;

  // As listed by the FileSystem (empty for a name parsed on its own).
  std::string path;
  int64_t size = 0;
  int64_t modification_time_ms = 0;

  bool is_checkpoint() const {
    return type == LogFileType::kClassicCheckpoint || type == LogFileType::kMultiPartCheckpoint ||
           type == LogFileType::kUuidCheckpoint;
  }
};

// Classifies a file name (the part after "_delta_log/"). std::nullopt for anything that is not
// a log file of a recognized kind, which callers ignore.
std::optional<LogFile> ParseLogFileName(std::string_view name);

// "%020d", the common prefix of every file of `version`.
std::string VersionPrefix(int64_t version);
std::string CommitFileName(int64_t version);
std::string CheckpointFileName(int64_t version);
std::string MultiPartCheckpointFileName(int64_t version, int32_t part, int32_t num_parts);
// `extension` is "json" or "parquet".
std::string UuidCheckpointFileName(int64_t version, std::string_view uuid,
                                   std::string_view extension);
std::string CompactionFileName(int64_t start_version, int64_t end_version);
std::string ChecksumFileName(int64_t version);

// "<table_root>/_delta_log".
std::string LogDirFor(std::string_view table_root);

}  // namespace silt::delta
