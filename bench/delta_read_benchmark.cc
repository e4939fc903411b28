// Delta snapshot loading (log listing, commit parsing, Parquet checkpoint decoding and action
// reconciliation) by silt, timed on generated tables. Driven by bench/run-delta-read-bench,
// which runs the same reconciliation in DuckDB SQL on the same files and prints both;
// docs/performance.md records the results.
//
//   silt_delta_read_benchmark generate <dir> [--quick]
//       writes two tables under <dir>:
//         checkpointed/  a Spark-schema Parquet checkpoint at version 1000 holding 1,000,000
//                        add actions (and 20,000 tombstones), then commits 1001..1100 that add
//                        and remove files (commits 0..1000 cleaned up, as after log retention);
//         commits-only/  10,000 JSON commits (streaming appends and periodic compactions), no
//                        checkpoint.
//       --quick makes both about 50 times smaller. Prints one JSON object per table: name,
//       version, and the live file count and byte total the generator expects.
//   silt_delta_read_benchmark load <table> <runs>
//       loads the latest snapshot of <table> with Snapshot::Load (default Parquet checkpoint
//       decoder) once untimed, then <runs> times, and prints one JSON object: every run's
//       seconds (wall clock) and CPU seconds, their medians, and the live file count and byte
//       total of the snapshot.
//
// The generated actions look like Spark's: partitioned paths (date=.../region=.../part-...
// .c000.snappy.parquet), stats JSON with numRecords and minValues/maxValues/nullCount for five
// columns, sizes and modification times, commitInfo on every commit, removes with
// deletionTimestamp, extendedFileMetadata, partitionValues and size.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "silt/columnar/from_json.h"
#include "silt/columnar/schema.h"
#include "silt/delta/actions/action_json.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/local_file_system.h"
#include "silt/parquet/writer/file_writer.h"

namespace {

namespace col = silt::columnar;
namespace delta = silt::delta;
using silt::Result;
using silt::Status;

constexpr int64_t kBaseTimeMs = 1735689600000;  // 2025-01-01T00:00:00Z
constexpr const char* kRegions[] = {"us-east", "us-west", "eu-central", "eu-west", "ap-south",
                                    "ap-northeast", "sa-east", "af-south"};
constexpr const char* kEventTypes[] = {"click", "page_view", "purchase", "signup", "search",
                                       "share", "logout", "error"};

constexpr std::string_view kSchemaString =
    R"({"type":"struct","fields":[)"
    R"({"name":"id","type":"long","nullable":true,"metadata":{}},)"
    R"({"name":"ts","type":"timestamp","nullable":true,"metadata":{}},)"
    R"({"name":"user_id","type":"integer","nullable":true,"metadata":{}},)"
    R"({"name":"event_type","type":"string","nullable":true,"metadata":{}},)"
    R"({"name":"amount","type":"double","nullable":true,"metadata":{}},)"
    R"({"name":"date","type":"string","nullable":true,"metadata":{}},)"
    R"({"name":"region","type":"string","nullable":true,"metadata":{}}]})";

// A live file the generator may remove later.
struct LiveFile {
  std::string path;
  std::string date;
  std::string region;
  int64_t size = 0;
};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  std::string Uuid() {
    const uint64_t a = rng_(), b = rng_();
    return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff,
                       a & 0xfff, ((b >> 48) & 0x3fff) | 0x8000, b & 0xffffffffffffULL);
  }

  // A data file of `day` (days after 2025-01-01) written at `time_ms`.
  delta::Add MakeAdd(int day, int64_t time_ms, int part) {
    delta::Add add;
    const std::string date = DateString(day);
    const std::string region = kRegions[rng_() % std::size(kRegions)];
    add.path = fmt::format("date={}/region={}/part-{:05d}-{}.c000.snappy.parquet", date, region,
                           part, Uuid());
    add.partition_values = {{"date", date}, {"region", region}};
    const int64_t records = 50000 + static_cast<int64_t>(rng_() % 450000);
    add.size = records * 21 + static_cast<int64_t>(rng_() % 4096);
    add.modification_time = time_ms;
    add.data_change = true;
    const int64_t first_id = next_id_;
    next_id_ += records;
    const int64_t day_start_ms = kBaseTimeMs + int64_t{day} * 86400000;
    const int64_t t0 = day_start_ms + static_cast<int64_t>(rng_() % 43200000);
    const int64_t t1 = t0 + static_cast<int64_t>(rng_() % 43200000);
    add.stats = fmt::format(
        R"({{"numRecords":{},"minValues":{{"id":{},"ts":"{}","user_id":{},"event_type":"{}",)"
        R"("amount":{:.2f}}},"maxValues":{{"id":{},"ts":"{}","user_id":{},"event_type":"{}",)"
        R"("amount":{:.2f}}},"nullCount":{{"id":0,"ts":0,"user_id":{},"event_type":0,)"
        R"("amount":{}}}}})",
        records, first_id, Timestamp(t0), rng_() % 1000, kEventTypes[rng_() % 4],
        static_cast<double>(rng_() % 1000) / 100.0, first_id + records - 1, Timestamp(t1),
        999000 + rng_() % 1000, kEventTypes[4 + rng_() % 4],
        9000.0 + static_cast<double>(rng_() % 100000) / 100.0, rng_() % 100, rng_() % 1000);
    return add;
  }

  delta::Remove MakeRemove(const LiveFile& file, int64_t time_ms) {
    delta::Remove remove;
    remove.path = file.path;
    remove.deletion_timestamp = time_ms;
    remove.data_change = true;
    remove.extended_file_metadata = true;
    remove.partition_values = delta::PartitionValues{{"date", file.date}, {"region", file.region}};
    remove.size = file.size;
    return remove;
  }

  static LiveFile Live(const delta::Add& add) {
    return LiveFile{add.path, *add.partition_values.at("date"),
                    *add.partition_values.at("region"), add.size};
  }

  // Removes and returns a random element of `live`.
  LiveFile TakeRandom(std::vector<LiveFile>& live) {
    const size_t i = rng_() % live.size();
    std::swap(live[i], live.back());
    LiveFile out = std::move(live.back());
    live.pop_back();
    return out;
  }

  static std::string DateString(int day) {
    // Days after 2025-01-01 in a 360-day calendar of 30-day months: realistic enough for paths.
    return fmt::format("{:04d}-{:02d}-{:02d}", 2025 + day / 360, 1 + (day / 30) % 12,
                       1 + day % 30);
  }

  static std::string Timestamp(int64_t ms) {
    const int64_t s = ms / 1000;
    return fmt::format("2025-01-01T{:02d}:{:02d}:{:02d}.{:03d}Z", (s / 3600) % 24, (s / 60) % 60,
                       s % 60, ms % 1000);
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
  int64_t next_id_ = 0;
};

