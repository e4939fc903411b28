// End-to-end streaming throughput and latency of silt's micro-batch engine with Delta tables.
// Driven by bench/run-stream-bench; docs/performance.md records the results.
//
//   silt_stream_benchmark make-table <table> <rows>
//       writes the event table of the Parquet benchmark (bench/event_data.h) with WriteToTable
//       (one append, default options: SNAPPY, 128 MiB files), generated batch by batch.
//   silt_stream_benchmark catch-up <table> <checkpoint>
//       a new query with the Delta source on <table> (default options) and
//       Trigger.AvailableNow, into a sink that decodes every value (the checksum of the Parquet
//       benchmark); rows/s and the process's peak RSS (getrusage ru_maxrss).
//   silt_stream_benchmark scan <table>
//       the same checksum over the table's data files read directly with parquet::FileReader:
//       the Parquet scan rate of the same files, without the engine.
//   silt_stream_benchmark rate-sink <dir> <batches> [--batch-rows N]
//       rate source (clicks schema, rowsPerBatch N, default 100,000; totalRows batches * N)
//       into the Delta sink at <dir>/sink with Trigger.AvailableNow; rows/s and per-batch time.
//   silt_stream_benchmark latency <dir> <commits> [--poll-ms 50] [--rows 100]
//       a tailing query (Delta source on <dir>/source, Delta sink to <dir>/sink,
//       Trigger.ProcessingTime(poll)) runs while this process appends <commits> small commits
//       to the source table one after the other; per commit, the time from WriteToTable
//       returning (the commit landed) to the sink's AddBatch returning with its rows (they are
//       committed in the sink table).
//
// One JSON object per measurement on stdout.
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "event_data.h"
#include "silt/delta/table/snapshot.h"
#include "silt/delta/write/write_table.h"
#include "silt/fs/local_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/stream/delta/delta_sink.h"
#include "silt/stream/delta/delta_source.h"
#include "silt/stream/engine/streaming_query.h"
#include "silt/stream/source/rate_source.h"

