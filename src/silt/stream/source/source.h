// Streaming sources (the micro-batch model of Spark Structured Streaming's Source /
// SupportsAdmissionControl): a source names positions in its input with offsets, and the
// engine asks it for the end of the next batch and for the rows between two offsets. The engine
// writes the end offset to its write-ahead log before reading, so a source must return the same
// rows for the same (start, end] after a restart.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/record_batch.h"
#include "silt/columnar/schema.h"
#include "silt/fs/file_system.h"

namespace silt::stream {

// An offset as the source serialises it: JSON text (Spark's offset JSON for the Delta source),
// stored verbatim in the checkpoint's offset log.
using Offset = std::string;

// A stream of record batches of one schema. Used by one thread at a time.
class BatchReader {
 public:
  virtual ~BatchReader() = default;
  virtual const columnar::SchemaPtr& schema() const = 0;
  // The next batch (never empty), or nullopt at the end.
  virtual Result<std::optional<columnar::RecordBatchPtr>> Next() = 0;
};

// A BatchReader over batches held in memory (empty batches are skipped).
class VectorBatchReader : public BatchReader {
 public:
  VectorBatchReader(columnar::SchemaPtr schema, std::vector<columnar::RecordBatchPtr> batches);
  const columnar::SchemaPtr& schema() const override { return schema_; }
  Result<std::optional<columnar::RecordBatchPtr>> Next() override;

 private:
  columnar::SchemaPtr schema_;
  std::vector<columnar::RecordBatchPtr> batches_;
  size_t next_ = 0;
};

// Reads every batch of `reader` (tests, small sinks).
Result<std::vector<columnar::RecordBatchPtr>> ReadAllBatches(BatchReader& reader);

// What the engine gives a source when a query starts.
struct SourceContext {
  fs::FileSystem* fs = nullptr;
  // The source's own folder in the query checkpoint (`<checkpoint>/sources/<index>`), for
  // source-specific state; may not exist yet.
  std::string metadata_dir;
  // The query's id (stable across restarts) and this run's id.
  std::string query_id;
  std::string run_id;
};

class Source {
 public:
  virtual ~Source() = default;

  // A short name for progress records and errors, e.g. "DeltaSource[/data/events]".
  virtual std::string description() const = 0;

  // Called once before anything else. Errors stop the query.
  virtual Status Open(const SourceContext& context) = 0;

  // The schema of the rows ReadBatch produces (valid after Open).
  virtual Result<columnar::SchemaPtr> schema() = 0;

  // Called once, after Open, when the query runs with the available-now trigger: from then on
  // NextBatchEnd never goes past what was available at this call.
  virtual Status PrepareForAvailableNow() { return Status::OK(); }

  // The end offset of the next batch after `start` (nullopt: the stream's beginning), admitting
  // as much as the source's own rate-limit options allow (e.g. maxFilesPerTrigger). nullopt when
  // there is nothing new after `start`.
  virtual Result<std::optional<Offset>> NextBatchEnd(const std::optional<Offset>& start) = 0;

  // The rows in (start, end]. Must be deterministic: the engine calls it again with the same
  // offsets when it re-runs a batch after a restart.
  virtual Result<std::unique_ptr<BatchReader>> ReadBatch(const std::optional<Offset>& start,
                                                         const Offset& end) = 0;

  // The batch ending at `end` is committed; nothing before it will be read again.
  virtual Status Commit(const Offset& end) {
    (void)end;
    return Status::OK();
  }

  // The newest offset the source knows of (progress `latestOffset`), when it tracks one.
  virtual std::optional<Offset> latest_offset() const { return std::nullopt; }

  // Source metrics for the progress record (e.g. backlog): name -> JSON value text.
  virtual std::map<std::string, std::string> Metrics() const { return {}; }

  // The query stopped; release resources. May be called from another thread than the one
  // running batches, once the batch loop has ended.
  virtual void Stop() {}
};

}  // namespace silt::stream
