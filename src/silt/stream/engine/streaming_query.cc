#include "silt/stream/engine/streaming_query.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "silt/base/logging.h"
#include "silt/base/time.h"
#include "silt/base/uuid.h"

namespace silt::stream {
namespace {

int64_t ElapsedMs(int64_t since_us) { return (MonotonicMicros() - since_us) / 1000; }

// Counts the rows of one source's batch.
class CountingReader final : public BatchReader {
 public:
  CountingReader(std::unique_ptr<BatchReader> inner, int64_t* rows)
      : inner_(std::move(inner)), rows_(rows) {}
  const columnar::SchemaPtr& schema() const override { return inner_->schema(); }
  Result<std::optional<columnar::RecordBatchPtr>> Next() override {
    SILT_ASSIGN_OR_RETURN(std::optional<columnar::RecordBatchPtr> batch, inner_->Next());
    if (batch) *rows_ += (*batch)->num_rows();
    return batch;
  }

 private:
  std::unique_ptr<BatchReader> inner_;
  int64_t* rows_;
};

// The rows of several readers one after the other (all of one schema).
class ConcatReader final : public BatchReader {
 public:
  ConcatReader(columnar::SchemaPtr schema, std::vector<std::unique_ptr<BatchReader>> readers)
      : schema_(std::move(schema)), readers_(std::move(readers)) {}
  const columnar::SchemaPtr& schema() const override { return schema_; }
  Result<std::optional<columnar::RecordBatchPtr>> Next() override {
    while (next_ < readers_.size()) {
      SILT_ASSIGN_OR_RETURN(std::optional<columnar::RecordBatchPtr> batch, readers_[next_]->Next());
      if (batch) return batch;
      readers_[next_].reset();
      ++next_;
    }
    return std::optional<columnar::RecordBatchPtr>();
  }

 private:
  columnar::SchemaPtr schema_;
  std::vector<std::unique_ptr<BatchReader>> readers_;
  size_t next_ = 0;
};

// Fails with kCancelled once the query is asked to stop, so that a long batch is abandoned
// (the sink must then not make it visible; the restart re-runs it).
class StopCheckingReader final : public BatchReader {
 public:
  StopCheckingReader(std::unique_ptr<BatchReader> inner, std::function<bool()> stop)
      : inner_(std::move(inner)), stop_(std::move(stop)) {}
  const columnar::SchemaPtr& schema() const override { return inner_->schema(); }
  Result<std::optional<columnar::RecordBatchPtr>> Next() override {
    if (stop_()) return Status::Cancelled("the query was stopped during the batch");
    return inner_->Next();
  }

 private:
  std::unique_ptr<BatchReader> inner_;
  std::function<bool()> stop_;
};

double RowsPerSecond(int64_t rows, int64_t ms) {
  return ms > 0 ? static_cast<double>(rows) * 1000.0 / static_cast<double>(ms) : 0.0;
}

}  // namespace

Result<std::unique_ptr<StreamingQuery>> StreamingQuery::Make(QueryOptions options) {
  if (options.sources.empty()) {
    return Status::InvalidArgument("streaming query {}: no source", options.name);
  }
  for (const auto& source : options.sources) {
    if (!source)
      return Status::InvalidArgument("streaming query {}: a source is null", options.name);
  }
  if (!options.sink) return Status::InvalidArgument("streaming query {}: no sink", options.name);
  if (options.checkpoint_fs == nullptr || options.checkpoint_location.empty()) {
    return Status::InvalidArgument("streaming query {}: no checkpoint location", options.name);
  }
  if (options.min_batches_to_retain < 1) {
    return Status::InvalidArgument("minBatchesToRetain must be at least 1, got {}",
                                   options.min_batches_to_retain);
  }
  if (options.progress_log_max_records < 1 || options.progress_log_max_files < 0) {
    return Status::InvalidArgument(
        "progress log: at least 1 record per file and 0 or more rolled files, got {} and {}",
        options.progress_log_max_records, options.progress_log_max_files);
  }
  if (options.no_data_progress_interval_ms < 0) {
    return Status::InvalidArgument("no-data progress interval must not be negative: {}",
                                   options.no_data_progress_interval_ms);
  }
  if (options.trigger.interval_ms < 0) {
    return Status::InvalidArgument("trigger interval must not be negative: {}",
                                   options.trigger.interval_ms);
  }
  return std::unique_ptr<StreamingQuery>(new StreamingQuery(std::move(options)));
}

StreamingQuery::StreamingQuery(QueryOptions options) : options_(std::move(options)) {}

StreamingQuery::~StreamingQuery() { Stop(); }

bool StreamingQuery::stop_requested() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stop_requested_;
}