namespace {

namespace col = silt::columnar;
namespace delta = silt::delta;
namespace stream = silt::stream;
using silt::Result;
using silt::Status;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int64_t PeakRssKiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Adds every value of an event batch to `sum` (the loop of the Parquet benchmark's reader).
// Columns are looked up by name: the Delta source may order them as the table does.
Status AddToChecksum(const col::RecordBatch& b, silt::bench::EventChecksum* sum) {
  const auto& schema = *b.schema();
  const int i_id = schema.GetFieldIndex("id"), i_ts = schema.GetFieldIndex("ts"),
            i_user = schema.GetFieldIndex("user_id"), i_type = schema.GetFieldIndex("event_type"),
            i_amount = schema.GetFieldIndex("amount"), i_text = schema.GetFieldIndex("payload");
  if (std::min({i_id, i_ts, i_user, i_type, i_amount, i_text}) < 0) {
    return Status::InvalidArgument("not the event schema: {}", schema.ToString());
  }
  const int64_t n = b.num_rows();
  const auto& id = static_cast<const col::Int64Array&>(*b.column(i_id));
  const auto& ts = static_cast<const col::TimestampArray&>(*b.column(i_ts));
  const auto& user = static_cast<const col::Int32Array&>(*b.column(i_user));
  const auto& type = static_cast<const col::StringArray&>(*b.column(i_type));
  const auto& amount = static_cast<const col::Float64Array&>(*b.column(i_amount));
  const auto& text = static_cast<const col::StringArray&>(*b.column(i_text));
  for (int64_t i = 0; i < n; ++i) {
    sum->id += id.Value(i);
    sum->ts += static_cast<uint64_t>(ts.Value(i));
    sum->user_id += user.Value(i);
    sum->amount += amount.Value(i);
  }
  const int64_t strings = (type.raw_offsets()[n] - type.raw_offsets()[0]) +
                          (text.raw_offsets()[n] - text.raw_offsets()[0]);
  sum->string_bytes += strings;
  sum->data_bytes += 28 * n + strings;
  return Status::OK();
}

void PrintChecksum(const char* bench, int64_t rows, double seconds, double cpu_seconds,
                   const silt::bench::EventChecksum& sum, const std::string& extra) {
  std::printf(
      "{\"bench\":\"%s\",\"rows\":%lld,\"seconds\":%.3f,\"cpu_seconds\":%.3f,"
      "\"rows_per_second\":%.0f,\"data_bytes\":%lld,\"peak_rss_mib\":%.1f,"
      "\"checksum\":{\"id\":%lld,\"ts\":\"%llu\",\"user_id\":%lld,\"amount\":%.2f,"
      "\"string_bytes\":%lld}%s}\n",
      bench, static_cast<long long>(rows), seconds, cpu_seconds,
      static_cast<double>(rows) / seconds, static_cast<long long>(sum.data_bytes),
      static_cast<double>(PeakRssKiB()) / 1024.0, static_cast<long long>(sum.id),
      static_cast<unsigned long long>(sum.ts), static_cast<long long>(sum.user_id), sum.amount,
      static_cast<long long>(sum.string_bytes), extra.c_str());
  std::fflush(stdout);
}

Status MakeTable(silt::fs::FileSystem& fs, const std::string& table, int64_t rows) {
  auto gen = std::make_shared<silt::bench::EventGenerator>(rows);
  auto sum = std::make_shared<silt::bench::EventChecksum>();
  delta::WriteInput input;
  input.schema = silt::bench::EventSchema();
  input.next = [gen, sum]() -> Result<std::optional<col::RecordBatchPtr>> {
    SILT_ASSIGN_OR_RETURN(auto batch, gen->Next(sum.get()));
    if (!batch) return std::optional<col::RecordBatchPtr>{};
    return std::optional<col::RecordBatchPtr>{std::move(batch)};
  };
  const auto start = Clock::now();
  SILT_ASSIGN_OR_RETURN(auto r, delta::WriteToTable(fs, table, std::move(input)));
  std::printf(
      "{\"bench\":\"make_table\",\"rows\":%lld,\"files\":%lld,\"bytes\":%lld,"
      "\"seconds\":%.3f,\"version\":%lld}\n",
      static_cast<long long>(r.num_output_rows), static_cast<long long>(r.num_files),
      static_cast<long long>(r.num_output_bytes), Seconds(start),
      static_cast<long long>(r.commit.version));
  std::fflush(stdout);
  return Status::OK();
}

// Decodes every value of each batch.
class ChecksumSink final : public stream::Sink {
 public:
  std::string description() const override { return "ChecksumSink"; }
  Status Open(const stream::SinkContext& context) override {
    (void)context;
    return Status::OK();
  }
  Result<stream::SinkResult> AddBatch(int64_t batch_id, stream::BatchReader& data) override {
    (void)batch_id;
    stream::SinkResult result;
    while (true) {
      SILT_ASSIGN_OR_RETURN(auto next, data.Next());
      if (!next) break;
      SILT_RETURN_NOT_OK(AddToChecksum(**next, &sum_));
      result.num_output_rows += (*next)->num_rows();
    }
    rows_ += result.num_output_rows;
    ++batches_;
    return result;
  }
  const silt::bench::EventChecksum& sum() const { return sum_; }
  int64_t rows() const { return rows_; }
  int64_t batches() const { return batches_; }

 private:
  silt::bench::EventChecksum sum_;
  int64_t rows_ = 0;
  int64_t batches_ = 0;
};

Status CatchUp(const std::string& table, const std::string& checkpoint) {
  auto fs = std::make_shared<silt::fs::LocalFileSystem>();
  SILT_ASSIGN_OR_RETURN(auto source, stream::MakeDeltaSource(fs, table, {}));
  auto sink = std::make_unique<ChecksumSink>();
  ChecksumSink* sink_view = sink.get();
  stream::QueryOptions options;
  options.name = "catch-up";
  options.checkpoint_fs = fs.get();
  options.checkpoint_location = checkpoint;
  options.trigger = stream::Trigger::AvailableNow();
  options.sources.push_back(std::move(source));
  options.sink = std::move(sink);
  const double cpu_start = silt::bench::CpuSeconds();
  const auto start = Clock::now();
  SILT_ASSIGN_OR_RETURN(auto query, stream::StreamingQuery::Make(std::move(options)));
  SILT_RETURN_NOT_OK(query->Start());
  SILT_RETURN_NOT_OK(query->AwaitTermination());
  const double seconds = Seconds(start);
  PrintChecksum("catch_up", sink_view->rows(), seconds, silt::bench::CpuSeconds() - cpu_start,
                sink_view->sum(), fmt::format(",\"batches\":{}", sink_view->batches()));
  return Status::OK();
}

Status Scan(const std::string& table) {
  silt::fs::LocalFileSystem fs;
  SILT_ASSIGN_OR_RETURN(auto snapshot, delta::Snapshot::Load(fs, table));
  silt::bench::EventChecksum sum;
  int64_t rows = 0;
  const double cpu_start = silt::bench::CpuSeconds();
  const auto start = Clock::now();
  for (const auto& add : snapshot->files().ToVector()) {
    SILT_ASSIGN_OR_RETURN(auto reader, silt::parquet::FileReader::Open(fs, table + "/" + add.path));
    while (true) {
      SILT_ASSIGN_OR_RETURN(auto next, reader->Next());
      if (!next) break;
      SILT_RETURN_NOT_OK(AddToChecksum(**next, &sum));
      rows += (*next)->num_rows();
    }
  }
  const double seconds = Seconds(start);
  PrintChecksum("scan", rows, seconds, silt::bench::CpuSeconds() - cpu_start, sum,
                fmt::format(",\"files\":{}", snapshot->files().size()));
  return Status::OK();
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// Times each AddBatch of the wrapped sink.
class TimedSink final : public stream::Sink {
 public:
  explicit TimedSink(std::unique_ptr<stream::Sink> inner) : inner_(std::move(inner)) {}
  std::string description() const override { return inner_->description(); }
  Status Open(const stream::SinkContext& context) override { return inner_->Open(context); }
  Result<stream::SinkResult> AddBatch(int64_t batch_id, stream::BatchReader& data) override {
    const auto start = Clock::now();
    auto r = inner_->AddBatch(batch_id, data);
    const auto end = Clock::now();
    std::lock_guard lock(mu_);
    batch_ms_.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    if (r.ok()) {
      rows_ += r->num_output_rows;
      committed_at_.push_back({rows_, end});
    }
    cv_.notify_all();
    return r;
  }
  void Stop() override { inner_->Stop(); }

  // Waits until the sink holds at least `rows` rows; the time the batch completing them
  // returned, or nullopt after `timeout`.
  std::optional<Clock::time_point> WaitForRows(int64_t rows, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [&] { return rows_ >= rows; })) return std::nullopt;
    for (const auto& [total, at] : committed_at_) {
      if (total >= rows) return at;
    }
    return std::nullopt;
  }
  std::vector<double> batch_ms() const {
    std::lock_guard lock(mu_);
    return batch_ms_;
  }

 private:
  std::unique_ptr<stream::Sink> inner_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int64_t rows_ = 0;
  std::vector<std::pair<int64_t, Clock::time_point>> committed_at_;
  std::vector<double> batch_ms_;
};

Status RateSink(const std::string& dir, int64_t batches, int64_t batch_rows) {
  auto fs = std::make_shared<silt::fs::LocalFileSystem>();
  stream::RateSourceOptions rate;
  rate.rows_per_batch = batch_rows;
  rate.total_rows = batches * batch_rows;
  rate.schema = stream::RateSchema::kClicks;
  SILT_ASSIGN_OR_RETURN(auto sink, stream::MakeDeltaSink(fs, dir + "/sink", {}));
  auto timed = std::make_unique<TimedSink>(std::move(sink));
  TimedSink* timed_view = timed.get();
  stream::QueryOptions options;
  options.name = "rate-sink";
  options.checkpoint_fs = fs.get();
  options.checkpoint_location = dir + "/checkpoint";
  options.trigger = stream::Trigger::AvailableNow();
  options.sources.push_back(std::make_unique<stream::RateSource>(rate));
  options.sink = std::move(timed);
  const double cpu_start = silt::bench::CpuSeconds();
  const auto start = Clock::now();
  SILT_ASSIGN_OR_RETURN(auto query, stream::StreamingQuery::Make(std::move(options)));
  SILT_RETURN_NOT_OK(query->Start());
  SILT_RETURN_NOT_OK(query->AwaitTermination());
  const double seconds = Seconds(start);
  const double cpu_seconds = silt::bench::CpuSeconds() - cpu_start;
  SILT_ASSIGN_OR_RETURN(auto snapshot, delta::Snapshot::Load(*fs, dir + "/sink"));
  int64_t table_rows = 0;
  for (const auto& add : snapshot->files().ToVector()) {
    const auto pos = add.stats ? add.stats->find("\"numRecords\":") : std::string::npos;
    if (pos != std::string::npos) table_rows += std::atoll(add.stats->c_str() + pos + 13);
  }
  const auto ms = timed_view->batch_ms();
  const int64_t rows = batches * batch_rows;
  std::printf(
      "{\"bench\":\"rate_sink\",\"rows\":%lld,\"batch_rows\":%lld,\"batches\":%zu,"
      "\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"rows_per_second\":%.0f,"
      "\"sink_batch_p50_ms\":%.1f,\"sink_batch_p99_ms\":%.1f,\"table_version\":%lld,"
      "\"table_rows\":%lld,\"peak_rss_mib\":%.1f}\n",
      static_cast<long long>(rows), static_cast<long long>(batch_rows), ms.size(), seconds,
      cpu_seconds, static_cast<double>(rows) / seconds, Percentile(ms, 0.5), Percentile(ms, 0.99),
      static_cast<long long>(snapshot->version()), static_cast<long long>(table_rows),
      static_cast<double>(PeakRssKiB()) / 1024.0);
  std::fflush(stdout);
  if (table_rows != rows)
    return Status::Internal("sink holds {} rows, expected {}", table_rows, rows);
  return Status::OK();
}

Status Latency(const std::string& dir, int commits, int64_t poll_ms, int64_t rows_per_commit) {
  auto fs = std::make_shared<silt::fs::LocalFileSystem>();
  const std::string source_table = dir + "/source";
  const auto schema = silt::bench::EventSchema();
  silt::bench::EventChecksum unused;
  silt::bench::EventGenerator gen(rows_per_commit);
  SILT_ASSIGN_OR_RETURN(auto batch, gen.Next(&unused));
  // The source table exists before the query starts (its first version is read as the initial
  // snapshot).
  SILT_RETURN_NOT_OK(
      delta::WriteToTable(*fs, source_table, delta::WriteInput::FromBatches(schema, {batch}))
          .status());

  SILT_ASSIGN_OR_RETURN(auto source, stream::MakeDeltaSource(fs, source_table, {}));
  SILT_ASSIGN_OR_RETURN(auto sink, stream::MakeDeltaSink(fs, dir + "/sink", {}));
  auto timed = std::make_unique<TimedSink>(std::move(sink));
  TimedSink* timed_view = timed.get();
  stream::QueryOptions options;
  options.name = "tail";
  options.checkpoint_fs = fs.get();
  options.checkpoint_location = dir + "/checkpoint";
  options.trigger = stream::Trigger::ProcessingTime(poll_ms);
  options.sources.push_back(std::move(source));
  options.sink = std::move(timed);
  SILT_ASSIGN_OR_RETURN(auto query, stream::StreamingQuery::Make(std::move(options)));
  SILT_RETURN_NOT_OK(query->Start());
  if (!timed_view->WaitForRows(rows_per_commit, std::chrono::seconds(60))) {
    query->Stop();
    return Status::Internal("the initial snapshot did not reach the sink: {}",
                            query->exception().ToString());
  }

  std::mt19937 rng(7);
  std::vector<double> latency_ms;
  for (int i = 0; i < commits; ++i) {
    // A random phase against the trigger interval.
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % (poll_ms * 1000 + 1)));
    SILT_RETURN_NOT_OK(
        delta::WriteToTable(*fs, source_table, delta::WriteInput::FromBatches(schema, {batch}))
            .status());
    const auto landed = Clock::now();
    const auto committed =
        timed_view->WaitForRows(rows_per_commit * (i + 2), std::chrono::seconds(60));
    if (!committed) {
      query->Stop();
      return Status::Internal("commit {} did not reach the sink: {}", i,
                              query->exception().ToString());
    }
    latency_ms.push_back(
        std::max(0.0, std::chrono::duration<double, std::milli>(*committed - landed).count()));
  }
  query->Stop();
  SILT_RETURN_NOT_OK(query->exception());
  const auto sink_ms = timed_view->batch_ms();
  std::printf(
      "{\"bench\":\"latency\",\"commits\":%d,\"rows_per_commit\":%lld,\"poll_ms\":%lld,"
      "\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"max_ms\":%.1f,\"min_ms\":%.1f,"
      "\"sink_batches\":%zu,\"sink_batch_p50_ms\":%.1f}\n",
      commits, static_cast<long long>(rows_per_commit), static_cast<long long>(poll_ms),
      Percentile(latency_ms, 0.5), Percentile(latency_ms, 0.99), Percentile(latency_ms, 1.0),
      Percentile(latency_ms, 0.0), sink_ms.size(), Percentile(sink_ms, 0.5));
  std::fflush(stdout);
  return Status::OK();
}

int Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s make-table <table> <rows> | catch-up <table> <checkpoint> | "
               "scan <table> | rate-sink <dir> <batches> [--batch-rows N] | "
               "latency <dir> <commits> [--poll-ms MS] [--rows N]\n",
               argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return Usage(argv[0]);
  const std::string mode = argv[1];
  int64_t batch_rows = 100000, poll_ms = 50, rows = 100;
  for (int i = 4; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return Usage(argv[0]);
    if (arg == "--batch-rows") {
      batch_rows = std::max<int64_t>(1, std::atoll(argv[++i]));
    } else if (arg == "--poll-ms") {
      poll_ms = std::max<int64_t>(1, std::atoll(argv[++i]));
    } else if (arg == "--rows") {
      rows = std::max<int64_t>(1, std::atoll(argv[++i]));
    } else {
      return Usage(argv[0]);
    }
  }
  Status st;
  silt::fs::LocalFileSystem fs;
  if (mode == "make-table" && argc >= 4) {
    st = MakeTable(fs, argv[2], std::atoll(argv[3]));
  } else if (mode == "catch-up" && argc >= 4) {
    st = CatchUp(argv[2], argv[3]);
  } else if (mode == "scan") {
    st = Scan(argv[2]);
  } else if (mode == "rate-sink" && argc >= 4) {
    st = RateSink(argv[2], std::max<int64_t>(1, std::atoll(argv[3])), batch_rows);
  } else if (mode == "latency" && argc >= 4) {
    st = Latency(argv[2], std::max(1, std::atoi(argv[3])), poll_ms, rows);
  } else {
    return Usage(argv[0]);
  }
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}
