#include "silt/stream/checkpoint/checkpoint.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "silt/base/uuid.h"
#include "silt/json/json_reader.h"
#include "silt/json/json_writer.h"

namespace silt::stream {
namespace {

constexpr std::string_view kMetadataFile = "metadata";
constexpr std::string_view kOffsetsDir = "offsets";
constexpr std::string_view kCommitsDir = "commits";
constexpr std::string_view kSourcesDir = "sources";

constexpr std::string_view kIdName = "id";
constexpr std::string_view kSourcesName = "sources";
constexpr std::string_view kSinkName = "sink";
constexpr std::string_view kBatchWatermarkName = "batchWatermarkMs";
constexpr std::string_view kBatchTimestampName = "batchTimestampMs";
constexpr std::string_view kConfName = "conf";
constexpr std::string_view kNextBatchWatermarkName = "nextBatchWatermarkMs";

// The lines of an entry; one trailing newline is tolerated.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  size_t start = 0;
  while (true) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// Checks the version line: "v1" is ours, "v<n>" newer is kUnsupported, anything else corrupt.
Status CheckVersionLine(std::string_view line, std::string_view name) {
  if (line == kCheckpointLogVersion) return Status::OK();
  if (line.size() >= 2 && line[0] == 'v' &&
      std::all_of(line.begin() + 1, line.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status::Unsupported("{}: log version {} is newer than this build reads ({})", name, line,
                               kCheckpointLogVersion);
  }
  return Status::Corruption("{}: expected the version line '{}', got '{}'", name,
                            kCheckpointLogVersion, line.substr(0, 40));
}

std::optional<int64_t> ParseBatchId(std::string_view name) {
  if (name.empty() || name.size() > 18) return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), value);
  if (ec != std::errc() || ptr != name.data() + name.size() || value < 0) return std::nullopt;
  return value;
}

Status AsConflict(const Status& status, const std::string& location, const std::string& path) {
  if (status.IsAlreadyExists()) {
    return Status::Conflict(
        "another query is using this checkpoint ({}): {} was written by someone else", location,
        path);
  }
  return status;
}

}  // namespace

std::string SerializeQueryMetadata(const QueryMetadata& metadata) {
  json::Writer w;
  w.BeginObject().Field(kIdName, metadata.id).Field(kSourcesName, metadata.shape.sources);
  w.Field(kSinkName, metadata.shape.sink).EndObject();
  return w.Release();
}

Result<QueryMetadata> ParseQueryMetadata(std::string_view text, std::string_view name) {
  json::Parser parser;
  auto parsed = parser.ParseObject(text);
  if (!parsed.ok()) return parsed.status().WithContext(name);
  const json::Object& obj = *parsed;
  QueryMetadata metadata;
  auto id = obj.GetString(kIdName);
  if (!id.ok()) return id.status().WithContext(name);
  metadata.id = std::string(*id);
  auto sources = obj.GetOptionalStringArray(kSourcesName);
  if (!sources.ok()) return sources.status().WithContext(name);
  if (*sources) metadata.shape.sources = std::move(**sources);
  auto sink = obj.GetOptionalString(kSinkName);
  if (!sink.ok()) return sink.status().WithContext(name);
  if (*sink) metadata.shape.sink = std::string(**sink);
  return metadata;
}

std::string SerializeOffsetEntry(const OffsetEntry& entry) {
  json::Writer w;
  w.BeginObject()
      .Field(kBatchWatermarkName, entry.metadata.batch_watermark_ms)
      .Field(kBatchTimestampName, entry.metadata.batch_timestamp_ms)
      .Key(kConfName)
      .BeginObject();
  for (const auto& [key, value] : entry.metadata.conf) w.Field(key, value);
  w.EndObject().EndObject();
  std::string out(kCheckpointLogVersion);
  out += '\n';
  out += w.str();
  for (const auto& offset : entry.offsets) {
    out += '\n';
    out += offset ? std::string_view(*offset) : kNoOffsetLine;
  }
  return out;
}