std::string CommitInfoLine(int64_t time_ms, std::string_view operation, int64_t version,
                           int64_t num_files) {
  delta::CommitInfo info;
  info.raw_json = fmt::format(
      R"({{"timestamp":{},"operation":"{}","operationParameters":{{"mode":"Append",)"
      R"("partitionBy":"[\"date\",\"region\"]"}},"readVersion":{},"isolationLevel":)"
      R"("Serializable","isBlindAppend":{},"operationMetrics":{{"numFiles":"{}",)"
      R"("numOutputRows":"{}"}},"engineInfo":"Apache-Spark/3.5.1 Delta-Lake/3.2.0",)"
      R"("txnId":"00000000-0000-4000-8000-{:012d}"}})",
      time_ms, operation, version - 1, operation == "WRITE" ? "true" : "false", num_files,
      num_files * 100000, version);
  return delta::ToJsonLine(delta::Action(std::move(info)));
}

delta::Protocol TableProtocol() {
  delta::Protocol p;
  p.min_reader_version = 1;
  p.min_writer_version = 2;
  return p;
}

delta::Metadata TableMetadata() {
  delta::Metadata m;
  m.id = "6f1a8a0e-2f5c-4c2e-9d51-3a0d8b1f2c77";
  m.schema_string = std::string(kSchemaString);
  m.partition_columns = {"date", "region"};
  m.configuration = {{"delta.checkpointInterval", "10"}};
  m.created_time = kBaseTimeMs;
  return m;
}

