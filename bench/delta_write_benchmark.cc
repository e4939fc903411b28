// Delta write latency and throughput of silt on local disk. Driven by bench/run-delta-write-bench,
// which runs DuckDB's partitioned COPY on the same rows and prints the comparison;
// docs/performance.md records the results.
//
//   silt_delta_write_benchmark commit <dir> [--commits N] [--only OP]
//       the fsync floor of the disk under <dir> (a small file created with O_EXCL, written,
//       fsynced, closed, then its directory fsynced: what one put-if-absent commit must pay),
//       LocalFileSystem::PutIfAbsent of the same bytes, then N small appends to fresh tables:
//         write_to_table   WriteToTable of one 1,000-row batch (Parquet file + commit; the
//                          snapshot is loaded by WriteToTable each time)
//         write_to_table_chained
//                          the same with WriteOptions::read_snapshot set to the previous
//                          WriteResult's commit.snapshot (no log read: what the streaming
//                          Delta sink does)
//         txn_begin        a bare Transaction of one add action, Transaction::Begin (loads the
//                          latest snapshot) + Commit
//         txn_chained      the same with Transaction::BeginAt on the previous CommitResult's
//                          snapshot (no log read)
//         txn_chained_10k_files
//                          txn_chained on a table of 10,000 files (one commit of 10,000 adds
//                          first, not timed): what the rebased snapshot costs on a bigger table
//       each with the default TransactionOptions (a checkpoint every 10 versions included);
//       --only OP runs that one of them (after the floor and put_if_absent), for profiling.
//   silt_delta_write_benchmark concurrent <dir> --writers W --seconds S [--op write|txn]
//       W forked processes make blind appends to one table for S seconds (write: WriteToTable
//       of 1,000 rows; txn: chained bare commits of one add); commits/s, commits that needed
//       more than one attempt, and attempts lost to other writers.
//   silt_delta_write_benchmark bulk <dir> <rows> [--max-open-writers N]
//       the event table of the Parquet benchmark (built in memory first, not timed) appended
//       with WriteToTable to a new table partitioned by event_type (20 values, SNAPPY);
//       <dir>/events.parquet is written first (not timed) for DuckDB to load. The rows in the
//       table are counted from the adds' numRecords statistics.
//
// One JSON object per measurement on stdout; latencies in milliseconds, wall clock.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "event_data.h"
#include "silt/delta/commit/transaction.h"
#include "silt/delta/table/snapshot.h"
#include "silt/delta/write/write_table.h"
#include "silt/fs/local_file_system.h"
#include "silt/parquet/writer/file_writer.h"