Result<OffsetEntry> ParseOffsetEntry(std::string_view text, std::string_view name) {
  std::vector<std::string_view> lines = SplitLines(text);
  SILT_RETURN_NOT_OK(CheckVersionLine(lines[0], name));
  if (lines.size() < 2) {
    return Status::Corruption("{}: truncated offsets entry: the batch metadata line is missing",
                              name);
  }
  OffsetEntry entry;
  json::Parser parser;
  {
    auto parsed = parser.ParseObject(lines[1]);
    if (!parsed.ok()) return parsed.status().WithContext(name);
    const json::Object& obj = *parsed;
    auto watermark = obj.GetOptionalInt64(kBatchWatermarkName);
    if (!watermark.ok()) return watermark.status().WithContext(name);
    entry.metadata.batch_watermark_ms = watermark->value_or(0);
    auto timestamp = obj.GetOptionalInt64(kBatchTimestampName);
    if (!timestamp.ok()) return timestamp.status().WithContext(name);
    entry.metadata.batch_timestamp_ms = timestamp->value_or(0);
    auto conf = obj.GetOptionalStringMap(kConfName);
    if (!conf.ok()) return conf.status().WithContext(name);
    entry.metadata.conf = std::move(*conf);
  }
  for (size_t i = 2; i < lines.size(); ++i) {
    if (lines[i] == kNoOffsetLine) {
      entry.offsets.push_back(std::nullopt);
      continue;
    }
    auto parsed = parser.Parse(lines[i]);
    if (!parsed.ok()) {
      return parsed.status().WithContext(fmt::format("{}: offset of source {}", name, i - 2));
    }
    entry.offsets.push_back(std::string(lines[i]));
  }
  return entry;
}

std::string SerializeCommitEntry(const CommitEntry& entry) {
  json::Writer w;
  w.BeginObject().Field(kNextBatchWatermarkName, entry.next_batch_watermark_ms).EndObject();
  return std::string(kCheckpointLogVersion) + "\n" + w.str();
}

Result<CommitEntry> ParseCommitEntry(std::string_view text, std::string_view name) {
  std::vector<std::string_view> lines = SplitLines(text);
  SILT_RETURN_NOT_OK(CheckVersionLine(lines[0], name));
  if (lines.size() != 2) {
    return Status::Corruption("{}: a commit entry has 2 lines, this one has {}", name,
                              lines.size());
  }
  json::Parser parser;
  auto parsed = parser.ParseObject(lines[1]);
  if (!parsed.ok()) return parsed.status().WithContext(name);
  auto watermark = parsed->GetOptionalInt64(kNextBatchWatermarkName);
  if (!watermark.ok()) return watermark.status().WithContext(name);
  CommitEntry entry;
  entry.next_batch_watermark_ms = watermark->value_or(0);
  return entry;
}

StreamCheckpoint::StreamCheckpoint(fs::FileSystem& fs, std::string location)
    : fs_(fs), location_(std::move(location)) {}

std::string StreamCheckpoint::metadata_path() const {
  return fs::JoinPath(location_, kMetadataFile);
}
std::string StreamCheckpoint::offsets_path(int64_t batch_id) const {
  return fs::JoinPath(fs::JoinPath(location_, kOffsetsDir), std::to_string(batch_id));
}
std::string StreamCheckpoint::commits_path(int64_t batch_id) const {
  return fs::JoinPath(fs::JoinPath(location_, kCommitsDir), std::to_string(batch_id));
}
std::string StreamCheckpoint::source_dir(size_t index) const {
  return fs::JoinPath(fs::JoinPath(location_, kSourcesDir), std::to_string(index));
}