void StreamingQuery::SetStatus(const char* message, bool data_available, bool trigger_active) {
  std::lock_guard<std::mutex> lock(mu_);
  status_.message = message;
  status_.is_data_available = data_available;
  status_.is_trigger_active = trigger_active;
}

Status StreamingQuery::Prepare() {
  fs::FileSystem& fs = *options_.checkpoint_fs;
  checkpoint_ = std::make_unique<StreamCheckpoint>(fs, options_.checkpoint_location);
  QueryShape shape;
  for (const auto& source : options_.sources) shape.sources.push_back(source->description());
  shape.sink = options_.sink->description();
  SILT_ASSIGN_OR_RETURN(QueryMetadata metadata, checkpoint_->LoadOrCreateMetadata(shape));
  id_ = metadata.id;
  run_id_ = NewUuid();

  for (size_t i = 0; i < options_.sources.size(); ++i) {
    Source& source = *options_.sources[i];
    SourceContext context{&fs, checkpoint_->source_dir(i), id_, run_id_};
    SILT_RETURN_NOT_OK(source.Open(context).WithContext(source.description()));
    SILT_ASSIGN_OR_RETURN(columnar::SchemaPtr schema, source.schema());
    if (!schema_) {
      schema_ = schema;
    } else if (!schema->Equals(*schema_, /*check_metadata=*/false)) {
      return Status::Unsupported(
          "streaming query {}: sources of different schemas ({} and {}) cannot be combined",
          options_.name, schema_->ToString(), schema->ToString());
    }
  }
  SinkContext sink_context{&fs, id_, run_id_, options_.output_mode};
  SILT_RETURN_NOT_OK(options_.sink->Open(sink_context).WithContext(options_.sink->description()));

  // Recovery.
  const size_t n = options_.sources.size();
  committed_offsets_.assign(n, std::nullopt);
  SILT_ASSIGN_OR_RETURN(std::optional<int64_t> latest, checkpoint_->LatestOffsetsBatchId());
  if (latest) {
    SILT_ASSIGN_OR_RETURN(OffsetEntry entry, checkpoint_->ReadOffsets(*latest));
    if (entry.offsets.size() != n) {
      return Status::Corruption("{}: has offsets of {} source(s), the query has {}",
                                checkpoint_->offsets_path(*latest), entry.offsets.size(), n);
    }
    SILT_ASSIGN_OR_RETURN(std::optional<int64_t> latest_commit, checkpoint_->LatestCommitBatchId());
    if (latest_commit && *latest_commit >= *latest) {
      SILT_ASSIGN_OR_RETURN(CommitEntry commit, checkpoint_->ReadCommit(*latest));
      watermark_ms_ = commit.next_batch_watermark_ms;
      committed_offsets_ = entry.offsets;
      next_batch_id_ = *latest + 1;
      for (size_t i = 0; i < n; ++i) {
        if (committed_offsets_[i]) {
          SILT_RETURN_NOT_OK(options_.sources[i]->Commit(*committed_offsets_[i]));
        }
      }
    } else {
      // The last batch was planned (offsets written) but not committed: run it again with
      // exactly these offsets. Its start is the end of the batch before.
      if (*latest > 0) {
        if (!latest_commit || *latest_commit != *latest - 1) {
          return Status::Corruption(
              "checkpoint {}: batch {} has offsets but the newest commit is {}; batches in "
              "between are missing",
              options_.checkpoint_location, *latest,
              latest_commit ? std::to_string(*latest_commit) : std::string("none"));
        }
        auto previous = checkpoint_->ReadOffsets(*latest - 1);
        if (!previous.ok()) {
          return previous.status().WithContext(
              fmt::format("reading the start offsets to re-run batch {}", *latest));
        }
        if (previous->offsets.size() != n) {
          return Status::Corruption("{}: has offsets of {} source(s), the query has {}",
                                    checkpoint_->offsets_path(*latest - 1),
                                    previous->offsets.size(), n);
        }
        committed_offsets_ = previous->offsets;
        SILT_ASSIGN_OR_RETURN(CommitEntry commit, checkpoint_->ReadCommit(*latest - 1));
        watermark_ms_ = commit.next_batch_watermark_ms;
        for (size_t i = 0; i < n; ++i) {
          if (committed_offsets_[i]) {
            SILT_RETURN_NOT_OK(options_.sources[i]->Commit(*committed_offsets_[i]));
          }
        }
      }
      next_batch_id_ = *latest;
      pending_ = std::move(entry);
    }
  }
  if (options_.trigger.kind == Trigger::Kind::kAvailableNow) {
    for (const auto& source : options_.sources) {
      SILT_RETURN_NOT_OK(source->PrepareForAvailableNow().WithContext(source->description()));
    }
  }
  return Status::OK();
}