namespace {

namespace col = silt::columnar;
namespace delta = silt::delta;
using silt::Result;
using silt::Status;
using Clock = std::chrono::steady_clock;

constexpr int64_t kSmallRows = 1000;
constexpr int64_t kLargeTableFiles = 10000;

double Ms(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Latency {
  double p50 = 0, p99 = 0, mean = 0, min = 0, max = 0;
};

Latency Summarize(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  Latency l;
  if (ms.empty()) return l;
  auto at = [&](double q) {
    const auto i = static_cast<size_t>(q * static_cast<double>(ms.size() - 1) + 0.5);
    return ms[std::min(i, ms.size() - 1)];
  };
  l.p50 = at(0.50);
  l.p99 = at(0.99);
  l.min = ms.front();
  l.max = ms.back();
  double sum = 0;
  for (double v : ms) sum += v;
  l.mean = sum / static_cast<double>(ms.size());
  return l;
}

void PrintLatency(const char* op, const std::vector<double>& ms, const std::string& extra = "") {
  const Latency l = Summarize(ms);
  std::printf(
      "{\"bench\":\"commit\",\"op\":\"%s\",\"n\":%zu,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
      "\"mean_ms\":%.3f,\"min_ms\":%.3f,\"max_ms\":%.3f%s}\n",
      op, ms.size(), l.p50, l.p99, l.mean, l.min, l.max, extra.c_str());
  std::fflush(stdout);
}

Status SysError(const char* what, const std::string& path) {
  return Status::IOError("{} {}: {}", what, path, std::strerror(errno));
}

// One put-if-absent's unavoidable I/O, done directly with POSIX calls.
Status FsyncFloorOnce(const std::string& dir, const std::string& path, const std::string& data) {
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return SysError("open", path);
  if (::write(fd, data.data(), data.size()) != static_cast<ssize_t>(data.size())) {
    ::close(fd);
    return SysError("write", path);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    return SysError("fsync", path);
  }
  ::close(fd);
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return SysError("open", dir);
  const int rc = ::fsync(dfd);
  ::close(dfd);
  if (rc != 0) return SysError("fsync", dir);
  return Status::OK();
}

// A commit-sized JSON line (about the size of a one-file append commit).
std::string CommitSizedBytes() {
  std::string s = "{\"commitInfo\":{\"timestamp\":1735689600000,\"operation\":\"WRITE\"}}\n";
  while (s.size() < 1200) s += "{\"add\":{\"path\":\"part-00000.snappy.parquet\",\"size\":1}}\n";
  return s;
}

Result<col::RecordBatchPtr> SmallBatch() {
  silt::bench::EventChecksum sum;
  silt::bench::EventGenerator gen(kSmallRows);
  return gen.Next(&sum);
}

// A bare add of a 1,000-row file (the file itself is not written: only the log is timed).
delta::Add FakeAdd(int64_t i) {
  delta::Add add;
  add.path = fmt::format("part-{:05}-bench.c000.snappy.parquet", i);
  add.size = 60000;
  add.modification_time = 1735689600000 + i;
  add.stats = "{\"numRecords\":1000}";
  return add;
}

Status Commit(silt::fs::FileSystem& fs, const std::string& dir, int commits,
              const std::string& only) {
  auto wanted = [&](std::string_view op) { return only.empty() || only == op; };
  SILT_RETURN_NOT_OK(fs.CreateDir(dir + "/floor"));
  SILT_RETURN_NOT_OK(fs.CreateDir(dir + "/put"));
  const std::string bytes = CommitSizedBytes();
  std::vector<double> floor, put;
  for (int i = 0; i < commits; ++i) {
    const std::string name = fmt::format("{:020}.json", i);
    auto start = Clock::now();
    SILT_RETURN_NOT_OK(FsyncFloorOnce(dir + "/floor", dir + "/floor/" + name, bytes));
    floor.push_back(Ms(start));
    start = Clock::now();
    SILT_RETURN_NOT_OK(fs.PutIfAbsent(dir + "/put/" + name, bytes));
    put.push_back(Ms(start));
  }
  PrintLatency("fsync_floor", floor, fmt::format(",\"bytes\":{}", bytes.size()));
  PrintLatency("put_if_absent", put, fmt::format(",\"bytes\":{}", bytes.size()));

  SILT_ASSIGN_OR_RETURN(auto batch, SmallBatch());
  const auto schema = silt::bench::EventSchema();
  auto write_one = [&](const std::string& table,
                       std::shared_ptr<const delta::Snapshot> read) -> Result<delta::WriteResult> {
    delta::WriteOptions options;
    options.read_snapshot = std::move(read);
    return delta::WriteToTable(fs, table, delta::WriteInput::FromBatches(schema, {batch}), options);
  };

  for (const bool chained : {false, true}) {
    // WriteToTable: Parquet file + commit, with a snapshot load each time or chained.
    if (!wanted(chained ? "write_to_table_chained" : "write_to_table")) continue;
    const std::string table = dir + (chained ? "/write-to-table-chained" : "/write-to-table");
    SILT_ASSIGN_OR_RETURN(auto created, write_one(table, nullptr));
    std::shared_ptr<const delta::Snapshot> snapshot = created.commit.snapshot;
    std::vector<double> ms;
    int checkpoints = 0, reloads = 0;
    for (int i = 0; i < commits; ++i) {
      if (chained && snapshot == nullptr) ++reloads;
      const auto start = Clock::now();
      SILT_ASSIGN_OR_RETURN(auto r, write_one(table, chained ? snapshot : nullptr));
      ms.push_back(Ms(start));
      checkpoints += r.commit.checkpoint_written ? 1 : 0;
      snapshot = r.commit.snapshot;
    }
    PrintLatency(
        chained ? "write_to_table_chained" : "write_to_table", ms,
        chained ? fmt::format(",\"checkpoints\":{},\"snapshot_reloads\":{}", checkpoints, reloads)
                : fmt::format(",\"checkpoints\":{}", checkpoints));
  }

  for (const int variant : {0, 1, 2}) {
    const bool chained = variant != 0;
    const bool large = variant == 2;
    if (!wanted(large ? "txn_chained_10k_files" : chained ? "txn_chained" : "txn_begin")) continue;
    const std::string table = dir + (large     ? "/txn-chained-10k"
                                     : chained ? "/txn-chained"
                                               : "/txn-begin");
    SILT_ASSIGN_OR_RETURN(auto created, write_one(table, nullptr));
    std::shared_ptr<const delta::Snapshot> snapshot = created.commit.snapshot;
    if (large) {
      SILT_ASSIGN_OR_RETURN(auto txn, delta::Transaction::BeginAt(fs, snapshot));
      for (int64_t i = 0; i < kLargeTableFiles; ++i) txn->AddFile(FakeAdd(1000000 + i));
      txn->SetOperation("WRITE", {{"mode", "\"Append\""}, {"partitionBy", "[]"}});
      SILT_ASSIGN_OR_RETURN(auto r, txn->Commit());
      snapshot = r.snapshot;
    }
    std::vector<double> ms;
    int checkpoints = 0, reloads = 0;
    for (int i = 0; i < commits; ++i) {
      const auto start = Clock::now();
      std::unique_ptr<delta::Transaction> txn;
      if (chained && snapshot) {
        SILT_ASSIGN_OR_RETURN(txn, delta::Transaction::BeginAt(fs, snapshot));
      } else {
        reloads += chained ? 1 : 0;
        SILT_ASSIGN_OR_RETURN(txn, delta::Transaction::Begin(fs, table));
      }
      txn->AddFile(FakeAdd(i));
      txn->SetOperation("WRITE", {{"mode", "\"Append\""}, {"partitionBy", "[]"}});
      SILT_ASSIGN_OR_RETURN(auto r, txn->Commit());
      ms.push_back(Ms(start));
      checkpoints += r.checkpoint_written ? 1 : 0;
      snapshot = r.snapshot;
    }
    PrintLatency(large     ? "txn_chained_10k_files"
                 : chained ? "txn_chained"
                           : "txn_begin",
                 ms,
                 fmt::format(",\"checkpoints\":{},\"snapshot_reloads\":{}", checkpoints, reloads));
  }
  return Status::OK();
}

struct WriterCounts {
  int64_t commits = 0;
  int64_t retried_commits = 0;  // commits that took more than one attempt
  int64_t lost_attempts = 0;    // attempts that found the version taken
  int64_t failures = 0;         // commits that failed (conflict or error)
};

WriterCounts RunWriter(silt::fs::FileSystem& fs, const std::string& table, const std::string& op,
                       Clock::time_point start, Clock::time_point end, int writer) {
  WriterCounts c;
  auto batch = SmallBatch();
  if (!batch.ok()) return c;
  const auto schema = silt::bench::EventSchema();
  std::shared_ptr<const delta::Snapshot> snapshot;
  std::this_thread::sleep_until(start);
  int64_t i = int64_t{writer} * 1000000;
  while (Clock::now() < end) {
    Result<delta::CommitResult> r = Status::Internal("no commit");
    if (op == "write") {
      auto w = delta::WriteToTable(fs, table, delta::WriteInput::FromBatches(schema, {*batch}));
      r = w.ok() ? Result<delta::CommitResult>(w->commit) : Result<delta::CommitResult>(w.status());
    } else {
      auto txn = snapshot ? delta::Transaction::BeginAt(fs, snapshot)
                          : delta::Transaction::Begin(fs, table);
      if (!txn.ok()) {
        ++c.failures;
        continue;
      }
      (*txn)->AddFile(FakeAdd(i++));
      (*txn)->SetOperation("WRITE", {{"mode", "\"Append\""}, {"partitionBy", "[]"}});
      r = (*txn)->Commit();
    }
    if (!r.ok()) {
      ++c.failures;
      std::fprintf(stderr, "writer %d: %s\n", writer, r.status().ToString().c_str());
      snapshot = nullptr;
      continue;
    }
    ++c.commits;
    if (r->attempts > 1) ++c.retried_commits;
    c.lost_attempts += r->attempts - 1;
    snapshot = r->snapshot;
  }
  return c;
}

Status Concurrent(silt::fs::FileSystem& fs, const std::string& dir, int writers, double seconds,
                  const std::string& op) {
  const std::string table = fmt::format("{}/concurrent-{}-{}", dir, op, writers);
  SILT_ASSIGN_OR_RETURN(auto batch, SmallBatch());
  SILT_RETURN_NOT_OK(
      delta::WriteToTable(fs, table,
                          delta::WriteInput::FromBatches(silt::bench::EventSchema(), {batch}))
          .status());
  const auto start = Clock::now() + std::chrono::milliseconds(200);
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<pid_t> pids;
  std::vector<int> pipes;
  std::fflush(stdout);
  std::fflush(stderr);
  for (int w = 0; w < writers; ++w) {
    int fds[2];
    if (::pipe(fds) != 0) return SysError("pipe", "");
    const pid_t pid = ::fork();
    if (pid < 0) return SysError("fork", "");
    if (pid == 0) {
      ::close(fds[0]);
      silt::fs::LocalFileSystem child_fs;
      const WriterCounts c = RunWriter(child_fs, table, op, start, end, w);
      const ssize_t n = ::write(fds[1], &c, sizeof c);
      ::_exit(n == static_cast<ssize_t>(sizeof c) ? 0 : 1);
    }
    ::close(fds[1]);
    pids.push_back(pid);
    pipes.push_back(fds[0]);
  }
  WriterCounts total;
  for (int w = 0; w < writers; ++w) {
    WriterCounts c;
    const ssize_t n = ::read(pipes[w], &c, sizeof c);
    ::close(pipes[w]);
    int status = 0;
    ::waitpid(pids[w], &status, 0);
    if (n != static_cast<ssize_t>(sizeof c) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      return Status::Internal("writer {} failed", w);
    }
    total.commits += c.commits;
    total.retried_commits += c.retried_commits;
    total.lost_attempts += c.lost_attempts;
    total.failures += c.failures;
  }
  SILT_ASSIGN_OR_RETURN(auto snapshot, delta::Snapshot::Load(fs, table));
  std::printf(
      "{\"bench\":\"concurrent\",\"op\":\"%s\",\"writers\":%d,\"seconds\":%.1f,\"commits\":%lld,"
      "\"commits_per_second\":%.1f,\"retried_commits\":%lld,\"lost_attempts\":%lld,"
      "\"failures\":%lld,\"table_version\":%lld}\n",
      op.c_str(), writers, seconds, static_cast<long long>(total.commits),
      static_cast<double>(total.commits) / seconds, static_cast<long long>(total.retried_commits),
      static_cast<long long>(total.lost_attempts), static_cast<long long>(total.failures),
      static_cast<long long>(snapshot->version()));
  std::fflush(stdout);
  if (snapshot->version() != total.commits) {
    return Status::Internal("table version {} != {} commits", snapshot->version(), total.commits);
  }
  return Status::OK();
}

// numRecords of an add's stats JSON; -1 without it.
int64_t NumRecords(const delta::Add& add) {
  if (!add.stats) return -1;
  const auto pos = add.stats->find("\"numRecords\":");
  if (pos == std::string::npos) return -1;
  return std::atoll(add.stats->c_str() + pos + 13);
}

Status Bulk(silt::fs::FileSystem& fs, const std::string& dir, int64_t rows, int max_open_writers) {
  silt::bench::EventChecksum sum;
  SILT_ASSIGN_OR_RETURN(auto batches, silt::bench::MakeEvents(rows, &sum));
  const auto schema = silt::bench::EventSchema();
  {  // The same rows for DuckDB to load (not timed).
    silt::parquet::WriterOptions options;
    options.codec = silt::parquet::CompressionCodec::kSnappy;
    SILT_ASSIGN_OR_RETURN(
        auto writer, silt::parquet::FileWriter::Open(fs, dir + "/events.parquet", schema, options));
    for (const auto& b : batches) SILT_RETURN_NOT_OK(writer->WriteBatch(*b));
    SILT_RETURN_NOT_OK(writer->Close().status());
  }
  const std::string table = dir + "/silt-table";
  delta::WriteOptions options;
  options.partition_by = {"event_type"};
  if (max_open_writers > 0) options.max_open_writers = max_open_writers;
  const double cpu_start = silt::bench::CpuSeconds();
  const auto start = Clock::now();
  SILT_ASSIGN_OR_RETURN(
      auto r, delta::WriteToTable(
                  fs, table, delta::WriteInput::FromBatches(schema, std::move(batches)), options));
  const double seconds = Ms(start) / 1000;
  const double cpu_seconds = silt::bench::CpuSeconds() - cpu_start;
  SILT_ASSIGN_OR_RETURN(auto snapshot, delta::Snapshot::Load(fs, table));
  int64_t table_rows = 0, bytes = 0;
  for (const auto& add : snapshot->files().ToVector()) {
    table_rows += NumRecords(add);
    bytes += add.size;
  }
  std::printf(
      "{\"bench\":\"bulk\",\"engine\":\"silt\",\"rows\":%lld,\"seconds\":%.3f,"
      "\"cpu_seconds\":%.3f,\"rows_per_second\":%.0f,\"files\":%zu,\"bytes\":%lld,"
      "\"table_rows\":%lld,\"max_open_writers\":%d,\"data_bytes\":%lld}\n",
      static_cast<long long>(rows), seconds, cpu_seconds, static_cast<double>(rows) / seconds,
      snapshot->files().size(), static_cast<long long>(bytes), static_cast<long long>(table_rows),
      options.max_open_writers, static_cast<long long>(sum.data_bytes));
  std::fflush(stdout);
  if (table_rows != rows || r.num_output_rows != rows) {
    return Status::Internal("table holds {} rows (write reported {}), expected {}", table_rows,
                            r.num_output_rows, rows);
  }
  return Status::OK();
}

int Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s commit <dir> [--commits N] [--only OP] | concurrent <dir> --writers W "
               "--seconds S [--op write|txn] | bulk <dir> <rows> [--max-open-writers N]\n",
               argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return Usage(argv[0]);
  silt::fs::LocalFileSystem fs;
  const std::string mode = argv[1];
  const std::string dir = argv[2];
  int commits = 200, writers = 1, max_open_writers = 0;
  double seconds = 5;
  std::string op = "write";
  std::string only;  // commit: one measurement (its op name) instead of all
  int64_t rows = 0;
  int first_flag = 3;
  if (mode == "bulk") {
    if (argc < 4) return Usage(argv[0]);
    rows = std::atoll(argv[3]);
    first_flag = 4;
    if (rows <= 0) return Usage(argv[0]);
  }
  for (int i = first_flag; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return Usage(argv[0]);
    if (arg == "--commits") {
      commits = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--writers") {
      writers = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--seconds") {
      seconds = std::max(0.1, std::atof(argv[++i]));
    } else if (arg == "--only") {
      only = argv[++i];
    } else if (arg == "--op") {
      op = argv[++i];
    } else if (arg == "--max-open-writers") {
      max_open_writers = std::atoi(argv[++i]);
    } else {
      return Usage(argv[0]);
    }
  }
  Status st;
  if (mode == "commit") {
    st = Commit(fs, dir, commits, only);
  } else if (mode == "concurrent" && (op == "write" || op == "txn")) {
    st = Concurrent(fs, dir, writers, seconds, op);
  } else if (mode == "bulk") {
    st = Bulk(fs, dir, rows, max_open_writers);
  } else {
    return Usage(argv[0]);
  }
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}
