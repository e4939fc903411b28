// The micro-batch engine end to end: triggers, restart semantics, progress, purge, query shape,
// conflicts, stop promptness, and fault injection on every checkpoint write.
#include "silt/stream/engine/streaming_query.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "silt/base/time.h"
#include "silt/columnar/from_json.h"
#include "silt/fs/fault_injection_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "silt/json/json_reader.h"
#include "silt/stream/checkpoint/checkpoint.h"
#include "silt/stream/sink/basic_sinks.h"
#include "silt/stream/source/memory_source.h"
#include "stream/stream_test_util.h"
#include "testing/status_matchers.h"

namespace silt::stream {
namespace {

using testing::IdBatch;
using testing::IdSchema;
using testing::Int64Values;

std::vector<int64_t> Range(int64_t begin, int64_t end) {
  std::vector<int64_t> v;
  for (int64_t i = begin; i < end; ++i) v.push_back(i);
  return v;
}

class RecordingListener : public StreamingQueryListener {
 public:
  void OnQueryStarted(const QueryStartedEvent& event) override {
    std::lock_guard<std::mutex> lock(mu);
    started.push_back(event);
  }
  void OnQueryProgress(const StreamingQueryProgress& progress) override {
    std::lock_guard<std::mutex> lock(mu);
    progresses.push_back(progress);
  }
  void OnQueryTerminated(const QueryTerminatedEvent& event) override {
    std::lock_guard<std::mutex> lock(mu);
    terminated.push_back(event);
  }
  std::mutex mu;
  std::vector<QueryStartedEvent> started;
  std::vector<StreamingQueryProgress> progresses;
  std::vector<QueryTerminatedEvent> terminated;
};

class StreamingQueryTest : public ::testing::Test {
 protected:
  StreamingQueryTest() : stream_(std::make_shared<MemoryStream>(IdSchema(), "ids")) {}

  // A query reading `stream_` into the MemorySink over `table_`.
  QueryOptions Options(Trigger trigger, int64_t max_batches_per_trigger = 0,
                       fs::FileSystem* fs = nullptr) {
    QueryOptions options;
    options.name = "test";
    options.checkpoint_fs = fs ? fs : &fs_;
    options.checkpoint_location = "/ck";
    options.trigger = trigger;
    options.sources.push_back(std::make_unique<MemorySource>(stream_, max_batches_per_trigger));
    options.sink = std::make_unique<MemorySink>("out", table_);
    return options;
  }

  std::unique_ptr<StreamingQuery> StartQuery(QueryOptions options) {
    auto query = StreamingQuery::Make(std::move(options));
    EXPECT_TRUE(query.ok()) << query.status();
    if (!query.ok()) return nullptr;
    Status started = (*query)->Start();
    EXPECT_TRUE(started.ok()) << started;
    return std::move(*query);
  }

  void AddIds(int64_t begin, int64_t end) { ASSERT_OK(stream_->AddBatch(IdBatch(begin, end))); }