// The checkpoint schema Spark 3.x / Delta 3.x writes (parquet-mr), less the optional
// *_parsed columns.
col::SchemaPtr SparkCheckpointSchema() {
  using col::Field;
  auto map = [] { return col::Map(col::String(), col::String(), true); };
  auto dv = [] {
    return col::Struct({Field("storageType", col::String()), Field("pathOrInlineDv", col::String()),
                        Field("offset", col::Int32()), Field("sizeInBytes", col::Int32()),
                        Field("cardinality", col::Int64()), Field("maxRowIndex", col::Int64())});
  };
  return col::Schema::Make({
      Field("txn", col::Struct({Field("appId", col::String()), Field("version", col::Int64()),
                                Field("lastUpdated", col::Int64())})),
      Field("add",
            col::Struct({Field("path", col::String()), Field("partitionValues", map()),
                         Field("size", col::Int64()), Field("modificationTime", col::Int64()),
                         Field("dataChange", col::Boolean()), Field("tags", map()),
                         Field("deletionVector", dv()), Field("baseRowId", col::Int64()),
                         Field("defaultRowCommitVersion", col::Int64()),
                         Field("stats", col::String())})),
      Field("remove",
            col::Struct({Field("path", col::String()), Field("deletionTimestamp", col::Int64()),
                         Field("dataChange", col::Boolean()),
                         Field("extendedFileMetadata", col::Boolean()),
                         Field("partitionValues", map()), Field("size", col::Int64()),
                         Field("deletionVector", dv()), Field("baseRowId", col::Int64()),
                         Field("defaultRowCommitVersion", col::Int64())})),
      Field("metaData",
            col::Struct({Field("id", col::String()), Field("name", col::String()),
                         Field("description", col::String()),
                         Field("format", col::Struct({Field("provider", col::String()),
                                                      Field("options", map())})),
                         Field("schemaString", col::String()),
                         Field("partitionColumns", col::List(col::String())),
                         Field("configuration", map()), Field("createdTime", col::Int64())})),
      Field("protocol",
            col::Struct({Field("minReaderVersion", col::Int32()),
                         Field("minWriterVersion", col::Int32()),
                         Field("readerFeatures", col::List(col::String())),
                         Field("writerFeatures", col::List(col::String()))})),
      Field("domainMetadata",
            col::Struct({Field("domain", col::String()), Field("configuration", col::String()),
                         Field("removed", col::Boolean())})),
  });
}

// Writes a commit file without fsync (this is benchmark data, not a table to keep).
Status WriteFile(silt::fs::FileSystem& fs, const std::string& path, std::string_view data) {
  SILT_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(path));
  SILT_RETURN_NOT_OK(file->Append(data));
  return file->Close();
}

Status WriteCommit(silt::fs::FileSystem& fs, const std::string& log_dir, int64_t version,
                   const std::vector<std::string>& lines) {
  std::string content;
  for (const std::string& line : lines) content.append(line).push_back('\n');
  return WriteFile(fs, silt::fs::JoinPath(log_dir, delta::CommitFileName(version)), content);
}

struct TableSummary {
  std::string name;
  int64_t version = 0;
  int64_t live_files = 0;
  int64_t live_bytes = 0;
};

void PrintSummary(const TableSummary& t) {
  std::printf("{\"table\":\"%s\",\"version\":%lld,\"live_files\":%lld,\"live_bytes\":%lld}\n",
              t.name.c_str(), static_cast<long long>(t.version),
              static_cast<long long>(t.live_files), static_cast<long long>(t.live_bytes));
  std::fflush(stdout);
}

TableSummary Summarize(std::string name, int64_t version, const std::vector<LiveFile>& live) {
  TableSummary t{std::move(name), version, static_cast<int64_t>(live.size()), 0};
  for (const LiveFile& f : live) t.live_bytes += f.size;
  return t;
}