Status StreamingQuery::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_) return Status::InvalidArgument("streaming query {}: already started", name());
    started_ = true;
    status_.is_active = true;
    status_.message = kStatusInitializing;
  }
  Status prepared = Prepare();
  if (!prepared.ok()) {
    for (const auto& source : options_.sources) source->Stop();
    options_.sink->Stop();
    std::lock_guard<std::mutex> lock(mu_);
    terminated_ = true;
    error_ = prepared;
    status_.is_active = false;
    status_.message = kStatusStopped;
    status_.last_error = prepared;
    cv_.notify_all();
    return prepared;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    next_batch_id_shared_ = next_batch_id_;
  }
  QueryStartedEvent started{id_, run_id_, options_.name, FormatTimestampMillis(NowMillis())};
  for (const auto& listener : options_.listeners) listener->OnQueryStarted(started);
  thread_ = std::thread([this] { RunLoop(); });
  return Status::OK();
}

void StreamingQuery::RequestStop() {
  std::lock_guard<std::mutex> lock(mu_);
  stop_requested_ = true;
  cv_.notify_all();
}

void StreamingQuery::Stop() {
  RequestStop();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void StreamingQuery::RunLoop() {
  Status result = Loop();
  if (!result.ok() && result.code() == StatusCode::kCancelled && stop_requested()) {
    result = Status::OK();  // a batch abandoned because of Stop(): not an error
  }
  if (!result.ok()) {
    SILT_LOG_ERROR("streaming query {} [id = {}, runId = {}] failed: {}", options_.name, id_,
                   run_id_, result.ToString());
  }
  Terminate(std::move(result));
}

void StreamingQuery::Terminate(Status error) {
  for (const auto& source : options_.sources) source->Stop();
  options_.sink->Stop();
  QueryTerminatedEvent event{id_, run_id_, error};
  for (const auto& listener : options_.listeners) listener->OnQueryTerminated(event);
  std::lock_guard<std::mutex> lock(mu_);
  terminated_ = true;
  error_ = std::move(error);
  status_.is_active = false;
  status_.is_trigger_active = false;
  status_.is_data_available = false;
  status_.message = kStatusStopped;
  status_.last_error = error_;
  cv_.notify_all();
}

void StreamingQuery::SleepFor(int64_t ms) {
  if (ms <= 0) return;
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stop_requested_ || wake_; });
  wake_ = false;
}