  fs::MemoryFileSystem fs_;
  std::shared_ptr<MemoryStream> stream_;
  std::shared_ptr<MemorySinkTable> table_ = std::make_shared<MemorySinkTable>();
};

TEST_F(StreamingQueryTest, MakeRejectsIncompleteOptions) {
  QueryOptions no_source;
  no_source.checkpoint_fs = &fs_;
  no_source.checkpoint_location = "/ck";
  no_source.sink = std::make_unique<MemorySink>();
  ASSERT_STATUS_CODE(kInvalidArgument, StreamingQuery::Make(std::move(no_source)));
  QueryOptions no_checkpoint = Options(Trigger::Once());
  no_checkpoint.checkpoint_location.clear();
  ASSERT_STATUS_CODE(kInvalidArgument, StreamingQuery::Make(std::move(no_checkpoint)));
  QueryOptions bad_retain = Options(Trigger::Once());
  bad_retain.min_batches_to_retain = 0;
  ASSERT_STATUS_CODE(kInvalidArgument, StreamingQuery::Make(std::move(bad_retain)));
}

TEST_F(StreamingQueryTest, AvailableNowRunsEverythingThenStops) {
  for (int i = 0; i < 5; ++i) AddIds(i * 10, i * 10 + 10);
  auto query = StartQuery(Options(Trigger::AvailableNow(), /*max_batches_per_trigger=*/2));
  ASSERT_TRUE(query);
  // Data that arrives after the start is not part of this run.
  AddIds(50, 60);
  ASSERT_OK(query->AwaitTermination());
  EXPECT_FALSE(query->is_active());
  EXPECT_EQ(table_->batch_ids(), (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(Int64Values(table_->all_rows()), Range(0, 50));
  StreamCheckpoint checkpoint(fs_, "/ck");
  ASSERT_OK_AND_ASSIGN(auto latest_offsets, checkpoint.LatestOffsetsBatchId());
  ASSERT_OK_AND_ASSIGN(auto latest_commit, checkpoint.LatestCommitBatchId());
  EXPECT_EQ(latest_offsets, 2);
  EXPECT_EQ(latest_commit, 2);
  ASSERT_OK_AND_ASSIGN(OffsetEntry entry, checkpoint.ReadOffsets(1));
  EXPECT_EQ(entry.offsets, (std::vector<std::optional<Offset>>{"4"}));
  EXPECT_EQ(stream_->committed(), 5);

  // The next available-now run takes what came since.
  auto again = StartQuery(Options(Trigger::AvailableNow()));
  ASSERT_OK(again->AwaitTermination());
  EXPECT_EQ(table_->batch_ids(), (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(Int64Values(table_->all_rows()), Range(0, 60));
}

TEST_F(StreamingQueryTest, OnceRunsOneBatch) {
  AddIds(0, 3);
  AddIds(3, 6);
  auto query = StartQuery(Options(Trigger::Once(), /*max_batches_per_trigger=*/1));
  ASSERT_OK(query->AwaitTermination());
  EXPECT_EQ(Int64Values(table_->all_rows()), Range(0, 3));
  query = StartQuery(Options(Trigger::Once(), 1));
  ASSERT_OK(query->AwaitTermination());
  EXPECT_EQ(Int64Values(table_->all_rows()), Range(0, 6));
  // Nothing new: a once run ends without a batch.
  query = StartQuery(Options(Trigger::Once(), 1));
  ASSERT_OK(query->AwaitTermination());
  EXPECT_EQ(table_->batch_ids(), (std::vector<int64_t>{0, 1}));
  EXPECT_FALSE(query->last_progress().has_value());
}

TEST_F(StreamingQueryTest, ProcessingTimeZeroWithProcessAllAvailable) {
  auto query = StartQuery(Options(Trigger::ProcessingTime(0)));
  ASSERT_OK(query->ProcessAllAvailable());
  EXPECT_TRUE(table_->batch_ids().empty());
  EXPECT_TRUE(query->is_active());
  AddIds(0, 5);
  ASSERT_OK(query->ProcessAllAvailable());
  EXPECT_EQ(Int64Values(table_->all_rows()), Range(0, 5));
  AddIds(5, 7);
  AddIds(7, 9);
  ASSERT_OK(query->ProcessAllAvailable());
  EXPECT_EQ(Int64Values(table_->all_rows()), Range(0, 9));
  QueryStatus status = query->status();
  EXPECT_TRUE(status.is_active);
  query->Stop();
  EXPECT_FALSE(query->is_active());
  EXPECT_EQ(query->status().message, kStatusStopped);
  ASSERT_OK(query->AwaitTermination());
}

TEST_F(StreamingQueryTest, ProcessingTimeIntervalSpacesTriggers) {
  // Long enough that a wake-up late by a busy machine (hundreds of ms under a parallel test
  // run) still lands in the first half of its interval.
  const int64_t interval = 1000;
  auto query = StartQuery(Options(Trigger::ProcessingTime(interval)));
  for (int i = 0; i < 3; ++i) {
    AddIds(i, i + 1);
    // Wait for the batch without waking the loop early.
    const int64_t deadline = NowMillis() + 5000;
    while (table_->num_rows() < i + 1 && NowMillis() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ASSERT_EQ(table_->num_rows(), 3);
  std::vector<StreamingQueryProgress> progress = query->recent_progress();
  ASSERT_EQ(progress.size(), 3u);
  // The first trigger runs at once; later ones start on multiples of the interval (a wake-up
  // can be late on a busy machine, never early).
  for (size_t i = 1; i < progress.size(); ++i) {
    ASSERT_OK_AND_ASSIGN(int64_t micros, columnar::ParseTimestampMicros(progress[i].timestamp));
    EXPECT_LE((micros / 1000) % interval, interval / 2) << progress[i].timestamp;
  }
  // Idle between triggers, waiting for data.
  std::this_thread::sleep_for(std::chrono::milliseconds(2 * interval));
  QueryStatus status = query->status();
  EXPECT_FALSE(status.is_trigger_active);
  EXPECT_EQ(status.message, std::string(kStatusWaiting));
  query->Stop();
}

TEST_F(StreamingQueryTest, ContinuousPollsUntilDataArrives) {
  auto query = StartQuery(Options(Trigger::Continuous(/*idle_poll_ms=*/20)));
  // Without data the query settles to waiting (polled: a busy machine may start it late).
  int64_t deadline = NowMillis() + 5000;
  while (query->status().message != kStatusWaiting && NowMillis() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(query->status().message, std::string(kStatusWaiting));
  EXPECT_FALSE(query->status().is_data_available);
  AddIds(0, 4);
  deadline = NowMillis() + 5000;
  while (table_->num_rows() < 4 && NowMillis() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(Int64Values(table_->all_rows()), Range(0, 4));
  query->Stop();
  ASSERT_OK(query->AwaitTermination());
}

TEST_F(StreamingQueryTest, StopIsPromptWhileWaiting) {
  for (Trigger trigger : {Trigger::ProcessingTime(60'000), Trigger::Continuous(60'000)}) {
    fs::MemoryFileSystem fs;
    auto query = StartQuery(Options(trigger, 0, &fs));
    ASSERT_OK(query->ProcessAllAvailable());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const int64_t start = MonotonicMicros();
    query->Stop();
    EXPECT_LT(MonotonicMicros() - start, 1'000'000) << trigger.ToString();
    ASSERT_OK_AND_ASSIGN(bool done, query->AwaitTermination(0));
    EXPECT_TRUE(done);
  }
}

// A source whose batches are slow to read: 1000 record batches of one row, 5 ms each.
class SlowSource final : public Source {
 public:
  std::string description() const override { return "SlowSource"; }
  Status Open(const SourceContext&) override { return Status::OK(); }
  Result<columnar::SchemaPtr> schema() override { return IdSchema(); }
  Result<std::optional<Offset>> NextBatchEnd(const std::optional<Offset>& start) override {
    if (start) return std::optional<Offset>();
    return std::optional<Offset>("1000");
  }
  Result<std::unique_ptr<BatchReader>> ReadBatch(const std::optional<Offset>&,
                                                 const Offset&) override {
    class Reader final : public BatchReader {
     public:
      const columnar::SchemaPtr& schema() const override { return schema_; }
      Result<std::optional<columnar::RecordBatchPtr>> Next() override {
        if (next_ >= 1000) return std::optional<columnar::RecordBatchPtr>();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ++next_;
        return std::optional<columnar::RecordBatchPtr>(IdBatch(next_ - 1, next_));
      }

     private:
      columnar::SchemaPtr schema_ = IdSchema();
      int64_t next_ = 0;
    };
    ++reads;
    return std::unique_ptr<BatchReader>(std::make_unique<Reader>());
  }
  std::atomic<int> reads{0};
};

TEST_F(StreamingQueryTest, StopDuringABatchAbandonsItAndTheRestartRunsItAgain) {
  QueryOptions options = Options(Trigger::ProcessingTime(0));
  options.sources.clear();
  options.sources.push_back(std::make_unique<SlowSource>());
  auto query = StartQuery(std::move(options));
  // Wait until the batch is being read.
  const int64_t deadline = NowMillis() + 5000;
  while (!query->status().is_trigger_active && NowMillis() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  const int64_t start = MonotonicMicros();
  query->Stop();
  EXPECT_LT(MonotonicMicros() - start, 1'000'000);
  ASSERT_OK(query->AwaitTermination());
  EXPECT_TRUE(table_->batch_ids().empty());
  StreamCheckpoint checkpoint(fs_, "/ck");
  ASSERT_OK_AND_ASSIGN(auto latest_offsets, checkpoint.LatestOffsetsBatchId());
  ASSERT_OK_AND_ASSIGN(auto latest_commit, checkpoint.LatestCommitBatchId());
  EXPECT_EQ(latest_offsets, 0);
  EXPECT_FALSE(latest_commit.has_value());
}

// Fails AddBatch for the batch ids in `fail`, once each; otherwise forwards to a MemorySink.
class FlakySink final : public Sink {
 public:
  FlakySink(std::shared_ptr<MemorySinkTable> table, std::set<int64_t> fail)
      : inner_("out", std::move(table)), fail_(std::move(fail)) {}
  std::string description() const override { return inner_.description(); }
  Status Open(const SinkContext& context) override { return inner_.Open(context); }
  Result<SinkResult> AddBatch(int64_t batch_id, BatchReader& data) override {
    if (fail_.erase(batch_id) > 0) return Status::IOError("sink down for batch {}", batch_id);
    return inner_.AddBatch(batch_id, data);
  }

 private:
  MemorySink inner_;
  std::set<int64_t> fail_;
};

TEST_F(StreamingQueryTest, UncommittedBatchIsRerunWithTheSameOffsets) {
  fs::FaultInjectionFileSystem fault_fs(fs_);
  AddIds(0, 3);
  auto query = StartQuery(Options(Trigger::ProcessingTime(0), 0, &fault_fs));
  ASSERT_OK(query->ProcessAllAvailable());
  // The sink gets batch 1, then the commit entry cannot be written.
  fault_fs.FailNthCall(fs::FsOp::kPutIfAbsent, 2);
  AddIds(3, 5);
  Status failed = query->ProcessAllAvailable();
  ASSERT_STATUS_CODE(kIOError, failed);
  EXPECT_NE(failed.message().find("commits/1"), std::string::npos) << failed;
  EXPECT_STATUS_CODE(kIOError, query->AwaitTermination());
  EXPECT_STATUS_CODE(kIOError, query->exception());
  EXPECT_EQ(query->status().last_error.code(), StatusCode::kIOError);
  fault_fs.ClearFaults();
  // The offsets entry of batch 1 was written first; then the sink took the batch.
  StreamCheckpoint checkpoint(fs_, "/ck");
  ASSERT_OK_AND_ASSIGN(auto latest_offsets, checkpoint.LatestOffsetsBatchId());
  EXPECT_EQ(latest_offsets, 1);
  EXPECT_EQ(table_->calls(), (std::vector<int64_t>{0, 1}));

  // More data arrives before the restart: batch 1 must still end where it was planned.
  AddIds(5, 8);
  auto listener = std::make_shared<RecordingListener>();
  QueryOptions options = Options(Trigger::AvailableNow(), 0, &fault_fs);
  options.listeners.push_back(listener);
  auto restarted = StartQuery(std::move(options));
  ASSERT_OK(restarted->AwaitTermination());
  EXPECT_EQ(restarted->id(), query->id());
  EXPECT_NE(restarted->run_id(), query->run_id());
  EXPECT_EQ(table_->calls(), (std::vector<int64_t>{0, 1, 1, 2}));
  EXPECT_EQ(Int64Values(table_->batch(1)), Range(3, 5));
  EXPECT_EQ(Int64Values(table_->batch(2)), Range(5, 8));
  EXPECT_EQ(Int64Values(table_->all_rows()), Range(0, 8));
  ASSERT_EQ(listener->progresses.size(), 2u);
  EXPECT_EQ(listener->progresses[0].batch_id, 1);
  EXPECT_EQ(listener->progresses[0].sources[0].start_offset, "1");
  EXPECT_EQ(listener->progresses[0].sources[0].end_offset, "2");
  EXPECT_EQ(listener->progresses[0].sink.num_output_rows, 0);  // skipped by the sink
  EXPECT_EQ(listener->progresses[1].sources[0].end_offset, "3");

  // A committed batch is never run again.
  auto third = StartQuery(Options(Trigger::AvailableNow(), 0, &fault_fs));
  ASSERT_OK(third->AwaitTermination());
  EXPECT_EQ(table_->calls(), (std::vector<int64_t>{0, 1, 1, 2}));
}

TEST_F(StreamingQueryTest, SinkFailureLeavesTheBatchToRerun) {
  AddIds(0, 4);
  QueryOptions options = Options(Trigger::AvailableNow());
  options.sink = std::make_unique<FlakySink>(table_, std::set<int64_t>{0});
  auto query = StartQuery(std::move(options));
  Status failed = query->AwaitTermination();
  ASSERT_STATUS_CODE(kIOError, failed);
  EXPECT_NE(failed.message().find("sink down for batch 0"), std::string::npos) << failed;
  EXPECT_NE(failed.message().find("MemorySink[out]"), std::string::npos) << failed;
  EXPECT_TRUE(table_->batch_ids().empty());
  auto again = StartQuery(Options(Trigger::AvailableNow()));
  ASSERT_OK(again->AwaitTermination());
  EXPECT_EQ(table_->batch_ids(), (std::vector<int64_t>{0}));
  EXPECT_EQ(Int64Values(table_->all_rows()), Range(0, 4));
}

TEST_F(StreamingQueryTest, ProgressRecordsAndListeners) {
  auto listener = std::make_shared<RecordingListener>();
  QueryOptions options = Options(Trigger::AvailableNow(), 1);
  options.name = "ids-to-memory";
  options.listeners.push_back(listener);
  options.progress_log_path = "/logs/progress.jsonl";
  AddIds(0, 7);
  AddIds(7, 10);
  auto query = StartQuery(std::move(options));
  ASSERT_OK(query->AwaitTermination());

  ASSERT_EQ(listener->started.size(), 1u);
  EXPECT_EQ(listener->started[0].id, query->id());
  EXPECT_EQ(listener->started[0].name, "ids-to-memory");
  ASSERT_EQ(listener->terminated.size(), 1u);
  EXPECT_TRUE(listener->terminated[0].error.ok());
  ASSERT_EQ(listener->progresses.size(), 2u);
  std::vector<StreamingQueryProgress> recent = query->recent_progress();
  ASSERT_EQ(recent.size(), 2u);
  ASSERT_TRUE(query->last_progress().has_value());
  EXPECT_EQ(query->last_progress()->batch_id, 1);

  const StreamingQueryProgress& p = listener->progresses[0];
  EXPECT_EQ(p.id, query->id());
  EXPECT_EQ(p.run_id, query->run_id());
  EXPECT_EQ(p.batch_id, 0);
  EXPECT_EQ(p.num_input_rows, 7);
  EXPECT_EQ(p.sink.num_output_rows, 7);
  EXPECT_EQ(p.sink.description, "MemorySink[out]");
  ASSERT_EQ(p.sources.size(), 1u);
  EXPECT_EQ(p.sources[0].description, "MemorySource[ids]");
  EXPECT_FALSE(p.sources[0].start_offset.has_value());
  EXPECT_EQ(p.sources[0].end_offset, "1");
  EXPECT_EQ(p.sources[0].latest_offset, "2");
  EXPECT_EQ(listener->progresses[1].num_input_rows, 3);
  for (const char* phase :
       {"latestOffset", "walCommit", "getBatch", "addBatch", "commitOffsets", "triggerExecution"}) {
    ASSERT_EQ(p.duration_ms.count(phase), 1u) << phase;
    EXPECT_GE(p.duration_ms.at(phase), 0) << phase;
    EXPECT_LE(p.duration_ms.at(phase), p.duration_ms.at("triggerExecution")) << phase;
  }

  // The progress log: one JSON line per batch, Spark's field names.
  ASSERT_OK_AND_ASSIGN(std::string log, fs_.ReadFile("/logs/progress.jsonl"));
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = log.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(log.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 2u) << log;
  EXPECT_EQ(lines[0], p.ToJson());
  json::Parser parser;
  ASSERT_OK_AND_ASSIGN(json::Object obj, parser.ParseObject(lines[1]));
  EXPECT_EQ(obj.GetString("id").value(), query->id());
  EXPECT_EQ(obj.GetString("runId").value(), query->run_id());
  EXPECT_EQ(obj.GetString("name").value(), "ids-to-memory");
  EXPECT_EQ(obj.GetInt64("batchId").value(), 1);
  EXPECT_EQ(obj.GetInt64("numInputRows").value(), 3);
  EXPECT_TRUE(obj.Has("inputRowsPerSecond"));
  EXPECT_TRUE(obj.Has("processedRowsPerSecond"));
  ASSERT_OK_AND_ASSIGN(json::Object durations, obj.GetObject("durationMs"));
  EXPECT_TRUE(durations.Has("triggerExecution"));
  ASSERT_OK_AND_ASSIGN(json::Object sink, obj.GetObject("sink"));
  EXPECT_EQ(sink.GetInt64("numOutputRows").value(), 3);
  auto sources = obj.Find("sources");
  ASSERT_TRUE(sources.has_value());
  ASSERT_OK_AND_ASSIGN(size_t n, sources->ArraySize());
  EXPECT_EQ(n, 1u);
  EXPECT_NE(lines[1].find("\"startOffset\":1,\"endOffset\":2"), std::string::npos) << lines[1];

  // A second run appends to the log.
  AddIds(10, 11);
  QueryOptions more = Options(Trigger::AvailableNow(), 1);
  more.name = "ids-to-memory";
  more.progress_log_path = "/logs/progress.jsonl";
  auto again = StartQuery(std::move(more));
  ASSERT_OK(again->AwaitTermination());
  ASSERT_OK_AND_ASSIGN(log, fs_.ReadFile("/logs/progress.jsonl"));
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 3);
}

// The batch ids of the progress records in a JSON-lines file ({} when it is missing).
std::vector<int64_t> LoggedBatchIds(fs::FileSystem& fs, const std::string& path) {
  std::vector<int64_t> ids;
  Result<std::string> log = fs.ReadFile(path);
  if (!log.ok()) return ids;
  json::Parser parser;
  for (size_t start = 0, end; (end = log->find('\n', start)) != std::string::npos;
       start = end + 1) {
    Result<json::Object> obj = parser.ParseObject(log->substr(start, end - start));
    EXPECT_TRUE(obj.ok()) << log->substr(start, end - start);
    if (obj.ok()) ids.push_back(obj->GetInt64("batchId").value_or(-1));
  }
  return ids;
}

TEST_F(StreamingQueryTest, ProgressLogRollsOverAndStaysBounded) {
  auto run = [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) AddIds(i, i + 1);
    QueryOptions options = Options(Trigger::AvailableNow(), 1);
    options.progress_log_path = "/logs/progress.jsonl";
    options.progress_log_max_records = 3;
    options.progress_log_max_files = 2;
    auto query = StartQuery(std::move(options));
    ASSERT_OK(query->AwaitTermination());
  };
  using Ids = std::vector<int64_t>;
  run(0, 10);  // batches 0..9
  EXPECT_EQ(LoggedBatchIds(fs_, "/logs/progress.jsonl"), (Ids{9}));
  EXPECT_EQ(LoggedBatchIds(fs_, "/logs/progress.jsonl.1"), (Ids{6, 7, 8}));
  EXPECT_EQ(LoggedBatchIds(fs_, "/logs/progress.jsonl.2"), (Ids{3, 4, 5}));
  ASSERT_OK_AND_ASSIGN(bool third, fs_.Exists("/logs/progress.jsonl.3"));
  EXPECT_FALSE(third);  // batches 0..2 were dropped
  // A restart counts the records already in the file: two more fill it, the third rolls it.
  run(10, 12);
  EXPECT_EQ(LoggedBatchIds(fs_, "/logs/progress.jsonl"), (Ids{9, 10, 11}));
  run(12, 13);
  EXPECT_EQ(LoggedBatchIds(fs_, "/logs/progress.jsonl"), (Ids{12}));
  EXPECT_EQ(LoggedBatchIds(fs_, "/logs/progress.jsonl.1"), (Ids{9, 10, 11}));
  EXPECT_EQ(LoggedBatchIds(fs_, "/logs/progress.jsonl.2"), (Ids{6, 7, 8}));

  QueryOptions bad = Options(Trigger::Once());
  bad.progress_log_max_records = 0;
  EXPECT_STATUS_CODE(kInvalidArgument, StreamingQuery::Make(std::move(bad)));
}

TEST_F(StreamingQueryTest, IdleQueryReportsNoDataProgressEveryInterval) {
  auto listener = std::make_shared<RecordingListener>();
  QueryOptions options = Options(Trigger::ProcessingTime(0));
  options.listeners.push_back(listener);
  options.no_data_progress_interval_ms = 150;
  options.progress_log_path = "/logs/progress.jsonl";
  AddIds(0, 2);
  auto query = StartQuery(std::move(options));
  ASSERT_OK(query->ProcessAllAvailable());
  const int64_t waited_from = NowMillis();
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  query->Stop();
  const int64_t waited_ms = NowMillis() - waited_from;
  ASSERT_OK(query->AwaitTermination());

  std::lock_guard<std::mutex> lock(listener->mu);
  ASSERT_GE(listener->progresses.size(), 2u);
  EXPECT_EQ(listener->progresses[0].batch_id, 0);
  EXPECT_EQ(listener->progresses[0].num_input_rows, 2);
  std::vector<int64_t> times;
  for (size_t i = 1; i < listener->progresses.size(); ++i) {
    const StreamingQueryProgress& p = listener->progresses[i];
    EXPECT_EQ(p.batch_id, 1);  // the batch to come, as Spark reports it
    EXPECT_EQ(p.num_input_rows, 0);
    EXPECT_EQ(p.sink.num_output_rows, 0);
    ASSERT_EQ(p.sources.size(), 1u);
    EXPECT_EQ(p.sources[0].start_offset, "1");
    EXPECT_EQ(p.sources[0].end_offset, "1");
    EXPECT_EQ(p.sources[0].num_input_rows, 0);
    EXPECT_EQ(p.duration_ms.count("triggerExecution"), 1u);
    ASSERT_OK_AND_ASSIGN(int64_t micros, columnar::ParseTimestampMicros(p.timestamp));
    times.push_back(micros / 1000);
  }
  // About one per interval while idle, never closer than the interval.
  EXPECT_GE(times.size(), 2u);
  EXPECT_LE(static_cast<int64_t>(times.size()), waited_ms / 150 + 1);
  for (size_t i = 1; i < times.size(); ++i) EXPECT_GE(times[i] - times[i - 1], 150);
  // They go to the progress log and recent_progress() like batch records.
  EXPECT_EQ(LoggedBatchIds(fs_, "/logs/progress.jsonl").size(), listener->progresses.size());
  EXPECT_EQ(query->recent_progress().size(), listener->progresses.size());
  EXPECT_EQ(table_->batch_ids(), (std::vector<int64_t>{0}));
}

TEST_F(StreamingQueryTest, NoDataProgressIntervalZeroReportsOnlyBatches) {
  auto listener = std::make_shared<RecordingListener>();
  QueryOptions options = Options(Trigger::ProcessingTime(0));
  options.listeners.push_back(listener);
  options.no_data_progress_interval_ms = 0;
  AddIds(0, 2);
  auto query = StartQuery(std::move(options));
  ASSERT_OK(query->ProcessAllAvailable());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  query->Stop();
  std::lock_guard<std::mutex> lock(listener->mu);
  EXPECT_EQ(listener->progresses.size(), 1u);
}

TEST_F(StreamingQueryTest, PurgeKeepsMinBatchesToRetain) {
  for (int i = 0; i < 6; ++i) AddIds(i, i + 1);
  QueryOptions options = Options(Trigger::AvailableNow(), 1);
  options.min_batches_to_retain = 2;
  auto query = StartQuery(std::move(options));
  ASSERT_OK(query->AwaitTermination());
  EXPECT_EQ(table_->batch_ids().size(), 6u);
  for (const char* dir : {"/ck/offsets", "/ck/commits"}) {
    ASSERT_OK_AND_ASSIGN(auto entries, fs_.List(dir));
    std::vector<std::string> names;
    for (const auto& e : entries) names.emplace_back(fs::BaseName(e.path));
    EXPECT_EQ(names, (std::vector<std::string>{"4", "5"})) << dir;
  }
  // The purged checkpoint still restarts where it was.
  AddIds(6, 7);
  auto again = StartQuery(Options(Trigger::AvailableNow(), 1));
  ASSERT_OK(again->AwaitTermination());
  EXPECT_EQ(Int64Values(table_->all_rows()), Range(0, 7));
}

TEST_F(StreamingQueryTest, DifferentQueryShapeIsRefused) {
  AddIds(0, 1);
  auto query = StartQuery(Options(Trigger::AvailableNow()));
  ASSERT_OK(query->AwaitTermination());

  QueryOptions other = Options(Trigger::AvailableNow());
  other.sink = std::make_unique<MemorySink>("elsewhere");
  ASSERT_OK_AND_ASSIGN(auto refused, StreamingQuery::Make(std::move(other)));
  Status st = refused->Start();
  ASSERT_STATUS_CODE(kInvalidArgument, st);
  EXPECT_NE(st.message().find("MemorySink[out]"), std::string::npos) << st;
  EXPECT_NE(st.message().find("MemorySink[elsewhere]"), std::string::npos) << st;
  EXPECT_FALSE(refused->is_active());
  EXPECT_STATUS_CODE(kInvalidArgument, refused->AwaitTermination());

  QueryOptions other_source = Options(Trigger::AvailableNow());
  other_source.sources.clear();
  other_source.sources.push_back(
      std::make_unique<MemorySource>(std::make_shared<MemoryStream>(IdSchema(), "other")));
  ASSERT_OK_AND_ASSIGN(refused, StreamingQuery::Make(std::move(other_source)));
  st = refused->Start();
  ASSERT_STATUS_CODE(kInvalidArgument, st);
  EXPECT_NE(st.message().find("MemorySource[other]"), std::string::npos) << st;
}

// Forwards to another source; NextBatchEnd waits until the gate opens.
class GatedSource final : public Source {
 public:
  GatedSource(std::unique_ptr<Source> inner, std::shared_future<void> gate)
      : inner_(std::move(inner)), gate_(std::move(gate)) {}
  std::string description() const override { return inner_->description(); }
  Status Open(const SourceContext& context) override { return inner_->Open(context); }
  Result<columnar::SchemaPtr> schema() override { return inner_->schema(); }
  Result<std::optional<Offset>> NextBatchEnd(const std::optional<Offset>& start) override {
    gate_.wait();
    return inner_->NextBatchEnd(start);
  }
  Result<std::unique_ptr<BatchReader>> ReadBatch(const std::optional<Offset>& start,
                                                 const Offset& end) override {
    return inner_->ReadBatch(start, end);
  }

 private:
  std::unique_ptr<Source> inner_;
  std::shared_future<void> gate_;
};

TEST_F(StreamingQueryTest, TwoQueriesOnOneCheckpointConflict) {
  AddIds(0, 1);
  auto first = StartQuery(Options(Trigger::Once()));
  ASSERT_OK(first->AwaitTermination());
  AddIds(1, 2);
  // Both recover "next batch is 1" before either plans it; only one of them may write it.
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  auto gated = [&] {
    QueryOptions options = Options(Trigger::Once());
    options.sources[0] = std::make_unique<GatedSource>(std::move(options.sources[0]), opened);
    return options;
  };
  ASSERT_OK_AND_ASSIGN(auto a, StreamingQuery::Make(gated()));
  ASSERT_OK_AND_ASSIGN(auto b, StreamingQuery::Make(gated()));
  ASSERT_OK(a->Start());
  ASSERT_OK(b->Start());
  gate.set_value();
  Status sa = a->AwaitTermination();
  Status sb = b->AwaitTermination();
  EXPECT_NE(sa.ok(), sb.ok()) << sa << " / " << sb;
  const Status& loser = sa.ok() ? sb : sa;
  ASSERT_STATUS_CODE(kConflict, loser);
  EXPECT_NE(loser.message().find("another query is using this checkpoint"), std::string::npos)
      << loser;
  EXPECT_EQ(Int64Values(table_->all_rows()), Range(0, 2));
}

TEST_F(StreamingQueryTest, CorruptCheckpointEntryFailsStartNamingTheFile) {
  AddIds(0, 1);
  auto query = StartQuery(Options(Trigger::Once()));
  ASSERT_OK(query->AwaitTermination());
  ASSERT_OK(fs_.Put("/ck/offsets/0", "v1\n{\"batchWatermarkMs\":0,"));
  ASSERT_OK_AND_ASSIGN(auto broken, StreamingQuery::Make(Options(Trigger::Once())));
  Status st = broken->Start();
  ASSERT_STATUS_CODE(kCorruption, st);
  EXPECT_NE(st.message().find("/ck/offsets/0"), std::string::npos) << st;

  ASSERT_OK(fs_.DeleteFile("/ck/commits/0"));
  ASSERT_OK(fs_.Put("/ck/offsets/0", "v1\n{}\n1"));
  ASSERT_OK(fs_.Put("/ck/offsets/3", "v1\n{}\n1"));  // batches 1 and 2 are missing
  ASSERT_OK_AND_ASSIGN(broken, StreamingQuery::Make(Options(Trigger::Once())));
  st = broken->Start();
  ASSERT_STATUS_CODE(kCorruption, st);
  EXPECT_NE(st.message().find("batch 3"), std::string::npos) << st;
}

TEST_F(StreamingQueryTest, TransformShapesWhatTheSinkGets) {
  AddIds(0, 10);
  QueryOptions options = Options(Trigger::AvailableNow());
  std::vector<int64_t> seen_ids;
  options.transform = [&](std::unique_ptr<BatchReader> rows,
                          int64_t batch_id) -> Result<std::unique_ptr<BatchReader>> {
    seen_ids.push_back(batch_id);
    SILT_ASSIGN_OR_RETURN(auto batches, ReadAllBatches(*rows));
    std::vector<columnar::RecordBatchPtr> even;
    for (const auto& batch : batches) {
      for (int64_t i = 0; i < batch->num_rows(); i += 2) even.push_back(batch->Slice(i, 1));
    }
    return std::unique_ptr<BatchReader>(std::make_unique<VectorBatchReader>(IdSchema(), even));
  };
  auto query = StartQuery(std::move(options));
  ASSERT_OK(query->AwaitTermination());
  EXPECT_EQ(seen_ids, (std::vector<int64_t>{0}));
  EXPECT_EQ(Int64Values(table_->all_rows()), (std::vector<int64_t>{0, 2, 4, 6, 8}));
  EXPECT_EQ(query->last_progress()->num_input_rows, 10);
  EXPECT_EQ(query->last_progress()->sink.num_output_rows, 5);
}

TEST_F(StreamingQueryTest, TwoSourcesAreConcatenated) {
  auto other = std::make_shared<MemoryStream>(IdSchema(), "other");
  ASSERT_OK(other->AddBatch(IdBatch(100, 102)));
  AddIds(0, 2);
  QueryOptions options = Options(Trigger::AvailableNow());
  options.sources.push_back(std::make_unique<MemorySource>(other));
  auto query = StartQuery(std::move(options));
  ASSERT_OK(query->AwaitTermination());
  EXPECT_EQ(Int64Values(table_->all_rows()), (std::vector<int64_t>{0, 1, 100, 101}));
  ASSERT_EQ(query->last_progress()->sources.size(), 2u);
  EXPECT_EQ(query->last_progress()->sources[1].num_input_rows, 2);
  StreamCheckpoint checkpoint(fs_, "/ck");
  ASSERT_OK_AND_ASSIGN(OffsetEntry entry, checkpoint.ReadOffsets(0));
  EXPECT_EQ(entry.offsets, (std::vector<std::optional<Offset>>{"1", "1"}));
}

TEST_F(StreamingQueryTest, MaxBatchesStopsTheRun) {
  for (int i = 0; i < 5; ++i) AddIds(i, i + 1);
  QueryOptions options = Options(Trigger::ProcessingTime(0), 1);
  options.max_batches = 2;
  auto query = StartQuery(std::move(options));
  ASSERT_OK(query->AwaitTermination());
  EXPECT_EQ(table_->batch_ids(), (std::vector<int64_t>{0, 1}));
}

// Every mutating FileSystem call of a run fails in turn; the query fails with that error, and a
// restart (after a simulated crash) delivers every row exactly once.
TEST_F(StreamingQueryTest, FaultOnEveryCheckpointWriteRecoversExactlyOnce) {
  const int kBatches = 4;
  auto scenario_options = [&](fs::FileSystem* fs, std::shared_ptr<MemorySinkTable> table) {
    QueryOptions options = Options(Trigger::AvailableNow(), 1, fs);
    options.sink = std::make_unique<MemorySink>("out", std::move(table));
    options.min_batches_to_retain = 2;
    return options;
  };
  for (int i = 0; i < kBatches; ++i) AddIds(i * 3, i * 3 + 3);

  fs::MemoryFileSystem probe_base;
  fs::FaultInjectionFileSystem probe(probe_base);
  {
    auto query = StartQuery(scenario_options(&probe, std::make_shared<MemorySinkTable>()));
    ASSERT_OK(query->AwaitTermination());
  }
  int scenarios = 0;
  for (fs::FsOp op : fs::kMutatingFsOps) {
    for (int64_t n = 1; n <= probe.call_count(op); ++n) {
      SCOPED_TRACE(std::string(fs::FsOpName(op)) + " #" + std::to_string(n));
      fs::MemoryFileSystem base;
      fs::FaultInjectionFileSystem fault_fs(base);
      auto table = std::make_shared<MemorySinkTable>();
      fault_fs.FailNthCall(op, n);
      ASSERT_OK_AND_ASSIGN(auto query, StreamingQuery::Make(scenario_options(&fault_fs, table)));
      Status st = query->Start();
      if (st.ok()) st = query->AwaitTermination();
      ASSERT_STATUS_CODE(kIOError, st);
      EXPECT_NE(st.message().find("injected fault"), std::string::npos) << st;
      EXPECT_EQ(fault_fs.injected_failures(), 1);
      ASSERT_OK(fault_fs.SimulateCrash());
      fault_fs.ClearFaults();
      auto restarted = StartQuery(scenario_options(&fault_fs, table));
      ASSERT_TRUE(restarted);
      ASSERT_OK(restarted->AwaitTermination());
      EXPECT_EQ(Int64Values(table->all_rows()), Range(0, kBatches * 3));
      EXPECT_EQ(table->batch_ids().size(), static_cast<size_t>(kBatches));
      ++scenarios;
    }
  }
  EXPECT_GE(scenarios, 2 * kBatches);  // at least every offsets and commits entry
}

}  // namespace
}  // namespace silt::stream
