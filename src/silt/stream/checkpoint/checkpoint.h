// The checkpoint folder of a streaming query: our own on-disk format, modelled on Spark
// Structured Streaming's (docs/streaming.md describes it byte by byte):
//
//   <checkpoint>/metadata           {"id":..., "sources":[...], "sink":...}   written once
//   <checkpoint>/offsets/<batchId>  v1 / batch metadata JSON / one offset line per source
//   <checkpoint>/commits/<batchId>  v1 / {"nextBatchWatermarkMs":...}
//   <checkpoint>/sources/<i>/       state of source i, owned by the source
//
// Every file is written whole and atomically through the FileSystem: new log entries with
// PutIfAbsent, so that two queries running on one checkpoint cannot both write a batch (the
// loser gets kConflict "another query is using this checkpoint").
//
// Thread safety: a StreamCheckpoint is used by one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/fs/file_system.h"
#include "silt/stream/source/source.h"

namespace silt::stream {

// The version line of offsets/ and commits/ entries.
inline constexpr std::string_view kCheckpointLogVersion = "v1";
// The offset line of a source that has no offset yet (Spark writes the same).
inline constexpr std::string_view kNoOffsetLine = "-";
// Spark's spark.sql.streaming.minBatchesToRetain default.
inline constexpr int64_t kDefaultMinBatchesToRetain = 100;

// What a query is: compared on restart, a different shape is refused.
struct QueryShape {
  std::vector<std::string> sources;  // Source::description() of each source, in order
  std::string sink;                  // Sink::description()
};

// The `metadata` file.
struct QueryMetadata {
  std::string id;  // the query id, stable across restarts
  QueryShape shape;
};

// The metadata line of an offsets entry (Spark's OffsetSeqMetadata).
struct BatchMetadata {
  int64_t batch_watermark_ms = 0;
  int64_t batch_timestamp_ms = 0;
  std::map<std::string, std::string> conf;
};

// offsets/<batchId>: the end offset of each source for the batch (nullopt: the source has no
// offset yet). Written before the batch is read (write-ahead).
struct OffsetEntry {
  BatchMetadata metadata;
  std::vector<std::optional<Offset>> offsets;
};

// commits/<batchId>: written after the sink committed the batch.
struct CommitEntry {
  int64_t next_batch_watermark_ms = 0;
};

// Serialisation, exposed for tests and tools. Parse errors are kCorruption naming `name`
// (the file); an unknown version line is kUnsupported.
std::string SerializeQueryMetadata(const QueryMetadata& metadata);
Result<QueryMetadata> ParseQueryMetadata(std::string_view text, std::string_view name);
std::string SerializeOffsetEntry(const OffsetEntry& entry);
Result<OffsetEntry> ParseOffsetEntry(std::string_view text, std::string_view name);
std::string SerializeCommitEntry(const CommitEntry& entry);
Result<CommitEntry> ParseCommitEntry(std::string_view text, std::string_view name);

class StreamCheckpoint {
 public:
  // `fs` must outlive the checkpoint. Nothing is read or written yet.
  StreamCheckpoint(fs::FileSystem& fs, std::string location);

  const std::string& location() const { return location_; }
  fs::FileSystem& fs() { return fs_; }
  std::string metadata_path() const;
  std::string offsets_path(int64_t batch_id) const;
  std::string commits_path(int64_t batch_id) const;
  // `<checkpoint>/sources/<index>`.
  std::string source_dir(size_t index) const;

  // Reads `metadata`, or creates it with a new query id when absent. When it exists, its shape
  // must equal `shape`: otherwise kInvalidArgument naming what differs (source count, source i,
  // sink) with both descriptions.
  Result<QueryMetadata> LoadOrCreateMetadata(const QueryShape& shape);

  // The newest batch id in offsets/ (commits/), nullopt when there is none. Entries whose
  // names are not batch ids (temporary files) are ignored.
  Result<std::optional<int64_t>> LatestOffsetsBatchId();
  Result<std::optional<int64_t>> LatestCommitBatchId();

  // kNotFound when the entry does not exist; kCorruption naming the file when it does not parse.
  Result<OffsetEntry> ReadOffsets(int64_t batch_id);
  Result<CommitEntry> ReadCommit(int64_t batch_id);

  // Creates the entry. kConflict ("another query is using this checkpoint") when it exists.
  Status WriteOffsets(int64_t batch_id, const OffsetEntry& entry);
  Status WriteCommit(int64_t batch_id, const CommitEntry& entry);

  // Deletes offsets and commits entries of batches below `latest_batch_id - keep + 1`, so the
  // newest `keep` batches stay (keep >= 1). Entries that vanish meanwhile are not an error.
  Status Purge(int64_t latest_batch_id, int64_t keep);

 private:
  Result<std::optional<int64_t>> LatestIn(const std::string& dir);
  Status PurgeDir(const std::string& dir, int64_t below);

  fs::FileSystem& fs_;
  std::string location_;
  // Batch ids below this are known to be purged already (avoids listing after every batch).
  int64_t purged_below_ = 0;
};

}  // namespace silt::stream