Status StreamingQuery::Loop() {
  const Trigger& trigger = options_.trigger;
  last_progress_ms_ = NowMillis();
  while (!stop_requested()) {
    if (options_.max_batches > 0 && batches_run_ >= options_.max_batches) break;
    const int64_t trigger_start_ms = NowMillis();
    SILT_ASSIGN_OR_RETURN(bool ran, RunTrigger());
    if (trigger.kind == Trigger::Kind::kOnce) break;
    if (trigger.kind == Trigger::Kind::kAvailableNow && !ran) break;
    if (options_.max_batches > 0 && batches_run_ >= options_.max_batches) break;
    switch (trigger.kind) {
      case Trigger::Kind::kProcessingTime:
        if (trigger.interval_ms > 0) {
          SetStatus(ran ? kStatusWaitingForTrigger : kStatusWaiting, ran, false);
          // Spark's ProcessingTimeExecutor: the next multiple of the interval.
          const int64_t now = NowMillis();
          const int64_t next = (trigger_start_ms / trigger.interval_ms + 1) * trigger.interval_ms;
          SleepFor(next - now);
        } else if (!ran) {
          SleepFor(options_.no_data_poll_ms);
        }
        break;
      case Trigger::Kind::kContinuous:
        if (!ran) SleepFor(trigger.interval_ms);
        break;
      case Trigger::Kind::kOnce:
      case Trigger::Kind::kAvailableNow:
        break;
    }
  }
  return Status::OK();
}

Result<bool> StreamingQuery::RunTrigger() {
  int64_t round;
  {
    std::lock_guard<std::mutex> lock(mu_);
    round = ++rounds_started_;
    wake_ = false;
  }
  const int64_t trigger_start_us = MonotonicMicros();
  const int64_t trigger_start_ms = NowMillis();
  const size_t n = options_.sources.size();

  if (pending_) {
    OffsetEntry entry = std::move(*pending_);
    pending_.reset();
    SILT_LOG_INFO("streaming query {}: re-running batch {} (its offsets have no commit)",
                  options_.name, next_batch_id_);
    SetStatus(kStatusProcessing, true, true);
    SILT_RETURN_NOT_OK(RunBatch(next_batch_id_, entry, trigger_start_us, trigger_start_ms, 0, 0));
    return true;
  }

  SetStatus(kStatusGettingOffsets, false, true);
  OffsetEntry entry;
  entry.offsets = committed_offsets_;
  bool has_data = false;
  for (size_t i = 0; i < n; ++i) {
    Source& source = *options_.sources[i];
    auto end = source.NextBatchEnd(committed_offsets_[i]);
    if (!end.ok()) return end.status().WithContext(source.description());
    if (*end && *end != committed_offsets_[i]) {
      entry.offsets[i] = std::move(**end);
      has_data = true;
    }
  }
  const int64_t latest_offset_ms = ElapsedMs(trigger_start_us);
  if (!has_data) {
    SetStatus(kStatusWaiting, false, false);
    if (options_.trigger.kind != Trigger::Kind::kOnce &&
        options_.trigger.kind != Trigger::Kind::kAvailableNow) {
      MaybeReportIdle(trigger_start_ms, latest_offset_ms, ElapsedMs(trigger_start_us));
    }
    std::lock_guard<std::mutex> lock(mu_);
    last_idle_round_ = round;
    cv_.notify_all();
    return false;
  }
  if (stop_requested()) return false;  // nothing written yet: nothing to clean up

  SetStatus(kStatusProcessing, true, true);
  entry.metadata.batch_watermark_ms = watermark_ms_;
  entry.metadata.batch_timestamp_ms = trigger_start_ms;
  entry.metadata.conf = options_.conf;
  const int64_t wal_start_us = MonotonicMicros();
  SILT_RETURN_NOT_OK(checkpoint_->WriteOffsets(next_batch_id_, entry));
  const int64_t wal_ms = ElapsedMs(wal_start_us);
  SILT_RETURN_NOT_OK(RunBatch(next_batch_id_, entry, trigger_start_us, trigger_start_ms,
                              latest_offset_ms, wal_ms));
  return true;
}

