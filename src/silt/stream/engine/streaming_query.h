// StreamingQuery: the micro-batch executor (Spark Structured Streaming's MicroBatchExecution).
// docs/streaming.md describes the semantics; in short, each batch runs
//
//   plan      Source::NextBatchEnd for each source, from the previous batch's end offsets
//   walCommit offsets/<id> is written (PutIfAbsent) BEFORE any row is read
//   getBatch  Source::ReadBatch(start, end), then the optional transform
//   addBatch  Sink::AddBatch(id, rows)    rows stream from the source to the sink
//   commit    commits/<id>, Source::Commit(end), purge of old checkpoint entries
//
// and a restarted query resumes from its checkpoint: a batch whose offsets entry has no commit
// entry is run again with exactly the same offsets and batch id (the sink recognises the id);
// a committed batch is never run again. Together with a sink that is idempotent per batch id this
// gives exactly-once output across crashes.
//
// Thread safety: Start, Stop, AwaitTermination, ProcessAllAvailable and the accessors may be
// called from any thread. Sources, the sink, the transform and listeners are called from the
// query's own thread (Open and OnQueryStarted from the thread calling Start).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "silt/base/result.h"
#include "silt/fs/file_system.h"
#include "silt/stream/checkpoint/checkpoint.h"
#include "silt/stream/engine/progress.h"
#include "silt/stream/engine/trigger.h"
#include "silt/stream/sink/sink.h"
#include "silt/stream/source/source.h"

namespace silt::stream {

// Turns the rows of a batch into the rows the sink gets (filter, project, enrich). Called once
// per batch run, again with the same batch id when a batch is re-run.
using BatchTransform = std::function<Result<std::unique_ptr<BatchReader>>(
    std::unique_ptr<BatchReader> rows, int64_t batch_id)>;

struct QueryStartedEvent {
  std::string id;
  std::string run_id;
  std::string name;
  std::string timestamp;
};

struct QueryTerminatedEvent {
  std::string id;
  std::string run_id;
  // OK when the query stopped normally.
  Status error;
};

// Spark's StreamingQueryListener. Callbacks must not block for long; they run on the query's
// thread (OnQueryStarted: on the thread calling Start).
class StreamingQueryListener {
 public:
  virtual ~StreamingQueryListener() = default;
  virtual void OnQueryStarted(const QueryStartedEvent& event) { (void)event; }
  virtual void OnQueryProgress(const StreamingQueryProgress& progress) { (void)progress; }
  virtual void OnQueryTerminated(const QueryTerminatedEvent& event) { (void)event; }
};

struct QueryOptions {
  // Shown in progress records; may be empty.
  std::string name;
  // The checkpoint folder and the FileSystem it lives on (must outlive the query).
  fs::FileSystem* checkpoint_fs = nullptr;
  std::string checkpoint_location;
  Trigger trigger;
  OutputMode output_mode = OutputMode::kAppend;
  // At least one. With several, their rows are concatenated (all must have one schema).
  std::vector<std::unique_ptr<Source>> sources;
  BatchTransform transform;
  std::unique_ptr<Sink> sink;
  std::vector<std::shared_ptr<StreamingQueryListener>> listeners;
  // Checkpoint entries of the newest this many batches are kept (Spark's minBatchesToRetain).
  int64_t min_batches_to_retain = kDefaultMinBatchesToRetain;
  // Stored in each offsets entry's metadata (Spark's conf).
  std::map<std::string, std::string> conf;
  // When set, each progress record is appended as one JSON line to this file on
  // progress_log_fs (checkpoint_fs when null). The file is rewritten whole (atomically, with
  // Put) per record, so it is bounded: once it holds progress_log_max_records records it is
  // rolled to "<path>.1" (the older rolled files shift to .2, .3, ... and the one past
  // progress_log_max_files is dropped) and a new file starts. A failure to write the log is
  // logged and does not stop the query.
  std::string progress_log_path;
  fs::FileSystem* progress_log_fs = nullptr;
  int64_t progress_log_max_records = 100;
  int64_t progress_log_max_files = 10;
  // While triggers find no data, a progress record with numInputRows 0 (and the batch id the
  // next batch will get) is reported when none was for this long, counted from the start of
  // the run or the last record (Spark's spark.sql.streaming.noDataProgressEventInterval).
  // 0: never.
  int64_t no_data_progress_interval_ms = 10'000;
  // > 0: the query stops after running this many batches in this run.
  int64_t max_batches = 0;
  // How many progress records recent_progress() keeps (Spark's numRecentProgressUpdates).
  size_t recent_progress_limit = 100;
  // With ProcessingTime(0): how long a trigger that found no data waits before the next one.
  int64_t no_data_poll_ms = 10;
};

class StreamingQuery {
 public:
  // kInvalidArgument for incomplete options (no source, no sink, no checkpoint).
  static Result<std::unique_ptr<StreamingQuery>> Make(QueryOptions options);
  // Stops the query (see Stop).
  ~StreamingQuery();
  StreamingQuery(const StreamingQuery&) = delete;
  StreamingQuery& operator=(const StreamingQuery&) = delete;