// Checkpoint at version 1000 with `num_adds` adds and `num_tombstones` removes, then 100
// commits that each remove `removes_per_commit` live files and add `adds_per_commit` new ones.
Result<TableSummary> GenerateCheckpointed(silt::fs::FileSystem& fs, const std::string& root,
                                          int64_t num_adds, int64_t num_tombstones,
                                          int removes_per_commit, int adds_per_commit) {
  constexpr int64_t kCheckpointVersion = 1000;
  constexpr int64_t kCommitsAfter = 100;
  constexpr int64_t kRowsPerBatch = 32 * 1024;
  const std::string log_dir = silt::fs::JoinPath(root, "_delta_log");
  SILT_RETURN_NOT_OK(fs.CreateDir(log_dir));
  Generator gen(1);
  std::vector<LiveFile> live;
  live.reserve(static_cast<size_t>(num_adds));

  const std::string checkpoint_path =
      silt::fs::JoinPath(log_dir, delta::CheckpointFileName(kCheckpointVersion));
  const col::SchemaPtr schema = SparkCheckpointSchema();
  silt::parquet::WriterOptions options;  // SNAPPY and dictionary, as parquet-mr in Spark
  options.sync_on_close = false;
  SILT_ASSIGN_OR_RETURN(auto writer,
                        silt::parquet::FileWriter::Open(fs, checkpoint_path, schema, options));
  std::string rows = "[";
  int64_t rows_in_batch = 0;
  int64_t total_rows = 0;
  auto add_row = [&](const delta::Action& action) -> Status {
    if (rows_in_batch > 0) rows.push_back(',');
    rows.append(delta::ToJsonLine(action));
    ++total_rows;
    if (++rows_in_batch < kRowsPerBatch) return Status::OK();
    rows.push_back(']');
    SILT_ASSIGN_OR_RETURN(auto batch, col::RecordBatchFromJson(schema, rows));
    SILT_RETURN_NOT_OK(writer->WriteBatch(*batch));
    rows = "[";
    rows_in_batch = 0;
    return Status::OK();
  };
  SILT_RETURN_NOT_OK(add_row(delta::Action(TableProtocol())));
  SILT_RETURN_NOT_OK(add_row(delta::Action(TableMetadata())));
  // The files of the first ~300 days, written over versions 0..1000.
  for (int64_t i = 0; i < num_adds; ++i) {
    const int day = static_cast<int>(i * 300 / num_adds);
    const int64_t time_ms = kBaseTimeMs + (i * kCheckpointVersion / num_adds) * 60000;
    delta::Add add = gen.MakeAdd(day, time_ms, static_cast<int>(i % 200));
    add.data_change = false;  // checkpoints state dataChange=false
    live.push_back(Generator::Live(add));
    SILT_RETURN_NOT_OK(add_row(delta::Action(std::move(add))));
  }
  for (int64_t i = 0; i < num_tombstones; ++i) {
    const delta::Add gone = gen.MakeAdd(static_cast<int>(i % 300), kBaseTimeMs, 0);
    delta::Remove remove = gen.MakeRemove(Generator::Live(gone), kBaseTimeMs + 59000000);
    remove.data_change = false;
    SILT_RETURN_NOT_OK(add_row(delta::Action(std::move(remove))));
  }
  if (rows_in_batch > 0) {
    rows.push_back(']');
    SILT_ASSIGN_OR_RETURN(auto batch, col::RecordBatchFromJson(schema, rows));
    SILT_RETURN_NOT_OK(writer->WriteBatch(*batch));
  }
  SILT_ASSIGN_OR_RETURN(auto written, writer->Close());
  SILT_RETURN_NOT_OK(WriteFile(
      fs, silt::fs::JoinPath(log_dir, delta::kLastCheckpointFileName),
      fmt::format(R"({{"version":{},"size":{},"sizeInBytes":{},"numOfAddFiles":{}}})",
                  kCheckpointVersion, total_rows, written.file_size, num_adds)));

  for (int64_t version = kCheckpointVersion + 1; version <= kCheckpointVersion + kCommitsAfter;
       ++version) {
    const int64_t time_ms = kBaseTimeMs + version * 60000;
    std::vector<std::string> lines;
    lines.push_back(CommitInfoLine(time_ms, removes_per_commit > 0 ? "MERGE" : "WRITE", version,
                                   adds_per_commit));
    for (int i = 0; i < removes_per_commit && !live.empty(); ++i) {
      lines.push_back(delta::ToJsonLine(delta::Action(gen.MakeRemove(gen.TakeRandom(live),
                                                                     time_ms))));
    }
    for (int i = 0; i < adds_per_commit; ++i) {
      delta::Add add = gen.MakeAdd(300 + static_cast<int>(version % 30), time_ms, i);
      live.push_back(Generator::Live(add));
      lines.push_back(delta::ToJsonLine(delta::Action(std::move(add))));
    }
    SILT_RETURN_NOT_OK(WriteCommit(fs, log_dir, version, lines));
  }
  return Summarize("checkpointed", kCheckpointVersion + kCommitsAfter, live);
}