Status StreamingQuery::RunBatch(int64_t batch_id, const OffsetEntry& entry,
                                int64_t trigger_start_us, int64_t trigger_start_ms,
                                int64_t latest_offset_ms, int64_t wal_ms) {
  const size_t n = options_.sources.size();
  if (stop_requested()) {
    return Status::Cancelled("the query was stopped before batch {} was read", batch_id);
  }

  // getBatch: one reader per source with new offsets.
  const int64_t get_batch_start_us = MonotonicMicros();
  std::vector<int64_t> source_rows(n, 0);
  std::vector<std::unique_ptr<BatchReader>> readers;
  for (size_t i = 0; i < n; ++i) {
    if (!entry.offsets[i] || entry.offsets[i] == committed_offsets_[i]) continue;
    Source& source = *options_.sources[i];
    auto reader = source.ReadBatch(committed_offsets_[i], *entry.offsets[i]);
    if (!reader.ok()) {
      return reader.status().WithContext(
          fmt::format("{}: reading batch {}", source.description(), batch_id));
    }
    readers.push_back(std::make_unique<CountingReader>(std::move(*reader), &source_rows[i]));
  }
  std::unique_ptr<BatchReader> rows;
  if (readers.size() == 1) {
    rows = std::move(readers[0]);
  } else if (readers.empty()) {
    rows = std::make_unique<VectorBatchReader>(schema_, std::vector<columnar::RecordBatchPtr>{});
  } else {
    rows = std::make_unique<ConcatReader>(schema_, std::move(readers));
  }
  rows = std::make_unique<StopCheckingReader>(std::move(rows), [this] { return stop_requested(); });
  if (options_.transform) {
    auto transformed = options_.transform(std::move(rows), batch_id);
    if (!transformed.ok()) {
      return transformed.status().WithContext(fmt::format("transform of batch {}", batch_id));
    }
    rows = std::move(*transformed);
  }
  const int64_t get_batch_ms = ElapsedMs(get_batch_start_us);

  // addBatch: rows stream from the source readers through the transform into the sink.
  const int64_t add_batch_start_us = MonotonicMicros();
  Sink& sink = *options_.sink;
  auto sink_result = sink.AddBatch(batch_id, *rows);
  rows.reset();
  if (!sink_result.ok()) {
    return sink_result.status().WithContext(
        fmt::format("{}: writing batch {}", sink.description(), batch_id));
  }
  const int64_t add_batch_ms = ElapsedMs(add_batch_start_us);

  // commit: the commit entry, then the sources, then the purge of old entries.
  const int64_t commit_start_us = MonotonicMicros();
  SILT_RETURN_NOT_OK(checkpoint_->WriteCommit(batch_id, CommitEntry{watermark_ms_}));
  std::vector<std::optional<Offset>> start_offsets = committed_offsets_;
  committed_offsets_ = entry.offsets;
  next_batch_id_ = batch_id + 1;
  ++batches_run_;
  {
    std::lock_guard<std::mutex> lock(mu_);
    next_batch_id_shared_ = next_batch_id_;
  }
  for (size_t i = 0; i < n; ++i) {
    if (entry.offsets[i] && entry.offsets[i] != start_offsets[i]) {
      SILT_RETURN_NOT_OK(options_.sources[i]
                             ->Commit(*entry.offsets[i])
                             .WithContext(options_.sources[i]->description()));
    }
  }
  SILT_RETURN_NOT_OK(checkpoint_->Purge(batch_id, options_.min_batches_to_retain));
  const int64_t commit_ms = ElapsedMs(commit_start_us);
  const int64_t trigger_ms = ElapsedMs(trigger_start_us);

  // Progress.
  StreamingQueryProgress progress =
      NewProgress(trigger_start_ms, batch_id, entry.metadata.batch_watermark_ms);
  const int64_t since_previous_ms =
      previous_batch_start_ms_ > 0 ? trigger_start_ms - previous_batch_start_ms_ : 0;
  previous_batch_start_ms_ = trigger_start_ms;
  for (size_t i = 0; i < n; ++i) {
    SourceProgress sp = SourceProgressOf(i, start_offsets[i], entry.offsets[i]);
    sp.num_input_rows = source_rows[i];
    sp.input_rows_per_second = RowsPerSecond(source_rows[i], since_previous_ms);
    sp.processed_rows_per_second = RowsPerSecond(source_rows[i], trigger_ms);
    progress.num_input_rows += source_rows[i];
    progress.sources.push_back(std::move(sp));
  }
  progress.input_rows_per_second = RowsPerSecond(progress.num_input_rows, since_previous_ms);
  progress.processed_rows_per_second = RowsPerSecond(progress.num_input_rows, trigger_ms);
  progress.duration_ms = {{"latestOffset", latest_offset_ms}, {"walCommit", wal_ms},
                          {"getBatch", get_batch_ms},         {"addBatch", add_batch_ms},
                          {"commitOffsets", commit_ms},       {"triggerExecution", trigger_ms}};
  progress.sink.description = sink.description();
  progress.sink.num_output_rows = sink_result->num_output_rows;
  progress.sink.metrics = sink_result->metrics;

  Report(std::move(progress));
  return Status::OK();
}

