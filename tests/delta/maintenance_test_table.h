// A Delta table for maintenance tests, built by writing commit files directly (actions
// serialized with ToCommitFile) through a MemoryFileSystem whose clock the test sets, so file
// modification times are pinned.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "silt/base/result.h"
#include "silt/delta/actions/action_json.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/log/log_replay.h"
#include "silt/delta/log/log_segment.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/file_system.h"
#include "silt/fs/memory_file_system.h"

namespace silt::delta::maintenance_testing {

inline constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
// 2026-01-01T00:00:00Z.
inline constexpr int64_t kStartMs = 1767225600000;

inline constexpr char kSchemaJson[] =
    R"({"type":"struct","fields":[)"
    R"({"name":"id","type":"long","nullable":true,"metadata":{}},)"
    R"({"name":"name","type":"string","nullable":true,"metadata":{}},)"
    R"({"name":"p","type":"integer","nullable":true,"metadata":{}}]})";

inline Metadata MakeMetadata(StringMap configuration = {},
                             std::vector<std::string> partition_columns = {"p"},
                             std::string schema = kSchemaJson) {
  Metadata m;
  m.id = "2b7e1d2c-6f0a-4a51-9d7e-0a1b2c3d4e5f";
  m.schema_string = std::move(schema);
  m.partition_columns = std::move(partition_columns);
  m.configuration = std::move(configuration);
  m.created_time = kStartMs;
  return m;
}

inline Protocol MakeProtocol(int32_t reader = 1, int32_t writer = 2,
                             std::optional<std::vector<std::string>> reader_features = {},
                             std::optional<std::vector<std::string>> writer_features = {}) {
  Protocol p;
  p.min_reader_version = reader;
  p.min_writer_version = writer;
  p.reader_features = std::move(reader_features);
  p.writer_features = std::move(writer_features);
  return p;
}

// An add of "p=<p>/<name>" with stats for ids [min_id, max_id].
inline Add MakeAdd(const std::string& name, int p, int64_t min_id, int64_t max_id,
                   int64_t size = 1000) {
  Add a;
  a.path = "p=" + std::to_string(p) + "/" + name;
  a.partition_values["p"] = std::to_string(p);
  a.size = size;
  a.modification_time = kStartMs;
  a.data_change = true;
  a.stats = "{\"numRecords\":" + std::to_string(max_id - min_id + 1) +
            ",\"minValues\":{\"id\":" + std::to_string(min_id) +
            ",\"name\":\"a\"},\"maxValues\":{\"id\":" + std::to_string(max_id) +
            ",\"name\":\"z\"},\"nullCount\":{\"id\":0,\"name\":0}}";
  return a;
}

inline Remove MakeRemove(const Add& add, int64_t deletion_timestamp) {
  Remove r;
  r.path = add.path;
  r.deletion_timestamp = deletion_timestamp;
  r.data_change = true;
  r.extended_file_metadata = true;
  r.partition_values = add.partition_values;
  r.size = add.size;
  r.deletion_vector = add.deletion_vector;
  return r;
}

inline CommitInfo MakeCommitInfo(int64_t timestamp, std::optional<int64_t> ict = std::nullopt) {
  CommitInfo c;
  c.timestamp = timestamp;
  c.operation = "WRITE";
  c.in_commit_timestamp = ict;
  return c;
}

class TestTable {
 public:
  explicit TestTable(std::string root = "memory://tables/t")
      : fs_([this] { return now_ms_; }), root_(std::move(root)) {}

  fs::MemoryFileSystem& fs() { return fs_; }
  const std::string& root() const { return root_; }
  std::string log_dir() const { return LogDirFor(root_); }
  // Modification time of files written from now on.
  void SetNow(int64_t ms) { now_ms_ = ms; }
  int64_t now() const { return now_ms_; }

  Status Commit(int64_t version, const std::vector<Action>& actions) {
    return fs_.PutIfAbsent(fs::JoinPath(log_dir(), CommitFileName(version)), ToCommitFile(actions));
  }

  // The latest (or given) version, reading Parquet checkpoints.
  Result<std::shared_ptr<const Snapshot>> Load(std::optional<int64_t> version = std::nullopt) {
    return Load(fs_, version);
  }
  Result<std::shared_ptr<const Snapshot>> Load(fs::FileSystem& fs,
                                               std::optional<int64_t> version = std::nullopt) {
    SnapshotOptions options;
    options.version = version;
    options.checkpoint_decoder = DefaultParquetCheckpointDecoder();
    return Snapshot::Load(fs, root_, options);
  }

  // The version replayed from its JSON commits alone, ignoring every checkpoint.
  Result<std::shared_ptr<const Snapshot>> LoadFromCommits(
      std::optional<int64_t> version = std::nullopt) {
    LogSegmentOptions options;
    options.version = version;
    options.ignore_checkpoints = true;
    SILT_ASSIGN_OR_RETURN(LogSegment segment, BuildLogSegment(fs_, root_, options));
    SILT_ASSIGN_OR_RETURN(LogState state, ReplayLogSegment(fs_, segment));
    return Snapshot::Make(root_, std::move(segment), std::move(state));
  }

  // Names of the files directly in _delta_log (sorted).
  std::vector<std::string> LogFileNames() {
    std::vector<std::string> out;
    auto listed = fs_.List(log_dir());
    if (!listed.ok()) return out;
    for (const fs::FileInfo& f : *listed) {
      if (!f.is_dir) out.emplace_back(fs::BaseName(f.path));
    }
    return out;
  }

 private:
  int64_t now_ms_ = kStartMs;
  fs::MemoryFileSystem fs_;
  std::string root_;
};

}  // namespace silt::delta::maintenance_testing