// `num_commits` commits from version 0: streaming appends of `adds_per_commit` files, and every
// 50th commit a compaction that replaces up to 100 live files by 2.
Result<TableSummary> GenerateCommitsOnly(silt::fs::FileSystem& fs, const std::string& root,
                                         int64_t num_commits, int adds_per_commit) {
  const std::string log_dir = silt::fs::JoinPath(root, "_delta_log");
  SILT_RETURN_NOT_OK(fs.CreateDir(log_dir));
  Generator gen(2);
  std::vector<LiveFile> live;
  for (int64_t version = 0; version < num_commits; ++version) {
    const int64_t time_ms = kBaseTimeMs + version * 10000;
    const int day = static_cast<int>(version * 360 / num_commits);
    std::vector<std::string> lines;
    const bool compaction = version > 0 && version % 50 == 0;
    lines.push_back(CommitInfoLine(time_ms, compaction ? "OPTIMIZE" : "WRITE", version,
                                   compaction ? 2 : adds_per_commit));
    if (version == 0) {
      lines.push_back(delta::ToJsonLine(delta::Action(TableProtocol())));
      lines.push_back(delta::ToJsonLine(delta::Action(TableMetadata())));
    }
    const int adds = compaction ? 2 : adds_per_commit;
    if (compaction) {
      for (int i = 0; i < 100 && !live.empty(); ++i) {
        delta::Remove remove = gen.MakeRemove(gen.TakeRandom(live), time_ms);
        remove.data_change = false;
        lines.push_back(delta::ToJsonLine(delta::Action(std::move(remove))));
      }
    }
    for (int i = 0; i < adds; ++i) {
      delta::Add add = gen.MakeAdd(day, time_ms, i);
      add.data_change = !compaction;
      live.push_back(Generator::Live(add));
      lines.push_back(delta::ToJsonLine(delta::Action(std::move(add))));
    }
    SILT_RETURN_NOT_OK(WriteCommit(fs, log_dir, version, lines));
  }
  return Summarize("commits-only", num_commits - 1, live);
}

Status Generate(silt::fs::FileSystem& fs, const std::string& dir, bool quick) {
  const int64_t scale = quick ? 50 : 1;
  SILT_ASSIGN_OR_RETURN(
      TableSummary checkpointed,
      GenerateCheckpointed(fs, silt::fs::JoinPath(dir, "checkpointed"), 1000000 / scale,
                           20000 / scale, quick ? 5 : 50, quick ? 6 : 60));
  PrintSummary(checkpointed);
  SILT_ASSIGN_OR_RETURN(TableSummary commits_only,
                        GenerateCommitsOnly(fs, silt::fs::JoinPath(dir, "commits-only"),
                                            10000 / scale, 5));
  PrintSummary(commits_only);
  return Status::OK();
}

// CPU time of this process (what the other processes on a shared machine do not inflate).
double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

Status Load(silt::fs::FileSystem& fs, const std::string& root, int runs) {
  delta::SnapshotOptions options;
  options.checkpoint_decoder = delta::DefaultParquetCheckpointDecoder();
  std::vector<double> seconds;
  std::vector<double> cpu_seconds;
  std::shared_ptr<const delta::Snapshot> snapshot;
  for (int run = -1; run < runs; ++run) {  // run -1: warm-up, untimed
    snapshot.reset();  // free the previous snapshot outside the timed region
    const double cpu_start = CpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    SILT_ASSIGN_OR_RETURN(snapshot, delta::Snapshot::Load(fs, root, options));
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (run >= 0) {
      seconds.push_back(s);
      cpu_seconds.push_back(CpuSeconds() - cpu_start);
    }
  }
  int64_t live_bytes = 0;
  for (const delta::FileRef file : snapshot->files()) live_bytes += file.size();
  auto list = [](const std::vector<double>& values) {
    std::string out;
    for (double v : values) out += fmt::format("{}{:.4f}", out.empty() ? "" : ",", v);
    return out;
  };
  std::printf(
      "{\"engine\":\"silt\",\"table\":\"%s\",\"version\":%lld,\"live_files\":%lld,"
      "\"live_bytes\":%lld,\"seconds\":[%s],\"median\":%.4f,\"cpu_seconds\":[%s],"
      "\"cpu_median\":%.4f}\n",
      std::string(silt::fs::BaseName(root)).c_str(), static_cast<long long>(snapshot->version()),
      static_cast<long long>(snapshot->files().size()), static_cast<long long>(live_bytes),
      list(seconds).c_str(), Median(seconds), list(cpu_seconds).c_str(), Median(cpu_seconds));
  std::fflush(stdout);
  return Status::OK();
}

}  // namespace

int main(int argc, char** argv) {
  silt::fs::LocalFileSystem fs;
  const std::string mode = argc > 1 ? argv[1] : "";
  Status st;
  if (mode == "generate" && (argc == 3 || (argc == 4 && std::string_view(argv[3]) == "--quick"))) {
    st = Generate(fs, argv[2], argc == 4);
  } else if (mode == "load" && argc == 4 && std::atoi(argv[3]) > 0) {
    st = Load(fs, argv[2], std::atoi(argv[3]));
  } else {
    std::fprintf(stderr,
                 "usage: %s generate <dir> [--quick] | load <table> <runs>\n", argv[0]);
    return 2;
  }
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}
