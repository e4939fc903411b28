#include "silt/delta/log/log_path.h"

#include <fmt/format.h>

#include "silt/base/uuid.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

namespace {

constexpr size_t kVersionDigits = 20;
constexpr size_t kPartDigits = 10;

// Parses exactly `digits` decimal digits at the front of `s` and removes them. Fails on fewer
// digits, a non-digit, or a value beyond int64.
std::optional<int64_t> ConsumeNumber(std::string_view& s, size_t digits) {
  if (s.size() < digits) return std::nullopt;
  uint64_t value = 0;
  for (size_t i = 0; i < digits; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (value > (static_cast<uint64_t>(INT64_MAX) - (c - '0')) / 10) return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  s.remove_prefix(digits);
  return static_cast<int64_t>(value);
}

bool ConsumeLiteral(std::string_view& s, std::string_view literal) {
  if (!s.starts_with(literal)) return false;
  s.remove_prefix(literal.size());
  return true;
}

}  // namespace

std::string_view LogFileTypeName(LogFileType type) {
  switch (type) {
    case LogFileType::kCommit: return "commit";
    case LogFileType::kClassicCheckpoint: return "classic checkpoint";
    case LogFileType::kMultiPartCheckpoint: return "multi-part checkpoint";
    case LogFileType::kUuidCheckpoint: return "UUID-named checkpoint";
    case LogFileType::kCompaction: return "log compaction";
    case LogFileType::kChecksum: return "checksum";
  }
  return "unknown";
}

std::optional<LogFile> ParseLogFileName(std::string_view name) {
  // Hidden and temporary files never start with a digit, so the version parse below rejects
  // them; the explicit check documents the rule and covers "0...0.json.tmp".
  if (name.empty() || name.front() == '.' || name.front() == '_' || name.ends_with(".tmp")) {
    return std::nullopt;
  }
  std::string_view rest = name;
  std::optional<int64_t> version = ConsumeNumber(rest, kVersionDigits);
  if (!version.has_value()) return std::nullopt;
  LogFile file;
  file.version = *version;

  if (rest == ".json") {
    file.type = LogFileType::kCommit;
    file.is_json = true;
    return file;
  }
  if (rest == ".crc") {
    file.type = LogFileType::kChecksum;
    file.is_json = true;
    return file;
  }
  if (!ConsumeLiteral(rest, ".")) return std::nullopt;

  // Compaction: "<start>.<end>.compacted.json".
  std::string_view compaction = rest;
  if (std::optional<int64_t> end = ConsumeNumber(compaction, kVersionDigits);
      end.has_value() && compaction == ".compacted.json") {
    if (*end <= file.version) return std::nullopt;
    file.type = LogFileType::kCompaction;
    file.end_version = *end;
    file.is_json = true;
    return file;
  }

  if (!ConsumeLiteral(rest, "checkpoint.")) return std::nullopt;
  if (rest == "parquet") {
    file.type = LogFileType::kClassicCheckpoint;
    return file;
  }
  // Multi-part: "<part>.<parts>.parquet", 10 digits each, 1 <= part <= parts.
  std::string_view multi = rest;
  std::optional<int64_t> part = ConsumeNumber(multi, kPartDigits);
  if (part.has_value() && ConsumeLiteral(multi, ".")) {
    std::optional<int64_t> parts = ConsumeNumber(multi, kPartDigits);
    if (parts.has_value() && multi == ".parquet") {
      if (*part < 1 || *part > *parts || *parts > INT32_MAX) return std::nullopt;
      file.type = LogFileType::kMultiPartCheckpoint;
      file.part = static_cast<int32_t>(*part);
      file.num_parts = static_cast<int32_t>(*parts);
      return file;
    }
  }
  // UUID-named: "<uuid>.json" or "<uuid>.parquet".
  size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view uuid = rest.substr(0, dot);
  std::string_view extension = rest.substr(dot + 1);
  if (!IsUuid(uuid) || (extension != "json" && extension != "parquet")) return std::nullopt;
  file.type = LogFileType::kUuidCheckpoint;
  file.uuid = std::string(uuid);
  file.is_json = extension == "json";
  return file;
}

std::string VersionPrefix(int64_t version) { return fmt::format("{:020d}", version); }

std::string CommitFileName(int64_t version) { return fmt::format("{:020d}.json", version); }

std::string CheckpointFileName(int64_t version) {
  return fmt::format("{:020d}.checkpoint.parquet", version);
}

std::string MultiPartCheckpointFileName(int64_t version, int32_t part, int32_t num_parts) {
  return fmt::format("{:020d}.checkpoint.{:010d}.{:010d}.parquet", version, part, num_parts);
}

std::string UuidCheckpointFileName(int64_t version, std::string_view uuid,
                                   std::string_view extension) {
  return fmt::format("{:020d}.checkpoint.{}.{}", version, uuid, extension);
}

std::string CompactionFileName(int64_t start_version, int64_t end_version) {
  return fmt::format("{:020d}.{:020d}.compacted.json", start_version, end_version);
}

std::string ChecksumFileName(int64_t version) { return fmt::format("{:020d}.crc", version); }

std::string LogDirFor(std::string_view table_root) {
  return fs::JoinPath(table_root, kDeltaLogDirName);
}

}  // namespace silt::delta
