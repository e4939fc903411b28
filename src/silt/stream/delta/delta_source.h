// The Delta streaming source (Spark's DeltaSource: options, defaults, offsets and semantics,
// see Delta's "Table streaming reads and writes" documentation): a new query first reads the
// table's latest snapshot (its files ordered by (modificationTime, path)), then the files each
// later commit adds. Offsets are Spark's DeltaSourceOffset JSON, so positions mean what they
// mean to Spark.
//
// Options (names matched case-insensitively, as Spark does):
//   startingVersion      a version number or "latest": read the changes from that version on
//                        instead of the snapshot first ("latest": only commits after the
//                        latest one at query start).
//   startingTimestamp    the changes from the first commit at or after this time
//                        ("2024-01-31", "2024-01-31T12:00:00Z", or epoch milliseconds).
//                        An explicit start is resolved once per query and stored in
//                        SourceContext::metadata_dir (delta_source_start.json), so a restart
//                        before the first batch committed starts from the same version.
//   maxFilesPerTrigger   files per batch (default 1000).
//   maxBytesPerTrigger   soft byte limit per batch ("64m", "1g", plain bytes); a batch always
//                        takes at least one file. Without maxFilesPerTrigger, files unlimited.
//   ignoreDeletes        commits that only remove files (dataChange=true) are skipped rather
//                        than failing the stream.
//   ignoreChanges        commits that remove and add files (updates, merges) are accepted:
//                        their added files are emitted again (rows may repeat).
//   skipChangeCommits    commits that remove any file with dataChange=true are skipped whole.
//   ignoreFileDeletion   deprecated Spark alias of ignoreChanges.
//   readChangeFeed       emit the change data feed (readChangeData is an alias): the table's
//                        columns plus _change_type, _commit_version, _commit_timestamp; the
//                        initial snapshot reads as inserts; each commit's changes stay in one
//                        batch.
//   excludeRegex         files whose path (as in the log) matches are not read: the initial
//                        snapshot's and each commit's data files and, with readChangeFeed,
//                        change data files and removed files too (their rows are left out).
//   failOnDataLoss       default true: a stream whose next commits or data files were cleaned
//                        up stops with kNotFound naming the missing versions (or file) and the
//                        table's retention settings; false: skip ahead with a warning.
//   endingVersion        (silt) the stream ends after this version: a bounded stream.
//   splitCommits         (silt) default true as Spark; false: a commit's files are never
//                        spread over two batches (a large commit may exceed the limits; the
//                        initial snapshot is still split by file).
// Without an option to relax it, a commit that removes data (a remove with dataChange=true)
// stops the stream with kUnsupported naming the version and the file, as in Spark; removes and
// adds with dataChange=false (OPTIMIZE, compaction) are never emitted.
//
// Schema: the table's schema when the query starts. A later commit that only adds columns stops
// the stream with a retryable kUnsupported (restart the query to read them); a commit that
// drops, renames or retypes a column, or changes the partitioning, stops it with kUnsupported
// naming what changed. Batches before the change are still delivered.
//
// Memory: the initial snapshot's file list is held, rows are read one data file at a time.
// Metrics(): numVersionsOutstanding, numFilesOutstanding, numBytesOutstanding,
// secondsBehindLatest (age of the oldest commit not yet read), and retentionWarning (true when
// that age passed 80% of the table's log or deleted-file retention, also logged).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "silt/base/result.h"
#include "silt/fs/file_system.h"
#include "silt/stream/source/source.h"

namespace silt::stream {

namespace delta_source_option {
inline constexpr std::string_view kStartingVersion = "startingVersion";
inline constexpr std::string_view kStartingTimestamp = "startingTimestamp";
inline constexpr std::string_view kMaxFilesPerTrigger = "maxFilesPerTrigger";
inline constexpr std::string_view kMaxBytesPerTrigger = "maxBytesPerTrigger";
inline constexpr std::string_view kIgnoreDeletes = "ignoreDeletes";
inline constexpr std::string_view kIgnoreChanges = "ignoreChanges";
inline constexpr std::string_view kIgnoreFileDeletion = "ignoreFileDeletion";
inline constexpr std::string_view kSkipChangeCommits = "skipChangeCommits";
inline constexpr std::string_view kReadChangeFeed = "readChangeFeed";
inline constexpr std::string_view kReadChangeData = "readChangeData";
inline constexpr std::string_view kExcludeRegex = "excludeRegex";
inline constexpr std::string_view kFailOnDataLoss = "failOnDataLoss";
inline constexpr std::string_view kEndingVersion = "endingVersion";
inline constexpr std::string_view kSplitCommits = "splitCommits";
}  // namespace delta_source_option

inline constexpr int64_t kDefaultMaxFilesPerTrigger = 1000;

// Spark's DeltaSourceOffset. Serialised as
//   {"sourceVersion":1,"reservoirId":"<table id>","reservoirVersion":7,"index":2,
//    "isStartingVersion":false}
// meaning: everything up to and including file `index` of version `reservoirVersion` was read
// (index -1: nothing of that version yet). isStartingVersion: the position is inside the
// initial snapshot of that version rather than inside its commit.
struct DeltaSourceOffset {
  static constexpr int64_t kBaseIndex = -1;

  std::string reservoir_id;
  int64_t reservoir_version = 0;
  int64_t index = kBaseIndex;
  bool is_starting_version = false;

  std::string ToJson() const;
  // Accepts sourceVersion 1 and 3 (Spark's base index -100 reads as -1). kInvalidArgument
  // naming the field for anything else.
  static Result<DeltaSourceOffset> Parse(std::string_view json);

  bool operator==(const DeltaSourceOffset&) const = default;
};

// A Delta source for the table at `table_path`. `fs` may be null: the engine's
// SourceContext::fs is used then. Errors: kInvalidArgument for an unknown option (the message
// lists the known ones) or a bad value (naming the option). The table is first read in Open():
// kNotFound "not a Delta table" and the errors of Snapshot::Load come from there.
Result<std::unique_ptr<Source>> MakeDeltaSource(std::shared_ptr<fs::FileSystem> fs,
                                                std::string table_path,
                                                std::map<std::string, std::string> options);

}  // namespace silt::stream
