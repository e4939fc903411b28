// Streaming sinks: where the rows of each micro-batch go. The engine may hand a sink the same
// batch id twice (a batch re-run after a crash between the sink's commit and the engine's commit
// log entry); a sink that promises exactly-once recognises the id and skips the rows.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "silt/base/result.h"
#include "silt/fs/file_system.h"
#include "silt/stream/source/source.h"

namespace silt::stream {

// Spark's output modes: only new rows (append) or the whole result each batch (complete).
enum class OutputMode { kAppend, kComplete };

// What the engine gives a sink when a query starts.
struct SinkContext {
  fs::FileSystem* fs = nullptr;
  std::string query_id;
  std::string run_id;
  OutputMode output_mode = OutputMode::kAppend;
};

struct SinkResult {
  // Rows the sink wrote for this batch (0 when it skipped a batch it had already committed).
  int64_t num_output_rows = 0;
  // True when the batch id was already committed and nothing was written.
  bool skipped = false;
  // Sink metrics for the progress record: name -> JSON value text.
  std::map<std::string, std::string> metrics;
};

class Sink {
 public:
  virtual ~Sink() = default;

  // A short name for progress records and errors, e.g. "DeltaSink[/data/out]".
  virtual std::string description() const = 0;

  // Called once before the first batch.
  virtual Status Open(const SinkContext& context) = 0;

  // Writes all rows of `data` as batch `batch_id` (batch ids increase by one per batch). On
  // error nothing of the batch may be visible to readers, or the sink must recognise the batch
  // id when it is called again.
  virtual Result<SinkResult> AddBatch(int64_t batch_id, BatchReader& data) = 0;

  // The query stopped.
  virtual void Stop() {}
};

}  // namespace silt::stream