void StreamingQuery::MaybeReportIdle(int64_t trigger_start_ms, int64_t latest_offset_ms,
                                     int64_t trigger_ms) {
  const int64_t interval = options_.no_data_progress_interval_ms;
  if (interval <= 0 || trigger_start_ms - last_progress_ms_ < interval) return;
  // Spark's no-data progress event: the id of the batch to come, no rows, the sources at
  // their committed offsets with their latest offsets and metrics (e.g. the backlog).
  StreamingQueryProgress progress = NewProgress(trigger_start_ms, next_batch_id_, watermark_ms_);
  for (size_t i = 0; i < options_.sources.size(); ++i) {
    progress.sources.push_back(SourceProgressOf(i, committed_offsets_[i], committed_offsets_[i]));
  }
  progress.duration_ms = {{"latestOffset", latest_offset_ms}, {"triggerExecution", trigger_ms}};
  progress.sink.description = options_.sink->description();
  Report(std::move(progress));
}

StreamingQueryProgress StreamingQuery::NewProgress(int64_t trigger_start_ms, int64_t batch_id,
                                                   int64_t watermark_ms) const {
  StreamingQueryProgress progress;
  progress.id = id_;
  progress.run_id = run_id_;
  progress.name = options_.name;
  progress.timestamp = FormatTimestampMillis(trigger_start_ms);
  progress.batch_id = batch_id;
  progress.batch_watermark_ms = watermark_ms;
  return progress;
}

SourceProgress StreamingQuery::SourceProgressOf(size_t i, std::optional<std::string> start,
                                                std::optional<std::string> end) const {
  SourceProgress sp;
  sp.description = options_.sources[i]->description();
  sp.start_offset = std::move(start);
  sp.end_offset = std::move(end);
  sp.latest_offset = options_.sources[i]->latest_offset();
  sp.metrics = options_.sources[i]->Metrics();
  return sp;
}

void StreamingQuery::Report(StreamingQueryProgress progress) {
  last_progress_ms_ = NowMillis();
  AppendProgressLog(progress);
  for (const auto& listener : options_.listeners) listener->OnQueryProgress(progress);
  std::lock_guard<std::mutex> lock(mu_);
  recent_.push_back(std::move(progress));
  while (recent_.size() > std::max<size_t>(1, options_.recent_progress_limit)) {
    recent_.pop_front();
  }
}