Result<QueryMetadata> StreamCheckpoint::LoadOrCreateMetadata(const QueryShape& shape) {
  const std::string path = metadata_path();
  auto text = fs_.ReadFile(path);
  if (!text.ok() && !text.status().IsNotFound()) return text.status();
  if (!text.ok()) {
    QueryMetadata created{NewUuid(), shape};
    Status put = fs_.PutIfAbsent(path, SerializeQueryMetadata(created));
    if (put.ok()) return created;
    if (!put.IsAlreadyExists()) return put;
    // Another query created it first: read theirs and compare below.
    SILT_ASSIGN_OR_RETURN(std::string theirs, fs_.ReadFile(path));
    text = std::move(theirs);
  }
  SILT_ASSIGN_OR_RETURN(QueryMetadata metadata, ParseQueryMetadata(*text, path));
  const QueryShape& stored = metadata.shape;
  if (stored.sources.size() != shape.sources.size()) {
    return Status::InvalidArgument(
        "checkpoint {} belongs to a query with {} source(s), this query has {}", location_,
        stored.sources.size(), shape.sources.size());
  }
  for (size_t i = 0; i < shape.sources.size(); ++i) {
    if (stored.sources[i] != shape.sources[i]) {
      return Status::InvalidArgument(
          "checkpoint {} belongs to a query whose source {} is {}, this query's is {}", location_,
          i, stored.sources[i], shape.sources[i]);
    }
  }
  if (stored.sink != shape.sink) {
    return Status::InvalidArgument(
        "checkpoint {} belongs to a query whose sink is {}, this query's is {}", location_,
        stored.sink, shape.sink);
  }
  return metadata;
}

Result<std::optional<int64_t>> StreamCheckpoint::LatestIn(const std::string& dir) {
  SILT_ASSIGN_OR_RETURN(std::vector<fs::FileInfo> entries, fs_.List(dir));
  std::optional<int64_t> latest;
  for (const fs::FileInfo& info : entries) {
    if (info.is_dir) continue;
    std::optional<int64_t> id = ParseBatchId(fs::BaseName(info.path));
    if (id && (!latest || *id > *latest)) latest = id;
  }
  return latest;
}

Result<std::optional<int64_t>> StreamCheckpoint::LatestOffsetsBatchId() {
  return LatestIn(fs::JoinPath(location_, kOffsetsDir));
}

Result<std::optional<int64_t>> StreamCheckpoint::LatestCommitBatchId() {
  return LatestIn(fs::JoinPath(location_, kCommitsDir));
}

Result<OffsetEntry> StreamCheckpoint::ReadOffsets(int64_t batch_id) {
  const std::string path = offsets_path(batch_id);
  SILT_ASSIGN_OR_RETURN(std::string text, fs_.ReadFile(path));
  return ParseOffsetEntry(text, path);
}

Result<CommitEntry> StreamCheckpoint::ReadCommit(int64_t batch_id) {
  const std::string path = commits_path(batch_id);
  SILT_ASSIGN_OR_RETURN(std::string text, fs_.ReadFile(path));
  return ParseCommitEntry(text, path);
}

Status StreamCheckpoint::WriteOffsets(int64_t batch_id, const OffsetEntry& entry) {
  const std::string path = offsets_path(batch_id);
  return AsConflict(fs_.PutIfAbsent(path, SerializeOffsetEntry(entry)), location_, path);
}

Status StreamCheckpoint::WriteCommit(int64_t batch_id, const CommitEntry& entry) {
  const std::string path = commits_path(batch_id);
  return AsConflict(fs_.PutIfAbsent(path, SerializeCommitEntry(entry)), location_, path);
}

Status StreamCheckpoint::PurgeDir(const std::string& dir, int64_t below) {
  SILT_ASSIGN_OR_RETURN(std::vector<fs::FileInfo> entries, fs_.List(dir));
  for (const fs::FileInfo& info : entries) {
    if (info.is_dir) continue;
    std::optional<int64_t> id = ParseBatchId(fs::BaseName(info.path));
    if (!id || *id >= below) continue;
    Status deleted = fs_.DeleteFile(info.path);
    if (!deleted.ok() && !deleted.IsNotFound()) return deleted;
  }
  return Status::OK();
}

Status StreamCheckpoint::Purge(int64_t latest_batch_id, int64_t keep) {
  if (keep < 1) {
    return Status::InvalidArgument("minBatchesToRetain must be at least 1, got {}", keep);
  }
  const int64_t below = latest_batch_id - keep + 1;
  if (below <= purged_below_) return Status::OK();
  // Commits first: a crash in between leaves old offsets without commits, which recovery never
  // looks at (it starts from the newest entries).
  SILT_RETURN_NOT_OK(PurgeDir(fs::JoinPath(location_, kCommitsDir), below));
  SILT_RETURN_NOT_OK(PurgeDir(fs::JoinPath(location_, kOffsetsDir), below));
  purged_below_ = below;
  return Status::OK();
}

}  // namespace silt::stream