  // Opens the checkpoint (creating it, or checking the stored query shape: kInvalidArgument
  // when it differs), recovers the position, opens sources and sink, then runs the batches on a
  // thread of the query. Errors found before the thread starts are returned here (and the query
  // is then terminated with that error). Called once.
  Status Start();

  // Asks the query to stop and waits for its thread. A batch in flight is either finished or
  // abandoned cleanly (its offsets entry stays without a commit entry, so the next start re-runs
  // it). Idempotent; from a listener callback it only asks.
  void Stop();
  // Asks the query to stop without waiting (safe from any thread, not from a signal handler).
  void RequestStop();

  // Waits until the query terminates: the query's error, OK when it stopped normally.
  Status AwaitTermination();
  // Waits at most timeout_ms: true when terminated (OK stop), false on timeout, the query's
  // error when it failed.
  Result<bool> AwaitTermination(int64_t timeout_ms);

  // Blocks until every source had no more data at a trigger that started after this call and
  // all batches before it were committed, or the query terminated (returns its error). Tests.
  Status ProcessAllAvailable();

  // Spark's StreamingQuery.status.
  QueryStatus status() const;
  std::optional<StreamingQueryProgress> last_progress() const;
  std::vector<StreamingQueryProgress> recent_progress() const;
  bool is_active() const;
  // The error that ended the query (OK while running or after a normal stop).
  Status exception() const;

  // Valid after Start: the query id (from the checkpoint) and this run's id.
  const std::string& id() const { return id_; }
  const std::string& run_id() const { return run_id_; }
  const std::string& name() const { return options_.name; }
  // The id the next batch will get.
  int64_t next_batch_id() const;

 private:
  explicit StreamingQuery(QueryOptions options);
  Status Prepare();
  void RunLoop();
  Status Loop();
  // Runs one trigger: true when a batch ran, false when there was no data (or a stop was asked
  // before the batch started).
  Result<bool> RunTrigger();
  Status RunBatch(int64_t batch_id, const OffsetEntry& entry, int64_t trigger_start_us,
                  int64_t trigger_start_ms, int64_t latest_offset_ms, int64_t wal_ms);
  void SetStatus(const char* message, bool data_available, bool trigger_active);
  // Sleeps up to ms, waking early on a stop or ProcessAllAvailable.
  void SleepFor(int64_t ms);
  void Terminate(Status error);
  // A progress record's query fields (id, runId, name, timestamp, batchId, watermark).
  StreamingQueryProgress NewProgress(int64_t trigger_start_ms, int64_t batch_id,
                                     int64_t watermark_ms) const;
  // Source i's progress from `start` to `end`, with its latest offset and metrics.
  SourceProgress SourceProgressOf(size_t i, std::optional<std::string> start,
                                  std::optional<std::string> end) const;
  // Delivers a progress record to the log, the listeners and recent_progress().
  void Report(StreamingQueryProgress progress);
  // With no data at a trigger: a progress record of no rows when one is due.
  void MaybeReportIdle(int64_t trigger_start_ms, int64_t latest_offset_ms, int64_t trigger_ms);
  void AppendProgressLog(const StreamingQueryProgress& progress);
  void RollProgressLog(fs::FileSystem& fs);
  bool stop_requested() const;

  QueryOptions options_;
  std::unique_ptr<StreamCheckpoint> checkpoint_;
  std::string id_;
  std::string run_id_;
  columnar::SchemaPtr schema_;

  // Position (touched only by the query thread after Start).
  int64_t next_batch_id_ = 0;
  std::vector<std::optional<Offset>> committed_offsets_;
  std::optional<OffsetEntry> pending_;  // an entry without a commit, to run again first
  int64_t batches_run_ = 0;
  int64_t previous_batch_start_ms_ = 0;
  int64_t watermark_ms_ = 0;
  std::string progress_log_content_;
  int64_t progress_log_records_ = 0;  // in progress_log_content_
  bool progress_log_loaded_ = false;
  int64_t last_progress_ms_ = 0;  // when a progress record was last reported (or the run began)

  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool started_ = false;
  bool terminated_ = false;
  bool stop_requested_ = false;
  bool wake_ = false;
  int64_t rounds_started_ = 0;
  int64_t last_idle_round_ = -1;
  int64_t next_batch_id_shared_ = 0;
  Status error_;
  QueryStatus status_;
  std::deque<StreamingQueryProgress> recent_;
};

}  // namespace silt::stream