void StreamingQuery::AppendProgressLog(const StreamingQueryProgress& progress) {
  if (options_.progress_log_path.empty()) return;
  fs::FileSystem& fs =
      options_.progress_log_fs ? *options_.progress_log_fs : *options_.checkpoint_fs;
  if (!progress_log_loaded_) {
    auto existing = fs.ReadFile(options_.progress_log_path);
    if (existing.ok()) {
      progress_log_content_ = std::move(*existing);
      if (!progress_log_content_.empty() && progress_log_content_.back() != '\n') {
        progress_log_content_ += '\n';
      }
      progress_log_records_ =
          std::count(progress_log_content_.begin(), progress_log_content_.end(), '\n');
    } else if (!existing.status().IsNotFound()) {
      SILT_LOG_WARN("progress log {}: {}", options_.progress_log_path,
                    existing.status().ToString());
    }
    progress_log_loaded_ = true;
  }
  if (progress_log_records_ >= options_.progress_log_max_records) RollProgressLog(fs);
  progress_log_content_ += progress.ToJson();
  progress_log_content_ += '\n';
  ++progress_log_records_;
  Status put = fs.Put(options_.progress_log_path, progress_log_content_);
  if (!put.ok()) {
    SILT_LOG_WARN("progress log {}: {}", options_.progress_log_path, put.ToString());
  }
}

void StreamingQuery::RollProgressLog(fs::FileSystem& fs) {
  const std::string& path = options_.progress_log_path;
  auto rolled = [&](int64_t k) { return fmt::format("{}.{}", path, k); };
  // Oldest first, so that each rolled file moves before it is replaced. A crash in between can
  // leave one segment in two files; nothing is lost.
  for (int64_t k = options_.progress_log_max_files - 1; k >= 1; --k) {
    Result<std::string> older = fs.ReadFile(rolled(k));
    if (!older.ok()) {
      if (!older.status().IsNotFound()) {
        SILT_LOG_WARN("progress log {}: {}", rolled(k), older.status().ToString());
      }
      continue;
    }
    Status put = fs.Put(rolled(k + 1), *older);
    if (!put.ok()) SILT_LOG_WARN("progress log {}: {}", rolled(k + 1), put.ToString());
  }
  if (options_.progress_log_max_files > 0) {
    Status put = fs.Put(rolled(1), progress_log_content_);
    if (!put.ok()) SILT_LOG_WARN("progress log {}: {}", rolled(1), put.ToString());
  }
  progress_log_content_.clear();
  progress_log_records_ = 0;
}

Status StreamingQuery::AwaitTermination() {
  std::unique_lock<std::mutex> lock(mu_);
  if (!started_) return Status::InvalidArgument("streaming query {}: not started", name());
  cv_.wait(lock, [&] { return terminated_; });
  return error_;
}

Result<bool> StreamingQuery::AwaitTermination(int64_t timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!started_) return Status::InvalidArgument("streaming query {}: not started", name());
  if (!cv_.wait_for(lock, std::chrono::milliseconds(std::max<int64_t>(0, timeout_ms)),
                    [&] { return terminated_; })) {
    return false;
  }
  if (!error_.ok()) return error_;
  return true;
}

Status StreamingQuery::ProcessAllAvailable() {
  std::unique_lock<std::mutex> lock(mu_);
  if (!started_) return Status::InvalidArgument("streaming query {}: not started", name());
  const int64_t target = rounds_started_;
  wake_ = true;
  cv_.notify_all();
  cv_.wait(lock, [&] { return terminated_ || last_idle_round_ > target; });
  if (terminated_) return error_;
  return Status::OK();
}

QueryStatus StreamingQuery::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

std::optional<StreamingQueryProgress> StreamingQuery::last_progress() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (recent_.empty()) return std::nullopt;
  return recent_.back();
}

std::vector<StreamingQueryProgress> StreamingQuery::recent_progress() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {recent_.begin(), recent_.end()};
}

bool StreamingQuery::is_active() const {
  std::lock_guard<std::mutex> lock(mu_);
  return started_ && !terminated_;
}

Status StreamingQuery::exception() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

int64_t StreamingQuery::next_batch_id() const {
  std::lock_guard<std::mutex> lock(mu_);
  return next_batch_id_shared_;
}

}  // namespace silt::stream
